"""Charging 定期便 cycles with a Smartpay token, against the live sandbox: each cycle once, at the price of its day,
through the same state machine as any order; declined charges tried again, then the subscription paused;
two runs at once and Smartpay down on a charge day never charge twice. (The shopper's side, the subscription
checkout and its management link, is not built yet: these tests start from a consented token.)"""
import threading
from datetime import date, timedelta

import pytest
import requests
from sqlalchemy import func, select, update

from storefront.extensions import db
from storefront.mail.models import OutboxEmail
from storefront.models import Order, Product
from storefront.statuses import OrderStatus
from storefront.subscriptions.billing import OUTCOMES, months_later
from storefront.subscriptions.models import Subscription, SubscriptionCycle
from storefront.subscriptions.statuses import CycleStatus, SubscriptionStatus
from tests.support.subscriptions import START, run, subscribe_with_token

pytestmark = pytest.mark.live
NOTHING = dict.fromkeys(OUTCOMES, 0)


def state(shop, subscription_id):
    with shop.app.app_context():
        subscription = db.session.get(Subscription, subscription_id)
        cycles = [(c.number, c.status, c.due_on) for c in subscription.cycles]
        charged = db.session.scalars(select(Order).join(SubscriptionCycle, SubscriptionCycle.order_id == Order.id)
                                     .where(SubscriptionCycle.subscription_id == subscription_id)
                                     .order_by(Order.id)).all()
        result = (subscription.status, subscription.next_charge_on, cycles,
                  [(o.status, o.total, o.captured_amount) for o in charged])
        db.session.remove()
        return result


def smartpay_orders_of(shop, token) -> int:
    orders = shop.api("GET", "/orders", params={"maxResults": 100}).json()["data"]
    return sum(1 for order in orders if order.get("tokenId") == token)


def test_each_cycle_is_charged_once_on_its_day_and_paid_like_any_order(live_shop):
    subscription_id = subscribe_with_token(live_shop)
    assert run(live_shop, START - timedelta(days=1)) == NOTHING
    assert run(live_shop, START)["charged"] == 1
    assert run(live_shop, START)["charged"] == 0  # the same day again: nothing more
    status, next_on, cycles, charged = state(live_shop, subscription_id)
    assert (status, next_on) == (SubscriptionStatus.ACTIVE, date(2027, 1, 10))
    assert cycles == [(1, CycleStatus.CHARGED, START)]
    assert charged == [(OrderStatus.PAID, 2 * 1080 + 500, 2 * 1080 + 500)]
    with live_shop.app.app_context():
        assert db.session.scalar(select(func.count(OutboxEmail.id)).where(OutboxEmail.kind == "confirmation")) == 1


def test_run_due_two_months_later_charges_exactly_the_next_cycles_at_the_price_of_their_day(live_shop):
    subscription_id = subscribe_with_token(live_shop)
    run(live_shop, START)
    with live_shop.app.app_context():  # the tea costs more from now on: the next cycles charge the new price
        db.session.execute(update(Product).where(Product.slug == "kyoto-hojicha").values(price=1200))
        db.session.commit()
    assert live_shop.cli("subscriptions", "run-due", "--as-of", "2027-01-10").startswith("charged 1, declined 0")
    assert live_shop.cli("subscriptions", "run-due", "--as-of", "2027-02-10").startswith("charged 1, declined 0")
    _status, next_on, cycles, charged = state(live_shop, subscription_id)
    assert [number for number, _s, _d in cycles] == [1, 2, 3] and next_on == date(2027, 3, 10)
    assert [total for _s, total, _c in charged] == [2660, 2900, 2900]


def test_a_declined_charge_is_tried_again_then_the_subscription_pauses(live_shop):
    subscription_id = subscribe_with_token(live_shop, card="4000 0000 0000 3220")  # the third charge and later declined
    for day in ("2026-12-10", "2027-01-10", "2027-02-10"):  # cycles 1 and 2 charged, 3 declined
        live_shop.cli("subscriptions", "run-due", "--as-of", day)
    status, _next, cycles, _charged = state(live_shop, subscription_id)
    assert status == SubscriptionStatus.ACTIVE and cycles[-1][:2] == (3, CycleStatus.DUE)
    assert run(live_shop, date(2027, 2, 10))["waiting"] == 1  # not again the same day
    assert run(live_shop, date(2027, 2, 11))["declined"] == 1  # a day later
    assert run(live_shop, date(2027, 2, 14))["paused"] == 1  # three days after that: the last try
    status, next_on, cycles, charged = state(live_shop, subscription_id)
    assert status == SubscriptionStatus.PAUSED and cycles[-1][:2] == (3, CycleStatus.DECLINED)
    assert next_on == date(2027, 2, 10)
    assert [s for s, _t, _c in charged][-1] == OrderStatus.REJECTED
    assert run(live_shop, date(2027, 6, 1)) == NOTHING


def test_two_runs_at_once_charge_each_cycle_once(live_shop):
    subscription_id = subscribe_with_token(live_shop)
    with live_shop.app.app_context():
        token = db.session.get(Subscription, subscription_id).smartpay_token_id
    for day in (START, date(2027, 1, 10), date(2027, 2, 10)):
        runs = [threading.Thread(target=run, args=(live_shop, day)) for _ in range(2)]
        for thread in runs:
            thread.start()
        for thread in runs:
            thread.join(timeout=60)
    _status, next_on, cycles, charged = state(live_shop, subscription_id)
    assert [number for number, _s, _d in cycles] == [1, 2, 3] and next_on == date(2027, 3, 10)
    assert smartpay_orders_of(live_shop, token) == 3 and len(charged) == 3
    assert all(status == OrderStatus.PAID for status, _t, _c in charged)


def test_smartpay_down_on_the_charge_day_leaves_the_cycle_due_and_the_next_run_charges_it_once(live_shop):
    subscription_id = subscribe_with_token(live_shop)
    # The shop tries each call twice here (SMARTPAY_RETRIES=1): both answered 503 on the charge day.
    requests.post(live_shop.sandbox.base_url + "/sandbox/scenarios", timeout=10,
                  headers={"Authorization": f"Basic {live_shop.key}"},
                  json={"type": "api_error", "status": 503, "path": "/orders", "method": "POST", "count": 2})
    first = run(live_shop, START)
    assert first["waiting"] == 1, first
    _status, _next, cycles, charged = state(live_shop, subscription_id)
    assert cycles == [(1, CycleStatus.DUE, START)] and charged[0][0] == OrderStatus.PENDING
    assert run(live_shop, START + timedelta(days=1))["charged"] == 1
    _status, _next, cycles, charged = state(live_shop, subscription_id)
    assert cycles[0][1] == CycleStatus.CHARGED and [s for s, _t, _c in charged] == [OrderStatus.PAID]


def test_a_token_disabled_at_smartpay_pauses_the_subscription_with_the_reason(live_shop):
    subscription_id = subscribe_with_token(live_shop)
    with live_shop.app.app_context():
        token = db.session.get(Subscription, subscription_id).smartpay_token_id
    live_shop.api("PUT", f"/tokens/{token}/disable")
    assert run(live_shop, START)["paused"] == 1
    with live_shop.app.app_context():
        cycle = db.session.scalar(select(SubscriptionCycle))
        assert "token.invalid-status" in cycle.last_error


@pytest.mark.parametrize("day, months, later", [
    (date(2027, 1, 31), 1, date(2027, 2, 28)), (date(2028, 1, 31), 1, date(2028, 2, 29)),
    (date(2026, 12, 10), 2, date(2027, 2, 10)), (date(2026, 11, 30), 1, date(2026, 12, 30)),
])
def test_the_next_cycle_is_the_same_day_months_later_or_the_months_last(day, months, later):
    assert months_later(day, months) == later


def test_a_run_months_late_charges_the_current_cycle_only_and_says_the_others_were_missed(live_shop):
    subscription_id = subscribe_with_token(live_shop)
    output = live_shop.cli("subscriptions", "run-due", "--as-of", "2027-03-12")  # a worker stopped for 3 months
    assert output.splitlines()[0] == "charged 1, declined 0, paused 0, waiting 0, missed 3, adopted 0"
    assert "3 cycle(s) more than 7 days late were not charged but recorded as missed" in output
    _status, next_on, cycles, charged = state(live_shop, subscription_id)
    assert [(n, s) for n, s, _d in cycles] == [(1, CycleStatus.SKIPPED), (2, CycleStatus.SKIPPED),
                                               (3, CycleStatus.SKIPPED), (4, CycleStatus.CHARGED)]
    assert len(charged) == 1 and next_on == date(2027, 4, 10)
