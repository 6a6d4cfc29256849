"""What Smartpay's codes read as, in both languages: its order statuses, its webhooks' statuses and results, who
moved an order on its side, and the notes its code writes into an order's history (template filters)."""
from flask import Flask
from flask_babel import lazy_gettext as _l, lazy_pgettext

from ..i18n import yen
from ..labels import ORDER_STATUSES, add_notes, add_sources, label
from .statuses import SmartpayOrderStatus, SmartpaySource, WebhookResult, WebhookStatus

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
}
# The statuses a result's from and to name: the order's, unless the feature that handled the event said otherwise.
RESULT_STATUSES: dict[str, dict] = {}
SOURCES = {
    SmartpaySource.RETURN_PAGE: _l("return page"),
    SmartpaySource.CANCEL_PAGE: _l("cancel page"),
    SmartpaySource.STATUS_POLL: _l("status poll"),
    SmartpaySource.SYNC: _l("sync"),
    SmartpaySource.SMARTPAY: _l("Smartpay"),
}
# What each webhook says, for the history's "webhook:<event type>" sources.
WEBHOOK_EVENTS = {
    "order.authorized": _l("Webhook (authorization)"),
    "order.rejected": _l("Webhook (declined)"),
    "order.canceled": _l("Webhook (cancellation)"),
    "payment.created": _l("Webhook (payment)"),
    "refund.created": _l("Webhook (refund)"),
}
# The notes Smartpay's side writes into an order's history or its failure reason, and the English sentences rows
# written before the notes were codes still hold.
NOTES = {
    "smartpay_declined": _l("Smartpay declined the purchase"),
    "smartpay_failed": _l("Smartpay reported the order as failed"),
    "made_outside_shop": _l("Made outside the shop"),
    "checkout_stopped": _l("The checkout stopped before the shopper reached Smartpay"),
}
SENTENCES = {
    "Smartpay declined the purchase": "smartpay_declined",
    "Smartpay reported the order as failed": "smartpay_failed",
    "Made outside the shop": "made_outside_shop",
    "The checkout stopped before the shopper reached Smartpay": "checkout_stopped",
}


def add_webhook_results(wordings: dict, statuses: dict) -> None:
    """For a feature that handles webhooks of its own (the 定期便's token events): called from its init_app."""
    WEBHOOK_RESULTS.update(wordings)
    RESULT_STATUSES.update(dict.fromkeys(wordings, statuses))


def webhook_result_label(event) -> str:
    """The webhook's result in the reader's words; a row from before the codes shows the sentence it has."""
    wording = WEBHOOK_RESULTS.get(event.result)
    if wording is None:
        return event.result or ""
    detail = dict(event.result_detail or {})
    statuses = RESULT_STATUSES.get(event.result, ORDER_STATUSES)
    for key in ("from", "to"):
        if key in detail:
            detail[key] = label(statuses, detail[key])
    if "amount" in detail:
        detail["amount"] = yen(int(detail["amount"]))
    return str(wording) % detail


def webhook_label(event_type: str) -> str:
    return str(WEBHOOK_EVENTS.get(event_type, _l("Webhook (%(event)s)", event=event_type)))


def register(app: Flask) -> None:
    """Always, even with Smartpay off in PAYMENT_METHODS: Jinja needs every filter a template names to compile it."""
    add_notes(NOTES, SENTENCES)
    add_sources(SOURCES, webhook=webhook_label)
    app.jinja_env.filters.update({
        "smartpay_status": lambda code: label(SMARTPAY_STATUSES, code),
        "webhook_status": lambda code: label(WEBHOOK_STATUSES, code),
        "webhook_result": webhook_result_label,
    })
    # Templates compare with the enums, never with loose strings (`e.status == WebhookStatus.REFUSED`).
    app.jinja_env.globals.update(WebhookStatus=WebhookStatus, SmartpayOrderStatus=SmartpayOrderStatus)
