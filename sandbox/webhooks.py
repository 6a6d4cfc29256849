"""Webhook events: each stored in the transaction of the change it reports, with a row in the event outbox.

Emitting writes two rows and nothing else, so it can never fail a change whose money already moved, nor hold
its lock while endpoints and scenarios are looked up. The deliverer (sandbox/deliverer.py) then fans each
outboxed event out into one delivery per subscribed endpoint (`queue_outboxed`), and sends those.
"""
import json

from sqlalchemy import String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from . import scenarios
from .extensions import db
from .ids import new_id, now_ms
from .models import Delivery, Event, WebhookEndpoint

EVENT_VERSION = "2022-02-18"


class EventOutbox(db.Model):
    """An event not yet turned into deliveries. A table of its own: old databases still open."""
    __tablename__ = "event_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)  # the order events were emitted in, within a change too
    event_id: Mapped[str] = mapped_column(String(60), unique=True)


def emit(account: str, event_type: str, order_id: str | None, data: dict) -> Event:
    """Store an event in the caller's transaction; the deliverer queues its deliveries after the commit."""
    event_id = new_id("evt")
    created = now_ms()
    body = {"id": event_id, "object": "event", "createdAt": created, "test": True,
            "eventData": {"type": event_type, "version": EVENT_VERSION, "data": data}}
    event = Event(id=event_id, account=account, type=event_type, order_id=order_id, created_at=created,
                  body=json.dumps(body, separators=(",", ":"), ensure_ascii=False))
    db.session.add_all([event, EventOutbox(event_id=event_id)])
    return event


def queue_outboxed(limit: int = 50) -> int:
    """Turn outboxed events into deliveries, oldest first, one transaction each. Taking an event out of the
    outbox is the claim: of two deliverers, the one whose DELETE removed the row queues its deliveries."""
    waiting = db.session.scalars(select(EventOutbox.event_id).order_by(EventOutbox.id).limit(limit)).all()
    for event_id in waiting:
        if db.session.execute(delete(EventOutbox).where(EventOutbox.event_id == event_id)).rowcount == 1:
            event = db.session.get(Event, event_id)
            endpoints = subscribed_endpoints(event.account, event.type)
            effect = scenarios.webhook_effect(event.account, event.id, event.type) if endpoints else None
            for endpoint in endpoints:
                db.session.add_all(deliveries_for(event.account, event.id, endpoint.id, effect))
        db.session.commit()
    return len(waiting)


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
