"""Webhook deliveries as Smartpay sends them, signed with the shop's registered endpoint's secret, to a live shop."""
import requests
from sqlalchemy import select

from storefront.extensions import db
from storefront.smartpay.models import WebhookEndpoint, WebhookEvent
from tests.support.factories import signed_headers


def signed_post(shop, body: bytes, secret=None, subscription=None, timestamp=None, signature=None):
    with shop.app.app_context():
        endpoint = db.session.scalar(select(WebhookEndpoint))
        secret, subscription = secret or endpoint.signing_secret, subscription or endpoint.smartpay_id
    headers = signed_headers(body, secret, subscription, timestamp, **{"Smartpay-Event-Id": "evt_test_x"})
    if signature:
        headers["Smartpay-Signature"] = signature
    return requests.post(shop.url + "/webhooks/smartpay", data=body, headers=headers, timeout=10)


def stored_events(shop) -> list[tuple[str, str]]:
    with shop.app.app_context():
        return db.session.execute(select(WebhookEvent.event_id, WebhookEvent.result)).all()
