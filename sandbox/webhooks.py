"""Webhook events: stored first, then delivered by a background worker that survives restarts.

The queue is the `deliveries` table. Each attempt signs the same stored bytes with a fresh timestamp, as
Smartpay does; only an HTTP 200 counts as delivered, anything else is retried after a growing delay.
"""
import json
import logging
import threading
import time

import requests
from sqlalchemy import select

from . import scenarios
from .extensions import db
from .ids import new_id, now_ms
from .models import Delivery, DeliveryAttempt, Event, WebhookEndpoint
from .signing import sign

log = logging.getLogger(__name__)
EVENT_VERSION = "2022-02-18"
TIMEOUT_SECONDS = 5


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


def deliver_due(delays: list[float]) -> int:
    """One pass of the worker: try every delivery whose time has come."""
    due = db.session.scalars(select(Delivery).where(Delivery.state == "pending", Delivery.next_attempt_at <= now_ms())
                             .order_by(Delivery.next_attempt_at).limit(20)).all()
    for delivery in due:
        attempt(delivery, delays)
    return len(due)


def attempt(delivery: Delivery, delays: list[float]) -> None:
    event = db.session.get(Event, delivery.event_id)
    endpoint = db.session.get(WebhookEndpoint, delivery.endpoint_id)
    if endpoint is None:
        delivery.state = "failed"
        db.session.commit()
        return
    record = post(endpoint, event)
    record.delivery_id = delivery.id
    db.session.add(record)
    delivery.attempts += 1
    if record.status_code == 200:
        delivery.state = "delivered"
    elif delivery.attempts > len(delays):
        delivery.state = "failed"
    else:
        delivery.next_attempt_at = now_ms() + int(delays[delivery.attempts - 1] * 1000)
    db.session.commit()


def post(endpoint: WebhookEndpoint, event: Event) -> DeliveryAttempt:
    timestamp = str(now_ms())
    body = event.body.encode()
    headers = {"Content-Type": "application/json", "User-Agent": "Smartpay-Sandbox-Webhooks/1.0",
               "Smartpay-Signature": sign(endpoint.signing_secret, timestamp, body),
               "Smartpay-Signature-Timestamp": timestamp, "Smartpay-Event-Id": event.id,
               "Smartpay-Subscription-Id": endpoint.id}
    started = time.monotonic()
    try:
        response = requests.post(endpoint.url, data=body, headers=headers, timeout=TIMEOUT_SECONDS)
        status, excerpt, error = response.status_code, response.text[:500], ""
    except requests.RequestException as exc:
        status, excerpt, error = None, "", f"{type(exc).__name__}: {exc}"[:500]
    return DeliveryAttempt(status_code=status, response_excerpt=excerpt, error=error,
                           duration_ms=int((time.monotonic() - started) * 1000))


def start_worker(app) -> threading.Thread:
    """A daemon thread polling the queue; several sandboxes on one database would share the work."""
    delays = app.config["WEBHOOK_RETRY_DELAYS"]

    def run():
        while True:
            try:
                with app.app_context():
                    expire_lapsed_authorizations()
                    busy = deliver_due(delays)
            except Exception:  # keep delivering whatever one bad row does
                log.exception("webhook worker pass failed")
                busy = 0
            time.sleep(0.05 if busy else app.config["WEBHOOK_POLL_SECONDS"])

    from .ledger import expire_lapsed_authorizations  # the ledger emits through this module

    thread = threading.Thread(target=run, name="webhook-worker", daemon=True)
    thread.start()
    return thread
