"""Smartpay's codes as the shop stores them: its payment method's code, its webhooks' statuses and results, who
moved an order on its side, and its own order statuses as its API spells them. labels.py words them."""
from enum import StrEnum

SMARTPAY = "smartpay"  # the orders.payment_method of an order paid with Smartpay, and the checkout form's value


class WebhookStatus(StrEnum):
    RECEIVED = "received"      # verified and stored; waiting for the worker (first try or a retry)
    PROCESSING = "processing"  # claimed by one worker
    PROCESSED = "processed"
    FAILED = "failed"          # the worker gave up; "process again" in the admin
    REFUSED = "refused"        # the signature or the body was wrong: kept for the log, never acted on


class WebhookResult(StrEnum):
    """What became of a webhook, stored as a code with its details (WebhookEvent.result_detail) and labelled in
    the reader's language by labels.py. A feature that handles events of its own (the 定期便's token events)
    brings its own codes; rows from before the codes keep the sentence they had."""
    ORDER_CHECKED = "order_checked"            # detail: order (number), from, to (statuses)
    ORDER_MISMATCH = "order_mismatch"          # detail: order
    UNKNOWN_ORDER = "unknown_order"            # detail: id (Smartpay's order id)
    NO_ACTION = "no_action"                    # an event type the shop does not act on
    UNKNOWN_SUBSCRIPTION = "unknown_subscription"
    STALE_TIMESTAMP = "stale_timestamp"
    BAD_SIGNATURE = "bad_signature"
    NOT_AN_EVENT = "not_an_event"


class SmartpayOrderStatus(StrEnum):
    """Smartpay's own order statuses, as its API spells them (§3.2 of the contract). Not ours to constrain."""
    REQUIRES_AUTHORIZATION = "requires_authorization"
    REQUIRES_CAPTURE = "requires_capture"
    SUCCEEDED = "succeeded"
    REJECTED = "rejected"
    CANCELED = "canceled"
    FAILED = "failed"


class SmartpaySource(StrEnum):
    """Who moved an order on Smartpay's side (OrderEvent.source); a webhook is webhook:<event type>."""
    RETURN_PAGE = "return_page"
    CANCEL_PAGE = "cancel_page"
    STATUS_POLL = "status_poll"
    SYNC = "sync"              # the worker's reconciliation, or `flask smartpay sync`
    SMARTPAY = "smartpay"      # made at Smartpay, outside the shop (a refund in Smartpay's dashboard)


def webhook_source(event_type: str) -> str:
    return f"webhook:{event_type}"
