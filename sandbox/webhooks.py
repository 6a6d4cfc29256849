"""Webhook events: stored first, with one delivery queued per subscribed endpoint, in the transaction of the
change they report. sandbox/deliverer.py sends them; the queue is the `deliveries` table.
"""
import json

from sqlalchemy import select

from . import scenarios
from .extensions import db
from .ids import new_id, now_ms
from .models import Delivery, Event, WebhookEndpoint

EVENT_VERSION = "2022-02-18"


def emit(account: str, event_type: str, order_id: str | None, data: dict) -> Event:
    """Store an event and queue one delivery per active endpoint subscribed to its type."""
    event_id = new_id("evt")
    created = now_ms()
    body = {"id": event_id, "object": "event", "createdAt": created, "test": True,
            "eventData": {"type": event_type, "version": EVENT_VERSION, "data": data}}
    event = Event(id=event_id, account=account, type=event_type, order_id=order_id, created_at=created,
                  body=json.dumps(body, separators=(",", ":"), ensure_ascii=False))
    db.session.add(event)
    endpoints = subscribed_endpoints(account, event_type)
    effect = scenarios.webhook_effect(account, event_id, event_type) if endpoints else None
    for endpoint in endpoints:
        for delivery in deliveries_for(account, event_id, endpoint.id, effect):
            db.session.add(delivery)
    db.session.commit()
    return event


def deliveries_for(account: str, event_id: str, endpoint_id: str, effect) -> list[Delivery]:
    """One delivery, unless a failure scenario drops it, holds it back or sends it twice."""
    delivery = Delivery(account=account, event_id=event_id, endpoint_id=endpoint_id, next_attempt_at=now_ms())
    kind = effect.type if effect is not None else None
    if kind == "webhook_drop":
        delivery.state = "dropped"
    elif kind == "webhook_delay":
        delivery.next_attempt_at += effect.params["seconds"] * 1000
    elif kind == "webhook_out_of_order":
        delivery.next_attempt_at += scenarios.OUT_OF_ORDER_HOLD_MS
    elif kind == "webhook_duplicate":
        return [delivery, Delivery(account=account, event_id=event_id, endpoint_id=endpoint_id)]
    return [delivery]


def subscribed_endpoints(account: str, event_type: str) -> list[WebhookEndpoint]:
    endpoints = db.session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.account == account, WebhookEndpoint.active.is_(True))).all()
    return [e for e in endpoints if not e.event_subscriptions or event_type in e.event_subscriptions]


def resend(event: Event) -> int:
    """Queue the event again to every endpoint that subscribes to it (same event id, as a retry would)."""
    endpoints = subscribed_endpoints(event.account, event.type)
    for endpoint in endpoints:
        db.session.add(Delivery(account=event.account, event_id=event.id, endpoint_id=endpoint.id))
    db.session.commit()
    return len(endpoints)
