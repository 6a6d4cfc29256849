"""What people read for the codes the shop and Smartpay store: statuses, refund reasons, who moved an order.

The database and the logs keep the codes of storefront/statuses.py, and every page, email and admin table shows
these labels instead (registered as template filters below), in both languages. A feature words its own codes in
its package (storefront/subscriptions/labels.py, bank_transfer/labels.py) and registers them the same way.
"""
from flask_babel import lazy_gettext as _l, lazy_pgettext
from markupsafe import Markup

from .i18n import yen
from .statuses import (EmailStatus, OrderStatus, PaymentMethod, RefundStatus, SmartpayOrderStatus, Source,
                       WebhookResult, WebhookStatus)
from .tax import is_reduced

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
PAYMENT_METHODS = {
    PaymentMethod.SMARTPAY: _l("Smartpay"),
    PaymentMethod.BANK_TRANSFER: _l("Bank transfer"),
}
# What each webhook says, for the history's "webhook:<event type>" sources.
WEBHOOK_EVENTS = {
    "order.authorized": _l("Webhook (authorization)"),
    "order.rejected": _l("Webhook (declined)"),
    "order.canceled": _l("Webhook (cancellation)"),
    "payment.created": _l("Webhook (payment)"),
    "refund.created": _l("Webhook (refund)"),
}
# Notes the shop's own code writes (an order's history, its failure, a refund), as codes like every other stored
# word; a feature adds its own (add_notes). A merchant's own note is shown as typed.
NOTES = {
    "smartpay_declined": _l("Smartpay declined the purchase"),
    "smartpay_failed": _l("Smartpay reported the order as failed"),
    "made_outside_shop": _l("Made outside the shop"),
    "checkout_stopped": _l("The checkout stopped before the shopper reached Smartpay"),
}
# Rows written before the notes were codes keep the English sentence they have.
SENTENCES = {
    "Smartpay declined the purchase": "smartpay_declined",
    "Smartpay reported the order as failed": "smartpay_failed",
    "Made outside the shop": "made_outside_shop",
    "The checkout stopped before the shopper reached Smartpay": "checkout_stopped",
    "More than the total was received": "overpaid",
    "The transfer deadline passed": "deadline_passed",
}


# A feature's own webhook results: their wording, and the labels of the statuses their details name.
RESULT_STATUSES: dict[str, dict] = {}


def add_notes(notes: dict) -> None:
    """A feature's own history notes (bank transfer's overpaid and deadline_passed): called from its init_app."""
    NOTES.update(notes)


def note_label(note: str | None) -> str:
    return label(NOTES, SENTENCES.get(note, note))


def add_webhook_results(wordings: dict, statuses: dict) -> None:
    """For a feature that handles webhooks of its own (the 定期便's token events): called from its init_app."""
    WEBHOOK_RESULTS.update(wordings)
    RESULT_STATUSES.update(dict.fromkeys(wordings, statuses))


def label(table: dict, code: str | None) -> str:
    """The label for `code`, or the code itself when it is one we do not know (never an empty cell)."""
    return str(table.get(code, code or ""))


def webhook_result_label(event) -> str:
    """The webhook's result in the reader's words; a row from before the codes shows the sentence it has."""
    wording = WEBHOOK_RESULTS.get(event.result)
    if wording is None:
        return event.result or ""
    detail = dict(event.result_detail or {})
    statuses = RESULT_STATUSES.get(event.result, ORDER_STATUSES)  # whose statuses its from and to are
    for key in ("from", "to"):
        if key in detail:
            detail[key] = label(statuses, detail[key])
    if "amount" in detail:
        detail["amount"] = yen(int(detail["amount"]))
    return str(wording) % detail


def failure_label(reason: str) -> Markup:
    """Why an order failed: the shop's own reasons in words; Smartpay's error line (503 service.unavailable: …)
    as the machine wrote it, in code."""
    code = SENTENCES.get(reason, reason)
    if code in NOTES:
        return Markup.escape(str(NOTES[code]))
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
        "history_note": note_label,
        "failure_reason": failure_label,
        "history_source": source_label,
        "payment_method": lambda code: label(PAYMENT_METHODS, code),
    }
    app.jinja_env.filters.update(filters)
    # Templates compare with the enums too (`order.status == OrderStatus.REJECTED`), never with loose strings.
    app.jinja_env.globals.update(OrderStatus=OrderStatus, WebhookStatus=WebhookStatus,
                                 SmartpayOrderStatus=SmartpayOrderStatus, PaymentMethod=PaymentMethod)
    # `{% if line.tax_rate is reduced_rate %}※`: the mark of a reduced-rate (軽減税率) item, from storefront/tax.py.
    app.jinja_env.tests["reduced_rate"] = is_reduced
