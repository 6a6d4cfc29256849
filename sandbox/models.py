"""The sandbox's records. Smartpay objects are kept close to their JSON shape to keep serialisation simple.

Every row carries `account`: a hash of the secret key that created it, so accounts never see each other.
"""
from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .ids import now_ms


class Record:
    """Columns every Smartpay object has."""
    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    account: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[int] = mapped_column(default=now_ms)
    updated_at: Mapped[int] = mapped_column(default=now_ms, onupdate=now_ms)
    metadata_: Mapped[dict] = mapped_column("metadata", JSON, default=dict)


class CheckoutSession(Record, db.Model):
    __tablename__ = "checkout_sessions"
    order_id: Mapped[str] = mapped_column(String(60))
    token: Mapped[str] = mapped_column(String(60))  # the secret part of the hosted URL
    success_url: Mapped[str] = mapped_column(Text)
    cancel_url: Mapped[str] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(80))
    locale: Mapped[str | None] = mapped_column(String(5))
    customer_info: Mapped[dict] = mapped_column(JSON, default=dict)
    csrf_secret: Mapped[str] = mapped_column(String(64))


class Order(Record, db.Model):
    __tablename__ = "orders"
    status: Mapped[str] = mapped_column(String(30), default="requires_authorization")
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3), default="JPY")
    capture_method: Mapped[str] = mapped_column(String(10), default="automatic")
    reference: Mapped[str | None] = mapped_column(String(80))
    description: Mapped[str | None] = mapped_column(Text)
    line_items: Mapped[list] = mapped_column(JSON)  # expanded lineItem objects, as created
    shipping_info: Mapped[dict] = mapped_column(JSON)
    customer_info: Mapped[dict] = mapped_column(JSON, default=dict)
    expires_at: Mapped[int | None]
    session_id: Mapped[str] = mapped_column(String(60))


class Payment(Record, db.Model):
    __tablename__ = "payments"
    order_id: Mapped[str] = mapped_column(String(60), index=True)
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3), default="JPY")
    status: Mapped[str] = mapped_column(String(20), default="processed")
    reference: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)


class Refund(Record, db.Model):
    __tablename__ = "refunds"
    payment_id: Mapped[str] = mapped_column(String(60), index=True)
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3), default="JPY")
    reason: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), default="succeeded")
    reference: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)


class WebhookEndpoint(Record, db.Model):
    __tablename__ = "webhook_endpoints"
    url: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    event_subscriptions: Mapped[list] = mapped_column(JSON, default=list)  # empty: every event
    active: Mapped[bool] = mapped_column(default=True)
    signing_secret: Mapped[str] = mapped_column(String(80))


class Event(Record, db.Model):
    __tablename__ = "events"
    type: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)  # the exact JSON sent, so every attempt signs the same bytes
    order_id: Mapped[str | None] = mapped_column(String(60), index=True)


class Delivery(db.Model):
    """One event on its way to one endpoint: the worker's queue lives here, so a restart loses nothing."""
    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_due", "state", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(32), index=True)
    event_id: Mapped[str] = mapped_column(String(60), index=True)
    endpoint_id: Mapped[str] = mapped_column(String(60))
    state: Mapped[str] = mapped_column(String(12), default="pending")  # pending, delivered, failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[int] = mapped_column(default=now_ms)


class DeliveryAttempt(db.Model):
    __tablename__ = "delivery_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(index=True)
    attempted_at: Mapped[int] = mapped_column(default=now_ms)
    status_code: Mapped[int | None]
    duration_ms: Mapped[int] = mapped_column(default=0)
    response_excerpt: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")


class IdempotentResponse(db.Model):
    """The first answer to a request with an Idempotency-Key, replayed for 6 hours."""
    __tablename__ = "idempotent_responses"
    __table_args__ = (UniqueConstraint("account", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(default=now_ms)


class PaymentToken(Record, db.Model):
    """A shopper's consent for later charges without a page (token mode, contract §7): made by a token-mode
    checkout session, approved or declined on the hosted page, then used by POST /orders {token}."""
    __tablename__ = "payment_tokens"
    session_id: Mapped[str] = mapped_column(String(60), index=True)
    status: Mapped[str] = mapped_column(String(30), default="requires_authorization")
    reference: Mapped[str | None] = mapped_column(String(80))
    description: Mapped[str | None] = mapped_column(Text)
    customer_info: Mapped[dict] = mapped_column(JSON, default=dict)
    # What the test card given at consent makes of later charges (sandbox/tokens.py:PLANS), and how many
    # charges were asked for so far.
    plan: Mapped[str] = mapped_column(String(30), default="approve_all")
    charges: Mapped[int] = mapped_column(default=0)


class TokenOrder(db.Model):
    """Which token an order was charged to (its `tokenId`). A table of its own: old databases still open."""
    __tablename__ = "token_orders"
    order_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    token_id: Mapped[str] = mapped_column(String(60), index=True)
