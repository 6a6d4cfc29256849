"""Every status the shop stores, as one `StrEnum` each: the code in the database, compared and written as
`OrderStatus.PAID`, never as a loose string. A CHECK constraint (migration f2b7c4d9e1a3) makes the database
refuse any other value; `storefront/labels.py` says what each one reads as, in both languages. These are the
core's: the order's state machine, refunds, emails. A feature's own codes live in its package, beside its labels:
storefront/smartpay/statuses.py (its webhooks, its sources, Smartpay's order statuses),
storefront/bank_transfer/statuses.py, storefront/subscriptions/statuses.py."""
from enum import StrEnum

from sqlalchemy import CheckConstraint, Enum


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
    """Who moved an order (OrderEvent.source), as the core knows it. A feature names its own movers in its package
    (Smartpay's return page and sync, bank transfer's deadline, the 定期便's billing); admins add who they are."""
    CHECKOUT = "checkout"


def admin_source(email: str) -> str:
    return f"admin:{email}"
