"""The checkout, whatever pays: the form, then the chosen payment method takes the order on.

1. validate the form (a message beside each field);
2. the method places the local order from the cart (prices from the catalog, never from the browser);
3. the method starts its payment: Smartpay's hosted page (storefront/smartpay/checkout.py), the bank transfer's
   instructions (storefront/bank_transfer/views.py), whatever a new method registers (checkout/methods.py).

The commits are here, where the request starts and ends: the order before a method that calls out is asked
(so a crash while its provider answers leaves a record the worker can finish), then whatever starting recorded.
"""
from collections import namedtuple

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..cart import current_cart, price
from ..extensions import db
from ..limits import limit_checkout
from ..models import CUSTOMER_FIELDS
from .forms import CheckoutForm
from .methods import PaymentNotStarted, method_of, offered

bp = Blueprint("checkout", __name__, url_prefix="/checkout")
SummaryLine = namedtuple("SummaryLine", "name unit_price quantity tax_rate")


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
    method = method_of(form.payment_method.data)
    order = method.place(cart, customer_of(form), form.submission_id.data, form.promotion_code.data or "")
    if method.calls_out:
        db.session.commit()  # on record before the provider is asked
    try:
        response = method.start(order)
    except PaymentNotStarted as failure:
        db.session.commit()  # the failure, on the order
        return render_failure(form, cart, failure.reason), 502
    db.session.commit()
    return response


def customer_of(form: CheckoutForm) -> dict:
    customer = {name: (getattr(form, name).data or "").strip() for name in CUSTOMER_FIELDS}
    customer["email"] = customer["email"].lower()  # so the admin's search by email finds it
    return customer


def render_form(form: CheckoutForm, cart, failure: str | None = None):
    lines = [SummaryLine(line.product.name, line.product.price, line.quantity, line.product.tax_rate)
             for line in cart.lines]
    hints = {method.code: method.hint() for method in offered()}  # the line under each method's choice
    return render_template("checkout/form.html", form=form, lines_view=lines, totals=price(cart.lines),
                           failure=failure, method_hints=hints,
                           payment_timings=[method.payment_timing() for method in offered()])


def render_invalid(form: CheckoutForm, cart):
    """Each message stands beside its field. The one hidden field, the form's own id, has no place to stand:
    a page that lost it (or sent another) gets a fresh one and is asked to send the form again."""
    if form.submission_id.errors:
        form.submission_id.data = form.submission_id.default()  # a new one, as a fresh form gets
        return render_form(form, cart, failure=_("This form was incomplete. Please check it and send it again."))
    return render_form(form, cart)


def render_failure(form: CheckoutForm, cart, reason: str):
    """The method failed: nothing was charged, the cart is as it was, and a fresh form lets the shopper try again."""
    retry = CheckoutForm(formdata=None, data={name: getattr(form, name).data
                                              for name in (*CUSTOMER_FIELDS, "promotion_code")})
    return render_form(retry, cart, failure=reason)
