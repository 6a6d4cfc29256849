"""Token mode in the sandbox, over HTTP as a merchant's server and a shopper would use it: consent on the hosted
page, orders charged to the token without a page, the consent card's plan for later charges, and the token's
life (disable, enable, delete) with its refusals in the contract's error shape."""
import json
import re

import pytest
import requests

from storefront.smartpay.client import verify_webhook_signature
from tests.support.sandbox import TOKEN_SESSION, api, consent, consumer_token, ok, open_dashboard, refused
from tests.support.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.live
ORDER = {"amount": 1580, "currency": "JPY", "captureMethod": "automatic", "reference": "sub-1-cycle-1",
         "items": [{"name": "Kyoto Hojicha 80 g", "amount": 1080, "currency": "JPY", "quantity": 1}],
         "shippingInfo": {"address": {"line1": "1-2-3", "locality": "目黒区", "postalCode": "153-0063", "country": "JP"},
                          "feeAmount": 500, "feeCurrency": "JPY"}}


def active_token(sandbox, key, card="4242 4242 4242 4242") -> str:
    session = ok(sandbox, key, "POST", "/checkout-sessions", json=TOKEN_SESSION)
    _page, answer = consent(session["url"], card)
    assert answer.status_code == 303 and answer.headers["Location"] == TOKEN_SESSION["successUrl"]
    return session["token"]["id"]


def charge(sandbox, key, token_id, **changes):
    return api(sandbox, key, "POST", "/orders", json={**ORDER, "token": token_id, **changes})


def test_a_token_session_asks_for_consent_saying_what_how_often_and_how_to_stop(sandbox, secret_key):
    session = ok(sandbox, secret_key, "POST", "/checkout-sessions", json=TOKEN_SESSION)
    assert session["mode"] == "token" and "order" not in session
    token = session["token"]
    assert re.fullmatch(r"paytok_test_[0-9A-Za-z]{22}", token["id"]) and token["status"] == "requires_authorization"
    page, answer = consent(session["url"])
    for words in ("Kyoto Hojicha 80 g every month", "without asking you each time", "You can stop at any time",
                  "Agree and apply"):
        assert words in page.text
    assert answer.headers["Location"] == "https://shop.example/subscribed"
    assert ok(sandbox, secret_key, "GET", f"/tokens/{token['id']}")["status"] == "active"
    japanese = requests.get(session["url"] + "?locale=ja", timeout=10).text
    assert "同意" in japanese and "いつでも" in japanese


def test_charges_follow_the_consent_cards_plan_and_carry_the_token(sandbox, secret_key):
    token = active_token(sandbox, secret_key, card="4000 0000 0000 3220")  # approve two, decline from the third
    first, second, third = (charge(sandbox, secret_key, token, reference=f"cycle-{n}").json() for n in (1, 2, 3))
    assert [o["status"] for o in (first, second, third)] == ["succeeded", "succeeded", "rejected"]
    assert first["tokenId"] == token and first["amount"] == 1580 and first["payments"][0]["amount"] == 1580
    declining = active_token(sandbox, secret_key, card="4000 0000 0000 9995")
    assert charge(sandbox, secret_key, declining).json()["status"] == "rejected"


def test_a_declined_consent_rejects_the_token_and_it_cannot_be_charged(sandbox, secret_key):
    session = ok(sandbox, secret_key, "POST", "/checkout-sessions", json=TOKEN_SESSION)
    _page, answer = consent(session["url"], card="4100 0000 0000 0019")
    assert answer.headers["Location"] == TOKEN_SESSION["cancelUrl"]
    refused(charge(sandbox, secret_key, session["token"]["id"]), 409, "token.invalid-status", "token")


def test_disable_enable_delete_and_the_refusals_that_follow(sandbox, secret_key):
    token = active_token(sandbox, secret_key)
    assert ok(sandbox, secret_key, "PUT", f"/tokens/{token}/disable")["status"] == "disabled"
    refused(charge(sandbox, secret_key, token), 409, "token.invalid-status", "token")
    refused(api(sandbox, secret_key, "PUT", f"/tokens/{token}/disable"), 409, "token.invalid-status")
    assert ok(sandbox, secret_key, "PUT", f"/tokens/{token}/enable")["status"] == "active"
    assert charge(sandbox, secret_key, token).json()["status"] == "succeeded"
    assert token in [t["id"] for t in ok(sandbox, secret_key, "GET", "/tokens")["data"]]
    assert api(sandbox, secret_key, "DELETE", f"/tokens/{token}").status_code == 204
    refused(api(sandbox, secret_key, "GET", f"/tokens/{token}"), 404, "token.not-found")
    refused(charge(sandbox, secret_key, token), 404, "token.not-found")
    refused(api(sandbox, "sk_test_another", "GET", "/tokens/" + active_token(sandbox, secret_key)), 404,
            "token.not-found")


def test_a_token_order_body_is_checked_like_a_purchase(sandbox, secret_key):
    token = active_token(sandbox, secret_key)
    refused(charge(sandbox, secret_key, token, amount=999), 400, "request.invalid", "amount")
    refused(charge(sandbox, secret_key, token, items=[]), 400, "request.invalid", "items")
    refused(api(sandbox, secret_key, "POST", "/orders", json=ORDER), 400, "request.invalid", "token")
    refused(api(sandbox, secret_key, "POST", "/checkout-sessions", json={**TOKEN_SESSION, "successUrl": None}),
            400, "request.invalid", "successUrl")
    refused(api(sandbox, secret_key, "POST", "/checkout-sessions", json={**TOKEN_SESSION, "mode": "monthly"}),
            400, "request.invalid", "mode")


def test_the_test_mode_shortcut_approves_a_token_with_the_consumers_bearer_token(sandbox, secret_key):
    session = ok(sandbox, secret_key, "POST", "/checkout-sessions", json=TOKEN_SESSION)
    token = session["token"]["id"]
    shortcut = f"{sandbox.api_url}/tokens/{token}/approve"
    refused(requests.put(shortcut, headers={"Authorization": "Bearer nope"}, timeout=10), 401, "unauthorized")
    bearer = {"Authorization": f"Bearer {consumer_token(sandbox)}"}
    assert requests.put(shortcut, headers=bearer, timeout=10).json()["status"] == "active"
    refused(requests.put(shortcut, headers=bearer, timeout=10), 409, "token.invalid-status")
    assert charge(sandbox, secret_key, token).json()["status"] == "succeeded"


def test_the_token_events_are_signed_and_delivered_like_the_others(sandbox, secret_key):
    receiver = WebhookReceiver()
    try:
        endpoint = ok(sandbox, secret_key, "POST", "/webhook-endpoints", json={"url": receiver.url, "eventSubscriptions": [
            "token.created", "token.approved", "token.used", "token.disabled", "token.enabled", "token.deleted"]})
        token = active_token(sandbox, secret_key)
        charge(sandbox, secret_key, token)
        ok(sandbox, secret_key, "PUT", f"/tokens/{token}/disable")
        ok(sandbox, secret_key, "PUT", f"/tokens/{token}/enable")
        api(sandbox, secret_key, "DELETE", f"/tokens/{token}")
        deliveries = receiver.wait_for(lambda found: len(found) >= 6)
        kinds = [json.loads(d.body)["eventData"]["type"] for d in deliveries]
        assert kinds == ["token.created", "token.approved", "token.used", "token.disabled", "token.enabled",
                         "token.deleted"]
        assert all(verify_webhook_signature(endpoint["signingSecret"], d.headers["Smartpay-Signature-Timestamp"],
                                            d.body, d.headers["Smartpay-Signature"]) for d in deliveries)
        assert json.loads(deliveries[2].body)["eventData"]["data"]["id"] == token
    finally:
        receiver.close()


def test_the_dashboard_lists_each_token_with_the_orders_charged_to_it(sandbox, secret_key):
    token = active_token(sandbox, secret_key)
    order = charge(sandbox, secret_key, token).json()
    _merchant, page = open_dashboard(sandbox, secret_key)
    tokens = page[page.index('id="tokens"'):page.index('id="promotions"')]
    assert token in tokens and order["id"] in tokens and "sub-1" in tokens
