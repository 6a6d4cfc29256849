"""定期便 charges under faults: an answer lost after Smartpay charged (a timeout, a worker killed mid-charge), a
retry after Smartpay forgot the key, a refused token re-enabled, Smartpay down for minutes on the charge day.
Each ends with the shop's books and Smartpay's compared."""
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from storefront.extensions import db
from storefront.models import Order, utcnow
from storefront.smartpay.models import WebhookEvent
from storefront.smartpay.payload import token_order_payload
from storefront.smartpay.statuses import WebhookStatus
from storefront.statuses import OrderStatus
from storefront.subscriptions import service
from storefront.subscriptions.billing import adopt_lost_charge, lost_charges
from storefront.subscriptions.models import Subscription, SubscriptionCycle
from storefront.subscriptions.statuses import CycleStatus, SubscriptionStatus
from tests.support.money import books_agree, books_differ, fault, move_smartpay_clock, smartpay_orders
from tests.support.subscriptions import START, run, subscribe_with_token

pytestmark = pytest.mark.live
SEVEN_HOURS = 7 * 3600


@pytest.fixture
def shop_settings():
    return {"SMARTPAY_TIMEOUT": 2, "SMARTPAY_RETRIES": 1, "PENDING_TIMEOUT_MINUTES": 0}


def token_orders(shop, subscription_id) -> list[dict]:
    with shop.app.app_context():
        token = db.session.get(Subscription, subscription_id).smartpay_token_id
    return [order for order in smartpay_orders(shop) if order.get("tokenId") == token]


def cycles(shop, subscription_id):
    with shop.app.app_context():
        found = db.session.scalars(select(SubscriptionCycle).where(
            SubscriptionCycle.subscription_id == subscription_id).order_by(SubscriptionCycle.number)).all()
        result = [(c.number, c.status, c.order.status if c.order else None) for c in found]
        db.session.remove()
        return result


def lose_the_answers(shop, count=2):
    """Smartpay charges, then answers later than the shop waits (both of its tries)."""
    fault(shop, type="api_latency", milliseconds=3000, after=True, path="/orders", method="POST", count=count)


def test_a_charge_whose_answer_was_lost_is_adopted_the_next_day_not_charged_again(live_shop):
    subscription_id = subscribe_with_token(live_shop)
    lose_the_answers(live_shop)
    assert run(live_shop, START)["waiting"] == 1
    assert len(token_orders(live_shop, subscription_id)) == 1  # Smartpay charged; the shop does not know yet
    assert cycles(live_shop, subscription_id) == [(1, CycleStatus.DUE, OrderStatus.PENDING)]
    move_smartpay_clock(live_shop, SEVEN_HOURS)  # Smartpay has forgotten the Idempotency-Key by the next day
    assert run(live_shop, START + timedelta(days=1))["charged"] == 1
    [charged] = token_orders(live_shop, subscription_id)
    assert cycles(live_shop, subscription_id) == [(1, CycleStatus.CHARGED, OrderStatus.PAID)]
    with live_shop.app.app_context():
        assert db.session.scalar(select(Order.smartpay_order_id)) == charged["id"]
    books_agree(live_shop)


def test_the_billing_adopts_a_lost_charge_and_the_billing_settles_its_cycle_without_charging(live_shop):
    subscription_id = subscribe_with_token(live_shop)
    lose_the_answers(live_shop)
    run(live_shop, START)
    move_smartpay_clock(live_shop, SEVEN_HOURS)
    with live_shop.app.app_context():
        [stuck] = lost_charges()  # the billing job's first step: the stuck order is Smartpay's paid one
        assert adopt_lost_charge(stuck)
        db.session.commit()
        db.session.remove()
    assert cycles(live_shop, subscription_id) == [(1, CycleStatus.DUE, OrderStatus.PAID)]
    assert run(live_shop, START)["charged"] == 1
    assert cycles(live_shop, subscription_id) == [(1, CycleStatus.CHARGED, OrderStatus.PAID)]
    assert len(token_orders(live_shop, subscription_id)) == 1
    books_agree(live_shop)


def test_a_worker_killed_mid_charge_and_down_for_hours_ends_with_one_charge(live_shop, database):
    subscription_id = subscribe_with_token(live_shop)
    fault(live_shop, type="api_latency", milliseconds=30_000, after=True, path="/orders", method="POST", count=1)
    worker = subprocess.Popen([sys.executable, "-m", "flask", "subscriptions", "run-due", "--as-of", str(START)],
                              env=worker_environment(live_shop, database), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while not token_orders(live_shop, subscription_id):  # Smartpay charged; its answer is on the way
            assert time.monotonic() < deadline and worker.poll() is None, "the worker never reached Smartpay"
            time.sleep(0.1)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    move_smartpay_clock(live_shop, SEVEN_HOURS)
    with live_shop.app.app_context():  # hours later, the dead worker's claim on the subscription has lapsed
        db.session.execute(update(Subscription).values(claimed_until=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    assert run(live_shop, START)["charged"] == 1
    assert len(token_orders(live_shop, subscription_id)) == 1
    assert cycles(live_shop, subscription_id) == [(1, CycleStatus.CHARGED, OrderStatus.PAID)]
    books_agree(live_shop)


def worker_environment(shop, database) -> dict:
    config = shop.app.config
    return {**os.environ, "FLASK_APP": "wsgi", "DATABASE_URL": database, "SECRET_KEY": config["SECRET_KEY"],
            "SMARTPAY_API_URL": config["SMARTPAY_API_URL"], "SMARTPAY_SECRET_KEY": config["SMARTPAY_SECRET_KEY"],
            "SMARTPAY_TIMEOUT": "60", "SMARTPAY_RETRIES": "0", "PUBLIC_URL": config["PUBLIC_URL"]}


def test_a_refused_token_enabled_again_and_resumed_by_the_shopper_charges_with_a_new_key(live_shop):
    subscription_id = subscribe_with_token(live_shop)
    with live_shop.app.app_context():
        token = db.session.get(Subscription, subscription_id).smartpay_token_id
    live_shop.api("PUT", f"/tokens/{token}/disable")
    assert run(live_shop, START)["paused"] == 1  # 409 token.invalid-status: the try is over
    live_shop.api("PUT", f"/tokens/{token}/enable")
    with live_shop.app.app_context():  # the shopper resumes from the email's link (the webhook may be late)
        subscription = db.session.get(Subscription, subscription_id)
        if subscription.status == SubscriptionStatus.PAUSED:
            service.resume(subscription, START, by_shopper=True)
            db.session.commit()
        db.session.remove()
    assert run(live_shop, START)["charged"] == 1  # not the stored 409 of the spent key
    assert [c[1:] for c in cycles(live_shop, subscription_id)] == [(CycleStatus.CHARGED, OrderStatus.PAID)]
    with live_shop.app.app_context():
        failed, paid = db.session.scalars(select(Order).order_by(Order.id)).all()
        assert failed.status == OrderStatus.FAILED and paid.submission_id.endswith("-try-2")
    assert len(token_orders(live_shop, subscription_id)) == 1
    books_agree(live_shop)


def test_smartpay_back_within_minutes_on_the_charge_day_is_charged_that_day(live_shop):
    subscription_id = subscribe_with_token(live_shop)
    fault(live_shop, type="api_error", status=503, path="/orders", method="POST", count=2)
    assert run(live_shop, START)["waiting"] == 1
    assert run(live_shop, START)["charged"] == 1  # the worker's next pass, the same day
    assert len(token_orders(live_shop, subscription_id)) == 1
    books_agree(live_shop)


def test_two_workers_racing_a_lost_charge_after_the_key_expired_charge_it_once(live_shop):
    subscription_id = subscribe_with_token(live_shop)
    lose_the_answers(live_shop)
    run(live_shop, START)
    move_smartpay_clock(live_shop, SEVEN_HOURS)
    runs = [threading.Thread(target=run, args=(live_shop, START + timedelta(days=1))) for _ in range(3)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join(timeout=60)
    assert len(token_orders(live_shop, subscription_id)) == 1
    assert cycles(live_shop, subscription_id)[0][1] == CycleStatus.CHARGED
    books_agree(live_shop)


def test_the_report_finds_a_charge_made_twice_and_one_the_shop_never_recorded(live_shop):
    """The report must fail when the books disagree: two charges for one try, as before this fix."""
    subscription_id = subscribe_with_token(live_shop)
    run(live_shop, START)
    with live_shop.app.app_context():
        order = db.session.scalar(select(Order))
        payload = token_order_payload(order, db.session.get(Subscription, subscription_id).smartpay_token_id)
    live_shop.api("POST", "/orders", json=payload)  # the same try charged again under another key
    stray = {**payload, "reference": "HM-NOTOURS1"}
    live_shop.api("POST", "/orders", json=stray)
    output = books_differ(live_shop)
    assert "paid_twice" in output and order.number in output and "orphan" in output
    assert "What to do: Refund this Smartpay order in full" in output


def token_events_processed(shop, count):
    shop.eventually(lambda: db.session.scalar(select(func.count(WebhookEvent.id)).where(
        WebhookEvent.event_type.like("token.%"), WebhookEvent.status == WebhookStatus.PROCESSED)) >= count)


def subscription_status(shop, subscription_id):
    with shop.app.app_context():
        found = db.session.get(Subscription, subscription_id)
        return found.status, found.note


def test_a_late_token_disabled_event_does_not_pause_a_token_that_is_active_again(live_shop):
    subscription_id = subscribe_with_token(live_shop)
    with live_shop.app.app_context():
        token = db.session.get(Subscription, subscription_id).smartpay_token_id
    live_shop.api("PUT", f"/tokens/{token}/disable")
    live_shop.api("PUT", f"/tokens/{token}/enable")  # before the shop heard of the first
    token_events_processed(live_shop, 2)
    assert subscription_status(live_shop, subscription_id) == (SubscriptionStatus.ACTIVE, "")
    assert run(live_shop, START)["charged"] == 1
    books_agree(live_shop)


def test_a_token_disabled_then_enabled_at_smartpay_pauses_then_resumes_the_subscription(live_shop):
    subscription_id = subscribe_with_token(live_shop)
    with live_shop.app.app_context():
        token = db.session.get(Subscription, subscription_id).smartpay_token_id
    live_shop.api("PUT", f"/tokens/{token}/disable")
    token_events_processed(live_shop, 1)
    assert subscription_status(live_shop, subscription_id) == (SubscriptionStatus.PAUSED, "token_disabled")
    live_shop.api("PUT", f"/tokens/{token}/enable")
    token_events_processed(live_shop, 2)
    assert subscription_status(live_shop, subscription_id) == (SubscriptionStatus.ACTIVE, "")
    assert run(live_shop, START)["charged"] == 1
    books_agree(live_shop)
