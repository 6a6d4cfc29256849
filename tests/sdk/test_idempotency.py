"""Idempotency as a merchant retrying through the official Node SDK sees it: one object, a replay header, a 409."""
import secrets

import pytest

from tests.sdk.answers import error, result
from tests.support.sandbox import api, pay

pytestmark = pytest.mark.live


def test_the_same_create_twice_with_one_key_makes_one_session(node_sdk):
    key = secrets.token_hex(16)
    first = result(node_sdk("createSession", idempotencyKey=key))
    again = result(node_sdk("createSession", idempotencyKey=key))
    assert again == first
    assert [s["id"] for s in result(node_sdk("listSessions"))["data"]] == [first["id"]]


def test_the_same_key_with_another_body_is_refused(node_sdk):
    key = secrets.token_hex(16)
    node_sdk("createSession", idempotencyKey=key)
    refused = error(node_sdk("createSession", idempotencyKey=key, reference="another-order"))
    assert refused["statusCode"] == 409 and refused["errorCode"] == "request.idempotency-key-reused"


def test_a_retried_refund_refunds_once(node_sdk):
    session = result(node_sdk("createSession"))
    pay(session["url"])
    payment = result(node_sdk("getOrder", id=session["order"]["id"]))["payments"][0]
    key = secrets.token_hex(16)
    first = result(node_sdk("refund", payment=payment["id"], amount=970, idempotencyKey=key))
    assert result(node_sdk("refund", payment=payment["id"], amount=970, idempotencyKey=key))["id"] == first["id"]
    # Exactly one refund of 970 happened: the rest of the 7,970 is still refundable, and not a yen more.
    assert error(node_sdk("refund", payment=payment["id"], amount=7001))["errorCode"] == "amount.insufficient"
    assert result(node_sdk("refund", payment=payment["id"], amount=7000))["amount"] == 7000


def test_a_replay_is_marked_with_the_replayed_header(sandbox, secret_key, node_sdk):
    # The SDK hides response headers, so the header is read on the wire with the body the SDK would send.
    session = result(node_sdk("createSession"))
    pay(session["url"])
    payment = result(node_sdk("getOrder", id=session["order"]["id"]))["payments"][0]
    body = {"payment": payment["id"], "amount": 1, "currency": "JPY", "reason": "requested_by_customer"}
    headers = {"Idempotency-Key": secrets.token_hex(16)}
    first = api(sandbox, secret_key, "POST", "/refunds", json=body, headers=headers)
    again = api(sandbox, secret_key, "POST", "/refunds", json=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert "Idempotency-Replayed" not in first.headers
    assert again.headers["Idempotency-Replayed"] == "true" and again.json() == first.json()
    other = api(sandbox, secret_key, "POST", "/refunds", json={**body, "amount": 2}, headers=headers)
    assert other.status_code == 409 and other.json()["errorCode"] == "request.idempotency-key-reused"
