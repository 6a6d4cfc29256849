"""Signed webhook deliveries, retries with the same event id, and no loss across a restart."""
import json

import pytest

from sandbox.signing import base62_decode, base62_encode, new_signing_secret
from storefront.smartpay.client import verify_webhook_signature
from tests.support.sandbox import SandboxServer, api, pay
from tests.support.webhook_receiver import WebhookReceiver

VECTOR_SECRET = "gybcsjixKyBW2d4z6iNPlaYzHUMtawnodwZt3W0q"
VECTOR_TIMESTAMP = "1653028612220"
VECTOR_BODY = (b'{"id":"evt_test_dwPfFKu5iSEKyHR2LFj9Lx","object":"event","createdAt":1653028523052,"test":true,'
               b'"eventData":{"type":"payment.created","version":"2022-02-18","data":{"id":"payment_test_35LxgmF5KM22XKG38BjpJg",'
               b'"object":"payment","test":true,"createdAt":1653028523020,"updatedAt":1653028523020,"amount":200,'
               b'"currency":"JPY","order":"order_test_RiYq2rthzRHrkKVGeucSwn","reference":"order_ref_1234567",'
               b'"status":"processed","metadata":{}}}}')
VECTOR_SIGNATURE = "68007ada8485ea0ceca7c5e879ae860a50412b7af95ab8e81b32a3e13f3c0832"


def test_the_sdks_test_vector_verifies():
    assert len(base62_decode(VECTOR_SECRET)) == 30
    assert verify_webhook_signature(VECTOR_SECRET, VECTOR_TIMESTAMP, VECTOR_BODY, VECTOR_SIGNATURE)
    assert not verify_webhook_signature(VECTOR_SECRET, VECTOR_TIMESTAMP, VECTOR_BODY + b" ", VECTOR_SIGNATURE)


def test_signing_secrets_decode_to_30_bytes_for_every_sdk():
    for _ in range(200):
        secret = new_signing_secret()
        key = base62_decode(secret)
        assert len(key) == 30 and key[0] != 0 and not secret.startswith(("A", "0z"))
        assert base62_encode(key) == secret


@pytest.fixture
def receiver():
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


def subscribe(sandbox, key, url, events=None) -> dict:
    body = {"url": url, **({"eventSubscriptions": events} if events else {})}
    return api(sandbox, key, "POST", "/webhook-endpoints", json=body).json()


def approved_order(sandbox, key, body, **changes) -> dict:
    session = api(sandbox, key, "POST", "/checkout-sessions", json={**body, **changes}).json()
    assert pay(session["url"]).status_code == 303
    return session


def event_of(delivery) -> dict:
    return json.loads(delivery.body)


def test_approval_sends_signed_order_authorized_then_payment_created(sandbox, secret_key, body, receiver):
    endpoint = subscribe(sandbox, secret_key, receiver.url)
    session = approved_order(sandbox, secret_key, body)
    deliveries = receiver.wait_for(lambda ds: len(ds) >= 2)
    assert [event_of(d)["eventData"]["type"] for d in deliveries] == ["order.authorized", "payment.created"]
    for delivery in deliveries:
        headers = delivery.headers
        assert headers["Smartpay-Subscription-Id"] == endpoint["id"]
        assert headers["Smartpay-Event-Id"] == event_of(delivery)["id"]
        assert verify_webhook_signature(endpoint["signingSecret"], headers["Smartpay-Signature-Timestamp"],
                                        delivery.body, headers["Smartpay-Signature"])
        assert b'": ' not in delivery.body and b'", "' not in delivery.body  # compact JSON, like Smartpay's
    payment = event_of(deliveries[1])["eventData"]["data"]
    assert payment["object"] == "payment" and payment["order"] == session["order"]["id"]


def test_only_subscribed_events_are_sent(sandbox, secret_key, body, receiver):
    subscribe(sandbox, secret_key, receiver.url, events=["payment.created"])
    approved_order(sandbox, secret_key, body)
    deliveries = receiver.wait_for(lambda ds: len(ds) >= 1)
    assert {event_of(d)["eventData"]["type"] for d in deliveries} == {"payment.created"}


def test_failed_deliveries_come_again_with_the_same_event_id_and_a_fresh_timestamp(sandbox, secret_key, body):
    receiver = WebhookReceiver(fail_first=2)
    try:
        endpoint = subscribe(sandbox, secret_key, receiver.url, events=["order.rejected"])
        session = api(sandbox, secret_key, "POST", "/checkout-sessions", json=body).json()
        pay(session["url"], card="4100 0000 0000 0019")
        deliveries = receiver.wait_for(lambda ds: len(ds) >= 3)
        assert len({d.headers["Smartpay-Event-Id"] for d in deliveries}) == 1
        assert len({d.headers["Smartpay-Signature-Timestamp"] for d in deliveries}) == 3
        assert deliveries[2].received_at - deliveries[1].received_at > deliveries[1].received_at - deliveries[0].received_at
        for delivery in deliveries:
            assert verify_webhook_signature(endpoint["signingSecret"], delivery.headers["Smartpay-Signature-Timestamp"],
                                            delivery.body, delivery.headers["Smartpay-Signature"])
    finally:
        receiver.close()


@pytest.mark.live
def test_a_delivery_pending_across_a_restart_still_arrives(secret_key, body, tmp_path):
    server = SandboxServer(retry_delays="1.5", directory=str(tmp_path)).start()
    receiver = WebhookReceiver(fail_first=1)
    try:
        subscribe(server, secret_key, receiver.url, events=["order.rejected"])
        session = api(server, secret_key, "POST", "/checkout-sessions", json=body).json()
        pay(session["url"], card="4100 0000 0000 0019")
        receiver.wait_for(lambda ds: len(ds) == 1)
        server.restart()  # the retry is due 1.5 s later, after the old process is gone
        deliveries = receiver.wait_for(lambda ds: len(ds) == 2)
        assert deliveries[0].headers["Smartpay-Event-Id"] == deliveries[1].headers["Smartpay-Event-Id"]
    finally:
        receiver.close()
        server.stop()
