"""The hosted page of a token-mode session: the shopper's consent to later charges (contract §7), in the
page's language. What the shop may charge, how often and how to stop are said before the shopper agrees."""
from flask import redirect, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l

from . import tokens
from .extensions import db
from .models import CheckoutSession

CONSENT_CARDS = [("4242 4242 4242 4242", _l("approved; every later charge approved")),
                 ("4100 0000 0000 0019", _l("consent declined")),
                 ("4000 0000 0000 9995", _l("approved; every later charge declined")),
                 ("4000 0000 0000 3220", _l("approved; the first two charges approved, the third and later declined"))]


def show(checkout: CheckoutSession, csrf_token: str, reference: str, email: str = "", errors=None, status=200):
    return render_template("hosted/consent.html", checkout=checkout, token=tokens.token_of_session(checkout),
                           email=email, errors=errors or {}, test_cards=CONSENT_CARDS, csrf_token=csrf_token,
                           reference=reference), status


def answer(checkout: CheckoutSession, csrf_token: str, reference: str):
    """Approve or decline as the card says; the shopper then goes back to the shop, nothing appended."""
    token = tokens.token_of_session(checkout)
    if token.status != "requires_authorization":
        return show(checkout, csrf_token, reference)
    email = request.form.get("email", "").strip()
    card = "".join(ch for ch in request.form.get("card_number", "") if ch.isdigit())
    errors = {}
    if "@" not in email or len(email) > 254:
        errors["email"] = _("Enter the email address you use with Smartpay.")
    if card not in (*tokens.PLANS, tokens.DECLINE_CONSENT):
        errors["card_number"] = _("This sandbox accepts only the test cards listed below.")
    if errors:
        return show(checkout, csrf_token, reference, email=email, errors=errors, status=400)
    consented = tokens.consent(token, card)
    db.session.commit()
    if not consented:  # another tab answered first
        return show(checkout, csrf_token, reference)
    return redirect(checkout.cancel_url if card == tokens.DECLINE_CONSENT else checkout.success_url, code=303)
