"""Smartpay's webhooks at POST /webhooks/smartpay (§10.4), and the `flask smartpay register-webhook` command."""
import time

import pytest
import requests
from sqlalchemy import select

from storefront.extensions import db
from storefront.smartpay.models import WebhookEndpoint, WebhookEvent
from tests.support.factories import an_event
from tests.support.webhooks import signed_post, stored_events

pytestmark = pytest.mark.live


def test_the_same_webhook_three_times_is_acted_on_once(live_shop):
    _shopper, _hosted = live_shop.start_purchase()
    order = live_shop.order()
    api_order = live_shop.api("GET", f"/orders/{order.smartpay_order_id}").json()
    body = an_event("order.authorized", api_order, "evt_test_threetimes000000000")
    answers = [signed_post(live_shop, body) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.json().get("duplicate", False) for a in answers] == [False, True, True]
    assert [e for e, _ in stored_events(live_shop) if e == "evt_test_threetimes000000000"] == ["evt_test_threetimes000000000"]


@pytest.mark.parametrize("tamper, reason", [
    ("forged", "bad_signature"), ("stale", "stale_timestamp"), ("unknown subscription", "unknown_subscription"),
    ("malformed", "not_an_event"), ("missing", "unknown_subscription")])
def test_bad_webhooks_are_400_and_never_acted_on(live_shop, tamper, reason):
    body = an_event("order.authorized", {"id": "order_test_x"}, "evt_test_forged000000000000000")
    if tamper == "forged":
        answer = signed_post(live_shop, body, secret="gybcsjixKyBW2d4z6iNPlaYzHUMtawnodwZt3W0q")
    elif tamper == "stale":
        answer = signed_post(live_shop, body, timestamp=str(int(time.time() * 1000) - 10 * 60 * 1000))
    elif tamper == "unknown subscription":
        answer = signed_post(live_shop, body, subscription="webhookendpoint_test_unknown")
    elif tamper == "malformed":
        answer = signed_post(live_shop, b'{"id": "evt_test_1", "eventData": ')
    else:
        answer = requests.post(live_shop.url + "/webhooks/smartpay", data=body, timeout=5)
    assert answer.status_code == 400 and answer.json() == {"error": "invalid webhook"}  # no detail leaked
    with live_shop.app.app_context():
        (event,) = db.session.scalars(select(WebhookEvent).where(WebhookEvent.signature_valid.is_(False))).all()
    assert event.result == reason  # the reason is for the admin's webhook log, which words it
    assert event.event_id.startswith("rejected-") and event.smartpay_order_id is None


def test_register_webhook_is_idempotent(live_shop):
    assert "already registered" in live_shop.cli("smartpay", "register-webhook")
    assert len(live_shop.api("GET", "/webhook-endpoints").json()["data"]) == 1


def test_register_webhook_again_after_the_endpoint_vanished_at_smartpay(live_shop):
    with live_shop.app.app_context():
        endpoint_id = db.session.scalar(select(WebhookEndpoint.smartpay_id))
    live_shop.api("DELETE", f"/webhook-endpoints/{endpoint_id}")
    assert "Registered webhook endpoint" in live_shop.cli("smartpay", "register-webhook")
    with live_shop.app.app_context():
        assert db.session.scalar(select(WebhookEndpoint.smartpay_id)) != endpoint_id


def test_event_types_the_shop_does_not_act_on_are_stored_and_acknowledged(live_shop):
    body = an_event("payout.generated", {"id": "payout_test_1"}, "evt_test_payout0000000000000")
    answer = signed_post(live_shop, body)
    assert answer.status_code == 200
    live_shop.webhooks_processed(1)
    assert ("evt_test_payout0000000000000", "no_action") in stored_events(live_shop)


@pytest.mark.parametrize("shop_settings", [{"SMARTPAY_WEBHOOK_SECRET": "gybcsjixKyBW2d4z6iNPlaYzHUMtawnodwZt3W0q"}])
def test_a_dashboard_made_endpoints_secret_comes_from_the_environment(live_shop):
    with live_shop.app.app_context():
        db.session.execute(db.delete(WebhookEndpoint))
        db.session.commit()
    body = an_event("payout.generated", {"id": "payout_test_1"}, "evt_test_fromdashboard0000000")
    answer = signed_post(live_shop, body, secret="gybcsjixKyBW2d4z6iNPlaYzHUMtawnodwZt3W0q",
                         subscription="webhookendpoint_test_madeinthedashboard")
    assert answer.status_code == 200
