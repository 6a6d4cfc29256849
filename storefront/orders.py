"""The order state machine: the one place that moves an order between states, and Smartpay's side of it.

    Smartpay (this module)
    pending            → awaiting_payment | failed
    awaiting_payment   → paid | rejected | cancelled | failed
    paid               → partially_refunded | refunded | cancelled (manual capture, released uncaptured)
    partially_refunded → refunded

    Bank transfer (storefront/bank_transfer)
    pending            → awaiting_transfer
    awaiting_transfer  → paid | cancelled
    paid               → partially_refunded | refunded
    partially_refunded → refunded

Each payment method has its row in TRANSITIONS: a move its table does not list is refused, whoever asks.
A third method adds its row there and its own module beside storefront/bank_transfer; nothing here changes.

Units of work, one rule everywhere: the functions here change rows and never commit. Whoever called them (a
view, a CLI command, a worker job) commits once, when its whole step is done, so a crash in between leaves
nothing half-made. The one exception is named where it happens: an order (and a refund) is committed before
Smartpay is asked about it, so that a crash while Smartpay answers leaves a record the worker can finish.

Return pages, webhooks, the worker's sync and the admin all call `refresh_order`, which re-reads the order
from Smartpay's API and hands it to `apply_smartpay_order`. Every move is a compare-and-set in the database
(`UPDATE … WHERE status = <what we read>`), so when a return page and a webhook race each other in two
processes, exactly one of them wins and fulfils; the other sees that the order already moved and does nothing.
"""
import logging
import secrets

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from . import refunds
from .cart import price
from .checkout.payload import checkout_session_payload, expected_total, hosted_page_url
from .extensions import db
from .gateway import smartpay
from .mail.outbox import queue_cancellation, queue_confirmation, queue_refund_notice
from .models import Cart, CartLine, Order, OrderEvent, OrderLine, Refund, utcnow
from .smartpay import SmartpayError
from .statuses import OrderStatus as S, PaymentMethod as Method, RefundStatus, SmartpayOrderStatus as Remote, Source

log = logging.getLogger(__name__)

TRANSITIONS: dict[Method, dict[S, set[S]]] = {
    Method.SMARTPAY: {
        S.PENDING: {S.AWAITING_PAYMENT, S.FAILED},
        S.AWAITING_PAYMENT: {S.PAID, S.REJECTED, S.CANCELLED, S.FAILED},
        S.FAILED: set(),
        S.REJECTED: set(),
        S.CANCELLED: set(),
        S.PAID: {S.PARTIALLY_REFUNDED, S.REFUNDED, S.CANCELLED},
        S.PARTIALLY_REFUNDED: {S.REFUNDED},
        S.REFUNDED: set(),
    },
    Method.BANK_TRANSFER: {
        S.PENDING: {S.AWAITING_TRANSFER},
        S.AWAITING_TRANSFER: {S.PAID, S.CANCELLED},
        S.CANCELLED: set(),
        S.PAID: {S.PARTIALLY_REFUNDED, S.REFUNDED},
        S.PARTIALLY_REFUNDED: {S.REFUNDED},
        S.REFUNDED: set(),
    },
}
FINAL = {status for table in TRANSITIONS.values() for status, targets in table.items() if not targets}
PAID = {S.PAID, S.PARTIALLY_REFUNDED, S.REFUNDED}
# Smartpay's statuses that mean the shopper's purchase was approved (captured now or later).
APPROVED = {Remote.SUCCEEDED, Remote.REQUIRES_CAPTURE}
MISMATCH = "mismatch"


def can_move(method: Method, from_status: S, to_status: S) -> bool:
    return to_status in TRANSITIONS[Method(method)].get(S(from_status), set())


def move(order: Order, to_status: S, source: str, note: str = "", only_if=None) -> bool:
    """Move `order` to `to_status` if its method allows it and no one else moved it first; True when this call
    made the move. `only_if` is a further condition on the order's row, checked in the same compare-and-set
    (a cancel that must see no money received, say), so nothing can change it between the check and the move."""
    from_status = order.status
    if not can_move(order.payment_method, from_status, to_status):
        return False
    moved = db.session.execute(
        update(Order).where(Order.id == order.id, Order.status == from_status,
                            *([only_if] if only_if is not None else []))
        .values(status=to_status, updated_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount == 1
    if moved:
        db.session.add(OrderEvent(order_id=order.id, from_status=from_status, to_status=to_status,
                                  source=source, note=note))
    db.session.refresh(order)
    return moved


def mark_failed(order: Order, reason: str, source: str) -> None:
    order.failure_reason = reason
    move(order, S.FAILED, source, note=reason)


# --- checkout: from the cart to Smartpay's hosted page ------------------------------------------

def new_order_number() -> str:
    """Short enough to read out on the phone; no 0/O or 1/I to confuse."""
    return "HM-" + "".join(secrets.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(8))


def place_order(cart: Cart, customer: dict, submission_id: str, capture_method: str, locale: str,
                method: Method = Method.SMARTPAY, follows: Order | None = None, promotion_code: str = "") -> Order:
    """Copy the cart into a new `pending` order, with the catalog's prices (and the shopper's language's
    product names) of this moment. One order per form submission: a double click or a browser retry finds
    the order the first one made. `follows` is the declined or abandoned order this one pays for instead."""
    existing = order_of_submission(submission_id)
    if existing is not None:
        return existing
    totals = price(cart.lines)
    order = Order(number=new_order_number(), submission_id=submission_id, cart_id=cart.id, status=S.PENDING,
                  payment_method=method, follows_order_id=follows.id if follows else None,
                  promotion_code=promotion_code,
                  subtotal=totals.subtotal, shipping_fee=totals.shipping_fee, total=totals.total,
                  capture_method=capture_method, locale=locale, **customer, lines=copy_lines(cart.lines))
    db.session.add(order)
    try:
        db.session.flush()
    except IntegrityError:  # the twin request wrote it first; this unit of work had nothing else in it yet
        db.session.rollback()
        return order_of_submission(submission_id)
    return order


def copy_lines(lines) -> list[OrderLine]:
    """Cart (or subscription) lines as order lines, with the catalog's price and name of this moment."""
    return [OrderLine(product_id=line.product.id, sku=line.product.sku, name=line.product.name,
                      image=line.product.image, unit_price=line.product.price, quantity=line.quantity)
            for line in lines]


def order_of_submission(submission_id: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.submission_id == submission_id)) if submission_id else None


def start_payment(order: Order) -> str:
    """Ask Smartpay for a hosted checkout for a committed order, record its ids, and return the page's URL.

    The same order always sends the same body and Idempotency-Key, so a retry (ours, or the shopper's second
    click) gets the same session back instead of a second one."""
    if order.smartpay_checkout_url:  # the same submission again: back to the same hosted page
        return order.smartpay_checkout_url
    payload = checkout_session_payload(order)
    if expected_total(payload) != order.total:
        raise SmartpayError(None, "storefront.amount-mismatch", "the order total does not add up")
    checkout_session = smartpay().create_checkout_session(
        payload, idempotency_key=f"checkout-session-{order.public_id}")
    order.smartpay_session_id = checkout_session["id"]
    order.smartpay_order_id = checkout_session["order"]["id"]
    # The shopper's promotion code goes to the hosted page, which applies it (as Smartpay's SDKs pass one).
    order.smartpay_checkout_url = hosted_page_url(checkout_session["url"], order.promotion_code)
    move(order, S.AWAITING_PAYMENT, Source.CHECKOUT)
    return order.smartpay_checkout_url


def payment_did_not_start(order: Order, error: SmartpayError) -> None:
    mark_failed(order, f"{error.status_code or 'no answer'} {error.error_code}: {error.message}", Source.CHECKOUT)


# --- Smartpay's view of the order ---------------------------------------------------------------

def refresh_order(order: Order, source: str) -> str:
    """Re-read the order from Smartpay and move ours to match: the one path for return pages, webhooks, sync.

    Every read from Smartpay comes first, so no write lock is held while Smartpay is being waited for."""
    remote = smartpay().get_order(order.smartpay_order_id, expand=True)
    made_elsewhere = refunds.fetch_refunds_made_elsewhere(order, remote)
    order.smartpay_checked_at = utcnow()
    outcome = apply_smartpay_order(order, remote, source)
    if outcome != MISMATCH:
        for refund in made_elsewhere:
            record_remote_refund(order, refund, source)
    return outcome


def mismatch(order: Order, remote: dict) -> str:
    """Why Smartpay's order is not the one we asked for, or "" when it is: never fulfil on trust.

    A promotion code lowers Smartpay's amount; what it charges plus the discounts it lists must still be our
    total, to the yen."""
    charged, discount = remote.get("amount"), smartpay_discount(remote) or 0
    expected = {"id": order.smartpay_order_id, "amount": order.total, "currency": order.currency,
                "reference": order.number}
    found = {"id": remote.get("id"), "amount": charged + discount if isinstance(charged, int) else charged,
             "currency": str(remote.get("currency", "")).upper(), "reference": remote.get("reference")}
    wrong = [f"{key}: expected {expected[key]!r}, Smartpay says {found[key]!r}"
             for key in expected if expected[key] != found[key]]
    return "; ".join(wrong)


def smartpay_discount(remote: dict) -> int | None:
    """The discount Smartpay took off: its discountAmount, when that is the sum of its discounts (None when
    they disagree or make no sense, so the amount alone must then match our total)."""
    stated = remote.get("discountAmount") or 0
    listed = [d.get("amount") for d in remote.get("discounts") or [] if isinstance(d, dict)]
    if not isinstance(stated, int) or stated < 0 or any(not isinstance(a, int) for a in listed):
        return None
    return stated if sum(listed) == stated else None


def apply_smartpay_order(order: Order, remote: dict, source: str) -> str:
    """Bring the local order in line with Smartpay's view of it (an order object, ideally expand=all).

    Returns MISMATCH when Smartpay's order does not match ours (nothing is changed), else the local status.
    """
    problem = mismatch(order, remote)
    if problem:
        log.warning("order %s does not match Smartpay's %s (%s): %s", order.number, remote.get("id"), source, problem)
        return MISMATCH
    order.discount_amount = smartpay_discount(remote) or 0
    status = remote.get("status")
    if status in APPROVED and move(order, S.PAID, source):
        fulfil(order)
    elif status == Remote.REJECTED:
        move(order, S.REJECTED, source, note="Smartpay declined the purchase")
    elif status == Remote.CANCELED:
        was_authorized = order.status == S.PAID  # manual capture: the shopper was told it was confirmed
        if move(order, S.CANCELLED, source) and was_authorized:
            queue_cancellation(order)
    elif status == Remote.FAILED:
        mark_failed(order, "Smartpay reported the order as failed", source)
    update_captured_amount(order, remote)
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


# --- the admin's actions on an authorized order (manual capture) --------------------------------

def capture(order: Order, amount: int, cancel_rest: bool, token: str, source: str) -> None:
    """Take all or part of an authorized order; `cancel_rest` lets the remainder go."""
    smartpay().capture(order.smartpay_order_id, amount, idempotency_key=f"capture-{token}",
                       cancel_remainder="automatic" if cancel_rest else "manual")
    refresh_order(order, source)


def cancel_authorization(order: Order, source: str) -> None:
    """Let go of whatever is still authorized (all of it when nothing was captured)."""
    smartpay().cancel_order(order.smartpay_order_id, idempotency_key=f"cancel-{order.public_id}")
    refresh_order(order, source)


# --- refunds: how a confirmed refund moves its order --------------------------------------------

def send_refund(order: Order, refund: Refund, source: str) -> None:
    """Ask Smartpay for a reserved (and committed) refund, then record what it confirmed."""
    refunds.ask_smartpay_to_refund(order, refund)
    record_refund(order, refund, source)


def record_remote_refund(order: Order, remote: dict, source: str) -> None:
    record_refund(order, refunds.refund_row_for(order, remote), source)


def record_refund(order: Order, refund: Refund, source: str) -> None:
    """After Smartpay confirmed `refund`: recount what was refunded, move the order to match, and tell the
    shopper (once: only the first to record the refund queues the notice)."""
    newly_confirmed = refund.status != RefundStatus.SUCCEEDED
    refund.status = RefundStatus.SUCCEEDED
    refund.error = ""
    db.session.flush()
    lock(order)  # two refunds recorded at once must each count the other's: totals are summed under the lock
    order.refunded_amount = refunds.refunds_total(order, (RefundStatus.SUCCEEDED,))
    order.refund_reserved = refunds.refunds_total(order, refunds.RESERVING)
    move_for_refunds(order, source)
    if newly_confirmed:
        queue_refund_notice(order, refund)


def lock(order: Order) -> None:
    """Hold the order's row until this unit of work commits (PostgreSQL's FOR UPDATE; SQLite has one writer at a
    time already, taken by the write just before), and read it again as committed."""
    db.session.execute(select(Order.id).where(Order.id == order.id).with_for_update())
    db.session.refresh(order)


def move_for_refunds(order: Order, source: str) -> None:
    """After `refunded_amount` changed, whatever the method: all of it back is refunded, some is partly."""
    if order.captured_amount and order.refunded_amount >= order.captured_amount:
        move(order, S.REFUNDED, source)
    elif order.refunded_amount > 0 and order.status == S.PAID:
        move(order, S.PARTIALLY_REFUNDED, source)
