"""Charging what is due: each cycle of each active subscription, once, through the same state machine as any order.

For one subscription and one day (the worker's job and `flask subscriptions run-due` both call run_due):

    0. the subscription is claimed (a compare-and-set on claimed_until): one worker charges it at a time;
    1. the cycle's row, created once (unique per subscription and number);
    2. the order of this try, committed before Smartpay is asked, found again by its submission id
       `subscription-<id>-cycle-<n>-try-<t>`, which is also the Idempotency-Key of POST /orders {token}: a retry
       after no answer, or a second worker, gets Smartpay's first answer back and never a second charge;
    3. Smartpay's order applied as any return page applies one (orders.apply_smartpay_order): approved → paid,
       fulfilled, the confirmation email queued; declined → tried again RETRY_DAYS later with the next try's key,
       and after the last the subscription pauses.

No answer from Smartpay leaves the cycle due for the next run; a token Smartpay refuses (disabled or deleted
there) pauses the subscription with the reason. Each cycle charges the catalog's price of its day.
"""
import calendar
import logging
from datetime import date, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from .. import orders
from ..cart import price
from ..checkout.payload import token_order_payload
from ..extensions import db
from ..gateway import smartpay
from ..models import Order, utcnow
from ..smartpay import SmartpayError
from ..statuses import CycleStatus, OrderStatus, PaymentMethod, Source, SubscriptionStatus
from . import emails
from .models import Subscription, SubscriptionCycle

log = logging.getLogger(__name__)
RETRY_DAYS = (1, 3)  # a declined charge is tried again a day later, then three days after that; then it pauses
NOTICE_DAYS = 3      # the email before a charge goes this many days ahead, so the shopper can still skip it
CLAIM_TIMEOUT = timedelta(minutes=5)  # a worker that died holding a subscription lets go after this


def run_due(today: date) -> dict:
    """Every active subscription's cycles due by `today`, oldest first; each subscription its own units of work.
    First, the emails before the charges of the next few days."""
    notify_upcoming(today)
    counts = {"charged": 0, "declined": 0, "paused": 0, "waiting": 0}
    due = db.session.scalars(select(Subscription.id).where(Subscription.status == SubscriptionStatus.ACTIVE,
                                                           Subscription.next_charge_on <= today)
                             .order_by(Subscription.id)).all()
    for subscription_id in due:
        for outcome in charge_due(db.session.get(Subscription, subscription_id), today):
            counts[outcome] += 1
    return counts


def charge_due(subscription: Subscription, today: date) -> list[str]:
    """Every cycle of one subscription due by `today`, by one worker at a time: the subscription is claimed
    with a compare-and-set first, so a second run at the same moment leaves it to the first (and could not
    count cycles from a schedule the first one is moving)."""
    if not claim(subscription.id):
        return []
    try:
        db.session.refresh(subscription)  # read after the claim: what the last holder left
        outcomes = []
        while subscription.status == SubscriptionStatus.ACTIVE and subscription.next_charge_on <= today:
            outcomes.append(charge_next(subscription, today))
            if outcomes[-1] != "charged":
                break
        return outcomes
    finally:
        release(subscription.id)


def claim(subscription_id: int) -> bool:
    now = utcnow()
    claimed = db.session.execute(
        update(Subscription).where(Subscription.id == subscription_id,
                                   or_(Subscription.claimed_until.is_(None), Subscription.claimed_until < now))
        .values(claimed_until=now + CLAIM_TIMEOUT).execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return claimed


def release(subscription_id: int) -> None:
    db.session.rollback()  # whatever a failure left half-done; every step before it has committed
    db.session.execute(update(Subscription).where(Subscription.id == subscription_id).values(claimed_until=None)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def notify_upcoming(today: date) -> None:
    """The email a few days before a charge: the day, what comes at today's price (and what the last charge was,
    so a price change is seen), and the link to skip it. Once per cycle (the outbox's event key)."""
    soon = db.session.scalars(select(Subscription).where(
        Subscription.status == SubscriptionStatus.ACTIVE, Subscription.next_charge_on > today,
        Subscription.next_charge_on <= today + timedelta(days=NOTICE_DAYS))).all()
    for subscription in soon:
        last = db.session.scalar(select(Order).join(SubscriptionCycle, SubscriptionCycle.order_id == Order.id)
                                 .where(SubscriptionCycle.subscription_id == subscription.id,
                                        SubscriptionCycle.status == CycleStatus.CHARGED)
                                 .order_by(SubscriptionCycle.number.desc()).limit(1))
        emails.upcoming(subscription, next_number(subscription), subscription.lines, price(subscription.lines).total,
                        last.total if last else None)
        db.session.commit()


def next_number(subscription: Subscription) -> int:
    last = db.session.scalar(select(SubscriptionCycle.number).where(SubscriptionCycle.subscription_id == subscription.id)
                             .order_by(SubscriptionCycle.number.desc()).limit(1))
    return (last or 0) + 1


def charge_next(subscription: Subscription, today: date) -> str:
    cycle = current_cycle(subscription)
    if cycle.next_try_on > today:
        return "waiting"
    key = f"subscription-{subscription.public_id}-cycle-{cycle.number}-try-{cycle.declines + 1}"
    order = order_of_try(subscription, cycle, key)
    try:
        remote = smartpay().create_token_order(token_order_payload(order, subscription.smartpay_token_id),
                                               idempotency_key=key)
    except SmartpayError as error:
        return not_charged(subscription, cycle, error, today)
    order.smartpay_order_id = remote["id"]
    orders.move(order, OrderStatus.AWAITING_PAYMENT, Source.SUBSCRIPTION)
    orders.apply_smartpay_order(order, remote, Source.SUBSCRIPTION)
    outcome = settle(subscription, cycle, order, today)
    db.session.commit()
    return outcome


def current_cycle(subscription: Subscription) -> SubscriptionCycle:
    """The cycle being charged: the last one if still due, else the next, created once (its own commit)."""
    last = db.session.scalar(select(SubscriptionCycle).where(SubscriptionCycle.subscription_id == subscription.id)
                             .order_by(SubscriptionCycle.number.desc()).limit(1))
    if last is not None and last.status == CycleStatus.DUE:
        return last
    cycle = SubscriptionCycle(subscription_id=subscription.id, number=next_number(subscription),
                              due_on=subscription.next_charge_on, next_try_on=subscription.next_charge_on)
    db.session.add(cycle)
    try:
        db.session.commit()
    except IntegrityError:  # another worker made it first
        db.session.rollback()
        return current_cycle(subscription)
    return cycle


def order_of_try(subscription: Subscription, cycle: SubscriptionCycle, key: str) -> Order:
    """This try's order, at today's catalog prices; committed before Smartpay is asked (as at checkout)."""
    existing = orders.order_of_submission(key)
    if existing is not None:
        return existing
    totals = price(subscription.lines)
    order = Order(number=orders.new_order_number(), submission_id=key, status=OrderStatus.PENDING,
                  payment_method=PaymentMethod.SMARTPAY, subtotal=totals.subtotal, shipping_fee=totals.shipping_fee,
                  total=totals.total, capture_method="automatic", locale=subscription.locale,
                  lines=orders.copy_lines(subscription.lines), **subscription.customer)
    db.session.add(order)
    try:
        db.session.flush()
    except IntegrityError:  # the other worker's order for the same try
        db.session.rollback()
        return orders.order_of_submission(key)
    cycle.order_id = order.id
    db.session.commit()
    return order


def settle(subscription: Subscription, cycle: SubscriptionCycle, order: Order, today: date) -> str:
    if order.status in orders.PAID:
        cycle.status, cycle.last_error = CycleStatus.CHARGED, ""
        subscription.next_charge_on = months_later(cycle.due_on, subscription.interval_months)
        return "charged"
    cycle.declines += 1
    if cycle.declines > len(RETRY_DAYS):
        cycle.status = CycleStatus.DECLINED
        subscription.status, subscription.note = SubscriptionStatus.PAUSED, "charge_declined"
        emails.paused(subscription)
        return "paused"
    cycle.next_try_on = today + timedelta(days=RETRY_DAYS[cycle.declines - 1])
    emails.declined(subscription, cycle.number, cycle.declines, cycle.next_try_on)
    return "declined"


def not_charged(subscription: Subscription, cycle: SubscriptionCycle, error: SmartpayError, today: date) -> str:
    """No answer: the same try again at the next run. A refusal of the token itself: the subscription pauses."""
    db.session.rollback()
    cycle.last_error = f"{error.status_code or 'no answer'} {error.error_code}: {error.message}"[:500]
    log.warning("subscription %s cycle %s not charged: %s", subscription.public_id, cycle.number, cycle.last_error)
    if error.is_refusal and error.status_code != 429:  # 429 is "later", not "no"
        subscription.status, subscription.note = SubscriptionStatus.PAUSED, "token_refused"
        emails.paused(subscription)
        db.session.commit()
        return "paused"
    cycle.next_try_on = today + timedelta(days=1)
    db.session.commit()
    return "waiting"


def months_later(day: date, months: int) -> date:
    """The same day of the month `months` later, or that month's last day (31 January → 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
