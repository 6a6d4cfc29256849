"""Smartpay's webhooks: they tell the shop what happened even when the shopper never comes back.

The endpoint does three things and answers at once: verify the signature on the raw bytes, store the event
in the inbox (its unique id drops duplicates), answer 200. It never calls Smartpay and never moves an order:
Smartpay's deliverer waits only seconds, and retries anything but a 200. The worker does the rest
(storefront/smartpay/webhooks/inbox.py), with retries, however slow Smartpay is at that moment.
"""
import json
import secrets
import time
from datetime import timedelta

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from ...extensions import csrf, db
from ...models import utcnow
from ...request_id import current_request_id
from ..client import verify_webhook_signature
from ..models import WebhookEndpoint, WebhookEvent
from ..statuses import WebhookResult, WebhookStatus
from .inbox import order_id_in

bp = Blueprint("webhooks", __name__)
REFUSED_KEPT_PER_HOUR = 200  # refused deliveries kept for the admin's log; past that only the app's log has them
REFUSED_EXCERPT = 1000       # characters of a refused body kept


@bp.post("/webhooks/smartpay")
@csrf.exempt  # signed by Smartpay instead: a CSRF token cannot come from another server
def receive():
    raw = request.get_data()
    problem = signature_problem(raw)
    if problem:
        return refuse(raw, problem)
    try:
        event = json.loads(raw)
        event_id, event_type = str(event["id"]), str(event["eventData"]["type"])
    except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: JSON nested thousands deep
        return refuse(raw, WebhookResult.NOT_AN_EVENT)
    try:
        stored = store(event_id, event_type, order_id_in(event["eventData"].get("data"), event_type), raw)
    except OperationalError:  # the database is busy or away: Smartpay delivers again, nothing is lost
        db.session.rollback()
        current_app.logger.warning("webhook %s not stored yet: the database is busy", event_id)
        return jsonify(error="busy, send it again"), 503, {"Retry-After": "5"}
    return jsonify(received=True, duplicate=True) if not stored else jsonify(received=True)


def store(event_id: str, event_type: str, smartpay_order_id: str | None, raw: bytes) -> bool:
    """Put the event in the inbox, in one short unit of work; False when this event id was already there."""
    db.session.add(WebhookEvent(
        event_id=storable(event_id)[:80], event_type=storable(event_type)[:60], signature_valid=True,
        smartpay_order_id=storable(smartpay_order_id) if smartpay_order_id else None,
        subscription_id=storable(request.headers.get("Smartpay-Subscription-Id", ""))[:80],
        payload=storable(raw.decode("utf-8", "replace")), request_id=current_request_id()))
    try:
        db.session.commit()
    except IntegrityError:  # a redelivery: the first copy is stored (processed or not), nothing changes
        db.session.rollback()
        return False
    return True


def refuse(raw: bytes, reason: WebhookResult):
    """400 with no detail, so a forger learns nothing; the reason goes to the admin's webhook log only, and
    only so often: anyone can POST here, and a flood of forgeries must not fill the database."""
    current_app.logger.warning("webhook refused: %s", reason)
    if refused_lately() >= REFUSED_KEPT_PER_HOUR:
        return jsonify(error="invalid webhook"), 400
    db.session.add(WebhookEvent(
        event_id=f"rejected-{secrets.token_hex(12)}", event_type="(refused)", signature_valid=False,
        status=WebhookStatus.REFUSED,
        subscription_id=storable(request.headers.get("Smartpay-Subscription-Id", ""))[:80],
        payload=storable(raw[:REFUSED_EXCERPT].decode("utf-8", "replace")), result=reason, processed_at=utcnow(),
        request_id=current_request_id()))
    try:
        db.session.commit()
    except OperationalError:  # busy: the log line above is enough for a refusal
        db.session.rollback()
    return jsonify(error="invalid webhook"), 400


def refused_lately() -> int:
    return db.session.scalar(select(func.count(WebhookEvent.id)).where(
        WebhookEvent.status == WebhookStatus.REFUSED, WebhookEvent.received_at > utcnow() - timedelta(hours=1)))


def storable(text: str) -> str:
    """Text as the database can keep it: PostgreSQL refuses NUL characters, whoever sent them."""
    return text.replace("\x00", "\ufffd")


def signature_problem(raw: bytes) -> WebhookResult | str:
    """Why this delivery is not a genuine, fresh one from Smartpay; "" when it is."""
    headers = request.headers
    secret = signing_secret(headers.get("Smartpay-Subscription-Id", ""))
    timestamp = headers.get("Smartpay-Signature-Timestamp", "")
    if not secret:
        return WebhookResult.UNKNOWN_SUBSCRIPTION
    if not fresh(timestamp):
        return WebhookResult.STALE_TIMESTAMP
    if not verify_webhook_signature(secret, timestamp, raw, headers.get("Smartpay-Signature", "")):
        return WebhookResult.BAD_SIGNATURE
    return ""


def signing_secret(subscription_id: str) -> str | None:
    """The secret of the endpoint the delivery names; SMARTPAY_WEBHOOK_SECRET for one made in the dashboard."""
    endpoint = db.session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.smartpay_id == subscription_id))
    if endpoint is not None:
        return endpoint.signing_secret
    return current_app.config["SMARTPAY_WEBHOOK_SECRET"] or None


def fresh(timestamp: str) -> bool:
    """Refuse replays of old deliveries: the timestamp (ms) must be within the configured window of now. Only
    ASCII digits of a plausible length count (isdigit() alone takes "²", and 400 nines overflow a float)."""
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 16):
        return False
    return abs(time.time() * 1000 - int(timestamp)) <= current_app.config["WEBHOOK_TOLERANCE_SECONDS"] * 1000
