"""The outbox table and what each order event writes to it (rendered now, in the shopper's language)."""
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale, gettext as _
from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import Order, Refund, public_id, utcnow
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


def queue_confirmation(order: Order) -> None:
    """The order became paid (or authorized, with manual capture): confirm it to the shopper."""
    queue(order, "confirmation", f"confirmation:{order.id}", "mail/confirmation",
          lambda: _("Your %(shop)s order %(number)s is confirmed", shop=_("Hinoki Market"), number=order.number))


def queue_refund_notice(order: Order, refund: Refund) -> None:
    queue(order, "refund", f"refund:{refund.id}", "mail/refund",
          lambda: _("A refund for your %(shop)s order %(number)s", shop=_("Hinoki Market"), number=order.number),
          refund=refund)


def queue_cancellation(order: Order) -> None:
    queue(order, "cancelled", f"cancelled:{order.id}", "mail/cancelled",
          lambda: _("Your %(shop)s order %(number)s was cancelled", shop=_("Hinoki Market"), number=order.number))


def queue(order: Order, kind: str, event_key: str, template: str, subject, **context) -> None:
    """Add the email to the caller's transaction (no commit here: it commits with the status change)."""
    if db.session.scalar(select(OutboxEmail.id).where(OutboxEmail.event_key == event_key)) is not None:
        return
    with force_locale(order.locale):
        context = {"order": order, "shop_url": current_app.config["PUBLIC_URL"],
                   "contact": current_app.config["SHOP_CONTACT_EMAIL"], **context}
        email = OutboxEmail(event_key=event_key, kind=kind, order_id=order.id, to_address=order.email,
                            locale=order.locale, subject=subject(),
                            text_body=render_template(f"{template}.txt", **context),
                            html_body=render_template(f"{template}.html", **context))
    db.session.add(email)
