"""What people read for the codes the shop and Smartpay store: statuses, refund reasons, who moved an order.

The one place for both languages: the database and the logs keep the codes of storefront/statuses.py, and
every page, email and admin table shows these labels instead (registered as template filters below).
"""
from flask_babel import lazy_gettext as _l, lazy_pgettext
from markupsafe import Markup

from .i18n import yen
from .statuses import (CycleStatus, EmailStatus, OrderStatus, PaymentMethod, RefundStatus, SmartpayOrderStatus,
                       Source, SubscriptionStatus, TransferEntryKind, WebhookResult, WebhookStatus)

ORDER_STATUSES = {
    OrderStatus.PENDING: lazy_pgettext("order status", "pending"),
    OrderStatus.AWAITING_PAYMENT: _l("awaiting payment"),
    OrderStatus.AWAITING_TRANSFER: _l("awaiting transfer"),
    OrderStatus.PAID: _l("paid"),
    OrderStatus.PARTIALLY_REFUNDED: _l("partially refunded"),
    OrderStatus.REFUNDED: _l("refunded"),
    OrderStatus.REJECTED: _l("declined"),
    OrderStatus.CANCELLED: _l("cancelled"),
    OrderStatus.FAILED: _l("failed"),
}
REFUND_STATUSES = {
    RefundStatus.PENDING: lazy_pgettext("refund status", "pending"),
    RefundStatus.SUCCEEDED: lazy_pgettext("refund status", "succeeded"),
    RefundStatus.FAILED: _l("failed"),
}
# Smartpay's own order statuses (and its payments'), as its API names them.
SMARTPAY_STATUSES = {
    SmartpayOrderStatus.REQUIRES_AUTHORIZATION: _l("awaiting authorization"),
    SmartpayOrderStatus.REQUIRES_CAPTURE: _l("authorized"),
    SmartpayOrderStatus.SUCCEEDED: lazy_pgettext("smartpay status", "succeeded"),
    SmartpayOrderStatus.REJECTED: _l("declined"),
    SmartpayOrderStatus.CANCELED: _l("cancelled"),
    SmartpayOrderStatus.FAILED: _l("failed"),
    "pending": lazy_pgettext("order status", "pending"),
    "processed": _l("processed"),
    "refunded": _l("refunded"),
}
EMAIL_STATUSES = {
    EmailStatus.PENDING: _l("waiting to be sent"),
    EmailStatus.SENDING: _l("sending"),
    EmailStatus.SENT: _l("sent"),
    EmailStatus.FAILED: lazy_pgettext("email status", "failed"),
}
WEBHOOK_STATUSES = {
    WebhookStatus.RECEIVED: lazy_pgettext("webhook status", "waiting to be processed"),
    WebhookStatus.PROCESSING: lazy_pgettext("webhook status", "processing"),
    WebhookStatus.PROCESSED: _l("processed"),
    WebhookStatus.FAILED: lazy_pgettext("webhook status", "failed"),
    WebhookStatus.REFUSED: lazy_pgettext("webhook status", "refused"),
}
# What became of a webhook; the details fill the placeholders (statuses and amounts labelled for the reader).
WEBHOOK_RESULTS = {
    WebhookResult.ORDER_CHECKED: _l("Order %(order)s: %(from)s → %(to)s"),
    WebhookResult.ORDER_MISMATCH: _l("Order %(order)s does not match Smartpay's: nothing was changed"),
    WebhookResult.UNKNOWN_ORDER: _l("No order of this shop has Smartpay id %(id)s"),
    WebhookResult.NO_ACTION: _l("Stored; the shop does not act on this type of event"),
    WebhookResult.UNKNOWN_SUBSCRIPTION: _l("Refused: the subscription id is unknown"),
    WebhookResult.STALE_TIMESTAMP: _l("Refused: the timestamp is missing or too far from now"),
    WebhookResult.BAD_SIGNATURE: _l("Refused: the signature does not match"),
    WebhookResult.NOT_AN_EVENT: _l("Refused: the body is not a Smartpay event"),
    WebhookResult.SUBSCRIPTION_STOPPED: _l("Subscription %(subscription)s: %(to)s"),
    WebhookResult.UNKNOWN_TOKEN: _l("No subscription of this shop has Smartpay token %(id)s"),
}
REFUND_REASONS = {"requested_by_customer": _l("Requested by the customer"), "fraudulent": _l("Fraudulent")}
SOURCES = {
    Source.CHECKOUT: _l("checkout"),
    Source.RETURN_PAGE: _l("return page"),
    Source.CANCEL_PAGE: _l("cancel page"),
    Source.STATUS_POLL: _l("status poll"),
    Source.SYNC: _l("sync"),
    Source.SMARTPAY: _l("Smartpay"),
    Source.DEADLINE: _l("transfer deadline"),
    Source.SUBSCRIPTION: _l("subscription"),
}
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
INTERVALS = {1: _l("Every month"), 2: _l("Every 2 months")}
PAYMENT_METHODS = {
    PaymentMethod.SMARTPAY: _l("Smartpay"),
    PaymentMethod.BANK_TRANSFER: _l("Bank transfer"),
}
ACCOUNT_TYPES = {"ordinary": _l("Ordinary (普通)"), "current": _l("Current (当座)")}
TRANSFER_ENTRIES = {
    TransferEntryKind.RECEIVED: _l("received"),
    TransferEntryKind.REFUNDED: lazy_pgettext("transfer entry", "refunded"),
}
# What each webhook says, for the history's "webhook:<event type>" sources.
WEBHOOK_EVENTS = {
    "order.authorized": _l("Webhook (authorization)"),
    "order.rejected": _l("Webhook (declined)"),
    "order.canceled": _l("Webhook (cancellation)"),
    "payment.created": _l("Webhook (payment)"),
    "refund.created": _l("Webhook (refund)"),
}
# Notes the shop's own code writes into an order's history.
NOTES = {
    "Smartpay declined the purchase": _l("Smartpay declined the purchase"),
    "Smartpay reported the order as failed": _l("Smartpay reported the order as failed"),
    "Made outside the shop": _l("Made outside the shop"),
    "The checkout stopped before the shopper reached Smartpay":
        _l("The checkout stopped before the shopper reached Smartpay"),
    "More than the total was received": _l("More than the total was received"),
    "The transfer deadline passed": _l("The transfer deadline passed"),
}


def label(table: dict, code: str | None) -> str:
    """The label for `code`, or the code itself when it is one we do not know (never an empty cell)."""
    return str(table.get(code, code or ""))


def webhook_result_label(event) -> str:
    """The webhook's result in the reader's words; a row from before the codes shows the sentence it has."""
    wording = WEBHOOK_RESULTS.get(event.result)
    if wording is None:
        return event.result or ""
    detail = dict(event.result_detail or {})
    for key in ("from", "to"):
        if key in detail:
            statuses = SUBSCRIPTION_STATUSES if event.result == WebhookResult.SUBSCRIPTION_STOPPED else ORDER_STATUSES
            detail[key] = label(statuses, detail[key])
    if "amount" in detail:
        detail["amount"] = yen(int(detail["amount"]))
    return str(wording) % detail


def failure_label(reason: str) -> Markup:
    """Why an order failed: the shop's own reasons in words; Smartpay's error line (503 service.unavailable: …)
    as the machine wrote it, in code."""
    if reason in NOTES:
        return Markup.escape(str(NOTES[reason]))
    return Markup("<code>%s</code>") % reason


def source_label(source: str) -> str:
    kind, _, detail = source.partition(":")
    if kind == "admin" and detail:
        return str(_l("admin %(email)s", email=detail))
    if kind == "webhook" and detail:
        return str(WEBHOOK_EVENTS.get(detail, _l("Webhook (%(event)s)", event=detail)))
    return label(SOURCES, source)


def register(app) -> None:
    filters = {
        "order_status": lambda code: label(ORDER_STATUSES, code),
        "refund_status": lambda code: label(REFUND_STATUSES, code),
        "smartpay_status": lambda code: label(SMARTPAY_STATUSES, code),
        "refund_reason": lambda code: label(REFUND_REASONS, code),
        "email_status": lambda code: label(EMAIL_STATUSES, code),
        "webhook_status": lambda code: label(WEBHOOK_STATUSES, code),
        "webhook_result": webhook_result_label,
        "history_note": lambda note: label(NOTES, note),
        "failure_reason": failure_label,
        "history_source": source_label,
        "payment_method": lambda code: label(PAYMENT_METHODS, code),
        "account_type": lambda code: label(ACCOUNT_TYPES, code),
        "transfer_entry": lambda code: label(TRANSFER_ENTRIES, code),
        "subscription_status": lambda code: label(SUBSCRIPTION_STATUSES, code),
        "cycle_status": lambda code: label(CYCLE_STATUSES, code),
        "subscription_note": lambda code: label(SUBSCRIPTION_NOTES, code),
        "interval": lambda months: label(INTERVALS, months),
    }
    app.jinja_env.filters.update(filters)
    # Templates compare with the enums too (`order.status == OrderStatus.REJECTED`), never with loose strings.
    app.jinja_env.globals.update(OrderStatus=OrderStatus, WebhookStatus=WebhookStatus,
                                 SmartpayOrderStatus=SmartpayOrderStatus, PaymentMethod=PaymentMethod,
                                 SubscriptionStatus=SubscriptionStatus)
