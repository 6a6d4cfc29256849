"""The webhook inbox: what an event changes, once the endpoint stored it and answered 200 (the worker's job that
works through the stored events is webhooks/jobs.py).

For an order's event: find the order, re-read it from Smartpay, move it through the state machine. Another
event type goes to the feature that registered for it. Nothing here commits: the job does.
"""
import json
from datetime import datetime
from typing import Callable

from flask import Flask, current_app, g
from sqlalchemy import select

from ...extensions import db
from ...models import Order, utcnow
from .. import payments
from ..gateway import smartpay
from ..models import WebhookEvent
from ..statuses import WebhookResult, WebhookStatus, webhook_source

# The events the shop acts on; it subscribes to these when it registers its endpoint.
ORDER_EVENTS = {"order.authorized", "order.rejected", "order.canceled", "payment.created", "refund.created"}
# A feature that acts on other events registers a handler for them (`on_events`): the 定期便 its token events.
Handler = Callable[[dict], tuple[str, dict]]  # its own result code (a StrEnum), and details


def on_events(app: Flask, event_types: set[str], handler: Handler) -> None:
    """`handler(event data)` acts on these event types (re-reading from Smartpay what it needs) in the inbox's
    unit of work, and says what it did; the endpoint is registered at Smartpay for them too."""
    app.extensions.setdefault("webhook_handlers", {}).update(dict.fromkeys(event_types, handler))


def handled_events() -> set[str]:
    return ORDER_EVENTS | set(current_app.extensions.get("webhook_handlers", {}))


def act_on(event: WebhookEvent) -> tuple[str, dict]:
    """What the event changes, as a result code and its details (labels.py words them for people);
    every read from Smartpay comes before the first write of this unit of work."""
    handler = current_app.extensions.get("webhook_handlers", {}).get(event.event_type)
    if handler is not None:
        return handler(json.loads(event.payload)["eventData"]["data"])
    if event.event_type not in ORDER_EVENTS:
        return WebhookResult.NO_ACTION, {}
    smartpay_order_id = order_id_of(json.loads(event.payload)["eventData"]["data"], event.event_type)
    order = db.session.scalar(select(Order).where(Order.smartpay_order_id == smartpay_order_id))
    if order is None:
        event.smartpay_order_id = smartpay_order_id
        return WebhookResult.UNKNOWN_ORDER, {"id": smartpay_order_id}
    before = order.status
    if g.orders_read.get(smartpay_order_id, datetime.min) >= event.received_at:  # read since: nothing new
        event.smartpay_order_id = smartpay_order_id
        return WebhookResult.ORDER_CHECKED, {"order": order.number, "from": before, "to": order.status}
    g.orders_read[smartpay_order_id] = utcnow()
    outcome = payments.refresh_order(order, webhook_source(event.event_type))
    event.smartpay_order_id = smartpay_order_id  # written after Smartpay answered: no lock held while it is asked
    if outcome == payments.MISMATCH:
        return WebhookResult.ORDER_MISMATCH, {"order": order.number}
    return WebhookResult.ORDER_CHECKED, {"order": order.number, "from": before, "to": order.status}


def order_id_of(data: dict, event_type: str) -> str:
    return order_id_in(data, event_type) or smartpay().get_payment(data["payment"])["order"]


def order_id_in(data, event_type: str) -> str | None:
    """The Smartpay order an event names, when its own data says (refund.created names only the payment)."""
    field = "id" if event_type.startswith("order.") else "order" if event_type == "payment.created" else None
    found = data.get(field) if field and isinstance(data, dict) else None
    return str(found)[:80] if found else None


def process_again(event: WebhookEvent) -> None:
    """The admin's "process again": back in the queue now, with a full set of tries."""
    event.status, event.attempts, event.next_attempt_at = WebhookStatus.RECEIVED, 0, utcnow()
