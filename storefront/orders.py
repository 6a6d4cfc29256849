"""The order state machine: the one place that moves an order between states.

    pending            → awaiting_payment | failed
    awaiting_payment   → paid | rejected | cancelled | failed
    paid               → partially_refunded | refunded | cancelled (manual capture, released uncaptured)
    partially_refunded → refunded

Return pages, webhooks, the `sync` command and the admin all call `refresh_order`, which re-reads the order
from Smartpay's API and hands it to `apply_smartpay_order`. Every move is a compare-and-set in the database
(`UPDATE … WHERE status = <what we read>`), so when a return page and a webhook race each other in two
workers, exactly one of them wins and fulfils; the other sees that the order already moved and does nothing.
"""
import logging
import secrets

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from .cart import price
from .extensions import db
from .gateway import smartpay
from .i18n import yen
from .mail.outbox import queue_cancellation, queue_confirmation, queue_refund_notice
from .models import Cart, CartLine, Order, OrderEvent, OrderLine, Refund, utcnow
from .smartpay import SmartpayError

log = logging.getLogger(__name__)

TRANSITIONS: dict[str, set[str]] = {
    "pending": {"awaiting_payment", "failed"},
    "awaiting_payment": {"paid", "rejected", "cancelled", "failed"},
    "failed": set(),
    "rejected": set(),
    "cancelled": set(),
    "paid": {"partially_refunded", "refunded", "cancelled"},
    "partially_refunded": {"refunded"},
    "refunded": set(),
}
FINAL = {status for status, targets in TRANSITIONS.items() if not targets}
# Smartpay's statuses that mean the shopper's purchase was approved (captured now or later).
APPROVED = {"succeeded", "requires_capture"}


# --- opening an order -------------------------------------------------------------------------

def new_order_number() -> str:
    """Short enough to read out on the phone; no 0/O or 1/I to confuse."""
    return "HM-" + "".join(secrets.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(8))


def open_order(cart: Cart, customer: dict, submission_id: str, capture_method: str, locale: str) -> Order:
    """Copy the cart into a new `pending` order, with the catalog's prices (and the shopper's language's
    product names) of this moment."""
    totals = price(cart.lines)
    order = Order(number=new_order_number(), submission_id=submission_id, cart_id=cart.id, status="pending",
                  subtotal=totals.subtotal, shipping_fee=totals.shipping_fee, total=totals.total,
                  capture_method=capture_method, locale=locale, **customer,
                  lines=[OrderLine(product_id=line.product.id, sku=line.product.sku, name=line.product.name,
                                   image=line.product.image, unit_price=line.product.price, quantity=line.quantity)
                         for line in cart.lines])
    db.session.add(order)
    db.session.commit()
    return order


def move(order: Order, to_status: str, source: str, note: str = "") -> bool:
    """Move `order` to `to_status` if no one else moved it first; True when this call made the move."""
    from_status = order.status
    if to_status not in TRANSITIONS[from_status]:
        return False
    moved = db.session.execute(
        update(Order).where(Order.id == order.id, Order.status == from_status)
        .values(status=to_status, updated_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount == 1
    if moved:
        db.session.add(OrderEvent(order_id=order.id, from_status=from_status, to_status=to_status,
                                  source=source, note=note))
    db.session.refresh(order)
    return moved


def mark_failed(order: Order, reason: str, source: str) -> None:
    order.failure_reason = reason
    move(order, "failed", source, note=reason)


def mismatch(order: Order, remote: dict) -> str:
    """Why Smartpay's order is not the one we asked for, or "" when it is: never fulfil on trust."""
    expected = {"id": order.smartpay_order_id, "amount": order.total, "currency": order.currency,
                "reference": order.number}
    found = {"id": remote.get("id"), "amount": remote.get("amount"),
             "currency": str(remote.get("currency", "")).upper(), "reference": remote.get("reference")}
    wrong = [f"{key}: expected {expected[key]!r}, Smartpay says {found[key]!r}"
             for key in expected if expected[key] != found[key]]
    return "; ".join(wrong)


def apply_smartpay_order(order: Order, remote: dict, source: str) -> str:
    """Bring the local order in line with Smartpay's view of it (an order object, ideally expand=all).

    Returns "mismatch" when Smartpay's order does not match ours (nothing is changed), else the local status.
    """
    problem = mismatch(order, remote)
    if problem:
        log.warning("order %s does not match Smartpay's %s (%s): %s", order.number, remote.get("id"), source, problem)
        return "mismatch"
    status = remote.get("status")
    if status in APPROVED and move(order, "paid", source):
        fulfil(order)
    elif status == "rejected":
        move(order, "rejected", source, note="Smartpay declined the purchase")
    elif status == "canceled":
        was_authorized = order.status == "paid"  # manual capture: the shopper was told it was confirmed
        if move(order, "cancelled", source) and was_authorized:
            queue_cancellation(order)
    elif status == "failed":
        mark_failed(order, "Smartpay reported the order as failed", source)
    update_captured_amount(order, remote)
    db.session.commit()
    return order.status


def fulfil(order: Order) -> None:
    """Runs exactly once per order, in the same transaction as the move to `paid`: the confirmation email is
    written to the outbox in that transaction too, so it can be neither lost nor sent twice."""
    order.paid_at = utcnow()
    if order.cart_id:
        db.session.execute(delete(CartLine).where(CartLine.cart_id == order.cart_id))
    queue_confirmation(order)


def update_captured_amount(order: Order, remote: dict) -> None:
    payments = remote.get("payments") or []
    if payments and all(isinstance(payment, dict) for payment in payments):
        order.captured_amount = sum(int(payment.get("amount", 0)) for payment in payments)


# --- asking Smartpay ---------------------------------------------------------------------------

def refresh_order(order: Order, source: str) -> str:
    """Re-read the order from Smartpay and move ours to match: the one path for return pages, webhooks, sync."""
    remote = smartpay().get_order(order.smartpay_order_id, expand=True)
    order.smartpay_checked_at = utcnow()
    outcome = apply_smartpay_order(order, remote, source)
    if outcome != "mismatch":
        record_refunds_made_elsewhere(order, remote, source)
    return outcome


def sync_open_orders() -> dict:
    """Reconcile every order that can still change, for when both the redirect and the webhook were lost."""
    open_orders = db.session.scalars(select(Order).where(
        Order.smartpay_order_id.is_not(None), Order.status.not_in(FINAL)).order_by(Order.id)).all()
    counts = {"checked": 0, "changed": 0, "failed": 0}
    for order in open_orders:
        before = order.status
        try:
            refresh_order(order, "sync")
        except SmartpayError:
            db.session.rollback()
            counts["failed"] += 1
            continue
        counts["checked"] += 1
        counts["changed"] += order.status != before
    return counts


def record_refunds_made_elsewhere(order: Order, remote: dict, source: str) -> None:
    """Refunds Smartpay knows and we don't (made in Smartpay's dashboard, say) are recorded too."""
    known = set(db.session.scalars(select(Refund.smartpay_refund_id).where(Refund.order_id == order.id)))
    for payment in remote.get("payments") or []:
        for refund_id in (payment.get("refunds") or []) if isinstance(payment, dict) else []:
            if refund_id not in known:
                record_remote_refund(order, smartpay().get_refund(refund_id), source)


def record_remote_refund(order: Order, remote: dict, source: str) -> None:
    refund = db.session.scalar(select(Refund).where(Refund.smartpay_refund_id == remote["id"]))
    if refund is None and remote.get("reference"):
        # Our own refunds carry their public id as reference: the webhook may come before our API call returns.
        refund = db.session.scalar(select(Refund).where(Refund.public_id == remote["reference"]))
    if refund is None:
        refund = Refund(order_id=order.id, smartpay_payment_id=remote["payment"], amount=remote["amount"],
                        reason=remote.get("reason") or "requested_by_customer", created_by="Smartpay",
                        note="Made outside the shop")
        db.session.add(refund)
    refund.smartpay_refund_id = remote["id"]
    try:
        record_refund(order, refund, source)
    except IntegrityError:  # a concurrent webhook recorded it first
        db.session.rollback()


# --- refunds ----------------------------------------------------------------------------------

def record_refund(order: Order, refund: Refund, source: str) -> None:
    """After Smartpay confirmed `refund`: recount what was refunded, move the order to match, and tell the
    shopper (once: only the first to record the refund queues the notice)."""
    newly_confirmed = refund.status != "succeeded"
    refund.status = "succeeded"
    refund.error = ""
    db.session.flush()
    order.refunded_amount = refunds_total(order, ("succeeded",))
    order.refund_reserved = refunds_total(order, ("succeeded", "pending"))
    if order.captured_amount and order.refunded_amount >= order.captured_amount:
        move(order, "refunded", source)
    elif order.refunded_amount > 0 and order.status == "paid":
        move(order, "partially_refunded", source)
    if newly_confirmed:
        queue_refund_notice(order, refund)
    db.session.commit()


def refunds_total(order: Order, statuses: tuple[str, ...]) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(Refund.amount), 0))
                             .where(Refund.order_id == order.id, Refund.status.in_(statuses)))


class RefundRefused(ValueError):
    """A refund the shop refuses before asking Smartpay, with a message for the admin."""


def reserve_refund(order: Order, payment_id: str, amount: int, reason: str, note: str, admin: str,
                   token: str) -> Refund:
    """Write the refund record before calling Smartpay; its public id is the Idempotency-Key.

    The amount is reserved with a compare-and-set on the order, so a double click, a retry or two admins
    at once can never reserve more than was captured. The token comes from the form: the same form sent
    twice finds the same refund instead of making a second one.
    """
    reserved = db.session.execute(
        update(Order).where(Order.id == order.id, Order.refund_reserved + amount <= Order.captured_amount)
        .values(refund_reserved=Order.refund_reserved + amount)
        .execution_options(synchronize_session=False)).rowcount == 1
    if not reserved:
        db.session.rollback()
        raise RefundRefused(_("Only %(amount)s of this order can still be refunded.",
                              amount=yen(order.captured_amount - order.refund_reserved)))
    refund = Refund(public_id=token, order_id=order.id, smartpay_payment_id=payment_id, amount=amount,
                    reason=reason, note=note, created_by=admin)
    db.session.add(refund)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise RefundRefused(_("This refund was already submitted.")) from None
    return refund


def send_refund(order: Order, refund: Refund, source: str) -> None:
    """Ask Smartpay for the reserved refund. A refusal releases the reservation; no answer keeps it
    pending, because Smartpay may have made it: the webhook or `sync` will settle it, and a retry with
    the same Idempotency-Key cannot refund twice."""
    try:
        remote = smartpay().refund(refund.smartpay_payment_id, refund.amount, refund.reason,
                                   idempotency_key=refund.public_id, reference=refund.public_id,
                                   description=refund.note)
    except SmartpayError as error:
        db.session.rollback()
        refund.error = error.message
        if error.is_refusal:
            refund.status = "failed"
            db.session.flush()
            order.refund_reserved = refunds_total(order, ("succeeded", "pending"))
        db.session.commit()
        raise
    refund.smartpay_refund_id = remote["id"]
    record_refund(order, refund, source)


def capture(order: Order, amount: int, cancel_rest: bool, token: str, source: str) -> None:
    """Manual capture: take all or part of an authorized order; `cancel_rest` lets the remainder go."""
    smartpay().capture(order.smartpay_order_id, amount, idempotency_key=f"capture-{token}",
                       cancel_remainder="automatic" if cancel_rest else "manual")
    refresh_order(order, source)


def cancel_authorization(order: Order, source: str) -> None:
    """Let go of whatever is still authorized (all of it when nothing was captured)."""
    smartpay().cancel_order(order.smartpay_order_id, idempotency_key=f"cancel-{order.public_id}")
    refresh_order(order, source)
