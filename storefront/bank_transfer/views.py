"""The shopper's side of bank transfer: place the order (from the checkout form, or in one click after
Smartpay declined), then the page with the shop's account, the amount and the deadline."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..cart import current_cart, owns
from ..extensions import db
from ..i18n import current_language
from ..limits import limit_checkout
from ..models import Cart, Order
from .. import orders
from ..statuses import OrderStatus, PaymentMethod
from . import transfers

bp = Blueprint("bank_transfer", __name__, url_prefix="/transfer")
# The Smartpay attempts a shopper may pay for by transfer instead: declined, cancelled, or left unfinished.
REPLACEABLE = {OrderStatus.REJECTED, OrderStatus.CANCELLED, OrderStatus.AWAITING_PAYMENT}


def place(cart: Cart, customer: dict, submission_id: str, follows: Order | None = None):
    """Write the order and everything that goes with it (deadline, empty cart, email) as one unit of work,
    then show the instructions. The same submission again (a double click) shows the order the first made."""
    order = orders.place_order(cart, customer, f"transfer:{submission_id}", capture_method="automatic",
                               locale=current_language(), method=PaymentMethod.BANK_TRANSFER, follows=follows)
    if order.status == OrderStatus.PENDING:
        transfers.await_transfer(order)
    db.session.commit()
    return redirect(url_for("bank_transfer.instructions", public_id=order.public_id), code=303)


@bp.post("/instead-of/<public_id>")
@limit_checkout
def instead_of(public_id: str):
    """"Pay by bank transfer" on the page after Smartpay: the same cart, the name and address the shopper
    already typed. The Smartpay order stays as it is in the books; the transfer is an order of its own.

    An abandoned (not declined) Smartpay order is left awaiting payment: Smartpay cannot cancel an order that
    awaits authorization. Should the shopper still pay it in an old tab, the shop has both orders, and the
    unpaid transfer lapses at its deadline; nothing is charged twice."""
    attempt = db.session.scalar(select(Order).where(Order.public_id == public_id,
                                                    Order.payment_method == PaymentMethod.SMARTPAY))
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
    return place(cart, attempt.customer(), f"instead-of-{attempt.public_id}", follows=attempt)


@bp.get("/<public_id>")
def instructions(public_id: str):
    order = db.session.scalar(select(Order).where(Order.public_id == public_id,
                                                  Order.payment_method == PaymentMethod.BANK_TRANSFER)) or abort(404)
    return render_template("bank_transfer/order.html", order=order, owned=owns(order), account=transfers.account())
