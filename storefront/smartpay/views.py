"""The pages the shopper comes back to from Smartpay's hosted page (its success and cancel URLs) and the
processing page's poller: each asks Smartpay for the truth, never the URL, and commits what it learned."""
from datetime import timedelta

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import orders
from ..cart import owns
from ..checkout.methods import registered
from ..extensions import db
from ..limits import limit_status_poll
from ..models import Order, utcnow
from ..statuses import OrderStatus
from . import payments
from .client import SmartpayError
from .statuses import SMARTPAY, SmartpaySource as Source

bp = Blueprint("smartpay_checkout", __name__, url_prefix="/checkout")
POLL_PACE = timedelta(seconds=3)


@bp.get("/complete/<public_id>")
def complete(public_id: str):
    order = find_order(public_id)
    outcome = ask_smartpay(order, Source.RETURN_PAGE)
    if outcome == payments.MISMATCH:
        return render_template("checkout/refused.html", order=order), 409
    if order.status in orders.PAID:
        return render_template("checkout/receipt.html", order=order, owned=owns(order))
    if order.status in (OrderStatus.REJECTED, OrderStatus.CANCELLED):
        return redirect(url_for(".cancelled", public_id=public_id))
    return render_template("checkout/processing.html", order=order, owned=owns(order))


@bp.get("/cancelled/<public_id>")
def cancelled(public_id: str):
    order = find_order(public_id)
    if ask_smartpay(order, Source.CANCEL_PAGE) == payments.MISMATCH:
        return render_template("checkout/refused.html", order=order), 409
    if order.status in orders.PAID:
        return redirect(url_for(".complete", public_id=public_id))
    others = [method for code, method in registered().items()
              if method.offer and code != SMARTPAY and code in current_app.config["PAYMENT_METHODS"]]
    return render_template("checkout/cancelled.html", order=order, owned=owns(order), other_methods=others)


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
                                                 Order.payment_method == SMARTPAY)) or abort(404)


def ask_smartpay(order: Order, source: str) -> str:
    """The truth comes from Smartpay's API: one unit of work, committed here. If Smartpay cannot answer, show
    what we know; the webhook or the worker's sync finishes the order later."""
    if order.smartpay_order_id is None:
        return order.status
    try:
        outcome = payments.refresh_order(order, source)
        db.session.commit()
    except (SmartpayError, IntegrityError) as error:  # IntegrityError: a webhook recorded the same refund first
        db.session.rollback()
        current_app.logger.warning("could not read %s from Smartpay: %s", order.number, error)
        return order.status
    return outcome


def due_for_check(order: Order) -> bool:
    return order.smartpay_checked_at is None or utcnow() - order.smartpay_checked_at > POLL_PACE
