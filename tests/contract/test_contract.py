"""Smartpay's merchant API as the shop relies on it (../shared/smartpay-api.md), checked over HTTP.

Against the sandbox by default; against real Smartpay test mode with `make contract` (see conftest.py).
"""
import re

import pytest
import requests
from tests.support.contract import ERROR_FIELDS, session_body


pytestmark = pytest.mark.live
ID = {"checkoutSession": r"checkout_test_[0-9A-Za-z]+", "order": r"order_test_[0-9A-Za-z]+",
      "payment": r"payment_test_[0-9A-Za-z]+", "refund": r"refund_test_[0-9A-Za-z]+"}


def refused(answer, status: int, code: str) -> dict:
    """An error in the contract's shape (§4), with its status and code."""
    body = answer.json()
    assert answer.status_code == status, f"{answer.status_code} {answer.text[:300]}"
    assert ERROR_FIELDS <= set(body) and body["statusCode"] == status and body["errorCode"] == code, body
    return body


# --- checkout sessions (§2.1, §3.1) --------------------------------------------------------------------

def test_a_checkout_session_embeds_its_order_and_a_hosted_url(contract):
    session = contract.ok("POST", "/checkout-sessions", json=session_body())
    assert re.fullmatch(ID["checkoutSession"], session["id"]) and session["object"] == "checkoutSession"
    assert session["url"].startswith(("https://", "http://"))
    order = session["order"]
    assert re.fullmatch(ID["order"], order["id"]) and order["status"] == "requires_authorization"
    assert (order["amount"], str(order["currency"]).upper()) == (2500, "JPY")
    again = contract.ok("GET", f"/checkout-sessions/{session['id']}", params={"expand": "all"})
    assert again["id"] == session["id"] and again["order"]["id"] == order["id"]


def test_an_order_reads_back_with_its_reference_and_expands(contract):
    body = session_body()
    order_id = contract.ok("POST", "/checkout-sessions", json=body)["order"]["id"]
    plain = contract.ok("GET", f"/orders/{order_id}")
    assert plain["object"] == "order" and plain["reference"] == body["reference"] and plain["amount"] == 2500
    expanded = contract.ok("GET", f"/orders/{order_id}", params={"expand": "all"})
    assert expanded["id"] == order_id and isinstance(expanded["lineItems"], list)
    assert all(isinstance(item, dict) for item in expanded["lineItems"])  # objects, not ids, when expanded


def test_lists_are_collections_paged_by_token(contract):
    made = [contract.ok("POST", "/checkout-sessions", json=session_body())["order"]["id"] for _ in range(3)]
    first = contract.ok("GET", "/orders", params={"maxResults": 2})
    assert first["object"] == "collection" and first["maxResults"] == 2 and len(first["data"]) == 2
    assert first["nextPageToken"]
    second = contract.ok("GET", "/orders", params={"maxResults": 2, "pageToken": first["nextPageToken"]})
    seen = [order["id"] for order in first["data"] + second["data"]]
    assert len(set(seen)) == len(seen)  # no order on two pages
    if contract.sandbox is not None:  # a fresh account holds just these three, newest first (§10.1)
        assert seen == list(reversed(made)) and not second["nextPageToken"]


def test_an_order_awaiting_authorization_cannot_be_cancelled(contract):
    order_id = contract.ok("POST", "/checkout-sessions", json=session_body())["order"]["id"]
    refused(contract.call("PUT", f"/orders/{order_id}/cancellation"), 409, "order.cannot-cancel")


# --- errors (§4) ---------------------------------------------------------------------------------------

def test_a_missing_or_wrong_key_is_401(contract):
    assert contract.call("GET", "/orders", key="").status_code == 401
    assert contract.call("GET", "/orders", key="sk_test_" + "0" * 22).status_code in (401, 200)  # a new sandbox account
    assert contract.call("GET", "/orders", headers={"Authorization": "Bearer nope"}).status_code == 401


@pytest.mark.parametrize("path, code", [("/orders/order_test_doesnotexist0000000000", "order.not-found"),
                                        ("/payments/payment_test_doesnotexist00000000", "payment.not-found"),
                                        ("/refunds/refund_test_doesnotexist000000000", "refund.not-found")])
def test_unknown_objects_are_404_with_their_code(contract, path, code):
    refused(contract.call("GET", path), 404, code)


@pytest.mark.parametrize("change", [{"currency": None}, {"items": []}, {"successUrl": None}, {"amount": "lots"}])
def test_an_invalid_session_body_is_400_request_invalid(contract, change):
    body = {key: value for key, value in session_body(**change).items() if value is not None}
    refused(contract.call("POST", "/checkout-sessions", json=body), 400, "request.invalid")


def test_an_undecodable_body_is_400(contract):
    answer = contract.call("POST", "/checkout-sessions", data="{not json", headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.json()["errorCode"] in ("request.malformed", "request.invalid")


# --- idempotency (§1.3) --------------------------------------------------------------------------------

def test_the_same_key_and_body_replays_the_first_answer(contract):
    body, headers = session_body(), {"Idempotency-Key": "contract-" + session_body()["reference"]}
    first = contract.ok("POST", "/checkout-sessions", json=body, headers=headers)
    second = contract.call("POST", "/checkout-sessions", json=body, headers=headers)
    assert second.status_code == 200 and second.json()["id"] == first["id"]


@pytest.mark.sandbox_only
def test_the_same_key_with_another_body_is_refused(contract):
    headers = {"Idempotency-Key": "contract-reuse-" + session_body()["reference"]}
    contract.ok("POST", "/checkout-sessions", json=session_body(), headers=headers)
    refused(contract.call("POST", "/checkout-sessions", json=session_body(), headers=headers),
            409, "request.idempotency-key-reused")


# --- webhook endpoints (§2.6, §3.6) --------------------------------------------------------------------

def test_webhook_endpoints_are_created_with_a_secret_listed_updated_and_deleted(contract):
    created = contract.ok("POST", "/webhook-endpoints", json={
        "url": "https://shop.example/webhooks/smartpay", "eventSubscriptions": ["order.authorized"]})
    assert created["object"] == "webhookEndpoint" and created["signingSecret"] and created["active"] is True
    assert created["id"] in [e["id"] for e in contract.ok("GET", "/webhook-endpoints")["data"]]
    assert contract.ok("PATCH", f"/webhook-endpoints/{created['id']}", json={"active": False})["active"] is False
    deleted = contract.call("DELETE", f"/webhook-endpoints/{created['id']}")
    assert deleted.status_code in (200, 204) and not deleted.content.strip()
    assert contract.call("GET", f"/webhook-endpoints/{created['id']}").status_code == 404


# --- captures, refunds and the life of an order: they need an authorized order, which a test consumer makes -

def authorized(contract, capture_method: str = "automatic") -> dict:
    """An order a test consumer authorized over HTTP (§7.1): the same two calls here and in real test mode."""
    session = contract.ok("POST", "/checkout-sessions", json=session_body(captureMethod=capture_method))
    answer = contract.authorize(session["order"]["id"])
    assert answer.status_code == 200, f"{answer.status_code} {answer.text[:300]}"
    return contract.ok("GET", f"/orders/{session['order']['id']}", params={"expand": "all"})


def test_automatic_capture_makes_one_processed_payment_that_refunds_in_parts(contract):
    order = authorized(contract)
    assert order["status"] == "succeeded" and len(order["payments"]) == 1
    payment = order["payments"][0]
    assert re.fullmatch(ID["payment"], payment["id"]) and payment["amount"] == 2500
    refund = contract.ok("POST", "/refunds", json={"payment": payment["id"], "amount": 1000, "currency": "JPY",
                                                   "reason": "requested_by_customer"})
    assert re.fullmatch(ID["refund"], refund["id"]) and refund["object"] == "refund" and refund["amount"] == 1000
    refused(contract.call("POST", "/refunds", json={"payment": payment["id"], "amount": 2000, "currency": "JPY",
                                                    "reason": "requested_by_customer"}), 403, "amount.insufficient")
    assert contract.ok("GET", f"/refunds/{refund['id']}")["payment"] == payment["id"]


def test_manual_capture_in_parts_then_cancel_the_rest(contract):
    order = authorized(contract, "manual")
    assert order["status"] == "requires_capture" and order["payments"] == []
    capture = {"order": order["id"], "amount": 1000, "currency": "JPY", "cancelRemainder": "manual"}
    assert contract.ok("POST", "/payments", json=capture)["amount"] == 1000
    refused(contract.call("POST", "/payments", json={**capture, "amount": 5000}), 409, "payment.excessive-amount")
    assert contract.ok("PUT", f"/orders/{order['id']}/cancellation")["status"] == "succeeded"  # captured part stays
    refused(contract.call("POST", "/payments", json=capture), 409, "order.cannot-capture")


@pytest.mark.sandbox_only
def test_a_scenario_failure_has_the_contracts_error_shape(contract):
    import requests

    requests.post(contract.sandbox.base_url + "/sandbox/scenarios", timeout=10,
                  headers={"Authorization": f"Basic {contract.key}"}, json={"type": "api_error", "status": 503})
    refused(contract.call("GET", "/orders"), 503, "service.unavailable")
    assert contract.call("GET", "/orders").status_code == 200


def test_an_authorization_without_a_consumer_login_is_refused(contract):
    session = contract.ok("POST", "/checkout-sessions", json=session_body())
    answer = requests.post(f"{contract.api_url}/orders/{session['order']['id']}/authorizations", timeout=30,
                           headers={"Authorization": "Bearer not-a-token"},
                           json={"paymentMethod": "pm_test_visaApproved", "paymentPlan": "pay_in_three"})
    assert 400 <= answer.status_code < 500
    assert contract.ok("GET", f"/orders/{session['order']['id']}")["status"] == "requires_authorization"


@pytest.mark.sandbox_only
def test_the_sandboxs_declining_test_method_rejects_the_order(contract):
    session = contract.ok("POST", "/checkout-sessions", json=session_body())
    refused(contract.authorize(session["order"]["id"], "pm_test_visaDeclined"), 402, "payment.declined")
    assert contract.ok("GET", f"/orders/{session['order']['id']}")["status"] == "rejected"
