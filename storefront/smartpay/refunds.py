"""Refunds: reserved in the shop before Smartpay is asked, so that nothing can refund more than was paid.

Nothing here commits: the admin's view commits the reservation (the refund must exist before Smartpay is asked:
its public id is the Idempotency-Key) and then the outcome. A confirmed refund moves its order through the state
machine (`orders.move_for_refunds`), whatever the payment method.
"""
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from .. import orders
from ..extensions import db
from ..i18n import yen
from ..mail.outbox import queue_refund_notice
from ..models import Order, Refund
from ..refund_rates import check_rate_left
from ..statuses import RefundStatus
from .client import SmartpayError
from .gateway import smartpay
from .statuses import SmartpaySource

RESERVING = (RefundStatus.SUCCEEDED, RefundStatus.PENDING)


class RefundRefused(ValueError):
    """A refund the shop refuses before asking Smartpay, with a message for the admin."""


def reserve_refund(order: Order, payment_id: str, amount: int, reason: str, note: str, admin: str,
                   token: str, tax_rate: int | None = None) -> Refund:
    """Write the refund record before calling Smartpay; its public id is the Idempotency-Key.

    The amount is reserved with a compare-and-set on the order, so a double click, a retry or two admins
    at once can never reserve more than was captured. The token comes from the form: the same form sent
    twice finds the same refund instead of making a second one. `tax_rate` is the rate the refund reduces, checked
    with the order's row locked, so two refunds of one rate at once each count the other's.
    """
    reserved = db.session.execute(
        update(Order).where(Order.id == order.id, Order.refund_reserved + amount <= Order.captured_amount)
        .values(refund_reserved=Order.refund_reserved + amount)
        .execution_options(synchronize_session=False)).rowcount == 1
    if not reserved:  # nothing was written: the UPDATE matched no row
        raise RefundRefused(_("Only %(amount)s of this order can still be refunded.",
                              amount=yen(order.captured_amount - order.refund_reserved)))
    orders.lock(order)
    check_rate_left(order, tax_rate, amount, db.session.execute(
        select(Refund.tax_rate, Refund.amount).where(Refund.order_id == order.id, Refund.status.in_(RESERVING))).all())
    refund = Refund(public_id=token, order_id=order.id, smartpay_payment_id=payment_id, amount=amount,
                    reason=reason, note=note, created_by=admin, tax_rate=tax_rate)
    try:
        with db.session.begin_nested():  # a savepoint: the same form again finds the first refund's row
            db.session.add(refund)
    except IntegrityError:  # the caller rolls back, undoing this reservation; the first one stands
        raise RefundRefused(_("This refund was already submitted.")) from None
    return refund


def ask_smartpay_to_refund(order: Order, refund: Refund) -> None:
    """Send the reserved refund. A refusal marks it failed and frees its reservation (the caller commits that);
    no answer keeps it pending, because Smartpay may have made it: the webhook or the worker's sync settles
    it, and a retry with the same Idempotency-Key cannot refund twice."""
    try:
        remote = smartpay().refund(refund.smartpay_payment_id, refund.amount, refund.reason,
                                   idempotency_key=refund.public_id, reference=refund.public_id,
                                   description=refund.note, tax_rate=refund.tax_rate)
    except SmartpayError as error:
        refund.error = error.message
        if error.is_refusal:
            refund.status = RefundStatus.FAILED
            db.session.flush()
            order.refund_reserved = refunds_total(order, RESERVING)
        raise
    refund.smartpay_refund_id = remote["id"]


def refunds_total(order: Order, statuses: tuple[RefundStatus, ...]) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(Refund.amount), 0))
                             .where(Refund.order_id == order.id, Refund.status.in_(statuses)))


def fetch_refunds_made_elsewhere(order: Order, remote: dict) -> list[dict]:
    """Smartpay's refunds of this order that the shop has not recorded (made in Smartpay's dashboard, say)."""
    known = set(db.session.scalars(select(Refund.smartpay_refund_id).where(Refund.order_id == order.id)))
    unknown = [refund_id for payment in remote.get("payments") or [] if isinstance(payment, dict)
               for refund_id in payment.get("refunds") or [] if refund_id not in known]
    return [smartpay().get_refund(refund_id) for refund_id in unknown]


def refund_row_for(order: Order, remote: dict) -> Refund:
    """The shop's row for Smartpay's refund `remote`: ours (its reference is our public id: the webhook may
    come before our own API call returned), or a new one for a refund made outside the shop."""
    refund = db.session.scalar(select(Refund).where(Refund.smartpay_refund_id == remote["id"]))
    if refund is None and remote.get("reference"):
        refund = db.session.scalar(select(Refund).where(Refund.public_id == remote["reference"]))
    if refund is None:
        refund = Refund(order_id=order.id, smartpay_payment_id=remote["payment"], amount=remote["amount"],
                        reason=remote.get("reason") or "requested_by_customer", created_by=SmartpaySource.SMARTPAY,
                        note="made_outside_shop")
        db.session.add(refund)
    refund.smartpay_refund_id = remote["id"]
    return refund


def send_refund(order: Order, refund: Refund, source: str) -> None:
    """Ask Smartpay for a reserved (and committed) refund, then record what it confirmed."""
    ask_smartpay_to_refund(order, refund)
    record_refund(order, refund, source)


def record_remote_refund(order: Order, remote: dict, source: str) -> None:
    record_refund(order, refund_row_for(order, remote), source)


def record_refund(order: Order, refund: Refund, source: str) -> None:
    """After Smartpay confirmed `refund`: recount what was refunded, move the order to match, and tell the
    shopper (once: only the first to record the refund queues the notice)."""
    newly_confirmed = refund.status != RefundStatus.SUCCEEDED
    refund.status = RefundStatus.SUCCEEDED
    refund.error = ""
    db.session.flush()
    orders.lock(order)  # two refunds recorded at once must each count the other's: totals are summed under the lock
    order.refunded_amount = refunds_total(order, (RefundStatus.SUCCEEDED,))
    order.refund_reserved = refunds_total(order, RESERVING)
    orders.move_for_refunds(order, source)
    if newly_confirmed:
        queue_refund_notice(order, refund)
