"""What the 定期便's codes read as, in both languages: template filters and its webhook results' wording."""
from flask import Flask
from flask_babel import lazy_gettext as _l, lazy_pgettext

from ..labels import add_sources, label
from ..smartpay.labels import add_webhook_results
from .statuses import BILLING, CycleStatus, SubscriptionStatus, TokenEventResult

SUBSCRIPTION_STATUSES = {
    SubscriptionStatus.PENDING: _l("awaiting agreement"),
    SubscriptionStatus.ACTIVE: lazy_pgettext("subscription status", "active"),
    SubscriptionStatus.PAUSED: _l("paused"),
    SubscriptionStatus.CANCELLED: lazy_pgettext("subscription status", "cancelled"),
}
CYCLE_STATUSES = {
    CycleStatus.DUE: _l("to be charged"),
    CycleStatus.CHARGED: _l("charged"),
    CycleStatus.DECLINED: lazy_pgettext("delivery", "declined"),
    CycleStatus.SKIPPED: _l("skipped"),
}
# Why a subscription was paused or cancelled (Subscription.note), in the reader's words.
SUBSCRIPTION_NOTES = {
    "consent_declined": _l("Smartpay did not approve the agreement, so nothing will be charged."),
    "consent_not_started": _l("Smartpay could not be reached when you subscribed, so nothing will be charged."),
    "paused_by_request": _l("Paused at your request."),
    "cancelled_by_request": _l("Cancelled at your request."),
    "charge_declined": _l("Smartpay declined the charge at every try, so deliveries are paused."),
    "token_refused": _l("Smartpay no longer accepts charges for this subscription, so deliveries are paused."),
    "token_disabled": _l("The agreement was stopped at Smartpay, so deliveries are paused."),
    "token_deleted": _l("The agreement was ended at Smartpay, so the subscription is cancelled."),
    "paused_by_shop": _l("Paused by the shop."),
    "cancelled_by_shop": _l("Cancelled by the shop."),
}
# A subscription whose consent never came through was never a subscription: to the shopper and the merchant it
# "did not go through" (お申し込み不成立), not "cancelled" (解約済み), though its stored status is `cancelled`.
NEVER_STARTED = {"consent_declined", "consent_not_started"}
NOT_STARTED = _l("not started")
# The shopper's page says a declined charge in words, never the dashboard's 否決, and a charge as paid.
SHOPPER_CYCLE_STATUSES = {**CYCLE_STATUSES, CycleStatus.DECLINED: lazy_pgettext("shopper", "payment not approved"),
                          CycleStatus.CHARGED: lazy_pgettext("shopper", "paid")}
INTERVALS = {1: _l("Every month"), 2: _l("Every 2 months")}
WEBHOOK_RESULTS = {
    TokenEventResult.SUBSCRIPTION_STOPPED: _l("Subscription %(subscription)s: %(to)s"),
    TokenEventResult.UNKNOWN_TOKEN: _l("No subscription of this shop has Smartpay token %(id)s"),
}


def subscription_state(subscription) -> str:
    """Its status, or "not started" for one whose consent never came through."""
    if subscription.status == SubscriptionStatus.CANCELLED and subscription.note in NEVER_STARTED:
        return str(NOT_STARTED)
    return label(SUBSCRIPTION_STATUSES, subscription.status)


def register(app: Flask) -> None:
    """Always, even with SUBSCRIPTIONS off: Jinja needs every filter a template names to compile it."""
    app.jinja_env.filters.update({
        "subscription_status": lambda code: label(SUBSCRIPTION_STATUSES, code),
        "subscription_state": subscription_state,
        "cycle_status": lambda code: label(CYCLE_STATUSES, code),
        "shoppers_cycle_status": lambda code: label(SHOPPER_CYCLE_STATUSES, code),
        "subscription_note": lambda code: label(SUBSCRIPTION_NOTES, code),
        "interval": lambda months: label(INTERVALS, months),
    })
    app.jinja_env.globals["SubscriptionStatus"] = SubscriptionStatus
    add_webhook_results(WEBHOOK_RESULTS, SUBSCRIPTION_STATUSES)
    add_sources({BILLING: _l("subscription")})
