"""Checkout with Smartpay, in the order the seed describes it:

1. validate the form;
2. create the local order from the cart (prices from the catalog, never from the browser);
3. create the checkout session on our server, with an Idempotency-Key derived from that order, and save
   Smartpay's ids (orders.start_payment);
4. send the shopper to the session's hosted page (303);
5. when the shopper comes back, ask Smartpay for the truth (never trust the URL) and show the result.

The form also offers the shop's other payment methods; after step 1, PAY_WITH hands the order to the one the
shopper chose (bank transfer: storefront/bank_transfer/views.py).
"""
from collections import namedtuple
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import orders
from ..cart import current_cart, owns, price
from ..extensions import db
from ..i18n import current_language
from ..limits import limit_checkout, limit_status_poll
from ..bank_transfer import views as bank_transfer
from ..models import CUSTOMER_FIELDS, Order, utcnow
from ..smartpay import SmartpayError
from ..statuses import OrderStatus, PaymentMethod, Source
from .forms import CheckoutForm

bp = Blueprint("checkout", __name__, url_prefix="/checkout")
POLL_PACE = timedelta(seconds=3)
SummaryLine = namedtuple("SummaryLine", "name unit_price quantity")


@bp.get("/")
def start():
    cart = current_cart()
    if cart is None or not cart.lines:
        flash(_("Your cart is empty."), "error")
        return redirect(url_for("shop.cart"))
    return render_form(CheckoutForm(), cart)


@bp.post("/")
@limit_checkout
def pay():
    cart = current_cart()
    if cart is None or not cart.lines:
        flash(_("Your cart is empty."), "error")
        return redirect(url_for("shop.cart"), code=303)
    form = CheckoutForm()
    if not form.validate():
        return render_invalid(form, cart), 400
    return PAY_WITH[PaymentMethod(form.payment_method.data)](form, cart)


def pay_with_smartpay(form: CheckoutForm, cart):
    order = orders.place_order(cart, customer_of(form), form.submission_id.data,
                               current_app.config["SMARTPAY_CAPTURE_METHOD"], locale=current_language(),
                               promotion_code=form.promotion_code.data or "")
    # The one commit before Smartpay is asked: if we crash while it answers, the order is on record and the
    # worker can finish or close it. (Every other unit of work commits once, at its end.)
    db.session.commit()
    if order.status == OrderStatus.FAILED:
        return render_failure(form, cart, order)
    try:
        hosted_page = orders.start_payment(order)
    except SmartpayError as error:
        orders.payment_did_not_start(order, error)
        db.session.commit()
        return render_failure(form, cart, order, error)
    db.session.commit()
    return redirect(hosted_page, code=303)


def pay_by_transfer(form: CheckoutForm, cart):
    return bank_transfer.place(cart, customer_of(form), form.submission_id.data)


# Where each payment method takes the order once the form is valid. A third method adds its line here.
PAY_WITH = {PaymentMethod.SMARTPAY: pay_with_smartpay, PaymentMethod.BANK_TRANSFER: pay_by_transfer}


def customer_of(form: CheckoutForm) -> dict:
    customer = {name: (getattr(form, name).data or "").strip() for name in CUSTOMER_FIELDS}
    customer["email"] = customer["email"].lower()  # so the admin's search by email finds it
    return customer


def render_form(form: CheckoutForm, cart, failure: str | None = None):
    lines = [SummaryLine(line.product.name, line.product.price, line.quantity) for line in cart.lines]
    return render_template("checkout/form.html", form=form, lines_view=lines, totals=price(cart.lines),
                           failure=failure, method_hints=method_hints())


def method_hints() -> dict[str, str]:
    """The line under each payment method's label: what happens when the shopper chooses it."""
    hints = {PaymentMethod.SMARTPAY: _("You will pay on Smartpay's secure page: in 3 instalments, with no "
                                       "interest or fees.")}
    if PaymentMethod.BANK_TRANSFER in current_app.config["PAYMENT_METHODS"]:
        hints[PaymentMethod.BANK_TRANSFER] = _("We show and email the shop's bank account. Transfer the total "
                                               "within %(days)s days (the transfer fee is yours); we ship once it "
                                               "arrives.", days=current_app.config["BANK_TRANSFER_DAYS"])
    return hints


def render_invalid(form: CheckoutForm, cart):
    """Each message stands beside its field. The one hidden field, the form's own id, has no place to stand:
    a page that lost it (or sent another) gets a fresh one and is asked to send the form again."""
    if form.submission_id.errors:
        form.submission_id.data = form.submission_id.default()  # a new one, as a fresh form gets
        return render_form(form, cart, failure=_("This form was incomplete. Please check it and send it again."))
    return render_form(form, cart)


def render_failure(form: CheckoutForm, cart, order: Order, error: SmartpayError | None = None):
    """Smartpay failed: nothing was charged, the cart is as it was, and a fresh form lets the shopper try again."""
    current_app.logger.warning("checkout of %s failed: %s", order.number, order.failure_reason)
    if error is not None and error.status_code is None:
        reason = _("We could not reach Smartpay just now.")
    elif error is not None and error.status_code >= 500:
        reason = _("Smartpay is having trouble right now.")
    else:
        reason = _("Smartpay could not start the payment for this order.")
    retry = CheckoutForm(formdata=None, data={name: getattr(form, name).data
                                              for name in (*CUSTOMER_FIELDS, "promotion_code")})
    return render_form(retry, cart, failure=reason), 502


# --- coming back from Smartpay ------------------------------------------------------------------

@bp.get("/complete/<public_id>")
def complete(public_id: str):
    order = find_order(public_id)
    outcome = ask_smartpay(order, Source.RETURN_PAGE)
    if outcome == orders.MISMATCH:
        return render_template("checkout/refused.html", order=order), 409
    if order.status in orders.PAID:
        return render_receipt(order)
    if order.status in (OrderStatus.REJECTED, OrderStatus.CANCELLED):
        return redirect(url_for("checkout.cancelled", public_id=public_id))
    return render_template("checkout/processing.html", order=order, owned=owns(order))


@bp.get("/cancelled/<public_id>")
def cancelled(public_id: str):
    order = find_order(public_id)
    if ask_smartpay(order, Source.CANCEL_PAGE) == orders.MISMATCH:
        return render_template("checkout/refused.html", order=order), 409
    if order.status in orders.PAID:
        return redirect(url_for("checkout.complete", public_id=public_id))
    return render_template("checkout/cancelled.html", order=order, owned=owns(order))


@bp.get("/status/<public_id>")
@limit_status_poll
def status(public_id: str):
    """For the processing page's poller. Asks Smartpay at most every few seconds per order."""
    order = db.session.scalar(select(Order).where(Order.public_id == public_id))
    if order is None:
        return jsonify(error="not_found", message=_("There is no order with this id.")), 404
    if order.status == OrderStatus.AWAITING_PAYMENT and due_for_check(order):
        ask_smartpay(order, Source.STATUS_POLL)
    return jsonify(status=order.status, done=order.status != OrderStatus.AWAITING_PAYMENT)


def find_order(public_id: str) -> Order:
    """A Smartpay order: these pages ask Smartpay about it (another method's order has its own pages)."""
    return db.session.scalar(select(Order).where(Order.public_id == public_id,
                                                 Order.payment_method == PaymentMethod.SMARTPAY)) or abort(404)


def ask_smartpay(order: Order, source: str) -> str:
    """The truth comes from Smartpay's API: one unit of work, committed here. If Smartpay cannot answer, show
    what we know; the webhook or the worker's sync finishes the order later."""
    if order.smartpay_order_id is None:
        return order.status
    try:
        outcome = orders.refresh_order(order, source)
        db.session.commit()
    except (SmartpayError, IntegrityError) as error:  # IntegrityError: a webhook recorded the same refund first
        db.session.rollback()
        current_app.logger.warning("could not read %s from Smartpay: %s", order.number, error)
        return order.status
    return outcome


def due_for_check(order: Order) -> bool:
    return order.smartpay_checked_at is None or utcnow() - order.smartpay_checked_at > POLL_PACE


def render_receipt(order: Order):
    return render_template("checkout/receipt.html", order=order, owned=owns(order))
