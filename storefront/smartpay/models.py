"""Smartpay's tables: the webhook endpoint registered at Smartpay, the webhook inbox, and the log of every call the
shop made to Smartpay's API. The orders they concern are the shop's (storefront/models.py)."""
from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import utcnow
from ..statuses import one_of, stored_as
from .statuses import WebhookStatus


class WebhookEndpoint(db.Model):
    """The endpoint registered at Smartpay for this shop, with the secret its deliveries are signed with."""
    __tablename__ = "webhook_endpoints"
    id: Mapped[int] = mapped_column(primary_key=True)
    smartpay_id: Mapped[str] = mapped_column(String(80), unique=True)
    url: Mapped[str] = mapped_column(Text)
    signing_secret: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookEvent(db.Model):
    """The webhook inbox: every delivery, stored before anything is done about it (the unique event id drops
    duplicates), then processed by the worker (storefront/smartpay/webhooks/inbox.py) with retries."""
    __tablename__ = "webhook_events"
    __table_args__ = (one_of("status", WebhookStatus, "webhook_status_known"),
                      Index("ix_webhook_events_status_next", "status", "next_attempt_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(80), unique=True)
    event_type: Mapped[str] = mapped_column(String(60))
    subscription_id: Mapped[str] = mapped_column(String(80), default="")
    smartpay_order_id: Mapped[str | None] = mapped_column(String(80), index=True)
    signature_valid: Mapped[bool] = mapped_column(default=False)
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[WebhookStatus] = mapped_column(stored_as(WebhookStatus), default=WebhookStatus.RECEIVED)
    result: Mapped[str] = mapped_column(Text, default="")  # a WebhookResult code, or a feature's own
    result_detail: Mapped[dict | None] = mapped_column(JSON)  # what the label needs: order number, statuses …
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    processed_at: Mapped[datetime | None]
    request_id: Mapped[str] = mapped_column(String(64), default="")  # the delivery's request, as in the logs


class ApiCall(db.Model):
    """One call from the storefront to Smartpay, for the admin's API log. The secret key is never stored."""
    __tablename__ = "api_calls"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(Text)
    status_code: Mapped[int | None]
    duration_ms: Mapped[int]
    idempotency_key: Mapped[str] = mapped_column(String(120), default="")
    request_body: Mapped[str] = mapped_column(Text, default="")
    response_body: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
    smartpay_order_id: Mapped[str | None] = mapped_column(String(80), index=True)
    request_id: Mapped[str] = mapped_column(String(64), default="")  # the shop request that made the call
