"""Whole order life cycles against a live sandbox over HTTP, as a merchant's server would drive them."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support.sandbox import CSRF, api, cancel, pay

pytestmark = pytest.mark.live


def create_session(sandbox, key, body, **changes):
    response = api(sandbox, key, "POST", "/checkout-sessions", json={**body, **changes})
    assert response.status_code == 200, response.text
    return response.json()


def get_order(sandbox, key, order_id):
    return api(sandbox, key, "GET", f"/orders/{order_id}?expand=all").json()


def test_approve_with_automatic_capture_then_refund_in_two_parts(sandbox, secret_key, body):
    session = create_session(sandbox, secret_key, body)
    answer = pay(session["url"])
    assert answer.status_code == 303 and answer.headers["Location"] == body["successUrl"]

    order = get_order(sandbox, secret_key, session["order"]["id"])
    assert order["status"] == "succeeded" and "expiresAt" in order
    (payment,) = order["payments"]
    assert payment["status"] == "processed" and payment["amount"] == 601

    refund = {"payment": payment["id"], "currency": "JPY", "reason": "requested_by_customer"}
    part = api(sandbox, secret_key, "POST", "/refunds", json={**refund, "amount": 200}).json()
    assert part["status"] == "succeeded" and part["amount"] == 200
    too_much = api(sandbox, secret_key, "POST", "/refunds", json={**refund, "amount": 402})
    assert too_much.status_code == 403 and too_much.json()["errorCode"] == "amount.insufficient"
    rest = api(sandbox, secret_key, "POST", "/refunds", json=refund).json()  # no amount: the remainder
    assert rest["amount"] == 401
    assert api(sandbox, secret_key, "GET", f"/payments/{payment['id']}").json()["status"] == "refunded"
    assert api(sandbox, secret_key, "GET", f"/refunds/{part['id']}").json()["payment"] == payment["id"]


def test_manual_capture_in_two_parts(sandbox, secret_key, body):
    session = create_session(sandbox, secret_key, body, captureMethod="manual")
    pay(session["url"])
    order_id = session["order"]["id"]
    assert get_order(sandbox, secret_key, order_id)["status"] == "requires_capture"
    capture = {"order": order_id, "currency": "JPY", "cancelRemainder": "manual"}
    assert api(sandbox, secret_key, "POST", "/payments", json={**capture, "amount": 300}).status_code == 200
    assert get_order(sandbox, secret_key, order_id)["status"] == "requires_capture"
    excessive = api(sandbox, secret_key, "POST", "/payments", json={**capture, "amount": 302})
    assert excessive.status_code == 409 and excessive.json()["errorCode"] == "payment.excessive-amount"
    assert api(sandbox, secret_key, "POST", "/payments", json={**capture, "amount": 301}).status_code == 200
    order = get_order(sandbox, secret_key, order_id)
    assert order["status"] == "succeeded" and [p["amount"] for p in order["payments"]] == [300, 301]
    again = api(sandbox, secret_key, "POST", "/payments", json={**capture, "amount": 1})
    assert again.status_code == 409 and again.json()["errorCode"] == "order.cannot-capture"


def test_cancel_an_authorization_and_after_a_partial_capture(sandbox, secret_key, body):
    whole = create_session(sandbox, secret_key, body, captureMethod="manual")
    pay(whole["url"])
    cancelled = api(sandbox, secret_key, "PUT", f"/orders/{whole['order']['id']}/cancellation").json()
    assert cancelled["status"] == "canceled"

    partial = create_session(sandbox, secret_key, body, captureMethod="manual")
    pay(partial["url"])
    api(sandbox, secret_key, "POST", "/payments", json={"order": partial["order"]["id"], "amount": 100,
                                                        "currency": "JPY", "cancelRemainder": "manual"})
    assert api(sandbox, secret_key, "PUT", f"/orders/{partial['order']['id']}/cancellation").json()["status"] == "succeeded"

    unpaid = create_session(sandbox, secret_key, body)
    refused = api(sandbox, secret_key, "PUT", f"/orders/{unpaid['order']['id']}/cancellation")
    assert refused.status_code == 409 and refused.json()["errorCode"] == "order.cannot-cancel"


def test_hard_decline_goes_to_the_cancel_url_and_cannot_be_paid_again(sandbox, secret_key, body):
    session = create_session(sandbox, secret_key, body)
    answer = pay(session["url"], card="4100 0000 0000 0019")
    assert answer.status_code == 303 and answer.headers["Location"] == body["cancelUrl"]
    assert get_order(sandbox, secret_key, session["order"]["id"])["status"] == "rejected"
    again = pay(session["url"])
    assert again.status_code == 200 and "This checkout is closed" in again.text


def test_soft_decline_then_approval(sandbox, secret_key, body):
    session = create_session(sandbox, secret_key, body)
    declined = pay(session["url"], card="4000 0000 0000 0002")
    assert declined.status_code == 402 and "Your card was declined" in declined.text
    assert get_order(sandbox, secret_key, session["order"]["id"])["status"] == "requires_authorization"
    assert pay(session["url"]).headers["Location"] == body["successUrl"]
    assert get_order(sandbox, secret_key, session["order"]["id"])["status"] == "succeeded"


def test_approved_session_cannot_be_paid_twice(sandbox, secret_key, body):
    session = create_session(sandbox, secret_key, body)
    pay(session["url"])
    again = pay(session["url"])
    assert again.status_code == 200 and "already approved" in again.text
    assert len(get_order(sandbox, secret_key, session["order"]["id"])["payments"]) == 1


def test_two_clicks_at_once_pay_only_once(sandbox, secret_key, body):
    session = create_session(sandbox, secret_key, body)
    tabs = [requests.Session() for _ in range(6)]
    tokens = [CSRF.search(tab.get(session["url"], timeout=10).text).group(1) for tab in tabs]
    start = threading.Barrier(len(tabs))

    def confirm(tab_and_token):
        tab, token = tab_and_token
        start.wait(timeout=10)
        return tab.post(session["url"], data={"csrf_token": token, "email": "a@example.com",
                                              "card_number": "4242424242424242"}, allow_redirects=False, timeout=10)

    with ThreadPoolExecutor(max_workers=len(tabs)) as clicks:
        answers = list(clicks.map(confirm, zip(tabs, tokens)))
    assert sorted(answer.status_code for answer in answers) == [200] * 5 + [303]
    assert len(get_order(sandbox, secret_key, session["order"]["id"])["payments"]) == 1


def test_unknown_card_and_bad_email_are_explained_and_change_nothing(sandbox, secret_key, body):
    session = create_session(sandbox, secret_key, body)
    answer = pay(session["url"], card="1234 5678 9012 3456", email="nobody")
    assert answer.status_code == 400
    assert "only the test cards" in answer.text and "Enter the email address" in answer.text
    assert get_order(sandbox, secret_key, session["order"]["id"])["status"] == "requires_authorization"


def test_cancel_link_returns_to_the_merchant_unchanged(sandbox, secret_key, body):
    body["cancelUrl"] = "https://shop.example/cancel/42?keep=this&and=that"
    session = create_session(sandbox, secret_key, body)
    answer = cancel(session["url"])
    assert answer.status_code == 303 and answer.headers["Location"] == body["cancelUrl"]
    assert get_order(sandbox, secret_key, session["order"]["id"])["status"] == "requires_authorization"


def test_a_guessed_hosted_url_is_404(sandbox, secret_key, body):
    session = create_session(sandbox, secret_key, body)
    assert api(sandbox, secret_key, "GET", "/orders").status_code == 200
    import requests
    assert requests.get(session["url"].rsplit(".", 1)[0] + ".guess", timeout=5).status_code == 404


def test_accounts_are_isolated(sandbox, secret_key, body):
    session = create_session(sandbox, secret_key, body)
    other = "sk_test_someoneelse" + secret_key[-6:]
    refused = api(sandbox, other, "GET", f"/orders/{session['order']['id']}")
    assert refused.status_code == 404 and refused.json()["errorCode"] == "order.not-found"
    assert api(sandbox, other, "GET", "/orders").json()["data"] == []


def test_idempotent_create_replays_and_refuses_a_different_body(sandbox, secret_key, body):
    headers = {"Idempotency-Key": "order-42-attempt"}
    first = api(sandbox, secret_key, "POST", "/checkout-sessions", json=body, headers=headers)
    second = api(sandbox, secret_key, "POST", "/checkout-sessions", json=body, headers=headers)
    assert second.headers.get("Idempotency-Replayed") == "true" and "Idempotency-Replayed" not in first.headers
    assert second.json()["id"] == first.json()["id"]
    assert len(api(sandbox, secret_key, "GET", "/checkout-sessions").json()["data"]) == 1
    reused = api(sandbox, secret_key, "POST", "/checkout-sessions", json={**body, "reference": "other"}, headers=headers)
    assert reused.status_code == 409 and reused.json()["errorCode"] == "request.idempotency-key-reused"


def test_webhook_endpoint_crud(sandbox, secret_key):
    created = api(sandbox, secret_key, "POST", "/webhook-endpoints",
                  json={"url": "http://127.0.0.1:9/hook", "eventSubscriptions": ["order.authorized"]}).json()
    assert created["id"].startswith("webhookendpoint_test_") and created["signingSecret"]
    updated = api(sandbox, secret_key, "PATCH", f"/webhook-endpoints/{created['id']}", json={"active": False}).json()
    assert updated["active"] is False
    assert [e["id"] for e in api(sandbox, secret_key, "GET", "/webhook-endpoints").json()["data"]] == [created["id"]]
    deleted = api(sandbox, secret_key, "DELETE", f"/webhook-endpoints/{created['id']}")
    assert deleted.status_code == 204 and deleted.text == ""
    gone = api(sandbox, secret_key, "GET", f"/webhook-endpoints/{created['id']}")
    assert gone.json()["errorCode"] == "webhook-endpoint.not-found"
