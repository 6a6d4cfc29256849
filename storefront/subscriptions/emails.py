"""The 定期便's emails, through the order outbox (written in the caller's transaction, sent by the worker), in
the subscription's language, each with the signed link that manages it: started, a few days before each
charge (with the price of that day), declined, paused, cancelled. Each charge's own confirmation is the
ordinary order confirmation (orders.fulfil)."""
from dataclasses import dataclass

from flask_babel import gettext as _

from ..cart import totals_of
from ..mail.outbox import queue
from ..models import utcnow
from .links import manage_url
from .models import Subscription


@dataclass
class Reader:
    """Who the outbox writes to: what it reads of an order (address, name, language), for a subscription."""
    email: str
    full_name: str
    locale: str
    id: None = None  # the outbox's order_id: these emails are about a subscription, not one order


def reader_of(subscription: Subscription) -> Reader:
    customer = subscription.customer
    return Reader(customer["email"], f"{customer['family_name']} {customer['given_name']}", subscription.locale)


def send(subscription: Subscription, kind: str, event_key: str, subject, **context) -> None:
    queue(reader_of(subscription), kind, event_key, f"mail/subscriptions/{kind.removeprefix('sub_')}",
          subject, subscription=subscription, manage_url=manage_url(subscription), **context)


def delivery(subscription: Subscription, prices: dict[int, int]) -> tuple[int, list]:
    """What one delivery costs at `prices` (product id → unit price), shipping included, and its tax by rate."""
    totals = totals_of([(line.product.tax_rate, prices[line.product_id] * line.quantity)
                        for line in subscription.lines])
    return totals.total, totals.tax_parts


def started(subscription: Subscription, second_delivery) -> None:
    """Says what each delivery costs today and when the second one comes."""
    total, parts = delivery(subscription, {line.product_id: line.product.price for line in subscription.lines})
    send(subscription, "sub_started", f"sub-started:{subscription.id}",
         lambda: _("Your %(shop)s subscription has started", shop=_("Hinoki Market")),
         total=total, tax_parts=parts, second_delivery=second_delivery)


def upcoming(subscription: Subscription, number: int, prices: dict[int, int], last_total: int | None) -> None:
    total, parts = delivery(subscription, prices)
    send(subscription, "sub_upcoming", f"sub-upcoming:{subscription.id}:{number}",
         lambda: _("Your next %(shop)s subscription delivery", shop=_("Hinoki Market")),
         lines=subscription.lines, total=total, tax_parts=parts, last_total=last_total)


def declined(subscription: Subscription, number: int, tries: int, next_try_on) -> None:
    send(subscription, "sub_declined", f"sub-declined:{subscription.id}:{number}:{tries}",
         lambda: _("We could not charge your %(shop)s subscription", shop=_("Hinoki Market")), next_try_on=next_try_on)


def paused(subscription: Subscription) -> None:
    send(subscription, "sub_paused", f"sub-paused:{subscription.id}:{utcnow():%Y%m%d%H%M%S%f}",
         lambda: _("Your %(shop)s subscription is paused", shop=_("Hinoki Market")))


def cancelled(subscription: Subscription) -> None:
    send(subscription, "sub_cancelled", f"sub-cancelled:{subscription.id}",
         lambda: _("Your %(shop)s subscription is cancelled", shop=_("Hinoki Market")))
