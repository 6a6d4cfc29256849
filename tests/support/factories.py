"""Test data in one line each: a shop order in a given state and Smartpay's order object for it, a Smartpay event
and its signed delivery, the shop's registered endpoint and a stored event, a 定期便 and Smartpay's token for it.
Smartpay's objects are plain dicts shaped like the API's (contract §3.2, §7), so the payment code can be tested
without any server."""
import json
import time
from datetime import date

from storefront.extensions import db
from storefront.models import Order
from storefront.smartpay.client import webhook_signature
from storefront.smartpay.models import WebhookEndpoint, WebhookEvent
from storefront.smartpay.statuses import SMARTPAY
from storefront.statuses import OrderStatus
from storefront.subscriptions.models import Subscription
from storefront.subscriptions.statuses import SubscriptionStatus

SECRET = "gybcsjixKyBW2d4z6iNPlaYzHUMtawnodwZt3W0q"  # a signing secret shaped like Smartpay's
ENDPOINT_ID = "webhookendpoint_test_factory"
CUSTOMER = {"email": "a@example.com", "family_name": "Sato", "given_name": "Ken", "phone": "0312345678",
            "postal_code": "150-0002", "prefecture": "東京都", "city": "渋谷区", "address_line1": "1-1"}


def an_order(status: OrderStatus, number: str = "HM-TEST0001", **fields) -> Order:
    """A committed shop order of ¥1,500 (¥1,000 and ¥500 shipping), paid with Smartpay unless `fields` say."""
    fields.setdefault("payment_method", SMARTPAY)
    order = Order(number=number, status=status, **fields, **CUSTOMER, subtotal=1000, shipping_fee=500, total=1500)
    db.session.add(order)
    db.session.commit()
    return order


def smartpay_order(order: Order, status: str = "succeeded", **changes) -> dict:
    """Smartpay's expanded order for `order`: the same id, amount, currency and reference, captured in full when
    its status says so. `changes` overrides any field (a different amount, discounts, payments …)."""
    captured = order.total if status == "succeeded" else 0
    remote = {"id": order.smartpay_order_id, "object": "order", "status": status, "amount": order.total,
              "currency": "JPY", "reference": order.number, "discounts": [], "discountAmount": 0,
              "payments": [{"id": "payment_test_factory", "object": "payment", "amount": captured, "refunds": []}]
              if captured else []}
    return {**remote, **changes}


def an_event(event_type: str, data: dict, event_id: str = "evt_test_factory") -> bytes:
    """A Smartpay event's body, as its deliverer sends it (compact JSON, contract §8)."""
    return json.dumps({"id": event_id, "object": "event", "createdAt": 1, "test": True,
                       "eventData": {"type": event_type, "version": "2022-02-18", "data": data}},
                      separators=(",", ":")).encode()


def signed_headers(body: bytes, secret: str = SECRET, endpoint_id: str = ENDPOINT_ID, timestamp: str | None = None,
                   **extra: str) -> dict:
    """The headers of a delivery of `body`, signed as Smartpay signs (now, unless `timestamp` says otherwise)."""
    timestamp = timestamp or str(int(time.time() * 1000))
    return {"Content-Type": "application/json", "Smartpay-Subscription-Id": endpoint_id,
            "Smartpay-Signature-Timestamp": timestamp, "Smartpay-Signature": webhook_signature(secret, timestamp, body),
            **extra}


def an_endpoint(secret: str = SECRET, endpoint_id: str = ENDPOINT_ID) -> WebhookEndpoint:
    """The shop's endpoint as registered at Smartpay, so deliveries signed with `secret` are accepted."""
    endpoint = WebhookEndpoint(smartpay_id=endpoint_id, url="http://127.0.0.1/webhooks/smartpay", signing_secret=secret)
    db.session.add(endpoint)
    db.session.commit()
    return endpoint


def a_stored_event(event_type: str = "payout.paid", data: dict | None = None, event_id: str = "evt_test_factory",
                   **fields) -> WebhookEvent:
    """An event the endpoint verified and stored, waiting for the worker."""
    event = WebhookEvent(event_id=event_id, event_type=event_type, signature_valid=True,
                         payload=an_event(event_type, data or {}, event_id).decode(), **fields)
    db.session.add(event)
    db.session.commit()
    return event


def a_subscription(status: SubscriptionStatus = SubscriptionStatus.ACTIVE, token_id: str = "paytok_test_factory",
                   note: str = "", **fields) -> Subscription:
    """A committed 定期便 every month, charged with Smartpay token `token_id`, next due on 1 December 2026 (`fields`
    override: its lines, another day …)."""
    fields = {"interval_months": 1, "next_charge_on": date(2026, 12, 1), "customer": dict(CUSTOMER), **fields}
    subscription = Subscription(status=status, smartpay_token_id=token_id, note=note, **fields)
    db.session.add(subscription)
    db.session.commit()
    return subscription


def a_token(token_id: str = "paytok_test_factory", status: str = "active", **changes) -> dict:
    """Smartpay's token object (contract §7): requires_authorization, active, rejected, disabled or deleted."""
    return {"id": token_id, "object": "token", "status": status, "reference": "", "description": "", "test": True,
            "metadata": {}, "createdAt": 1, "updatedAt": 1, **changes}
