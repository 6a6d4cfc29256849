"""The email outbox's table: one row per email, written in the transaction of the change it reports."""
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import public_id, utcnow
from ..statuses import EmailStatus, one_of, stored_as


class OutboxEmail(db.Model):
    """One email to send. Written in the transaction of the change it reports; sent by storefront.mail.jobs."""
    __tablename__ = "outbox_emails"
    __table_args__ = (one_of("status", EmailStatus, "email_status_known"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=public_id)
    # What the email reports, once: confirmation:<order id>, refund:<refund id>, cancelled:<order id>
    event_key: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    order_id: Mapped[int | None] = mapped_column(index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(5))
    status: Mapped[EmailStatus] = mapped_column(stored_as(EmailStatus, length=10), default=EmailStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
