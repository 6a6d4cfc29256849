"""The sandbox's merchant dashboard: what Smartpay's own dashboard shows, for one test key at a time."""
import secrets

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from . import ledger, scenarios
from .http import TEST_KEY
from .errors import ApiError
from .extensions import db, limiter
from .i18n import LANGUAGES, SESSION_KEY, yen
from .ids import account_of
from .signing import same_secret
from .promotions import Coupon, OrderDiscount, PromotionCode
from .models import (CheckoutSession, Delivery, DeliveryAttempt, Event, Order, Payment, PaymentToken, Refund,
                     TokenOrder, WebhookEndpoint)
from .webhooks import resend

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
LIMIT = 50
# The Scenarios panel's buttons: what each sets, in words a workshop host can read out.
PRESETS = {
    "checkout-503-twice": ({"type": "api_error", "status": 503, "path": "/checkout-sessions", "method": "POST",
                            "count": 2},
                           _l("Answer 503 to the next 2 checkout sessions"),
                           _l("The shop retries with the same Idempotency-Key: the shopper notices nothing, and the "
                              "admin's API log shows the retried calls.")),
    "checkout-503-five": ({"type": "api_error", "status": 503, "path": "/checkout-sessions", "method": "POST",
                           "count": 5},
                          _l("Answer 503 to the next 5 checkout sessions"),
                          _l("More failures than the shop retries: the shopper sees \"Smartpay is having trouble\" "
                             "with the cart intact, and a later try succeeds.")),
    "slow-api": ({"type": "api_latency", "milliseconds": 4000, "count": 3},
                 _l("Answer the next 3 calls 4 seconds late"),
                 _l("Slower than a short SMARTPAY_TIMEOUT: the shop times out and retries safely with the same key.")),
    "drop-webhooks": ({"type": "webhook_drop", "count": 2},
                      _l("Never send the next 2 webhooks"),
                      _l("Close the tab before returning to the shop: only the shop's reconciliation with Smartpay "
                         "(its worker every few minutes, or the admin's Sync now) can finish the order.")),
    "duplicate-webhook": ({"type": "webhook_duplicate", "count": 1},
                          _l("Send the next webhook twice"),
                          _l("Same event id twice: the shop stores it once and fulfils the order once.")),
    "out-of-order": ({"type": "webhook_out_of_order", "count": 1},
                     _l("Send the next webhooks out of order"),
                     _l("payment.created arrives before order.authorized: the shop re-reads the order either way.")),
    "delay-webhook": ({"type": "webhook_delay", "seconds": 30, "count": 1},
                      _l("Hold the next webhook back for 30 seconds"),
                      _l("The return page confirms the order first; the late webhook changes nothing.")),
    "decline-next": ({"type": "decline_all", "count": 1},
                     _l("Decline the next checkout, whatever the card"),
                     _l("Even 4242 4242 4242 4242 is declined: the shop asks for another payment method.")),
}


@bp.before_request
def check_csrf():
    session.setdefault("csrf", secrets.token_hex(16))
    if request.method == "POST" and not same_secret(request.form.get("csrf_token", ""), session["csrf"]):
        abort(400, _("The form expired; reload the page and try again."))


@bp.app_context_processor
def csrf_field():
    return {"csrf_token": session.get("csrf", "")}


def account() -> str | None:
    return session.get("account")


@bp.get("/")
def home():
    if not account():
        return render_template("dashboard/login.html")
    return render_template("dashboard/home.html", **account_records(account()))


@bp.post("/login")
@limiter.limit(lambda: current_app.config["LIMIT_DASHBOARD_LOGIN"])
def login():
    key = request.form.get("secret_key", "").strip()
    if not TEST_KEY.fullmatch(key):
        flash(_("Enter a test secret key: sk_test_ followed by letters and digits."), "error")
        return render_template("dashboard/login.html", key_error=True), 400
    session["account"] = account_of(key)
    session["key_hint"] = key[:12] + "…"
    return redirect(url_for("dashboard.home"), code=303)


@bp.post("/language")
def switch_language():
    """The dashboard's language switch; an unknown value falls back to the default language."""
    wanted = request.form.get("locale", "")
    session[SESSION_KEY] = wanted if wanted in LANGUAGES else current_app.config["DEFAULT_LOCALE"]
    return redirect(url_for("dashboard.home"), code=303)


@bp.post("/logout")
def logout():
    session.pop("account", None)
    return redirect(url_for("dashboard.home"), code=303)


def newest(model, owner: str):
    return db.session.scalars(select(model).where(model.account == owner)
                              .order_by(model.created_at.desc()).limit(LIMIT)).all()


def account_records(owner: str) -> dict:
    payments = newest(Payment, owner)
    deliveries = db.session.scalars(select(Delivery).where(Delivery.account == owner)
                                    .order_by(Delivery.id.desc()).limit(LIMIT * 2)).all()
    attempts = db.session.scalars(select(DeliveryAttempt).where(
        DeliveryAttempt.delivery_id.in_([d.id for d in deliveries])).order_by(DeliveryAttempt.id)).all()
    return {"scenarios": scenarios.active(owner), "firings": scenarios.firings(owner), "presets": PRESETS,
            "sessions": newest(CheckoutSession, owner), "orders": newest(Order, owner), "payments": payments,
            "refunded": {p.id: ledger.refunded_total(p) for p in payments}, "refunds": newest(Refund, owner),
            "events": newest(Event, owner), "endpoints": newest(WebhookEndpoint, owner),
            "deliveries": deliveries, "attempts": attempts, **promotion_records(owner), **token_records(owner)}


def token_records(owner: str) -> dict:
    """The account's tokens (consents for later charges) and the orders charged to each."""
    found = newest(PaymentToken, owner)
    charged = db.session.execute(select(TokenOrder.token_id, TokenOrder.order_id)
                                 .where(TokenOrder.token_id.in_([t.id for t in found]))).all()
    orders_of = {}
    for token_id, order_id in charged:
        orders_of.setdefault(token_id, []).append(order_id)
    return {"tokens": found, "token_orders": orders_of}


def promotion_records(owner: str) -> dict:
    codes = newest(PromotionCode, owner)
    return {"coupons": newest(Coupon, owner), "promotion_codes": codes, "redemptions": newest(OrderDiscount, owner),
            "codes_by_id": {code.id: code.code for code in db.session.scalars(
                select(PromotionCode).where(PromotionCode.account == owner))}}


@bp.post("/scenarios")
def add_scenario():
    preset = PRESETS.get(request.form.get("preset", ""))
    if not account() or preset is None:
        abort(400, _("Choose one of the scenarios on the page."))
    created = scenarios.create(account(), preset[0])
    flash(_("Scenario #%(id)s is set: %(what)s.", id=created.id, what=preset[1]), "success")
    return redirect(url_for("dashboard.home") + "#scenarios", code=303)


@bp.post("/scenarios/clear")
def clear_scenarios():
    if account():
        flash(_("%(count)s scenarios cleared: Smartpay behaves normally again.", count=scenarios.clear(account())),
              "success")
    return redirect(url_for("dashboard.home") + "#scenarios", code=303)


@bp.post("/events/<event_id>/resend")
def resend_event(event_id: str):
    event = owned(Event, event_id)
    count = resend(event)
    flash(_("Event %(event)s queued again for %(count)s endpoint(s).", event=event.id, count=count), "success")
    return redirect(url_for("dashboard.home") + "#events", code=303)


@bp.post("/payments/<payment_id>/refund")
def refund_payment(payment_id: str):
    payment = owned(Payment, payment_id)
    reason = request.form.get("reason", "requested_by_customer")
    try:
        amount = int(request.form.get("amount", ""))
        if reason not in ("requested_by_customer", "fraudulent"):
            raise ApiError(400, "request.invalid", "Choose a refund reason.")
        refund = ledger.refund(payment, amount, reason, description="Refunded from the sandbox dashboard")
        db.session.commit()
    except ValueError:
        flash(_("Enter the amount to refund in whole yen."), "error")
    except ApiError as error:
        db.session.rollback()
        flash(explain_refusal(error, payment), "error")
    else:
        flash(_("Refunded %(amount)s of %(payment)s.", amount=yen(refund.amount), payment=payment.id), "success")
    return redirect(url_for("dashboard.home") + "#payments", code=303)


def explain_refusal(error: ApiError, payment: Payment) -> str:
    """The API's refusal in the dashboard user's language (the API itself answers in English, like Smartpay's)."""
    if error.code == "amount.insufficient":
        left = payment.amount - ledger.refunded_total(payment)
        return _("Only %(amount)s of this payment is left to refund.", amount=yen(left))
    if error.code == "request.invalid":
        return _("Choose a refund reason.")
    return error.message


def owned(model, object_id: str):
    found = db.session.get(model, object_id)
    if found is None or found.account != account():
        abort(404)
    return found
