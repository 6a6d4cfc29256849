"""The shopper's side of bank transfer: place the order (from the checkout form, or in one click after
Smartpay declined), then the page with the shop's account, the amount and the deadline."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from .. import orders
from ..cart import current_cart, owns
from ..checkout.methods import Method
from ..extensions import db
from ..i18n import current_language
from ..limits import limit_checkout
from ..models import Cart, Order
from ..smartpay.statuses import SMARTPAY
from ..statuses import OrderStatus
from . import numbers, transfers
from .statuses import BANK_TRANSFER

bp = Blueprint("bank_transfer", __name__, url_prefix="/transfer")
# The Smartpay attempts a shopper may pay for by transfer instead: declined, cancelled, or left unfinished.
REPLACEABLE = {OrderStatus.REJECTED, OrderStatus.CANCELLED, OrderStatus.AWAITING_PAYMENT}


def place(cart: Cart, customer: dict, submission_id: str, promotion_code: str = "", follows: Order | None = None):
    """The order, in the caller's unit of work. The same submission again (a double click) finds the first one."""
    return orders.place_order(cart.lines, customer, f"transfer:{submission_id}", cart_id=cart.id,
                              locale=current_language(), method=BANK_TRANSFER, follows=follows)


def start(order: Order):
    """Its deadline, the emptied cart and the instructions email, in the same unit of work; then the instructions."""
    if order.status == OrderStatus.PENDING:
        transfers.await_transfer(order)
    return redirect(url_for("bank_transfer.instructions", public_id=order.public_id), code=303)


def hint() -> str:
    return _("We show and email the shop's bank account. Transfer the total within %(days)s days (the transfer fee "
             "is yours); we ship once it arrives.", days=current_app.config["BANK_TRANSFER_DAYS"])


def when_paid() -> str:
    return _("Bank transfer (in advance): please transfer the total within %(days)s days of your order.",
             days=current_app.config["BANK_TRANSFER_DAYS"])


# Nothing to call: placing, the deadline, the emptied cart and the email are one commit (calls_out=False).
METHOD = Method(BANK_TRANSFER, _l("Bank transfer (paid in advance)"), hint, place, start,
                offer="bank_transfer/_offer.html", when_paid=when_paid, name=_l("Bank transfer"))


@bp.post("/instead-of/<public_id>")
@limit_checkout
def instead_of(public_id: str):
    """"Pay by bank transfer" on the page after Smartpay: the same cart, the name and address the shopper
    already typed. The Smartpay order stays as it is in the books; the transfer is an order of its own.

    An abandoned (not declined) Smartpay order is left awaiting payment: Smartpay cannot cancel an order that
    awaits authorization. Should the shopper still pay it in an old tab, the shop has both orders, and the
    unpaid transfer lapses at its deadline; nothing is charged twice."""
    attempt = db.session.scalar(select(Order).where(Order.public_id == public_id,
                                                    Order.payment_method == SMARTPAY))
    if attempt is None or not owns(attempt):
        abort(404)
    if attempt.followed_by is not None:  # a second click: the order the first one made
        return redirect(url_for("bank_transfer.instructions", public_id=attempt.followed_by.public_id), code=303)
    if attempt.status not in REPLACEABLE:
        abort(409, _("This order is already paid, so there is nothing to pay by transfer."))
    cart = current_cart()
    if cart is None or not cart.lines:
        flash(_("Your cart is empty."), "error")
        return redirect(url_for("shop.cart"), code=303)
    current_app.logger.info("order %s: the shopper pays by transfer instead", attempt.number)
    response = start(place(cart, attempt.customer(), f"instead-of-{attempt.public_id}", follows=attempt))
    db.session.commit()
    return response


@bp.get("/<public_id>")
def instructions(public_id: str):
    order = db.session.scalar(select(Order).where(Order.public_id == public_id,
                                                  Order.payment_method == BANK_TRANSFER)) or abort(404)
    number = numbers.number_of(order)
    return render_template("bank_transfer/order.html", order=order, owned=owns(order), account=transfers.account(),
                           transfer_number=number, example_sender=numbers.example_sender(order, number))
