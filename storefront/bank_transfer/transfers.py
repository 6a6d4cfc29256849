"""Bank transfer, paid in advance (銀行振込・前払い): the second payment method, with no provider to call.

    placed            the order is written, its deadline set, the cart emptied, the instructions emailed
    received          the merchant records what arrived (入金確認): the full amount pays the order; a
                      different amount is recorded and flagged, never silently accepted
    cancelled         by the merchant, or by the worker once the deadline passed with nothing received
    refunded          the merchant sends money back by the shop's own transfer and records it here

Like storefront/orders.py, nothing here commits: the view, the command or the worker job that called it
commits once. Every move goes through orders.move, so the state machine's table for this method decides.
"""
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from .. import orders
from ..extensions import db
from ..i18n import yen
from ..mail.outbox import queue
from ..models import CartLine, Order, utcnow
from ..refund_rates import check_rate_left
from ..statuses import OrderStatus, Source
from . import numbers
from .models import TransferEntry
from .statuses import BANK_TRANSFER, TransferEntryKind

TRANSITIONS = {
    OrderStatus.PENDING: {OrderStatus.AWAITING_TRANSFER},
    OrderStatus.AWAITING_TRANSFER: {OrderStatus.PAID, OrderStatus.CANCELLED},
    OrderStatus.CANCELLED: set(),
    OrderStatus.PAID: {OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED},
    OrderStatus.PARTIALLY_REFUNDED: {OrderStatus.REFUNDED},
    OrderStatus.REFUNDED: set(),
}
orders.allow(BANK_TRANSFER, TRANSITIONS)
OVERPAID = "overpaid"                # history notes, as codes (labels.py words them)
DEADLINE_PASSED = "deadline_passed"


class TransferRefused(ValueError):
    """An action the shop refuses, with a message for the merchant; nothing was written."""


# --- placing the order ----------------------------------------------------------------------------

def deadline(placed_at: datetime) -> datetime:
    """The end of the last day to pay, in the shop's time zone (the shopper reads a date), stored as UTC."""
    zone = ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])
    last_day = placed_at.replace(tzinfo=timezone.utc).astimezone(zone).date() + timedelta(
        days=current_app.config["BANK_TRANSFER_DAYS"])
    return datetime.combine(last_day, time(23, 59, 59), tzinfo=zone).astimezone(timezone.utc).replace(tzinfo=None)


def await_transfer(order: Order) -> None:
    """A freshly placed order waits for the shopper's transfer: the deadline is set, the cart is emptied (the
    order holds what was in it), and the instructions go out by email, all in the caller's transaction."""
    order.payment_due_at = deadline(order.created_at or utcnow())
    numbers.assign(order)
    orders.move(order, OrderStatus.AWAITING_TRANSFER, Source.CHECKOUT)
    if order.cart_id:
        db.session.execute(delete(CartLine).where(CartLine.cart_id == order.cart_id))
    notify(order, "transfer_details", f"transfer-details:{order.id}",
           lambda: _("How to pay for your %(shop)s order %(number)s", shop=_("Hinoki Market"), number=order.number))


def account() -> dict:
    """The shop's account (振込先), from the settings."""
    config = current_app.config
    return {"bank": config["BANK_TRANSFER_BANK"], "branch": config["BANK_TRANSFER_BRANCH"],
            "type": config["BANK_TRANSFER_ACCOUNT_TYPE"], "number": config["BANK_TRANSFER_ACCOUNT_NUMBER"],
            "holder": config["BANK_TRANSFER_ACCOUNT_HOLDER"], "demo": config["BANK_TRANSFER_DEMO_ACCOUNT"]}


# --- the merchant's records -----------------------------------------------------------------------

def record_received(order: Order, amount: int, note: str, source: str, token: str, sender: str = "") -> str:
    """入金確認: add what arrived to the order. The full amount (or more) pays it; less keeps it waiting.
    `sender` is the statement's sender line; the message says whether it carries the order's 振込番号.

    The amount is added with a compare-and-set on the order's status, so a "received" for an order that is
    already paid or cancelled (another admin, a second tab) changes nothing."""
    added = db.session.execute(
        update(Order).where(Order.id == order.id, Order.status == OrderStatus.AWAITING_TRANSFER)
        .values(captured_amount=Order.captured_amount + amount)
        .execution_options(synchronize_session=False)).rowcount == 1
    if not added:
        raise TransferRefused(_("This order is not waiting for a transfer, so nothing was recorded."))
    add_entry(order, TransferEntryKind.RECEIVED, amount, note, source, token).sender = sender
    db.session.refresh(order)
    matched = sender_note(order, sender)
    if order.captured_amount < order.total:
        return matched + _("Recorded %(amount)s. That is %(short)s less than the total, so the order still waits for "
                           "the rest.", amount=yen(amount), short=yen(order.total - order.captured_amount))
    orders.move(order, OrderStatus.PAID, source, note=OVERPAID if order.captured_amount > order.total else "")
    order.paid_at = utcnow()
    notify(order, "transfer_received", f"transfer-received:{order.id}",
           lambda: _("We received your payment for %(shop)s order %(number)s", shop=_("Hinoki Market"),
                     number=order.number))
    return matched + _("Recorded %(amount)s: the order is paid.", amount=yen(amount))


def sender_note(order: Order, sender: str) -> str:
    """What the sender line told: it carries this order's 振込番号, or it does not (look again before trusting it)."""
    if not sender:
        return ""
    number = numbers.number_of(order)
    if numbers.sender_matches(sender, number):
        return _("The sender %(sender)s carries this order's transfer number %(number)s. ", sender=sender, number=number)
    return _("The sender %(sender)s does not carry this order's transfer number %(number)s: check that the transfer "
             "is for this order. ", sender=sender, number=number)


def cancel(order: Order, source: str, note: str = "") -> None:
    """Cancel an order still waiting for its transfer. Money already received must go back first: checked in the
    move's own compare-and-set, so a transfer recorded at the same moment (another admin, the deadline job
    racing the merchant) either lands first and stops the cancel, or finds the order cancelled and is refused."""
    if not orders.move(order, OrderStatus.CANCELLED, source, note=note,
                       only_if=Order.captured_amount <= Order.refunded_amount):
        if order.captured_amount > order.refunded_amount:
            raise TransferRefused(_("%(amount)s was received for this order: record its refund before cancelling.",
                                    amount=yen(order.captured_amount - order.refunded_amount)))
        raise TransferRefused(_("This order is not waiting for a transfer, so it was not cancelled."))
    notify(order, "transfer_cancelled", f"cancelled:{order.id}",
           lambda: _("Your %(shop)s order %(number)s was cancelled", shop=_("Hinoki Market"), number=order.number),
           deadline_passed=note == DEADLINE_PASSED)


def record_refund(order: Order, amount: int, reason: str, note: str, source: str, token: str,
                  tax_rate: int | None = None) -> str:
    """The merchant sent money back by the shop's own transfer. Never more than was received: the amount is
    added with a compare-and-set, so two admins at once cannot record more. `tax_rate` is the rate it reduces,
    checked with the order's row locked, so two refunds of one rate at once each count the other's."""
    added = db.session.execute(
        update(Order).where(Order.id == order.id, Order.refunded_amount + amount <= Order.captured_amount)
        .values(refunded_amount=Order.refunded_amount + amount, refund_reserved=Order.refund_reserved + amount)
        .execution_options(synchronize_session=False)).rowcount == 1
    if not added:
        raise TransferRefused(_("Only %(amount)s of this order can still be refunded.",
                                amount=yen(order.captured_amount - order.refunded_amount)))
    orders.lock(order)
    check_rate_left(order, tax_rate, amount, [(e.tax_rate, e.amount) for e in entries_of(order)
                                              if e.kind == TransferEntryKind.REFUNDED])
    entry = add_entry(order, TransferEntryKind.REFUNDED, amount, note, source, token, reason=reason)
    entry.tax_rate = tax_rate
    db.session.refresh(order)
    orders.move_for_refunds(order, source)
    notify(order, "transfer_refund", f"transfer-refund:{entry.id}",
           lambda: _("A refund for your %(shop)s order %(number)s", shop=_("Hinoki Market"), number=order.number),
           entry=entry)
    return _("Recorded a refund of %(amount)s.", amount=yen(amount))


def add_entry(order: Order, kind: TransferEntryKind, amount: int, note: str, source: str, token: str,
              reason: str = "") -> TransferEntry:
    entry = TransferEntry(public_id=token, order_id=order.id, kind=kind, amount=amount, reason=reason, note=note,
                          created_by=source)
    try:
        with db.session.begin_nested():  # a savepoint: the same form again finds the first entry's row
            db.session.add(entry)
    except IntegrityError:  # the first one stands; the caller rolls its unit of work back
        raise TransferRefused(_("This was already recorded.")) from None
    return entry


def entries_of(order: Order) -> list[TransferEntry]:
    return db.session.scalars(select(TransferEntry).where(TransferEntry.order_id == order.id)
                              .order_by(TransferEntry.id)).all()


def overdue(now: datetime) -> list[int]:
    """Orders whose deadline passed with nothing received (at most 200 a pass). An order with part of the money
    in waits for the merchant, who decides (flagged in the admin)."""
    return db.session.scalars(
        select(Order.id).where(Order.payment_method == BANK_TRANSFER,
                               Order.status == OrderStatus.AWAITING_TRANSFER, Order.payment_due_at < now,
                               Order.captured_amount == 0).order_by(Order.id).limit(200)).all()


def notify(order: Order, kind: str, event_key: str, subject, **context) -> None:
    number = numbers.number_of(order)
    queue(order, kind, event_key, f"mail/bank_transfer/{kind.removeprefix('transfer_')}", subject,
          account=account(), transfer_number=number, example_sender=numbers.example_sender(order, number), **context)
