"""Webhook deliveries end to end: every one verified by the §5.4 algorithm written here from the contract and by
the Node SDK's own `Smartpay.verifyWebhookSignature`; refused attempts come again with the same event id, even
across a sandbox restart. Deliberately imports nothing from sandbox/ or storefront/: this check is independent.
"""
import hashlib
import hmac
import json

import pytest

from tests.sdk.answers import result
from tests.support.sandbox import SandboxServer, api, pay
from tests.support.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.live

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"  # Smartpay's base62 order, not 0-9A-Za-z
VECTOR = {  # the SDKs' own test vector (contract §10.5)
    "secret": "gybcsjixKyBW2d4z6iNPlaYzHUMtawnodwZt3W0q",
    "timestamp": "1653028612220",
    "body": '{"id":"evt_test_dwPfFKu5iSEKyHR2LFj9Lx","object":"event","createdAt":1653028523052,"test":true,'
            '"eventData":{"type":"payment.created","version":"2022-02-18","data":'
            '{"id":"payment_test_35LxgmF5KM22XKG38BjpJg","object":"payment","test":true,"createdAt":1653028523020,'
            '"updatedAt":1653028523020,"amount":200,'
            '"currency":"JPY","order":"order_test_RiYq2rthzRHrkKVGeucSwn","reference":"order_ref_1234567",'
            '"status":"processed","metadata":{}}}}',
    "signature": "68007ada8485ea0ceca7c5e879ae860a50412b7af95ab8e81b32a3e13f3c0832",
}


def signing_key(secret: str) -> bytes:
    number = 0
    for char in secret:
        number = number * 62 + ALPHABET.index(char)
    return number.to_bytes((number.bit_length() + 7) // 8, "big")


def signature_is_valid(secret: str, timestamp: str, body: str, signature: str) -> bool:
    expected = hmac.new(signing_key(secret), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def recorded(delivery) -> dict:
    return {"timestamp": delivery.headers["Smartpay-Signature-Timestamp"],
            "signature": delivery.headers["Smartpay-Signature"], "body": delivery.body.decode()}


def sdk_verdicts(node_sdk, deliveries: list[dict], secret: str, tmp_path) -> list[bool]:
    file = tmp_path / "deliveries.json"
    file.write_text(json.dumps(deliveries))
    return result(node_sdk("verify", file=str(file), secret=secret))


def test_the_test_vector_passes_both_verifiers_and_a_changed_byte_fails_them(node_sdk, tmp_path):
    tampered = {**VECTOR, "body": VECTOR["body"].replace('"amount":200', '"amount":201')}
    assert signature_is_valid(**VECTOR) and not signature_is_valid(**tampered)
    assert sdk_verdicts(node_sdk, [VECTOR, tampered], VECTOR["secret"], tmp_path) == [True, False]


def test_refused_deliveries_come_again_signed_with_the_same_event_id(node_sdk, sandbox, secret_key, tmp_path):
    receiver = WebhookReceiver(fail_first=2)
    try:
        endpoint = api(sandbox, secret_key, "POST", "/webhook-endpoints", json={"url": receiver.url}).json()
        session = result(node_sdk("createSession"))
        pay(session["url"])
        deliveries = receiver.wait_for(lambda ds: len(ds) >= 6)  # order.authorized and payment.created, 3 tries each
        by_event = {}
        for delivery in deliveries:
            event = json.loads(delivery.body)
            assert delivery.headers["Smartpay-Event-Id"] == event["id"]
            assert delivery.headers["Smartpay-Subscription-Id"] == endpoint["id"]
            by_event.setdefault(event["id"], []).append(event["eventData"]["type"])
        assert sorted(by_event.values()) == [["order.authorized"] * 3, ["payment.created"] * 3]
        records = [recorded(d) for d in deliveries]
        assert all(signature_is_valid(endpoint["signingSecret"], **r) for r in records)
        assert sdk_verdicts(node_sdk, records, endpoint["signingSecret"], tmp_path) == [True] * len(records)
        assert not any(signature_is_valid(endpoint["signingSecret"][::-1], **r) for r in records)
    finally:
        receiver.close()


def test_a_delivery_pending_across_a_restart_still_arrives_and_verifies(node_sdk, secret_key, tmp_path):
    (tmp_path / "sandbox").mkdir()
    server = SandboxServer(retry_delays="1.5", directory=str(tmp_path / "sandbox")).start()
    receiver = WebhookReceiver(fail_first=1)
    try:
        endpoint = api(server, secret_key, "POST", "/webhook-endpoints",
                       json={"url": receiver.url, "eventSubscriptions": ["order.rejected"]}).json()
        session = api(server, secret_key, "POST", "/checkout-sessions", json={
            "amount": 1500, "currency": "JPY", "items": [{"name": "Furoshiki", "amount": 1500, "quantity": 1}],
            "customerInfo": {}, "successUrl": "https://shop.example/ok", "cancelUrl": "https://shop.example/no",
            "shippingInfo": {"address": {"line1": "1-1", "locality": "港区", "postalCode": "105-0011",
                                         "country": "JP"}},
        }).json()
        pay(session["url"], card="4100 0000 0000 0019")
        receiver.wait_for(lambda ds: len(ds) == 1)
        server.restart()  # the retry falls due 1.5 s after the refusal, when the first process is gone
        first, second = receiver.wait_for(lambda ds: len(ds) == 2)
        assert first.headers["Smartpay-Event-Id"] == second.headers["Smartpay-Event-Id"]
        assert json.loads(second.body)["eventData"]["data"]["status"] == "rejected"
        both = [recorded(first), recorded(second)]
        assert sdk_verdicts(node_sdk, both, endpoint["signingSecret"], tmp_path) == [True, True]
        assert signature_is_valid(endpoint["signingSecret"], **recorded(second))
    finally:
        receiver.close()
        server.stop()
