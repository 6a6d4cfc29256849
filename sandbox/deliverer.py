"""The webhook deliverer: a background thread of the sandbox that sends queued deliveries, surviving restarts.

Each attempt signs the same stored bytes with a fresh timestamp, as Smartpay does; only an HTTP 200 counts as
delivered, anything else (or no answer within TIMEOUT_SECONDS) is retried after a growing delay. The same loop
lets lapsed manual-capture authorizations expire, as Smartpay does after 7 days.
"""
import logging
import threading
import time

import requests
from sqlalchemy import select, update

from .extensions import db
from .ids import now_ms
from .ledger import expire_lapsed_authorizations
from .models import Delivery, DeliveryAttempt, Event, WebhookEndpoint
from .signing import sign
from .webhooks import queue_outboxed

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 5
CLAIM_MS = (TIMEOUT_SECONDS + 5) * 1000


def deliver_due(delays: list[float]) -> int:
    """One pass of the worker: queue the events changes left in the outbox, then try every delivery whose time
    has come and that this worker claimed (several sandbox processes share the queue)."""
    queued = queue_outboxed()
    due = db.session.scalars(select(Delivery).where(Delivery.state == "pending", Delivery.next_attempt_at <= now_ms())
                             .order_by(Delivery.next_attempt_at, Delivery.id).limit(20)).all()
    for delivery in due:
        if claim(delivery):
            attempt(delivery, delays)
    return queued + len(due)


def claim(delivery: Delivery) -> bool:
    """A compare-and-set on the time it was due: the worker that moves it on sends it; another one skips it.
    Should this one die while sending, the delivery is due again once the claim lapses."""
    claimed = db.session.execute(
        update(Delivery).where(Delivery.id == delivery.id, Delivery.state == "pending",
                               Delivery.next_attempt_at == delivery.next_attempt_at)
        .values(next_attempt_at=now_ms() + CLAIM_MS).execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return claimed


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

    thread = threading.Thread(target=run, name="webhook-worker", daemon=True)
    thread.start()
    return thread
