"""The seed's checkout flow end to end: storefront and sandbox over real HTTP."""
import json
import threading
import time

import pytest
import requests
from sqlalchemy import func, select

from storefront import orders
from storefront.extensions import db
from storefront.models import ApiCall, CartLine, Order, OrderEvent, WebhookEndpoint, WebhookEvent
from storefront.smartpay import webhook_signature
from tests.support.sandbox import cancel, pay

pytestmark = pytest.mark.live


def wait_for_status(shop, status, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if shop.order().status == status:
            return
        time.sleep(0.1)
    raise AssertionError(f"order stayed {shop.order().status}, expected {status}")


def cart_size(shop) -> int:
    with shop.app.app_context():
        return db.session.scalar(select(func.coalesce(func.sum(CartLine.quantity), 0)))


def start_purchase(shop):
    shopper = shop.shopper()
    shopper.add("kyoto-hojicha", 2)
    shopper.add("tenugui-waves", 1)
    answer = shopper.checkout()
    assert answer.status_code == 303, answer.text
    return shopper, answer.headers["Location"]


def test_approve_shows_a_receipt_matching_smartpay(live_shop):
    shopper, hosted = start_purchase(live_shop)
    answer = pay(hosted)
    receipt = shopper.get(answer.headers["Location"])
    order = live_shop.order()
    assert order.status == "paid" and order.total == 2 * 1080 + 990 + 500
    assert f">{order.number}<" in receipt.text and "Thank you for your order" in receipt.text
    assert "目黒1-2-3" in receipt.text and "¥3,650" in receipt.text
    remote = live_shop.api("GET", f"/orders/{order.smartpay_order_id}?expand=all").json()
    assert (remote["status"], remote["amount"], remote["reference"]) == ("succeeded", order.total, order.number)
    assert [(i["price"]["product"]["reference"], i["quantity"]) for i in remote["lineItems"]] == [("TEA-003", 2), ("TXT-002", 1)]
    assert remote["shippingInfo"]["feeAmount"] == 500
    assert cart_size(live_shop) == 0
    assert shopper.get(answer.headers["Location"]).status_code == 200  # reloading the receipt is harmless
    with live_shop.app.app_context():
        assert db.session.scalar(select(func.count(OrderEvent.id)).where(OrderEvent.to_status == "paid")) == 1


def test_every_call_to_smartpay_is_logged_without_the_secret_key(live_shop):
    shopper, hosted = start_purchase(live_shop)
    shopper.get(pay(hosted).headers["Location"])
    order = live_shop.order()
    with live_shop.app.app_context():
        calls = db.session.scalars(select(ApiCall).order_by(ApiCall.id)).all()
    create = next(call for call in calls if call.path == "/checkout-sessions")
    assert (create.method, create.status_code) == ("POST", 200)
    assert create.idempotency_key == f"checkout-session-{order.public_id}" and create.smartpay_order_id == order.smartpay_order_id
    assert any(call.path == f"/orders/{order.smartpay_order_id}" for call in calls)
    assert all(live_shop.key not in call.request_body + call.response_body + call.path for call in calls)


def test_hard_decline_offers_another_payment_method_with_the_cart_intact(live_shop):
    shopper, hosted = start_purchase(live_shop)
    answer = pay(hosted, card="4100 0000 0000 0019")
    page = shopper.get(answer.headers["Location"])
    assert "Smartpay could not approve this purchase" in page.text
    assert "Choose another payment method" in page.text
    assert live_shop.order().status == "rejected" and cart_size(live_shop) == 3


def test_soft_decline_then_approve(live_shop):
    shopper, hosted = start_purchase(live_shop)
    assert pay(hosted, card="4000 0000 0000 0002").status_code == 402
    assert shopper.get(pay(hosted).headers["Location"]).status_code == 200
    assert live_shop.order().status == "paid"


def test_cancel_returns_to_the_shop_with_the_cart_intact(live_shop):
    shopper, hosted = start_purchase(live_shop)
    page = shopper.get(cancel(hosted).headers["Location"])
    assert "You left the Smartpay checkout" in page.text and "Return to Smartpay to pay" in page.text
    assert live_shop.order().status == "awaiting_payment" and cart_size(live_shop) == 3


def test_the_webhook_alone_completes_an_order_whose_redirect_never_came(live_shop):
    _shopper, hosted = start_purchase(live_shop)
    pay(hosted)  # the shopper closes the tab instead of following the redirect
    wait_for_status(live_shop, "paid")
    assert cart_size(live_shop) == 0


def test_sync_completes_an_order_when_redirect_and_webhook_are_both_lost(live_shop):
    with live_shop.app.app_context():
        db.session.execute(db.delete(WebhookEndpoint))  # deliveries now fail the signature check
        db.session.commit()
    _shopper, hosted = start_purchase(live_shop)
    pay(hosted)
    time.sleep(0.5)
    assert live_shop.order().status == "awaiting_payment"
    assert "1 changed" in live_shop.cli("smartpay", "sync")
    assert live_shop.order().status == "paid"


def test_a_double_submit_creates_one_order_and_one_session(live_shop):
    shopper = live_shop.shopper()
    shopper.add("kyoto-hojicha", 1)
    form = shopper.checkout_form()
    results = []
    threads = [threading.Thread(target=lambda: results.append(shopper.checkout(form))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {r.status_code for r in results} == {303}
    assert len({r.headers["Location"] for r in results}) == 1
    with live_shop.app.app_context():
        assert db.session.scalar(select(func.count(Order.id))) == 1
    assert len(live_shop.api("GET", "/checkout-sessions").json()["data"]) == 1


def test_tampered_prices_in_the_form_are_ignored(live_shop):
    shopper = live_shop.shopper()
    shopper.add("seki-santoku-knife", 1)
    answer = shopper.checkout(**{"price": "1", "amount": "1", "total": "1", "items[0][amount]": "1", "quantity": "99"})
    assert answer.status_code == 303
    remote = live_shop.api("GET", f"/orders/{live_shop.order().smartpay_order_id}").json()
    assert remote["amount"] == 12100 and live_shop.order().total == 12100


def test_return_urls_with_made_up_or_someone_elses_id(live_shop):
    shopper, hosted = start_purchase(live_shop)
    success_url = pay(hosted).headers["Location"]
    assert requests.get(live_shop.url + "/checkout/complete/made-up-id").status_code == 404
    assert requests.get(live_shop.url + "/checkout/cancelled/made-up-id").status_code == 404
    stranger = requests.get(success_url)  # another browser with the same link
    assert stranger.status_code == 200 and live_shop.order().number in stranger.text
    assert "目黒1-2-3" not in stranger.text and "taro+test@example.com" not in stranger.text


def test_a_success_url_is_not_believed_before_smartpay_approves(live_shop):
    shopper, hosted = start_purchase(live_shop)
    order = live_shop.order()
    page = shopper.get(f"{live_shop.url}/checkout/complete/{order.public_id}")
    assert "We are confirming your payment" in page.text
    assert live_shop.order().status == "awaiting_payment"
    status = shopper.get(f"{live_shop.url}/checkout/status/{order.public_id}").json()
    assert status == {"status": "awaiting_payment", "done": False}


def test_a_mismatching_smartpay_order_is_refused(live_shop):
    shopper, hosted = start_purchase(live_shop)
    pay(hosted)
    with live_shop.app.app_context():
        order = db.session.scalar(select(Order))
        order.total = 1  # as if someone had altered the order after the session was made
        db.session.commit()
    page = shopper.get(f"{live_shop.url}/checkout/complete/{live_shop.order().public_id}")
    assert page.status_code == 409 and "We could not confirm this order" in page.text
    assert live_shop.order().status == "awaiting_payment"


def test_a_return_page_and_a_webhook_racing_fulfil_once(live_shop):
    _shopper, hosted = start_purchase(live_shop)
    with live_shop.app.app_context():
        db.session.execute(db.delete(WebhookEndpoint))
        db.session.commit()
    pay(hosted)
    errors = []

    def apply():
        try:
            with live_shop.app.app_context():
                orders.refresh_order(db.session.scalar(select(Order)), "race")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=apply) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with live_shop.app.app_context():
        moves = db.session.scalars(select(OrderEvent.to_status).order_by(OrderEvent.id)).all()
    assert moves.count("paid") == 1


# --- the webhook endpoint ------------------------------------------------------------------

def signed_post(shop, body: bytes, secret=None, subscription=None, timestamp=None, signature=None):
    with shop.app.app_context():
        endpoint = db.session.scalar(select(WebhookEndpoint))
        secret, subscription = secret or endpoint.signing_secret, subscription or endpoint.smartpay_id
    timestamp = timestamp or str(int(time.time() * 1000))
    headers = {"Content-Type": "application/json", "Smartpay-Signature-Timestamp": timestamp,
               "Smartpay-Subscription-Id": subscription, "Smartpay-Event-Id": "evt_test_x",
               "Smartpay-Signature": signature or webhook_signature(secret, timestamp, body)}
    return requests.post(shop.url + "/webhooks/smartpay", data=body, headers=headers, timeout=10)


def event_body(event_id: str, event_type: str, data: dict) -> bytes:
    return json.dumps({"id": event_id, "object": "event", "createdAt": 1, "test": True,
                       "eventData": {"type": event_type, "version": "2022-02-18", "data": data}},
                      separators=(",", ":")).encode()


def stored_events(shop) -> list[tuple[str, str]]:
    with shop.app.app_context():
        return db.session.execute(select(WebhookEvent.event_id, WebhookEvent.result)).all()


def test_the_same_webhook_three_times_is_acted_on_once(live_shop):
    _shopper, _hosted = start_purchase(live_shop)
    order = live_shop.order()
    api_order = live_shop.api("GET", f"/orders/{order.smartpay_order_id}").json()
    body = event_body("evt_test_threetimes000000000", "order.authorized", api_order)
    answers = [signed_post(live_shop, body) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.json().get("duplicate", False) for a in answers] == [False, True, True]
    assert [e for e, _ in stored_events(live_shop) if e == "evt_test_threetimes000000000"] == ["evt_test_threetimes000000000"]


@pytest.mark.parametrize("tamper, reason", [
    ("forged", "signature does not match"), ("stale", "timestamp missing or outside the allowed window"),
    ("unknown subscription", "unknown subscription id"), ("malformed", "the body is not a Smartpay event"),
    ("missing", "unknown subscription id")])
def test_bad_webhooks_are_400_and_never_acted_on(live_shop, tamper, reason):
    body = event_body("evt_test_forged000000000000000", "order.authorized", {"id": "order_test_x"})
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
    assert event.result == f"refused: {reason}"  # the reason is for the admin's webhook log
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


def test_a_refusal_by_smartpay_keeps_the_cart_and_says_so(live_shop):
    live_shop.app.config["SMARTPAY_SECRET_KEY"] = "sk_live_wrongkey"  # the sandbox answers 401
    shopper = live_shop.shopper()
    shopper.add("tenugui-waves", 1)
    answer = shopper.checkout()
    assert answer.status_code == 502
    assert "Smartpay could not start the payment for this order." in answer.text
    assert "Nothing was charged and your cart is unchanged." in answer.text
    assert live_shop.order().status == "failed" and live_shop.order().failure_reason.startswith("401 unauthorized")
    assert cart_size(live_shop) == 1


def test_event_types_the_shop_does_not_act_on_are_stored_and_acknowledged(live_shop):
    body = event_body("evt_test_payout0000000000000", "payout.generated", {"id": "payout_test_1"})
    answer = signed_post(live_shop, body)
    assert answer.status_code == 200
    assert ("evt_test_payout0000000000000", "stored; no action for this event type") in stored_events(live_shop)


@pytest.mark.parametrize("shop_settings", [{"SMARTPAY_WEBHOOK_SECRET": "gybcsjixKyBW2d4z6iNPlaYzHUMtawnodwZt3W0q"}])
def test_a_dashboard_made_endpoints_secret_comes_from_the_environment(live_shop):
    with live_shop.app.app_context():
        db.session.execute(db.delete(WebhookEndpoint))
        db.session.commit()
    body = event_body("evt_test_fromdashboard0000000", "payout.generated", {"id": "payout_test_1"})
    answer = signed_post(live_shop, body, secret="gybcsjixKyBW2d4z6iNPlaYzHUMtawnodwZt3W0q",
                         subscription="webhookendpoint_test_madeinthedashboard")
    assert answer.status_code == 200
