"""Webhook deliveries as Smartpay sends them, signed with the shop's registered endpoint's secret."""
import json
import time

import requests
from sqlalchemy import select

from storefront.extensions import db
from storefront.models import WebhookEndpoint, WebhookEvent
from storefront.smartpay.client import webhook_signature


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
