"""The worker's inbox job: stored events in the order they arrived, one unit of work each (committed here).

Smartpay slow or failing is no reason to lose an event: the event waits and is tried again after a growing
delay (WEBHOOK_RETRY_SECONDS, doubled each time), until it succeeds or WEBHOOK_MAX_ATTEMPTS were made; then
it shows as failed in the admin's webhook log, whose "process again" puts it back in the queue.
"""
from datetime import timedelta

from flask import current_app, g
from sqlalchemy.exc import SQLAlchemyError

from ... import jobs
from ...extensions import db
from ...models import utcnow
from ..client import SmartpayError
from ..models import WebhookEvent
from ..statuses import WebhookStatus
from .inbox import act_on

# Processing an event takes seconds even with a slow Smartpay (SMARTPAY_TIMEOUT × tries × a read or two): a
# claim older than this belongs to a worker that died or lost the database, and another worker takes it back.
CLAIM_TIMEOUT = timedelta(minutes=2)


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
