"""Smartpay's webhooks: they tell the shop what happened even when the shopper never comes back.

Verify the signature on the raw bytes, store the event (its unique id drops duplicates), answer 200; then
re-read the order from the API and move it through the same state machine as the return pages.
"""
import json
import secrets
import time

import click
from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import orders
from ..extensions import csrf, db
from ..gateway import smartpay
from ..models import Order, WebhookEndpoint, WebhookEvent, utcnow
from ..request_id import current_request_id
from ..smartpay import SmartpayError, verify_webhook_signature

bp = Blueprint("webhooks", __name__, cli_group="smartpay")
ORDER_EVENTS = {"order.authorized", "order.rejected", "order.canceled", "payment.created", "refund.created"}


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
    except (ValueError, KeyError, TypeError):
        return refuse(raw, "the body is not a Smartpay event")
    stored = store(event_id, event_type, raw)
    if stored is None:
        return jsonify(received=True, duplicate=True)
    process_event(stored)
    return jsonify(received=True)


def refuse(raw: bytes, reason: str):
    """400 with no detail, so a forger learns nothing; the reason goes to the admin's webhook log only."""
    current_app.logger.warning("webhook refused: %s", reason)
    db.session.add(WebhookEvent(
        event_id=f"rejected-{secrets.token_hex(12)}", event_type="(refused)", signature_valid=False,
        subscription_id=storable(request.headers.get("Smartpay-Subscription-Id", ""))[:80],
        payload=storable(raw[:4000].decode("utf-8", "replace")), result=f"refused: {reason}", processed_at=utcnow(),
        request_id=current_request_id()))
    db.session.commit()
    return jsonify(error="invalid webhook"), 400


def storable(text: str) -> str:
    """Text as the database can keep it: PostgreSQL refuses NUL characters, whoever sent them."""
    return text.replace("\x00", "\ufffd")


def signature_problem(raw: bytes) -> str:
    """Why this delivery is not a genuine, fresh one from Smartpay; "" when it is."""
    headers = request.headers
    secret = signing_secret(headers.get("Smartpay-Subscription-Id", ""))
    timestamp = headers.get("Smartpay-Signature-Timestamp", "")
    if not secret:
        return "unknown subscription id"
    if not fresh(timestamp):
        return "timestamp missing or outside the allowed window"
    if not verify_webhook_signature(secret, timestamp, raw, headers.get("Smartpay-Signature", "")):
        return "signature does not match"
    return ""


def signing_secret(subscription_id: str) -> str | None:
    """The secret of the endpoint the delivery names; SMARTPAY_WEBHOOK_SECRET for one made in the dashboard."""
    endpoint = db.session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.smartpay_id == subscription_id))
    if endpoint is not None:
        return endpoint.signing_secret
    return current_app.config["SMARTPAY_WEBHOOK_SECRET"] or None


def fresh(timestamp: str) -> bool:
    """Refuse replays of old deliveries: the timestamp (ms) must be within the configured window of now."""
    if not timestamp.isdigit():
        return False
    return abs(time.time() * 1000 - int(timestamp)) <= current_app.config["WEBHOOK_TOLERANCE_SECONDS"] * 1000


def store(event_id: str, event_type: str, raw: bytes) -> WebhookEvent | None:
    """Save the event before acting on it; None when this event id was already received."""
    event = WebhookEvent(event_id=storable(event_id)[:80], event_type=storable(event_type)[:60], signature_valid=True,
                         subscription_id=storable(request.headers.get("Smartpay-Subscription-Id", ""))[:80],
                         payload=storable(raw.decode("utf-8", "replace")), request_id=current_request_id())
    db.session.add(event)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return event


def process_event(event: WebhookEvent) -> None:
    """Act on a stored event (also the admin's "reprocess"). Failures are recorded, never raised: the event
    is safe in the database and `flask smartpay sync` or a reprocess can finish the work."""
    try:
        event.result = act_on(event)
    except SmartpayError as error:
        db.session.rollback()
        event.result = f"could not read the order from Smartpay: {error}"
    event.processed_at = utcnow()
    db.session.commit()


def act_on(event: WebhookEvent) -> str:
    if event.event_type not in ORDER_EVENTS:
        return "stored; no action for this event type"
    smartpay_order_id = order_id_of(json.loads(event.payload)["eventData"]["data"], event.event_type)
    event.smartpay_order_id = smartpay_order_id
    db.session.commit()  # never hold a write lock while waiting on Smartpay
    order = db.session.scalar(select(Order).where(Order.smartpay_order_id == smartpay_order_id))
    if order is None:
        return f"no order of this shop has Smartpay id {smartpay_order_id}"
    before = order.status
    outcome = orders.refresh_order(order, f"webhook {event.event_type}")
    return f"order {order.number}: {before} → {outcome}"


def order_id_of(data: dict, event_type: str) -> str:
    if event_type.startswith("order."):
        return data["id"]
    if event_type == "payment.created":
        return data["order"]
    return smartpay().get_payment(data["payment"])["order"]  # refund.created names only the payment


# --- commands -------------------------------------------------------------------------------

@bp.cli.command("register-webhook")
def register_webhook():
    """Create the webhook endpoint at Smartpay for PUBLIC_URL and keep its signing secret."""
    click.echo(ensure_webhook_endpoint())


def ensure_webhook_endpoint() -> str:
    url = current_app.config["PUBLIC_URL"] + "/webhooks/smartpay"
    if still_registered(url):
        return f"Webhook endpoint already registered for {url}"
    # One key per run: the client's retries reuse it, while a later run (after the endpoint was deleted at
    # Smartpay) must not be answered with the replay of the old, deleted endpoint.
    key = "webhook-endpoint-" + secrets.token_hex(16)
    try:
        endpoint = smartpay().create_webhook_endpoint(url, sorted(ORDER_EVENTS), idempotency_key=key)
    except SmartpayError as error:
        raise click.ClickException(f"Smartpay refused the webhook endpoint: {error.message}") from error
    db.session.add(WebhookEndpoint(smartpay_id=endpoint["id"], url=url, signing_secret=endpoint["signingSecret"]))
    db.session.commit()
    return f"Registered webhook endpoint {endpoint['id']} for {url}"


def still_registered(url: str) -> bool:
    """True when our stored endpoint for `url` still exists at Smartpay (a new key means a new account)."""
    stored = db.session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.url == url))
    if stored is None:
        return False
    try:
        smartpay().get_webhook_endpoint(stored.smartpay_id)
    except SmartpayError as error:
        if error.status_code != 404:
            raise click.ClickException(f"Could not check the webhook endpoint: {error.message}") from error
        db.session.delete(stored)
        db.session.commit()
        return False
    return True


@bp.cli.command("sync")
def sync():
    """Re-read every order that can still change and move it on (for lost redirects and webhooks)."""
    counts = orders.sync_open_orders()
    click.echo(f"Checked {counts['checked']} orders: {counts['changed']} changed, {counts['failed']} unreachable.")
