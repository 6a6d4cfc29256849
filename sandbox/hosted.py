"""The hosted checkout page (contract §10.2): where the merchant sends the shopper to pay.

The URL carries a random token besides the session id, so nobody can guess another shopper's page.
Return URLs are used exactly as the merchant gave them: nothing is appended.
"""
import hashlib
import hmac

from flask import Blueprint, abort, g, redirect, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l

from . import ledger, scenarios
from .i18n import hosted_page_locale
from .security import allow_form_redirects_to
from .signing import same_secret
from .extensions import db
from .models import CheckoutSession, Order

bp = Blueprint("hosted", __name__, url_prefix="/checkout")

APPROVE, HARD_DECLINE, SOFT_DECLINE = "4242424242424242", "4100000000000019", "4000000000000002"
TEST_CARDS = [("4242 4242 4242 4242", _l("approved")), ("4100 0000 0000 0019", _l("declined (hard decline)")),
              ("4000 0000 0000 0002", _l("declined, may retry (soft decline)"))]


def find_session(reference: str) -> tuple[CheckoutSession, Order]:
    session_id, _, token = reference.partition(".")
    checkout = db.session.get(CheckoutSession, session_id)
    if checkout is None or not same_secret(token, checkout.token):
        abort(404)
    g.page_locale = hosted_page_locale(checkout.locale)
    allow_form_redirects_to(checkout.success_url, checkout.cancel_url)
    return checkout, db.session.get(Order, checkout.order_id)


def csrf_token(checkout: CheckoutSession) -> str:
    """Tied to this session's own secret: a form posted from anywhere else cannot pay for it."""
    return hmac.new(checkout.csrf_secret.encode(), b"hosted-checkout", hashlib.sha256).hexdigest()


@bp.get("/<reference>")
def show(reference: str):
    checkout, order = find_session(reference)
    email = (checkout.customer_info or {}).get("emailAddress") or ""
    return render(checkout, order, email=email)


@bp.post("/<reference>")
def pay(reference: str):
    checkout, order = find_session(reference)
    if not same_secret(request.form.get("csrf_token", ""), csrf_token(checkout)):
        return render(checkout, order, error=_("This page expired. Please reload it and try again."), status=400)
    if order.status != "requires_authorization":
        return render(checkout, order)
    email = request.form.get("email", "").strip()
    card = "".join(ch for ch in request.form.get("card_number", "") if ch.isdigit())
    errors = form_errors(email, card)
    if errors:
        return render(checkout, order, email=email, errors=errors, status=400)
    # A decline_all scenario decides whatever the card (sandbox/scenarios.py).
    declined = card == HARD_DECLINE or scenarios.declines_checkout(checkout.account, checkout.id)
    if card == SOFT_DECLINE and not declined:
        return render(checkout, order, email=email, status=402,
                      error=_("Your card was declined. Please try another card."))
    decided = ledger.reject(order) if declined else ledger.approve(order)
    if not decided:  # another tab or click got there first: show the outcome, never pay twice
        return render(checkout, db.session.get(Order, order.id))
    return redirect(checkout.cancel_url if declined else checkout.success_url, code=303)


@bp.get("/<reference>/cancel")
def cancel(reference: str):
    checkout, _order = find_session(reference)
    return redirect(checkout.cancel_url, code=303)


def form_errors(email: str, card: str) -> dict:
    errors = {}
    if "@" not in email or len(email) > 254:
        errors["email"] = _("Enter the email address you use with Smartpay.")
    if card not in (APPROVE, HARD_DECLINE, SOFT_DECLINE):
        errors["card_number"] = _("This sandbox accepts only the test cards listed below.")
    return errors


def render(checkout, order, email="", errors=None, error=None, status=200):
    items = [item for item in order.line_items]
    return render_template("hosted/checkout.html", checkout=checkout, order=order, items=items,
                           email=email, errors=errors or {}, error=error, test_cards=TEST_CARDS,
                           csrf_token=csrf_token(checkout),
                           reference=f"{checkout.id}.{checkout.token}"), status
