"""A third payment method in one small package, the way docs/architecture.md says a merchant adds one: pay at the
shop's counter (店頭払い). Its row of the state machine, its Method for the checkout, its pages; nothing in
storefront/smartpay/ changes, and the checkout offers it once PAYMENT_METHODS names it.

The merchant's till is two forms here (paid, refund) so a test can drive it; a real method's merchant side would
sit in the admin, behind its login."""
from flask import Blueprint, abort, redirect, request, url_for
from sqlalchemy import select

from storefront import orders
from storefront.checkout.methods import Method, register
from storefront.extensions import csrf, db
from storefront.i18n import current_language
from storefront.models import Order
from storefront.statuses import OrderStatus as S, Source

CODE = "counter"
orders.allow(CODE, {
    S.PENDING: {S.AWAITING_PAYMENT},
    S.AWAITING_PAYMENT: {S.PAID, S.CANCELLED},
    S.CANCELLED: set(),
    S.PAID: {S.PARTIALLY_REFUNDED, S.REFUNDED},
    S.PARTIALLY_REFUNDED: {S.REFUNDED},
    S.REFUNDED: set(),
})
bp = Blueprint("counter", __name__, url_prefix="/counter")


def place(cart, customer: dict, submission_id: str, promotion_code: str) -> Order:
    return orders.place_order(cart.lines, customer, f"counter:{submission_id}", cart_id=cart.id,
                              locale=current_language(), method=CODE)


def start(order: Order):
    orders.move(order, S.AWAITING_PAYMENT, Source.CHECKOUT)
    return redirect(url_for("counter.slip", public_id=order.public_id), code=303)


METHOD = Method(CODE, "Pay at our counter", lambda: "Pay when you collect your order at the shop.", place, start)


def find(public_id: str) -> Order:
    return db.session.scalar(select(Order).where(Order.public_id == public_id, Order.payment_method == CODE)) \
        or abort(404)


@bp.get("/<public_id>")
def slip(public_id: str):
    order = find(public_id)
    return f"Order {order.number}: pay {order.total} yen at our counter."


@bp.post("/<public_id>/paid")
def paid(public_id: str):
    order = find(public_id)
    if orders.move(order, S.PAID, "counter"):
        order.captured_amount = order.total
        orders.fulfil(order)
    db.session.commit()
    return order.status


@bp.post("/<public_id>/refund")
def refund(public_id: str):
    order = find(public_id)
    orders.lock(order)
    amount = int(request.form["amount"])
    if order.refunded_amount + amount > order.captured_amount:
        abort(409)
    order.refunded_amount += amount
    orders.move_for_refunds(order, "counter")
    db.session.commit()
    return order.status


def init_app(app) -> None:
    register(app, METHOD)
    if CODE in app.config["PAYMENT_METHODS"]:
        csrf.exempt(bp)  # the test's till; a real merchant side is the admin's, with its forms' CSRF
        app.register_blueprint(bp)
