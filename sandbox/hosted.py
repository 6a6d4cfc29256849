"""The hosted checkout page (contract §10.2): where the merchant sends the shopper to pay.

The URL carries a random token besides the session id, so nobody can guess another shopper's page.
Return URLs are used exactly as the merchant gave them: nothing is appended.
"""
import hashlib
import hmac

from flask import Blueprint, abort, g, redirect, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l

from . import consent, ledger, promotions, scenarios
from .errors import ApiError
from .i18n import hosted_page_locale, yen
from .security import allow_form_redirects_to
from .signing import same_secret
from .extensions import db
from .models import CheckoutSession, Order

bp = Blueprint("hosted", __name__, url_prefix="/checkout")

APPROVE, HARD_DECLINE, SOFT_DECLINE = "4242424242424242", "4100000000000019", "4000000000000002"
TEST_CARDS = [("4242 4242 4242 4242", _l("approved")), ("4100 0000 0000 0019", _l("declined (hard decline)")),
              ("4000 0000 0000 0002", _l("declined, may retry (soft decline)"))]
# Why a promotion code is refused (sandbox/promotions.py's error codes), in the shopper's words.
CODE_REFUSALS = {
    "promotion-code.not-found": _l("There is no such promotion code. Please check how it is spelled."),
    "promotion-code.inactive": _l("This promotion code can no longer be used."),
    "promotion-code.expired": _l("This promotion code has expired."),
    "promotion-code.max-redemptions": _l("This promotion code has been used as many times as it may be."),
    "promotion-code.minimum-amount": _l("This promotion code needs an order of at least %(amount)s."),
    "promotion-code.first-time-only": _l("This promotion code is for a first purchase only."),
    "promotion-code.already-used": _l("You have already used this promotion code."),
    "promotion-code.discount-too-large": _l("This promotion code cannot be used on this order."),
}


def find_session(reference: str) -> tuple[CheckoutSession, Order | None]:
    session_id, _, token = reference.partition(".")
    checkout = db.session.get(CheckoutSession, session_id)
    if checkout is None or not same_secret(token, checkout.token):
        abort(404)
    g.page_locale = hosted_page_locale(checkout.locale)
    allow_form_redirects_to(checkout.success_url, checkout.cancel_url)
    return checkout, db.session.get(Order, checkout.order_id) if checkout.order_id else None


def csrf_token(checkout: CheckoutSession) -> str:
    """Tied to this session's own secret: a form posted from anywhere else cannot pay for it."""
    return hmac.new(checkout.csrf_secret.encode(), b"hosted-checkout", hashlib.sha256).hexdigest()


@bp.get("/<reference>")
def show(reference: str):
    """The page; a `promotion-code` in the URL (how Smartpay's SDKs pass one) is checked and shown applied."""
    checkout, order = find_session(reference)
    email = (checkout.customer_info or {}).get("emailAddress") or ""
    if order is None:  # token mode: the page asks for consent to later charges
        return consent.show(checkout, csrf_token(checkout), reference, email=email)
    code = request.args.get("promotion-code", "").strip()[:60]
    return render(checkout, order, email=email, code=code, status=preview_status(checkout, order, code, email))


@bp.post("/<reference>")
def pay(reference: str):
    checkout, order = find_session(reference)
    if not same_secret(request.form.get("csrf_token", ""), csrf_token(checkout)):
        if order is None:
            return consent.show(checkout, csrf_token(checkout), reference, status=400)
        return render(checkout, order, error=_("This page expired. Please reload it and try again."), status=400)
    if order is None:
        return consent.answer(checkout, csrf_token(checkout), reference)
    if order.status != "requires_authorization":
        return render(checkout, order)
    email = request.form.get("email", "").strip()
    code = request.form.get("promotion_code", "").strip()[:60]
    card = "".join(ch for ch in request.form.get("card_number", "") if ch.isdigit())
    errors = form_errors(email, card)
    if errors:
        return render(checkout, order, email=email, code=code, errors=errors, status=400)
    # A decline_all scenario decides whatever the card (sandbox/scenarios.py).
    declined = card == HARD_DECLINE or scenarios.declines_checkout(checkout.account, checkout.id)
    if card == SOFT_DECLINE and not declined:
        return render(checkout, order, email=email, code=code, status=402,
                      error=_("Your card was declined. Please try another card."))
    try:
        decided = ledger.reject(order) if declined else ledger.approve(order, code, email)
        db.session.commit()
    except ApiError as refused:  # the code was refused as the shopper confirmed: nothing was charged
        db.session.rollback()
        return render(checkout, db.session.get(Order, order.id), email=email, code=code, status=refused.status,
                      code_error=refusal_words(refused))
    if not decided:  # another tab or click got there first: show the outcome, never pay twice
        return render(checkout, db.session.get(Order, order.id))
    return redirect(checkout.cancel_url if declined else checkout.success_url, code=303)


def preview_status(checkout, order, code: str, email: str) -> int:
    """200 when there is no code or it applies; the refusal's 4xx otherwise (render() shows why)."""
    if not code or order.status != "requires_authorization":
        return 200
    try:
        promotions.check_code(checkout.account, code, order, email)
    except ApiError as refused:
        return refused.status
    return 200


def refusal_words(refused: ApiError) -> str:
    values = getattr(refused, "values", {})
    wording = CODE_REFUSALS.get(refused.code)
    if wording is None:
        return refused.message
    return str(wording) % {"amount": yen(values.get("minimumAmount", 0))} if "%(amount)s" in str(wording) \
        else str(wording)


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


def render(checkout, order, email="", errors=None, error=None, status=200, code="", code_error=None):
    items = [item for item in order.line_items]
    discount, code_error = applied_discount(checkout, order, code, email, code_error)
    return render_template("hosted/checkout.html", checkout=checkout, order=order, items=items,
                           email=email, errors=errors or {}, error=error, test_cards=TEST_CARDS,
                           csrf_token=csrf_token(checkout), code=code, discount=discount, code_error=code_error,
                           discounts=promotions.discounts_of(order.id),
                           reference=f"{checkout.id}.{checkout.token}"), status


def applied_discount(checkout, order, code: str, email: str, code_error) -> tuple[int, str | None]:
    """What the shopper's code takes off this order (0 with the reason when it is refused)."""
    if not code or order.status != "requires_authorization":
        return 0, code_error
    try:
        return promotions.check_code(checkout.account, code, order, email)[2], code_error
    except ApiError as refused:
        return 0, code_error or refusal_words(refused)
