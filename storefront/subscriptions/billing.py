"""Charging what is due: each cycle of each active subscription, once, through the same state machine as any order.

The steps of one subscription's charge, for one day; storefront/subscriptions/jobs.py runs them (the worker's job
and `flask subscriptions run-due`) and commits after each, and nothing here commits:

    0. the subscription is claimed (a compare-and-set on claimed_until): one worker charges it at a time;
    1. the cycle's row, created once (unique per subscription and number), by the notice a few days before
       with the prices it announced: the charge is never more than the notice said;
    2. the order of this try, placed by orders.place_order like any order and committed before Smartpay is
       asked, found again by its submission id `subscription-<id>-cycle-<n>-try-<t>` (try_key), which is also
       the Idempotency-Key of POST /orders {token}; at the notice's prices (unit_prices);
    3. a try whose answer was lost (a timeout, a worker killed mid-charge) is not simply sent again: Smartpay
       forgets a key after 6 hours, so the shop first asks which order Smartpay made for it
       (smartpay.reconciliation.smartpay_orders.made_for) and adopts it; only when Smartpay made none is it sent
       again;
    4. Smartpay's order applied as any return page applies one (smartpay.payments.apply_smartpay_order):
       approved → paid, fulfilled, the confirmation email queued; declined → tried again RETRY_DAYS later with
       the next try's key, and after the last the subscription pauses.

No answer from Smartpay leaves the cycle due for the worker's next pass, minutes later; a token Smartpay refuses
(disabled or deleted there) pauses the subscription with the reason, and that try's key is spent: a resumed
subscription charges with a new one. A cycle more than MISSED_AFTER_DAYS late (a worker stopped for weeks, a
mistyped --as-of) is not charged in bulk with the others: it is recorded as missed and the schedule moves on.
"""
import calendar
import logging
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from .. import orders
from ..extensions import db
from ..models import Order, utcnow
from ..smartpay.client import SmartpayError
from ..smartpay.gateway import smartpay
from ..smartpay.payload import token_order_payload
from ..smartpay.reconciliation.smartpay_orders import adopt, made_for
from ..smartpay.statuses import SmartpaySource
from ..statuses import OrderStatus
from . import BELONGS_TO, emails
from .models import Subscription, SubscriptionCycle
from .statuses import BILLING, CycleStatus, SubscriptionStatus

log = logging.getLogger(__name__)
RETRY_DAYS = (1, 3)  # a declined charge is tried again a day later, then three days after that; then it pauses
NOTICE_DAYS = 3      # the email before a charge goes this many days ahead, so the shopper can still skip it
CLAIM_TIMEOUT = timedelta(minutes=5)  # a worker that died holding a subscription lets go after this
MISSED_AFTER_DAYS = 7  # a cycle this late is recorded as missed, not charged: no bulk charges after an outage
OUTCOMES = ("charged", "declined", "paused", "waiting", "missed", "adopted")


def due(today: date) -> list[int]:
    """The active subscriptions with a delivery due by `today`, oldest first."""
    return db.session.scalars(select(Subscription.id).where(Subscription.status == SubscriptionStatus.ACTIVE,
                                                            Subscription.next_charge_on <= today)
                              .order_by(Subscription.id)).all()


def is_due(subscription: Subscription, today: date) -> bool:
    return subscription.status == SubscriptionStatus.ACTIVE and subscription.next_charge_on <= today


def claim(subscription_id: int) -> bool:
    now = utcnow()
    claimed = db.session.execute(
        update(Subscription).where(Subscription.id == subscription_id,
                                   or_(Subscription.claimed_until.is_(None), Subscription.claimed_until < now))
        .values(claimed_until=now + CLAIM_TIMEOUT).execution_options(synchronize_session=False)).rowcount == 1
    return claimed


def release(subscription_id: int) -> None:
    db.session.execute(update(Subscription).where(Subscription.id == subscription_id).values(claimed_until=None)
                       .execution_options(synchronize_session=False))


def upcoming(today: date) -> list[Subscription]:
    """The active subscriptions charged in the next NOTICE_DAYS: each gets its notice (once per cycle)."""
    return db.session.scalars(select(Subscription).where(
        Subscription.status == SubscriptionStatus.ACTIVE, Subscription.next_charge_on > today,
        Subscription.next_charge_on <= today + timedelta(days=NOTICE_DAYS))).all()


def notify(subscription: Subscription) -> None:
    """The email a few days before a charge: the day, what it will cost (and what the last charge was, so a price
    change is seen), and the link to skip it. Once per cycle (the outbox's event key). The prices it announces are
    kept on the cycle: the charge takes none higher, so a price raised after the notice waits for the next one."""
    last = db.session.scalar(select(Order).join(SubscriptionCycle, SubscriptionCycle.order_id == Order.id)
                             .where(SubscriptionCycle.subscription_id == subscription.id,
                                    SubscriptionCycle.status == CycleStatus.CHARGED)
                             .order_by(SubscriptionCycle.number.desc()).limit(1))
    cycle = current_cycle(subscription)
    if cycle.quoted_prices is None:
        cycle.quoted_prices = {str(line.product_id): line.product.price for line in subscription.lines}
    emails.upcoming(subscription, cycle.number, unit_prices(subscription, cycle), last.total if last else None)


def next_number(subscription: Subscription) -> int:
    last = db.session.scalar(select(SubscriptionCycle.number).where(SubscriptionCycle.subscription_id == subscription.id)
                             .order_by(SubscriptionCycle.number.desc()).limit(1))
    return (last or 0) + 1


def unit_prices(subscription: Subscription, cycle: SubscriptionCycle) -> dict[int, int]:
    """Today's catalog price of each product, or the price the notice announced when that was lower."""
    quoted = cycle.quoted_prices or {}
    return {line.product_id: min(line.product.price, quoted.get(str(line.product_id), line.product.price))
            for line in subscription.lines}




def before_try(subscription: Subscription, cycle: SubscriptionCycle, today: date) -> str | None:
    """"waiting" (its next try is another day) or "missed" (too late to charge: recorded), else None: charge it."""
    if cycle.next_try_on > today:
        return "waiting"
    if cycle.order_id is None and (today - cycle.due_on).days > MISSED_AFTER_DAYS:
        return missed(subscription, cycle)
    return None


def try_key(subscription: Subscription, cycle: SubscriptionCycle) -> str:
    """The try's Idempotency-Key, and its order's submission id."""
    return f"subscription-{subscription.public_id}-cycle-{cycle.number}-try-{cycle.attempts + 1}"


def ask_smartpay(subscription: Subscription, order: Order, sent_before: bool) -> dict:
    """Smartpay's order for this try: the one it made already (a lost answer), or a new charge on the token."""
    return smartpay_order_of(order, sent_before) or smartpay().create_token_order(
        token_order_payload(order, subscription.smartpay_token_id), idempotency_key=order.submission_id)


def charged(subscription: Subscription, cycle: SubscriptionCycle, order: Order, remote: dict, today: date) -> str:
    """Smartpay's order applied as any return page applies one, and the cycle settled by it."""
    adopt(order, remote, BILLING)
    return settle(subscription, cycle, order, today)


def smartpay_order_of(order: Order, sent_before: bool) -> dict | None:
    """What Smartpay made for a try sent before (None: nothing, so it is sent now); the sync may have found it."""
    if order.smartpay_order_id:
        return smartpay().get_order(order.smartpay_order_id, expand=True)
    return made_for(order) if sent_before else None


def missed(subscription: Subscription, cycle: SubscriptionCycle) -> str:
    """Not charged: the delivery's day is long gone. Recorded on the cycle, and the next one is due."""
    cycle.status, cycle.last_error = CycleStatus.SKIPPED, "missed"
    subscription.next_charge_on = months_later(cycle.due_on, subscription.interval_months)
    return "missed"


def current_cycle(subscription: Subscription) -> SubscriptionCycle:
    """The cycle being charged: the last one if still due, else the next, created once (unique per number)."""
    last = db.session.scalar(select(SubscriptionCycle).where(SubscriptionCycle.subscription_id == subscription.id)
                             .order_by(SubscriptionCycle.number.desc()).limit(1))
    if last is not None and last.status == CycleStatus.DUE:
        return last
    cycle = SubscriptionCycle(subscription_id=subscription.id, number=next_number(subscription),
                              due_on=subscription.next_charge_on, next_try_on=subscription.next_charge_on)
    try:
        with db.session.begin_nested():  # a savepoint: another worker's cycle undoes only this one
            db.session.add(cycle)
    except IntegrityError:
        return current_cycle(subscription)
    return cycle


def record_try(cycle: SubscriptionCycle, order: Order) -> bool:
    """The try's order (placed as any order is, by orders.place_order with the try's key as its submission id) is
    the cycle's; True when it was already: Smartpay may have been asked, and may have charged it."""
    sent_before = cycle.order_id == order.id
    cycle.order_id = order.id
    return sent_before


def settle(subscription: Subscription, cycle: SubscriptionCycle, order: Order, today: date) -> str:
    if order.status in orders.PAID:
        cycle.status, cycle.last_error = CycleStatus.CHARGED, ""
        subscription.next_charge_on = months_later(cycle.due_on, subscription.interval_months)
        return "charged"
    cycle.declines += 1
    cycle.attempts += 1  # the next try is a new charge, with a new key
    if cycle.declines > len(RETRY_DAYS):
        cycle.status = CycleStatus.DECLINED
        subscription.status, subscription.note = SubscriptionStatus.PAUSED, "charge_declined"
        emails.paused(subscription)
        return "paused"
    cycle.next_try_on = today + timedelta(days=RETRY_DAYS[cycle.declines - 1])
    emails.declined(subscription, cycle.number, cycle.declines, cycle.next_try_on)
    return "declined"


def not_charged(subscription: Subscription, cycle: SubscriptionCycle, order: Order, error: SmartpayError) -> str:
    """No answer: the same try again at the worker's next pass, whatever day it is. A refusal of the token itself:
    the subscription pauses, and the try is over (its order closed, its key spent), so a resumed subscription
    sends a new charge instead of getting this refusal back from Smartpay's memory of the key."""
    cycle.last_error = f"{error.status_code or 'no answer'} {error.error_code}: {error.message}"[:500]
    log.warning("subscription %s cycle %s not charged: %s", subscription.public_id, cycle.number, cycle.last_error)
    if error.is_refusal and error.status_code != 429:  # 429 is "later", not "no"
        subscription.status, subscription.note = SubscriptionStatus.PAUSED, "token_refused"
        cycle.attempts += 1
        orders.mark_failed(order, cycle.last_error, BILLING)
        emails.paused(subscription)
        return "paused"
    return "waiting"


def months_later(day: date, months: int) -> date:
    """The same day of the month `months` later, or that month's last day (31 January → 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def lost_charges() -> list[Order]:
    """Tries left `pending` with no Smartpay id for longer than PENDING_TIMEOUT_MINUTES: their answer was lost."""
    cutoff = utcnow() - timedelta(minutes=current_app.config["PENDING_TIMEOUT_MINUTES"])
    return db.session.scalars(select(Order).where(Order.belongs_to == BELONGS_TO, Order.status == OrderStatus.PENDING,
                                                  Order.created_at < cutoff).order_by(Order.id).limit(200)).all()


def adopt_lost_charge(order: Order) -> bool:
    """A try whose answer was lost: when Smartpay made its order, the shop's moves on from it (the cycle is settled
    at the next pass); when it made none, the next try sends it. Never closed here: it is the record of the charge."""
    remote = made_for(order)
    if remote is None:
        return False
    adopt(order, remote, SmartpaySource.SYNC)
    return True
