"""The webhook log, the API log and the sync button, as the workshop uses them."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from storefront.extensions import db
from storefront.models import utcnow
from storefront.smartpay.models import ApiCall, WebhookEndpoint, WebhookEvent
from tests.conftest import CSRF_INPUT
from tests.support.admin import paid_order
from tests.support.sandbox import pay

pytestmark = pytest.mark.live


def token(page: str) -> str:
    match = CSRF_INPUT.search(page)
    return match.group(1) or match.group(2)


def test_webhook_log_shows_each_event_with_its_payload_and_can_process_it_again(admin, live_shop):
    order = paid_order(live_shop)
    live_shop.webhooks_processed(2)
    log = admin.get("/admin/webhooks").get_data(as_text=True)
    assert "order.authorized" in log and "payment.created" in log and log.count(">processed</span>") == 2
    with live_shop.app.app_context():
        event = db.session.scalar(select(WebhookEvent).where(WebhookEvent.event_type == "payment.created"))
    page = admin.get(f"/admin/webhooks/{event.id}").get_data(as_text=True)
    assert "&#34;eventData&#34;: {" in page or '"eventData": {' in page  # pretty-printed, escaped
    assert order.smartpay_order_id in page and '<dd data-testid="attempts">1</dd>' in page
    done = admin.post(f"/admin/webhooks/{event.id}/process-again", data={"csrf_token": token(page)},
                      follow_redirects=True)
    assert "The event is queued again; the worker processes it within seconds." in done.get_data(as_text=True)
    live_shop.eventually(lambda: db.session.get(WebhookEvent, event.id).processed_at > event.processed_at)
    again = admin.get(f"/admin/webhooks/{event.id}").get_data(as_text=True)
    assert f"Order {order.number}: paid → paid" in again and '<dd data-testid="attempts">1</dd>' in again


def test_api_log_lists_calls_with_bodies_and_never_the_key(admin, live_shop):
    paid_order(live_shop)
    log = admin.get("/admin/api-log").get_data(as_text=True)
    assert "POST /checkout-sessions" in log and "checkout-session-" in log
    with live_shop.app.app_context():
        call = db.session.scalar(select(ApiCall).where(ApiCall.path == "/checkout-sessions"))
    detail = admin.get(f"/admin/api-log/{call.id}").get_data(as_text=True)
    assert "Seki Santoku Knife" in detail and "successUrl" in detail
    assert live_shop.key not in log + detail


def test_reading_the_api_log_deletes_nothing_and_the_workers_daily_job_prunes_it(admin, live_shop):
    paid_order(live_shop)
    with live_shop.app.app_context():
        db.session.execute(update(ApiCall).where(ApiCall.path == "/checkout-sessions")
                           .values(created_at=utcnow() - timedelta(days=30)))
        db.session.commit()
    assert "POST /checkout-sessions" in admin.get("/admin/api-log").get_data(as_text=True)
    assert "prune: api_calls 1, refused_webhooks 0" in live_shop.cli("worker", "--once", "--only", "prune")
    assert "POST /checkout-sessions" not in admin.get("/admin/api-log").get_data(as_text=True)
    assert "prune" not in live_shop.cli("worker", "--once", "--only", "prune")  # once a day, not every pass


def test_sync_now_completes_an_order_whose_webhook_and_redirect_were_lost(admin, live_shop):
    with live_shop.app.app_context():
        db.session.execute(db.delete(WebhookEndpoint))
        db.session.commit()
    shopper = live_shop.shopper()
    shopper.add("tenugui-waves", 1)
    pay(shopper.checkout().headers["Location"])
    assert live_shop.order().status == "awaiting_payment"
    page = admin.get("/admin/orders").get_data(as_text=True)
    done = admin.post("/admin/sync", data={"csrf_token": token(page)}, follow_redirects=True)
    assert "Checked 1 orders with Smartpay: 1 changed." in done.get_data(as_text=True)
    assert live_shop.order().status == "paid"
