"""The order state machine: the one place that moves an order between states, whatever pays for it.

Each payment method registers its table of moves when its module is loaded (`allow`): Smartpay's in
storefront/smartpay/payments.py, bank transfer's in storefront/bank_transfer/transfers.py. A move the order's
method does not list is refused, whoever asks. Every move is a compare-and-set in the database
(`UPDATE … WHERE status = <what we read>`) with a row of history, so of two processes moving the same order at
once exactly one wins, and only the winner fulfils.

There is one way to make an order (`place_order`), from a shopper's cart or a 定期便's delivery; the order says
what it belongs to (`belongs_to`), so a feature finds its own orders by a column, not by the shape of an id.

Units of work, one rule everywhere: the functions here change rows and never commit. Whoever called them (a
view, a CLI command, a worker job) commits, once its step is done; docs/architecture.md lists every commit of a
purchase and of a 定期便's cycle.
"""
import logging
import secrets

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from .cart import shipping_fee
from .extensions import db
from .mail.outbox import queue_confirmation
from .models import CartLine, Order, OrderEvent, OrderLine, utcnow
from .statuses import OrderStatus as S

log = logging.getLogger(__name__)

# Each payment method's moves: {method: {from: {to, …}}}, filled by the methods' modules as they load.
TRANSITIONS: dict[str, dict[S, set[S]]] = {}
PAID = {S.PAID, S.PARTIALLY_REFUNDED, S.REFUNDED}
FROM_CART = "cart"  # what an order placed at the checkout belongs to (a feature's own orders say its name)


def allow(method: str, table: dict[S, set[S]]) -> None:
    """Register a payment method's moves; called once, when its module is imported."""
    TRANSITIONS[str(method)] = table


def can_move(method: str, from_status: S, to_status: S) -> bool:
    return to_status in TRANSITIONS.get(str(method), {}).get(S(from_status), set())


def final_statuses(method: str) -> set[S]:
    """The statuses an order of `method` never leaves."""
    return {status for status, targets in TRANSITIONS[str(method)].items() if not targets}


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


# --- placing an order: from a cart, or a 定期便's delivery ------------------------------------------

def new_order_number() -> str:
    """Short enough to read out on the phone; no 0/O or 1/I to confuse."""
    return "HM-" + "".join(secrets.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(8))


def place_order(lines, customer: dict, submission_id: str, *, locale: str, method: str,
                capture_method: str = "automatic", cart_id: int | None = None, follows: Order | None = None,
                promotion_code: str = "", belongs_to: str = FROM_CART, prices: dict[int, int] | None = None) -> Order:
    """Copy `lines` (a cart's, or a subscription's) into a new `pending` order with the catalog's prices (or
    `prices`, product id → unit price, where a feature promised lower ones) and the shopper's language's product
    names of this moment. One order per submission id: a double click, a browser retry or a second worker finds
    the order the first one made. `follows` is the declined or abandoned order this one pays for instead."""
    if method not in current_app.config["PAYMENT_METHODS"]:
        raise ValueError(f"payment method {method!r} is not offered by this shop")
    existing = order_of_submission(submission_id)
    if existing is not None:
        return existing
    order_lines = copy_lines(lines, prices or {})
    subtotal = sum(line.unit_price * line.quantity for line in order_lines)
    order = Order(number=new_order_number(), submission_id=submission_id, cart_id=cart_id, status=S.PENDING,
                  payment_method=method, belongs_to=belongs_to, follows_order_id=follows.id if follows else None,
                  promotion_code=promotion_code, subtotal=subtotal, shipping_fee=shipping_fee(subtotal),
                  total=subtotal + shipping_fee(subtotal), capture_method=capture_method, locale=locale,
                  **customer, lines=order_lines)
    try:
        with db.session.begin_nested():  # a savepoint: the twin request's order undoes only this one
            db.session.add(order)
    except IntegrityError:
        return order_of_submission(submission_id)
    return order


def copy_lines(lines, prices: dict[int, int]) -> list[OrderLine]:
    """Cart (or subscription) lines as order lines, with the catalog's price (or the promised one) and name."""
    return [OrderLine(product_id=line.product.id, sku=line.product.sku, name=line.product.name,
                      image=line.product.image, unit_price=prices.get(line.product.id, line.product.price),
                      quantity=line.quantity, tax_rate=line.product.tax_rate)
            for line in lines]


def order_of_submission(submission_id: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.submission_id == submission_id)) if submission_id else None


def fulfil(order: Order) -> None:
    """Runs exactly once per order, in the same transaction as the move to `paid`: the confirmation email is
    written to the outbox in that transaction too, so it can be neither lost nor sent twice."""
    order.paid_at = utcnow()
    if order.cart_id:
        db.session.execute(delete(CartLine).where(CartLine.cart_id == order.cart_id))
    queue_confirmation(order)


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
