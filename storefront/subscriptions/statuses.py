"""The 定期便's own statuses, stored as codes (CHECK constraints, migration e1d7b3f9a5c2); labels.py words them."""
from enum import StrEnum

BILLING = "subscription"  # who moved an order (OrderEvent.source): the worker (or `flask subscriptions run-due`)


class SubscriptionStatus(StrEnum):
    """A 定期便 (storefront/subscriptions): charged each cycle with the shopper's Smartpay token."""
    PENDING = "pending"        # written; the shopper has not consented at Smartpay (yet)
    ACTIVE = "active"
    PAUSED = "paused"          # by the shopper or the merchant, or after a charge was declined to the last try
    CANCELLED = "cancelled"    # the token is disabled at Smartpay: nothing can be charged again


class CycleStatus(StrEnum):
    """One delivery of a subscription: its number is part of the Idempotency-Key, so it is charged once."""
    DUE = "due"                # to charge on its date (again after a failure or a decline, until the last try)
    CHARGED = "charged"        # Smartpay approved it: its order is paid
    DECLINED = "declined"      # declined at every try: the subscription paused
    SKIPPED = "skipped"        # the shopper skipped it: nothing charged


class TokenEventResult(StrEnum):
    """What became of a token event, as the webhook inbox stores it (WebhookEvent.result); labels.py words it."""
    SUBSCRIPTION_STOPPED = "subscription_stopped"  # detail: subscription (its shopper's email), to (its status)
    UNKNOWN_TOKEN = "unknown_token"                # detail: id (Smartpay's token id)
