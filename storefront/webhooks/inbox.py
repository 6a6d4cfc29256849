"""The webhook inbox: what happens to an event after the endpoint stored it and answered 200.

The worker (storefront/worker.py) takes stored events in the order they arrived, one unit of work each:
find the order the event is about, re-read it from Smartpay, move it through the state machine, commit.
Smartpay slow or failing is no reason to lose an event: the event waits and is tried again after a growing
delay (WEBHOOK_RETRY_SECONDS, doubled each time), until it succeeds or WEBHOOK_MAX_ATTEMPTS were made; then
it shows as failed in the admin's webhook log, whose "process again" puts it back in the queue.
"""
import json
from datetime import datetime, timedelta

from flask import current_app, g
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from .. import jobs, orders
from ..extensions import db
from ..gateway import smartpay
from ..i18n import shop_day
from ..models import Order, WebhookEvent, utcnow
from ..smartpay import SmartpayError
from ..statuses import WebhookResult, WebhookStatus, webhook_source
from ..subscriptions import service as subscriptions

# Processing an event takes seconds even with a slow Smartpay (SMARTPAY_TIMEOUT × tries × a read or two): a
# claim older than this belongs to a worker that died or lost the database, and another worker takes it back.
CLAIM_TIMEOUT = timedelta(minutes=2)
# The events the shop acts on; it subscribes to these when it registers its endpoint.
ORDER_EVENTS = {"order.authorized", "order.rejected", "order.canceled", "payment.created", "refund.created"}
TOKEN_EVENTS = {"token.disabled", "token.deleted", "token.enabled"}  # a 定期便's agreement changed at Smartpay


def process_due(limit: int = 50) -> dict:
    """One pass of the worker's inbox job; returns how many events were processed, retried and given up.

    Under load an order's events come in bursts (order.authorized, then payment.created a moment later): an
    event received before this pass read its order from Smartpay has nothing to add, so it costs no second read
    (`g.orders_read`, Smartpay order id → when this pass read it)."""
    g.orders_read = {}
    try:
        return jobs.work_through(WebhookEvent, WebhookStatus.RECEIVED, WebhookStatus.PROCESSING, process,
                                 ("processed", "retried", "failed"), limit, claim_timeout=CLAIM_TIMEOUT)
    finally:
        g.pop("request_id", None)  # the worker's next job (the sync, say) is no delivery's work


def process(event: WebhookEvent) -> str:
    """One claimed event, one unit of work: committed when it is done, rolled back and retried when not."""
    g.request_id = event.request_id  # the delivery's id, in the log lines and API log rows of this work
    try:
        result, detail = act_on(event)
    except (SmartpayError, SQLAlchemyError) as error:
        # Smartpay could not answer, the database went away mid-work (a restart), or another process recorded
        # the same refund first: back in the queue. Smartpay's own words are kept; the database's SQL is not.
        db.session.rollback()
        g.orders_read.pop(event.smartpay_order_id, None)  # what was read is not applied: the next event reads
        return retry_later(event, str(error) if isinstance(error, SmartpayError) else
                           f"the database failed: {type(error).__name__}")
    except (KeyError, TypeError, ValueError) as error:  # signed by Smartpay, yet not an event we can read
        db.session.rollback()
        event.status, event.last_error = WebhookStatus.FAILED, f"the event has no readable order: {error!r}"
        db.session.commit()
        return "failed"
    event.status, event.result, event.result_detail = WebhookStatus.PROCESSED, result, detail
    event.last_error, event.processed_at = "", utcnow()
    db.session.commit()
    return "processed"


def retry_later(event: WebhookEvent, error: str) -> str:
    config = current_app.config
    event.last_error = error
    if event.attempts >= config["WEBHOOK_MAX_ATTEMPTS"]:
        event.status = WebhookStatus.FAILED
    else:
        event.status = WebhookStatus.RECEIVED
        event.next_attempt_at = utcnow() + jobs.backoff(event.attempts, config["WEBHOOK_RETRY_SECONDS"])
    db.session.commit()
    return "failed" if event.status == WebhookStatus.FAILED else "retried"


def act_on(event: WebhookEvent) -> tuple[WebhookResult, dict]:
    """What the event changes, as a result code and its details (storefront/labels.py words them for people);
    every read from Smartpay comes before the first write of this unit of work."""
    if event.event_type in TOKEN_EVENTS:
        return token_changed(json.loads(event.payload)["eventData"]["data"])
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
    outcome = orders.refresh_order(order, webhook_source(event.event_type))
    event.smartpay_order_id = smartpay_order_id  # written after Smartpay answered: no lock held while it is asked
    if outcome == orders.MISMATCH:
        return WebhookResult.ORDER_MISMATCH, {"order": order.number}
    return WebhookResult.ORDER_CHECKED, {"order": order.number, "from": before, "to": order.status}


def token_changed(data) -> tuple[WebhookResult, dict]:
    """A 定期便's token was disabled, enabled or deleted at Smartpay: asked again (an event may arrive after the
    token changed back), its subscription pauses, resumes or ends to match, and the shopper is told."""
    token_id = str(data.get("id", ""))[:80] if isinstance(data, dict) else ""
    try:
        status = smartpay().get_token(token_id)["status"]
    except SmartpayError as error:
        if error.status_code != 404:
            raise
        status = "deleted"  # Smartpay forgets a deleted token: token.not-found
    subscription = subscriptions.token_changed(token_id, status, shop_day(utcnow()))
    if subscription is None:
        return WebhookResult.UNKNOWN_TOKEN, {"id": token_id}
    return WebhookResult.SUBSCRIPTION_STOPPED, {"subscription": subscription.customer["email"],
                                                "to": subscription.status}


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
