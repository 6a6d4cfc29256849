"""What each order event writes to the outbox (rendered now, in the shopper's language); the table is models.py."""
from flask import current_app, render_template
from flask_babel import force_locale, gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Order, Refund
from .models import OutboxEmail


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
