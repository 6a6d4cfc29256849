"""The webhook inbox and the worker under a slow or failing Smartpay: every delivery acknowledged at once, every
order finished by the worker with nobody running a command, nothing done twice."""
import pytest
import requests
from sqlalchemy import create_engine, func, select, text

from sandbox.ids import account_of
from storefront.extensions import db
from storefront.mail import OutboxEmail
from storefront.models import Order, OrderEvent
from storefront.smartpay.models import ApiCall, WebhookEvent
from storefront.smartpay.statuses import WebhookStatus
from storefront.statuses import EmailStatus, OrderStatus
from tests.support.factories import an_event
from tests.support.sandbox import pay
from tests.support.storefront import WorkerThread
from tests.support.webhooks import signed_post

pytestmark = pytest.mark.live


def set_scenario(shop, **body) -> None:
    answer = requests.post(shop.sandbox.base_url + "/sandbox/scenarios", json=body, timeout=10,
                           headers={"Authorization": f"Basic {shop.key}"})
    assert answer.status_code == 200, answer.text


def paid_moves(shop) -> int:
    with shop.app.app_context():
        return db.session.scalar(select(func.count(OrderEvent.id)).where(OrderEvent.to_status == OrderStatus.PAID))


def order_is_paid():
    """the order is paid"""
    return db.session.scalar(select(Order.status)) == OrderStatus.PAID


def deliveries_at_the_sandbox(shop) -> list[tuple]:
    """(state, attempts, [status codes], [durations ms]) of each webhook delivery Smartpay made to this shop."""
    engine = create_engine(shop.sandbox.database_url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT d.state, d.attempts, a.status_code, a.duration_ms FROM deliveries d "
            "JOIN delivery_attempts a ON a.delivery_id = d.id WHERE d.account = :account ORDER BY d.id, a.id"),
            {"account": account_of(shop.key)}).all()
    engine.dispose()
    return rows


def test_reads_slower_than_smartpays_deliverer_waits_are_acknowledged_at_once_and_the_worker_pays(live_shop):
    # Smartpay's deliverer gives up after 5 s; the order read behind the first webhook takes 5.5 s.
    set_scenario(live_shop, type="api_latency", milliseconds=5500, path="/orders", method="GET", count=1)
    _shopper, hosted_url = live_shop.start_purchase()
    assert pay(hosted_url).status_code == 303  # and the shopper never comes back
    live_shop.eventually(order_is_paid, seconds=30)
    live_shop.webhooks_processed(2)
    deliveries = deliveries_at_the_sandbox(live_shop)
    assert len(deliveries) == 2
    assert all(state == "delivered" and attempts == 1 and status == 200 for state, attempts, status, _ms in deliveries)
    assert all(ms < 1000 for *_rest, ms in deliveries)  # acknowledged in well under a second, slow read or not
    assert paid_moves(live_shop) == 1


def test_a_run_of_5xx_longer_than_the_clients_retries_is_finished_once_smartpay_is_back(live_shop):
    # The client tries each read twice (SMARTPAY_RETRIES=1): six 503s outlast it for the first webhooks.
    set_scenario(live_shop, type="api_error", status=503, path="/orders", method="GET", count=6)
    _shopper, hosted_url = live_shop.start_purchase()
    pay(hosted_url)
    live_shop.eventually(order_is_paid, seconds=30)
    live_shop.webhooks_processed(2)
    with live_shop.app.app_context():
        events = db.session.scalars(select(WebhookEvent)).all()
        failed_reads = db.session.scalar(select(func.count(ApiCall.id)).where(ApiCall.status_code == 503))
    assert failed_reads == 6
    assert max(event.attempts for event in events) >= 2  # the worker tried again, nobody ran sync
    assert all(event.status == WebhookStatus.PROCESSED and event.last_error == "" for event in events)
    assert paid_moves(live_shop) == 1


def test_a_redelivery_while_the_event_is_being_processed_changes_nothing(live_shop):
    set_scenario(live_shop, type="webhook_drop", count=2)  # only this test's own deliveries arrive
    _shopper, hosted_url = live_shop.start_purchase()
    pay(hosted_url)
    order = live_shop.order()
    body = an_event("order.authorized", live_shop.api("GET", f"/orders/{order.smartpay_order_id}").json(), "evt_test_redelivered00000000")
    set_scenario(live_shop, type="api_latency", milliseconds=1500, path="/orders", method="GET", count=1)
    assert signed_post(live_shop, body).json() == {"received": True}
    live_shop.eventually(lambda: db.session.scalar(select(WebhookEvent.status)) == WebhookStatus.PROCESSING)
    again = signed_post(live_shop, body)
    assert again.status_code == 200 and again.json() == {"received": True, "duplicate": True}
    live_shop.webhooks_processed(1)
    with live_shop.app.app_context():
        (event,) = db.session.scalars(select(WebhookEvent)).all()
        emails = db.session.scalar(select(func.count(OutboxEmail.id)))
    assert event.attempts == 1 and event.result == "order_checked"
    assert event.result_detail == {"order": order.number, "from": "awaiting_payment", "to": "paid"}
    assert paid_moves(live_shop) == 1 and emails == 1


class TestTwoWorkers:
    @pytest.fixture
    def worker_jobs(self):
        return ()  # the test starts its own two

    @pytest.fixture
    def shop_settings(self, mail_catcher):
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mail_catcher.port, "MAIL_TIMEOUT": 3}

    def test_two_workers_racing_process_each_event_once_and_send_each_email_once(self, live_shop, mail_catcher):
        purchases = 4
        for _ in range(purchases):
            _shopper, hosted_url = live_shop.start_purchase()
            pay(hosted_url)  # no return page: only the webhooks tell the shop
        live_shop.eventually(lambda: db.session.scalar(select(func.count(WebhookEvent.id))) == 2 * purchases)
        workers = [WorkerThread(live_shop.app, ("webhooks", "emails")).start() for _ in range(2)]
        try:
            live_shop.webhooks_processed(2 * purchases)
            live_shop.eventually(lambda: db.session.scalar(select(func.count(OutboxEmail.id)).where(
                OutboxEmail.status == EmailStatus.SENT)) == purchases)
        finally:
            for worker in workers:
                worker.stop()
        with live_shop.app.app_context():
            attempts = db.session.scalars(select(WebhookEvent.attempts)).all()
            statuses = set(db.session.scalars(select(Order.status)))
        assert attempts == [1] * (2 * purchases)
        assert statuses == {OrderStatus.PAID} and paid_moves(live_shop) == purchases
        assert len(mail_catcher.messages()) == purchases
