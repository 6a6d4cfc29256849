"""Every status the shop stores, as one `StrEnum` each: the code in the database, compared and written as
`OrderStatus.PAID`, never as a loose string. A CHECK constraint (migration f2b7c4d9e1a3) makes the database
refuse any other value; `storefront/labels.py` says what each one reads as, in both languages. A feature's own
statuses live in its package, beside its labels: storefront/subscriptions/statuses.py, bank_transfer/statuses.py."""
from enum import StrEnum

from sqlalchemy import CheckConstraint, Enum


class PaymentMethod(StrEnum):
    """How an order is paid: a column of the order. Each method has its own module, and the state machine's
    table (storefront/orders.py:TRANSITIONS) says which moves each one allows."""
    SMARTPAY = "smartpay"              # storefront/orders.py and storefront/checkout: the seed of this shop
    BANK_TRANSFER = "bank_transfer"    # storefront/bank_transfer: paid in advance, recorded by the merchant


class OrderStatus(StrEnum):
    PENDING = "pending"                        # written, Smartpay not asked yet
    AWAITING_PAYMENT = "awaiting_payment"      # the shopper is on (or left) Smartpay's hosted page
    AWAITING_TRANSFER = "awaiting_transfer"    # bank transfer: placed, the money not (all) received yet
    PAID = "paid"                              # approved: automatic capture paid, or manual capture authorized
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    REJECTED = "rejected"                      # Smartpay's underwriting declined the purchase
    CANCELLED = "cancelled"
    FAILED = "failed"                          # the checkout could not start, or Smartpay reported a failure


class RefundStatus(StrEnum):
    PENDING = "pending"        # reserved and sent; Smartpay's answer not recorded yet
    SUCCEEDED = "succeeded"
    FAILED = "failed"          # Smartpay refused it; the reserved amount is free again


class EmailStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"        # claimed by one worker
    SENT = "sent"
    FAILED = "failed"          # the mail server refused it for good


class WebhookStatus(StrEnum):
    RECEIVED = "received"      # verified and stored; waiting for the worker (first try or a retry)
    PROCESSING = "processing"  # claimed by one worker
    PROCESSED = "processed"
    FAILED = "failed"          # the worker gave up; "process again" in the admin
    REFUSED = "refused"        # the signature or the body was wrong: kept for the log, never acted on


class WebhookResult(StrEnum):
    """What became of a webhook, stored as a code with its details (WebhookEvent.result_detail) and labelled in
    the reader's language by storefront/labels.py. Rows from before the codes keep the sentence they had."""
    ORDER_CHECKED = "order_checked"            # detail: order (number), from, to (statuses)
    ORDER_MISMATCH = "order_mismatch"          # detail: order
    UNKNOWN_ORDER = "unknown_order"            # detail: id (Smartpay's order id)
    NO_ACTION = "no_action"                    # an event type the shop does not act on
    UNKNOWN_SUBSCRIPTION = "unknown_subscription"
    STALE_TIMESTAMP = "stale_timestamp"
    BAD_SIGNATURE = "bad_signature"
    NOT_AN_EVENT = "not_an_event"
    SUBSCRIPTION_STOPPED = "subscription_stopped"  # detail: subscription (its shopper's email), to (its status)
    UNKNOWN_TOKEN = "unknown_token"                # detail: id (Smartpay's token id)


# Smartpay's own order statuses, as its API spells them (§3.2 of the contract). Not ours to constrain.
class SmartpayOrderStatus(StrEnum):
    REQUIRES_AUTHORIZATION = "requires_authorization"
    REQUIRES_CAPTURE = "requires_capture"
    SUCCEEDED = "succeeded"
    REJECTED = "rejected"
    CANCELED = "canceled"
    FAILED = "failed"


def stored_as(statuses: type[StrEnum], length: int = 20) -> Enum:
    """The column type: a VARCHAR holding the codes (not a PostgreSQL ENUM type, which SQLite has not and which
    a new status would need an ALTER TYPE for), read back as members of `statuses`."""
    return Enum(statuses, native_enum=False, create_constraint=False, length=length, validate_strings=True,
                values_callable=lambda members: [member.value for member in members])


def one_of(column: str, statuses: type[StrEnum], name: str) -> CheckConstraint:
    """The CHECK constraint that keeps `column` to the codes of `statuses`."""
    codes = ", ".join(f"'{status.value}'" for status in statuses)
    return CheckConstraint(f"{column} IN ({codes})", name=name)


class Source(StrEnum):
    """Who moved an order (OrderEvent.source). Webhooks and admins add what they are: see the functions below."""
    CHECKOUT = "checkout"
    RETURN_PAGE = "return_page"
    CANCEL_PAGE = "cancel_page"
    STATUS_POLL = "status_poll"
    SYNC = "sync"              # the worker's reconciliation, or `flask smartpay sync`
    SMARTPAY = "smartpay"      # made at Smartpay, outside the shop (a refund in Smartpay's dashboard)
    DEADLINE = "deadline"      # the worker, when a bank transfer's deadline passed
    SUBSCRIPTION = "subscription"  # the worker (or `flask subscriptions run-due`), charging a cycle


def webhook_source(event_type: str) -> str:
    return f"webhook:{event_type}"


def admin_source(email: str) -> str:
    return f"admin:{email}"
