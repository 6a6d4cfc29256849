"""What happens to a subscription besides its charges: it is started (and waits for the shopper's consent at
Smartpay), activated with its first delivery charged at once, skipped, re-timed, paused, resumed, cancelled.

Like storefront/orders.py, nothing here commits: the views, the admin and the inbox commit their unit of work.
"""
from datetime import date

from flask import url_for
from flask_babel import force_locale, gettext as _

from ..smartpay.payload import absolute, customer as customer_info
from ..extensions import db
from ..smartpay.gateway import smartpay
from ..models import Order, Product
from .statuses import CycleStatus, SubscriptionStatus as Status
from . import billing, emails
from .models import Subscription, SubscriptionCycle, SubscriptionLine

INTERVALS = (1, 2)  # months between deliveries, as the product page offers them


class SubscriptionRefused(ValueError):
    """An action the subscription's state does not allow, with a message for the person who asked."""


# --- starting: the shopper's consent at Smartpay ----------------------------------------------------------

def create_pending(product: Product, quantity: int, interval: int, customer: dict, locale: str) -> Subscription:
    """The subscription, waiting for the shopper's consent (the caller commits it before Smartpay is asked, so
    the Idempotency-Key can come from it and a crash leaves a record)."""
    subscription = Subscription(status=Status.PENDING, interval_months=interval, next_charge_on=date.today(),
                                locale=locale, customer=customer,
                                lines=[SubscriptionLine(product_id=product.id, quantity=quantity)])
    db.session.add(subscription)
    return subscription


def ask_for_consent(subscription: Subscription) -> None:
    """A token-mode session at Smartpay: its page asks the shopper, once, to agree to the charges."""
    session = smartpay().create_checkout_session(consent_payload(subscription),
                                                 idempotency_key=f"subscription-consent-{subscription.public_id}")
    subscription.smartpay_token_id = session["token"]["id"] if isinstance(session["token"], dict) else session["token"]
    subscription.smartpay_checkout_url = session["url"]


def consent_payload(subscription: Subscription) -> dict:
    with force_locale(subscription.locale):  # Smartpay's consent page shows it, in the shopper's language
        description = _("%(items)s, every %(months)s month(s), from %(shop)s", items=items_text(subscription),
                        months=subscription.interval_months, shop=_("Hinoki Market"))
    return {"mode": "token", "customerInfo": customer_info(as_order(subscription)),
            "reference": f"subscription-{subscription.public_id}"[:40], "description": description[:200],
            "successUrl": absolute(url_for("subscriptions.consented", public_id=subscription.public_id)),
            "cancelUrl": absolute(url_for("subscriptions.not_consented", public_id=subscription.public_id)),
            "locale": subscription.locale}


def items_text(subscription: Subscription) -> str:
    return _(", ").join(f"{line.product.name} × {line.quantity}" for line in subscription.lines)


def as_order(subscription: Subscription) -> Order:
    """An unsaved order with the subscription's customer, for what an order's helpers need (address, name)."""
    return Order(**subscription.customer)


def consent_answer(subscription: Subscription) -> str:
    """The token's status at Smartpay: active (consented), rejected, or requires_authorization (not yet)."""
    return smartpay().get_token(subscription.smartpay_token_id)["status"]


def activate(subscription: Subscription, today: date) -> None:
    """Consented: the subscription becomes active, its first delivery due today. Charging it is the first-delivery
    POST's (or the worker's) job: the page the shopper comes back to is a GET, and a GET never charges."""
    if subscription.status == Status.PENDING:
        subscription.status, subscription.next_charge_on = Status.ACTIVE, today
        emails.started(subscription, billing.months_later(today, subscription.interval_months))


def not_consented(subscription: Subscription, answer: str) -> None:
    if subscription.status == Status.PENDING and answer == "rejected":
        subscription.status, subscription.note = Status.CANCELLED, "consent_declined"


# --- the shopper's (and the merchant's) changes -----------------------------------------------------------

def next_cycle_number(subscription: Subscription) -> int:
    return max((cycle.number for cycle in subscription.cycles), default=0) + 1


def skip_next(subscription: Subscription) -> date:
    """The next delivery is not sent nor charged; the one after it keeps its rhythm."""
    require(subscription, {Status.ACTIVE}, _("Only an active subscription has a next delivery to skip."))
    current = next((c for c in subscription.cycles if c.status == CycleStatus.DUE), None)
    if current is not None and current.order_id is not None:
        raise SubscriptionRefused(_("The next delivery is already being charged and can no longer be skipped."))
    if current is None:
        current = SubscriptionCycle(subscription_id=subscription.id, number=next_cycle_number(subscription),
                                    due_on=subscription.next_charge_on, next_try_on=subscription.next_charge_on)
        db.session.add(current)
    current.status = CycleStatus.SKIPPED
    subscription.next_charge_on = billing.months_later(current.due_on, subscription.interval_months)
    return subscription.next_charge_on


def change_interval(subscription: Subscription, months: int) -> None:
    require(subscription, {Status.ACTIVE, Status.PAUSED}, _("A cancelled subscription cannot be changed."))
    if months not in INTERVALS:
        raise SubscriptionRefused(_("Choose every month or every 2 months."))
    subscription.interval_months = months


def pause(subscription: Subscription, note: str = "paused_by_request") -> None:
    require(subscription, {Status.ACTIVE}, _("Only an active subscription can be paused."))
    subscription.status, subscription.note = Status.PAUSED, note
    emails.paused(subscription)


def resume(subscription: Subscription, today: date, by_shopper: bool = False) -> None:
    """Deliveries start again from the next due day that is not in the past. A pause the shop made is the
    shop's to undo: the shopper's link cannot."""
    require(subscription, {Status.PAUSED}, _("Only a paused subscription can be resumed."))
    if by_shopper and subscription.note == "paused_by_shop":
        raise SubscriptionRefused(_("The shop paused this subscription. Please contact us to resume it."))
    subscription.status, subscription.note = Status.ACTIVE, ""
    due = next((c for c in subscription.cycles if c.status == CycleStatus.DUE), None)
    if due is not None:
        due.declines, due.next_try_on = 0, today
    while subscription.next_charge_on < today:
        subscription.next_charge_on = billing.months_later(subscription.next_charge_on, subscription.interval_months)


def cancel(subscription: Subscription, note: str = "cancelled_by_request") -> None:
    """解約: the token is disabled at Smartpay first (then nothing can be charged on it, whatever happens here)."""
    require(subscription, {Status.PENDING, Status.ACTIVE, Status.PAUSED}, _("This subscription is already cancelled."))
    if subscription.smartpay_token_id and subscription.status != Status.PENDING:
        smartpay().disable_token(subscription.smartpay_token_id,
                                 idempotency_key=f"subscription-cancel-{subscription.public_id}")
    subscription.status, subscription.note = Status.CANCELLED, note
    emails.cancelled(subscription)


# Pauses that came from the token's side at Smartpay: the token's return undoes them (token.enabled).
TOKEN_PAUSES = {"token_disabled", "token_refused"}


def token_changed(token_id: str, status: str, today: date) -> Subscription | None:
    """The token's status as Smartpay gives it now (re-read, never taken from an event, which may be stale):
    deleted ends the subscription, disabled pauses an active one, active again resumes one the token paused."""
    subscription = db.session.query(Subscription).filter_by(smartpay_token_id=token_id).one_or_none()
    if subscription is None or subscription.status in (Status.CANCELLED, Status.PENDING):
        return subscription
    if status == "deleted":
        subscription.status, subscription.note = Status.CANCELLED, "token_deleted"
        emails.cancelled(subscription)
    elif status == "disabled" and subscription.status == Status.ACTIVE:
        subscription.status, subscription.note = Status.PAUSED, "token_disabled"
        emails.paused(subscription)
    elif status == "active" and subscription.status == Status.PAUSED and subscription.note in TOKEN_PAUSES:
        resume(subscription, today)
    return subscription


def require(subscription: Subscription, allowed: set, message: str) -> None:
    if subscription.status not in allowed:
        raise SubscriptionRefused(message)
