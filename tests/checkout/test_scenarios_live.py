"""The shop under the sandbox's failure scenarios: what a shopper and the merchant see when Smartpay fails."""
import time

import pytest
import requests
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.models import Order, OrderEvent
from storefront.smartpay.models import ApiCall, WebhookEvent
from tests.support.sandbox import pay

pytestmark = pytest.mark.live


@pytest.fixture
def shop_settings():
    return {"SMARTPAY_RETRIES": 2, "SMARTPAY_TIMEOUT": 1}  # three tries; a one-second timeout, for the latency case


def set_scenario(shop, **body) -> dict:
    answer = requests.post(shop.sandbox.base_url + "/sandbox/scenarios", json=body, timeout=10,
                           headers={"Authorization": f"Basic {shop.key}"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def sessions_at_smartpay(shop) -> int:
    return len(shop.api("GET", "/checkout-sessions").json()["data"])


def checkout_calls(shop) -> list[tuple]:
    with shop.app.app_context():
        return db.session.execute(select(ApiCall.status_code, ApiCall.idempotency_key)
                                  .where(ApiCall.path == "/checkout-sessions").order_by(ApiCall.id)).all()


def test_two_503s_are_retried_unseen_with_one_key_and_one_session(live_shop):
    set_scenario(live_shop, type="api_error", status=503, path="/checkout-sessions", method="POST", count=2)
    shopper, hosted_url = live_shop.start_purchase()
    assert pay(hosted_url).status_code == 303
    calls = checkout_calls(live_shop)
    assert [status for status, _key in calls] == [503, 503, 200]
    assert len({key for _status, key in calls}) == 1  # the same Idempotency-Key each time
    assert sessions_at_smartpay(live_shop) == 1


def test_five_503s_show_the_trouble_page_keep_the_cart_and_a_later_try_makes_one_session(live_shop):
    set_scenario(live_shop, type="api_error", status=503, path="/checkout-sessions", method="POST", count=5)
    shopper = live_shop.shopper()
    shopper.add("kyoto-hojicha", 2)
    trouble = shopper.checkout()
    assert trouble.status_code == 502 and "Smartpay is having trouble right now." in trouble.text
    assert "Kyoto Hojicha 80 g" in shopper.get(live_shop.url + "/cart").text  # the cart is intact
    again = shopper.checkout()  # the shopper tries again: two more 503s, then Smartpay is back
    assert again.status_code == 303
    assert [status for status, _key in checkout_calls(live_shop)] == [503, 503, 503, 503, 503, 200]
    assert sessions_at_smartpay(live_shop) == 1


def test_an_answer_slower_than_the_timeout_is_retried_safely(live_shop):
    set_scenario(live_shop, type="api_latency", milliseconds=1500, path="/checkout-sessions", method="POST", count=1)
    shopper, hosted_url = live_shop.start_purchase()
    calls = checkout_calls(live_shop)
    assert calls[0][0] is None and calls[-1][0] == 200  # the first timed out; a retry got the session
    assert len({key for _status, key in calls}) == 1
    time.sleep(1)  # the slow first request finishes at Smartpay too: it must not make a second session
    assert sessions_at_smartpay(live_shop) == 1
    assert pay(hosted_url).status_code == 303


def paid_moves(shop) -> int:
    with shop.app.app_context():
        return db.session.scalar(select(func.count(OrderEvent.id)).where(OrderEvent.to_status == "paid"))


def wait_for_webhooks(shop, processed: int) -> None:
    shop.eventually(lambda: db.session.scalar(select(func.count(WebhookEvent.id))
                                              .where(WebhookEvent.processed_at.is_not(None))) >= processed, 10)


def test_dropped_webhooks_and_an_abandoned_redirect_are_finished_by_sync(live_shop):
    set_scenario(live_shop, type="webhook_drop", count=2)
    shopper, hosted_url = live_shop.start_purchase()
    assert pay(hosted_url).status_code == 303  # and the shopper never comes back
    time.sleep(1)  # nothing arrives to wait for: both events were dropped; a second is when they would have
    assert live_shop.order().status == "awaiting_payment"
    assert "1 changed" in live_shop.cli("smartpay", "sync")
    assert live_shop.order().status == "paid" and paid_moves(live_shop) == 1
    assert "0 changed" in live_shop.cli("smartpay", "sync")


@pytest.mark.parametrize("kind, deliveries", [("webhook_duplicate", 3), ("webhook_out_of_order", 2)])
def test_duplicate_or_out_of_order_webhooks_fulfil_once(live_shop, kind, deliveries):
    set_scenario(live_shop, type=kind, count=1)
    shopper, hosted_url = live_shop.start_purchase()
    pay(hosted_url)  # no return page: only the webhooks tell the shop
    wait_for_webhooks(live_shop, 2)
    with live_shop.app.app_context():
        events = db.session.scalars(select(WebhookEvent.event_type).order_by(WebhookEvent.id)).all()
        assert db.session.scalar(select(Order.status)) == "paid"
    assert sorted(events) == ["order.authorized", "payment.created"]  # a duplicate is stored once
    if kind == "webhook_out_of_order":
        assert events == ["payment.created", "order.authorized"]
    assert paid_moves(live_shop) == 1  # fulfilled once
