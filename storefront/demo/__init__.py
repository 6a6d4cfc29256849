"""The "under the hood" panel of the live demo and the workshop: for this browser's current order, the seed's
checkout steps as they really happened, read from the API log and the webhook log.

It only reads what the payment code already records; the payment code knows nothing about it. It is on when
DEMO_MODE=1 (`make run` sets it) and never in production, and it shows only the order of this browser's
cart (the signed session cookie), never another shopper's.
"""
import json
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, session
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from ..cart import SESSION_KEY
from ..config import is_production
from ..extensions import db
from ..i18n import current_language
from ..models import Order, Refund
from ..smartpay.models import ApiCall, WebhookEvent
from ..smartpay.statuses import SMARTPAY

bp = Blueprint("demo", __name__, url_prefix="/demo")

# Where each step happens in the code, and why it is done that way (file:function, one line).
WHERE = {
    "session": ("storefront/smartpay/payments.py:start_payment",
                _l("the server creates the session with its secret key and prices from the catalog; the "
                   "Idempotency-Key comes from the order, so a retry can never make a second session")),
    "redirect": ("storefront/checkout/views.py:pay",
                 _l("a 303 sends the browser to Smartpay's hosted page; the shop never sees card details")),
    "return": ("storefront/smartpay/payments.py:refresh_order",
               _l("the return URL proves nothing: the shop asks Smartpay's API for the order and checks id, "
                  "amount, currency and reference before it moves the order, once")),
    "webhooks": ("storefront/smartpay/webhooks/views.py:receive",
                 _l("signature checked on the raw body, event stored once by its id and acknowledged at once; "
                    "the worker then re-reads the order from Smartpay, as the return page does")),
    "payments": ("storefront/smartpay/refunds.py:record_refund",
                 _l("Smartpay makes the payment at approval; each refund is reserved first and sent with its own key")),
    "methods": ("storefront/checkout/views.py:pay",
                _l("the valid form goes to the method the shopper chose; bank transfer has its own package and "
                   "its own row in the state machine's table. A third method is a package like it, a row in that "
                   "table, a line where the checkout hands the form on, its admin part and its emails: the "
                   "Smartpay code does not change")),
}


def enabled() -> bool:
    return bool(current_app.config.get("DEMO_MODE")) and not is_production()


def current_order() -> Order | None:
    """The newest Smartpay order of this browser's cart: the only one the panel may show. (After a decline paid
    by bank transfer, that is the declined attempt: the transfer asked nothing of Smartpay.)"""
    cart_id = session.get(SESSION_KEY)
    if not cart_id:
        return None
    return db.session.scalar(select(Order).where(Order.cart_id == cart_id,
                                                 Order.payment_method == SMARTPAY)
                             .order_by(Order.id.desc()).limit(1))


def pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (TypeError, ValueError):
        return text or ""


def steps_of(order: Order) -> dict:
    calls = db.session.scalars(select(ApiCall).where(or_(
        ApiCall.idempotency_key == f"checkout-session-{order.public_id}",
        ApiCall.smartpay_order_id == order.smartpay_order_id if order.smartpay_order_id else False))
        .order_by(ApiCall.id)).all()
    creation = [c for c in calls if c.method == "POST" and c.path == "/checkout-sessions"]
    reads = [c for c in calls if c.method == "GET" and c.path.startswith("/orders/")]
    webhooks = db.session.scalars(select(WebhookEvent).where(
        WebhookEvent.smartpay_order_id == order.smartpay_order_id).order_by(WebhookEvent.id)).all() \
        if order.smartpay_order_id else []
    payments = json.loads(reads[-1].response_body).get("payments", []) if reads and reads[-1].response_body else []
    refunds = db.session.scalars(select(Refund).where(Refund.order_id == order.id).order_by(Refund.id)).all()
    return {"creation": creation, "reads": reads, "webhooks": webhooks, "refunds": refunds,
            "payments": [p for p in payments if isinstance(p, dict)]}


@bp.app_context_processor
def panel():
    """Every shopper page can include the panel (empty, filled by the view below); nothing unless demo mode is on."""
    return {"demo_enabled": enabled(), "sandbox_dashboard_url": sandbox_dashboard_url}


GUIDE = Path(__file__).resolve().parents[2] / "docs" / "workshop"
GUIDE_PAGES = {"README", "seed-in-code", "exercises", "glossary"}


def sandbox_dashboard_url() -> str | None:
    """The offline sandbox serves its dashboard beside its API; real Smartpay has its own, elsewhere."""
    api_url = current_app.config["SMARTPAY_API_URL"]
    return None if "smartpay.co" in api_url else api_url.removesuffix("/v1") + "/dashboard/"


@bp.get("/guide/")
@bp.get("/guide/<page>")
def guide(page: str = "README"):
    """The workshop guide as it is in docs/workshop (Markdown, read as plain text), in the reader's language."""
    if not enabled() or page not in GUIDE_PAGES:
        abort(404)
    japanese = GUIDE / f"{page}.ja.md"
    source = japanese if current_language() == "ja" and japanese.exists() else GUIDE / f"{page}.md"
    return source.read_text(), 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/under-the-hood")
def under_the_hood():
    """The panel's contents, fetched again by static/js/demo-panel.js while the processing page polls."""
    if not enabled():
        abort(404)
    order = current_order()
    return render_template("demo/_steps.html", order=order, steps=steps_of(order) if order else None,
                           where=WHERE, pretty=pretty)
