"""The 定期便's entry points for the worker and `flask subscriptions run-due`: each commit of a cycle is here, in
the order it happens (docs/architecture.md, "Units of work", lists them). storefront/subscriptions/billing.py
does the steps and commits nothing."""
from datetime import date

from .. import orders
from ..extensions import db
from ..smartpay.client import SmartpayError
from ..smartpay.statuses import SMARTPAY
from . import BELONGS_TO, billing
from .models import Subscription


def run_due(today: date) -> dict:
    """The notices of the next few days, the tries whose answer was lost, then every cycle due by `today`, oldest
    first: each subscription its own units of work."""
    for subscription in billing.upcoming(today):
        billing.notify(subscription)
        db.session.commit()                          # a notice and the prices it announced
    counts = dict.fromkeys(billing.OUTCOMES, 0)
    for order in billing.lost_charges():
        try:
            counts["adopted"] += billing.adopt_lost_charge(order)
        except SmartpayError:
            db.session.rollback()
            continue
        db.session.commit()                          # Smartpay's order for a lost answer, adopted
    for subscription_id in billing.due(today):
        for outcome in charge_due(subscription_id, today):
            counts[outcome] += 1
    return counts


def charge_due(subscription_id: int, today: date) -> list[str]:
    """Every cycle of one subscription due by `today`, by one worker at a time: the subscription is claimed with a
    compare-and-set first, so a second run at the same moment leaves it to the first."""
    claimed = billing.claim(subscription_id)
    db.session.commit()                              # the claim, seen by every other worker
    if not claimed:
        return []
    try:
        subscription = db.session.get(Subscription, subscription_id)
        db.session.refresh(subscription)  # read after the claim: what the last holder left
        outcomes = []
        while billing.is_due(subscription, today):
            outcomes.append(charge_next(subscription, today))
            if outcomes[-1] not in ("charged", "missed"):
                break
        return outcomes
    finally:
        db.session.rollback()  # whatever a failure left half-done; every step before it has committed
        billing.release(subscription_id)
        db.session.commit()                          # the claim let go


def charge_next(subscription: Subscription, today: date) -> str:
    cycle = billing.current_cycle(subscription)
    db.session.commit()                              # 1. the cycle, once per number
    not_now = billing.before_try(subscription, cycle, today)
    if not_now:
        db.session.commit()                          # (a missed cycle recorded)
        return not_now
    order = orders.place_order(subscription.lines, subscription.customer, billing.try_key(subscription, cycle),
                               locale=subscription.locale, method=SMARTPAY, belongs_to=BELONGS_TO,
                               prices=billing.unit_prices(subscription, cycle))
    sent_before = billing.record_try(cycle, order)
    db.session.commit()                              # 2. the try's order, before Smartpay is asked
    try:
        remote = billing.ask_smartpay(subscription, order, sent_before)
    except SmartpayError as error:
        outcome = billing.not_charged(subscription, cycle, order, error)
        db.session.commit()                          # 3a. no answer (tried again) or a refusal (paused)
        return outcome
    outcome = billing.charged(subscription, cycle, order, remote, today)
    db.session.commit()                              # 3b. paid and fulfilled, or declined: the cycle settled
    return outcome
