"""The sandbox dashboard, used as a merchant would use Smartpay's own."""
import re

import pytest
import requests

from tests.support.sandbox import api, english_browser, open_dashboard, pay
from tests.support.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.live
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_a_key_opens_its_own_account_only(sandbox, secret_key, body):
    session = api(sandbox, secret_key, "POST", "/checkout-sessions", json=body).json()
    _merchant, page = open_dashboard(sandbox, secret_key)
    assert session["order"]["id"] in page and "requires_authorization" in page
    _other, other_page = open_dashboard(sandbox, "sk_test_another" + secret_key[-5:])
    assert session["order"]["id"] not in other_page and "No orders yet." in other_page


def test_a_malformed_key_is_refused(sandbox):
    merchant = english_browser()
    token = CSRF.search(merchant.get(sandbox.base_url + "/dashboard/").text).group(1)
    page = merchant.post(sandbox.base_url + "/dashboard/login", data={"csrf_token": token, "secret_key": "sk_live_x"})
    assert page.status_code == 400 and "Enter a test secret key" in page.text


def test_forms_without_the_csrf_token_are_refused(sandbox, secret_key):
    page = requests.post(sandbox.base_url + "/dashboard/login", data={"secret_key": secret_key})
    assert page.status_code == 400


def test_refund_from_the_dashboard_emits_refund_created(sandbox, secret_key, body):
    receiver = WebhookReceiver()
    try:
        api(sandbox, secret_key, "POST", "/webhook-endpoints", json={"url": receiver.url, "eventSubscriptions": ["refund.created"]})
        session = api(sandbox, secret_key, "POST", "/checkout-sessions", json=body).json()
        pay(session["url"])
        order = api(sandbox, secret_key, "GET", f"/orders/{session['order']['id']}?expand=all").json()
        payment_id = order["payments"][0]["id"]
        merchant, page = open_dashboard(sandbox, secret_key)
        token = CSRF.search(page).group(1)
        done = merchant.post(f"{sandbox.base_url}/dashboard/payments/{payment_id}/refund",
                             data={"csrf_token": token, "amount": "150", "reason": "requested_by_customer"})
        assert "Refunded ¥150" in done.text
        refunds = api(sandbox, secret_key, "GET", "/refunds").json()["data"]
        assert [(r["payment"], r["amount"]) for r in refunds] == [(payment_id, 150)]
        delivery = receiver.wait_for(lambda ds: len(ds) == 1)[0]
        assert b'"refund.created"' in delivery.body and b'"amount":150' in delivery.body

        too_much = merchant.post(f"{sandbox.base_url}/dashboard/payments/{payment_id}/refund",
                                 data={"csrf_token": token, "amount": "9999", "reason": "fraudulent"})
        assert "Only ¥451 of this payment is left to refund." in too_much.text
    finally:
        receiver.close()


def test_resend_delivers_the_same_event_again_and_attempts_are_listed(sandbox, secret_key, body):
    receiver = WebhookReceiver()
    try:
        api(sandbox, secret_key, "POST", "/webhook-endpoints", json={"url": receiver.url, "eventSubscriptions": ["order.rejected"]})
        session = api(sandbox, secret_key, "POST", "/checkout-sessions", json=body).json()
        pay(session["url"], card="4100 0000 0000 0019")
        first = receiver.wait_for(lambda ds: len(ds) == 1)[0]
        event_id = first.headers["Smartpay-Event-Id"]
        merchant, page = open_dashboard(sandbox, secret_key)
        assert event_id in page and "delivered (1 attempt)" in page and "<strong>200</strong>" in page
        token = CSRF.search(page).group(1)
        merchant.post(f"{sandbox.base_url}/dashboard/events/{event_id}/resend", data={"csrf_token": token})
        second = receiver.wait_for(lambda ds: len(ds) == 2)[1]
        assert second.headers["Smartpay-Event-Id"] == event_id
    finally:
        receiver.close()
