"""The sync, the worker's safety net for when both the redirect and the webhook were lost.

Every SYNC_INTERVAL_SECONDS one worker (whichever takes the turn) re-reads from Smartpay the orders that may
still change by themselves: those awaiting payment (for SYNC_LOOKBACK_DAYS, longer than Smartpay keeps an
authorization open) and those with a refund whose answer never came. Checkout orders stuck in `pending`, whose
checkout stopped before Smartpay was asked, are closed (a feature's own orders, a 定期便's delivery, are its
own job to finish). `flask smartpay sync` and the admin's button check every open order, however old. Each order
is its own unit of work: one that Smartpay cannot answer for is left as it was, and the next run tries again.
(Comparing the whole books is reconciliation/; the inbox's job is webhooks/jobs.py.)
"""
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError

from .. import orders
from ..extensions import db
from ..models import Order, Refund, utcnow
from ..statuses import OrderStatus, RefundStatus
from . import payments
from .client import SmartpayError
from .statuses import SMARTPAY, SmartpaySource as Source

STOPPED_BEFORE_SMARTPAY = "checkout_stopped"  # the failure's note, a code (storefront/labels.py words it)


def run() -> dict:
    """The worker's periodic job."""
    return {**sync_open_orders(every_open=False), "closed": close_stale_pending()}


def sync_open_orders(every_open: bool = True) -> dict:
    counts = {"checked": 0, "changed": 0, "failed": 0}
    for order_id in db.session.scalars(orders_to_check(every_open)).all():
        order = db.session.get(Order, order_id)
        before = order.status
        try:
            payments.refresh_order(order, Source.SYNC)
            db.session.commit()
        except (SmartpayError, IntegrityError):
            db.session.rollback()
            counts["failed"] += 1
            continue
        counts["checked"] += 1
        counts["changed"] += order.status != before
    return counts


def orders_to_check(every_open: bool):
    query = select(Order.id).where(Order.smartpay_order_id.is_not(None), Order.status.not_in(payments.FINAL))
    if not every_open:
        since = utcnow() - timedelta(days=current_app.config["SYNC_LOOKBACK_DAYS"])
        refund_pending = select(Refund.order_id).where(Refund.status == RefundStatus.PENDING)
        query = query.where(or_(and_(Order.status == OrderStatus.AWAITING_PAYMENT, Order.created_at >= since),
                                Order.id.in_(refund_pending)))
    return query.order_by(Order.id)


def close_stale_pending() -> int:
    """A `pending` order older than PENDING_TIMEOUT_MINUTES never reached Smartpay's page (the process stopped
    between writing it and asking Smartpay): no shopper can pay it, so it is closed as failed."""
    cutoff = utcnow() - timedelta(minutes=current_app.config["PENDING_TIMEOUT_MINUTES"])
    stale = db.session.scalars(
        select(Order).where(Order.payment_method == SMARTPAY, Order.belongs_to == orders.FROM_CART,
                            Order.status == OrderStatus.PENDING, Order.created_at < cutoff)
        .order_by(Order.id).limit(200)).all()
    for order in stale:
        orders.mark_failed(order, STOPPED_BEFORE_SMARTPAY, Source.SYNC)
    db.session.commit()
    return len(stale)
