"""What the admin shows for the codes the shop and Smartpay store: statuses, refund reasons, who moved an
order. The codes stay in the database and the logs; people read these labels, in their own language."""
from flask_babel import lazy_gettext as _l

ORDER_STATUSES = {
    "pending": _l("pending"),
    "awaiting_payment": _l("awaiting payment"),
    "paid": _l("paid"),
    "partially_refunded": _l("partially refunded"),
    "refunded": _l("refunded"),
    "rejected": _l("declined"),
    "cancelled": _l("cancelled"),
    "failed": _l("failed"),
}
REFUND_STATUSES = {"pending": _l("pending"), "succeeded": _l("succeeded"), "failed": _l("failed")}
# Smartpay's own order and payment statuses, as its API names them.
SMARTPAY_STATUSES = {
    "requires_authorization": _l("awaiting authorization"),
    "requires_capture": _l("authorized"),
    "succeeded": _l("succeeded"),
    "rejected": _l("declined"),
    "canceled": _l("cancelled"),
    "failed": _l("failed"),
    "pending": _l("pending"),
    "processed": _l("processed"),
    "refunded": _l("refunded"),
}
EMAIL_STATUSES = {"pending": _l("waiting to be sent"), "sending": _l("sending"), "sent": _l("sent"),
                  "failed": _l("refused")}
REFUND_REASONS = {"requested_by_customer": _l("Requested by the customer"), "fraudulent": _l("Fraudulent")}
# Who moved an order (OrderEvent.source); "admin <email>" is shown with the email.
SOURCES = {
    "checkout": _l("checkout"),
    "return page": _l("return page"),
    "cancel page": _l("cancel page"),
    "status poll": _l("status poll"),
    "webhook": _l("webhook"),
    "sync": _l("sync"),
    "Smartpay": _l("Smartpay"),
}
# Notes the shop's own code writes into an order's history.
NOTES = {
    "Smartpay declined the purchase": _l("Smartpay declined the purchase"),
    "Smartpay reported the order as failed": _l("Smartpay reported the order as failed"),
    "Made outside the shop": _l("Made outside the shop"),
}


def label(table: dict, code: str | None) -> str:
    """The label for `code`, or the code itself when it is one we do not know (never an empty cell)."""
    return str(table.get(code, code or ""))


def source_label(source: str) -> str:
    if source.startswith("admin "):
        return str(_l("admin %(email)s", email=source.removeprefix("admin ")))
    return label(SOURCES, source)


def register(bp) -> None:
    bp.add_app_template_filter(lambda code: label(ORDER_STATUSES, code), "order_status")
    bp.add_app_template_filter(lambda code: label(REFUND_STATUSES, code), "refund_status")
    bp.add_app_template_filter(lambda code: label(SMARTPAY_STATUSES, code), "smartpay_status")
    bp.add_app_template_filter(lambda code: label(REFUND_REASONS, code), "refund_reason")
    bp.add_app_template_filter(lambda code: label(EMAIL_STATUSES, code), "email_status")
    bp.add_app_template_filter(lambda note: label(NOTES, note), "history_note")
    bp.add_app_template_filter(source_label, "history_source")
