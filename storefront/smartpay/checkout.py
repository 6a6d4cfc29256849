"""Smartpay at the checkout, in the order the seed describes it:

1. the checkout (storefront/checkout/views.py) validated the form; `place` writes the local order from the cart
   (prices from the catalog, never from the browser), and the checkout commits it;
2. `start` creates the checkout session on our server, with an Idempotency-Key derived from that order, saves
   Smartpay's ids (payments.start_payment) and sends the shopper to the session's hosted page (303);
3. when the shopper comes back (smartpay/views.py), the shop asks Smartpay for the truth (never the URL) and
   shows the receipt, or the page that offers the shop's other payment methods.
"""
from flask import current_app, redirect
from flask_babel import gettext as _, lazy_gettext as _l

from .. import orders
from ..checkout.methods import Method, PaymentNotStarted
from ..i18n import current_language
from ..models import Order
from ..statuses import OrderStatus
from . import payments
from .client import SmartpayError
from .statuses import SMARTPAY


def place(cart, customer: dict, submission_id: str, promotion_code: str) -> Order:
    return orders.place_order(cart.lines, customer, submission_id, cart_id=cart.id, locale=current_language(),
                              method=SMARTPAY, promotion_code=promotion_code,
                              capture_method=current_app.config["SMARTPAY_CAPTURE_METHOD"])


def start(order: Order):
    """To Smartpay's hosted page; when Smartpay fails, the order is marked failed and the shopper told why."""
    if order.status == OrderStatus.FAILED:  # the same submission again, after Smartpay failed it
        raise PaymentNotStarted(_("Smartpay could not start the payment for this order."))
    try:
        return redirect(payments.start_payment(order), code=303)
    except SmartpayError as error:
        payments.payment_did_not_start(order, error)
        current_app.logger.warning("checkout of %s failed: %s", order.number, order.failure_reason)
        raise PaymentNotStarted(reason_for(error)) from None


def reason_for(error: SmartpayError) -> str:
    if error.status_code is None:
        return _("We could not reach Smartpay just now.")
    if error.status_code >= 500:
        return _("Smartpay is having trouble right now.")
    return _("Smartpay could not start the payment for this order.")


def hint() -> str:
    return _("You will pay on Smartpay's payment page: in 3 instalments, with no interest or fees.")


def when_paid() -> str:
    return _("Smartpay (pay later in 3 instalments, no fees): your payment is set on Smartpay's payment page when you "
             "order; Smartpay collects the first instalment then and the others a month apart.")


METHOD = Method(SMARTPAY, _l("Smartpay: 3 instalments, no interest"), hint, place, start,
                calls_out=True, takes_promotion_codes=True, when_paid=when_paid, name=_l("Smartpay"))
