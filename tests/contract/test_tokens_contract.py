"""Token mode (contract §7), for the sandbox and for real test mode alike: a token session, the consumer's
test-mode approval, orders charged to the token, and the token disabled, enabled and deleted, with the
refusals that follow in the error shape (§4)."""
import re

import pytest
from tests.support.contract import ERROR_FIELDS


pytestmark = pytest.mark.live
TOKEN_SESSION = {"mode": "token", "customerInfo": {"emailAddress": "contract+test@example.com",
                                                   "firstName": "Taro", "lastName": "Yamada"},
                 "successUrl": "https://shop.example/subscribed", "cancelUrl": "https://shop.example/cancel"}
ORDER = {"amount": 2500, "currency": "JPY", "captureMethod": "automatic",
         "items": [{"name": "Contract tea", "amount": 1000, "currency": "JPY", "quantity": 2}],
         "customerInfo": {"emailAddress": "contract+test@example.com"},
         "shippingInfo": {"address": {"line1": "1-2-3", "locality": "目黒区", "administrativeArea": "東京都",
                                      "postalCode": "153-0063", "country": "JP"}, "feeAmount": 500, "feeCurrency": "JPY"}}


def a_4xx_in_the_error_shape(answer) -> dict:
    body = answer.json()
    assert 400 <= answer.status_code < 500 and ERROR_FIELDS <= set(body), f"{answer.status_code} {body}"
    return body


def token_of(session: dict) -> str:
    token = session["token"]
    return token["id"] if isinstance(token, dict) else token


def test_a_token_session_has_a_token_awaiting_consent_and_a_hosted_url(contract):
    session = contract.ok("POST", "/checkout-sessions", json=TOKEN_SESSION)
    token_id = token_of(session)
    assert re.fullmatch(r"paytok_test_[0-9A-Za-z]+", token_id) and session["url"].startswith("http")
    token = contract.ok("GET", f"/tokens/{token_id}")
    assert (token["object"], token["status"]) == ("token", "requires_authorization")
    a_4xx_in_the_error_shape(contract.call("POST", "/orders", json={**ORDER, "token": token_id}))  # no consent yet


def test_an_approved_token_is_charged_without_a_page_then_disabled_enabled_and_deleted(contract):
    token_id = token_of(contract.ok("POST", "/checkout-sessions", json=TOKEN_SESSION))
    assert contract.approve_token(token_id).status_code == 200
    assert contract.ok("GET", f"/tokens/{token_id}")["status"] == "active"
    order = contract.ok("POST", "/orders", json={**ORDER, "token": token_id})
    assert order["tokenId"] == token_id and order["amount"] == 2500
    assert order["status"] in ("succeeded", "requires_capture")
    assert contract.ok("PUT", f"/tokens/{token_id}/disable")["status"] == "disabled"
    a_4xx_in_the_error_shape(contract.call("POST", "/orders", json={**ORDER, "token": token_id}))
    assert contract.ok("PUT", f"/tokens/{token_id}/enable")["status"] == "active"
    assert contract.call("DELETE", f"/tokens/{token_id}").status_code in (200, 204)
    gone = contract.call("GET", f"/tokens/{token_id}")
    assert gone.status_code == 404 and gone.json()["errorCode"] == "token.not-found"


def test_a_token_order_that_does_not_add_up_is_refused(contract):
    token_id = token_of(contract.ok("POST", "/checkout-sessions", json=TOKEN_SESSION))
    a_4xx_in_the_error_shape(contract.call("POST", "/orders", json={**ORDER, "token": token_id, "items": []}))
