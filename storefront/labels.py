"""What people read for the codes the shop stores: statuses, refund reasons, who moved an order, history notes.

The database and the logs keep the codes of storefront/statuses.py, and every page, email and admin table shows
these labels instead (registered as template filters below), in both languages. A feature words its own codes in
its package (storefront/smartpay/labels.py, subscriptions/labels.py, bank_transfer/labels.py) and registers them
from its init_app: its filters, its history notes (`add_notes`), who moves orders on its side (`add_sources`).
"""
from flask_babel import lazy_gettext as _l, lazy_pgettext
from markupsafe import Markup

from .statuses import EmailStatus, OrderStatus, RefundStatus, Source
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
EMAIL_STATUSES = {
    EmailStatus.PENDING: _l("waiting to be sent"),
    EmailStatus.SENDING: _l("sending"),
    EmailStatus.SENT: _l("sent"),
    EmailStatus.FAILED: lazy_pgettext("email status", "failed"),
}
REFUND_REASONS = {"requested_by_customer": _l("Requested by the customer"), "fraudulent": _l("Fraudulent")}
SOURCES = {Source.CHECKOUT: _l("checkout")}
# Sources with a detail ("<kind>:<detail>"), worded by a function: the admin's here, a feature's by add_sources.
SOURCE_KINDS = {"admin": lambda email: str(_l("admin %(email)s", email=email))}
# Notes the shop's code writes (an order's history, its failure, a refund), as codes like every other stored word;
# each feature brings its own (add_notes). A merchant's own note is shown as typed.
NOTES: dict[str, object] = {}
# Rows written before the notes were codes keep the English sentence they have: each maps to its code.
SENTENCES: dict[str, str] = {}


def add_notes(notes: dict, sentences: dict | None = None) -> None:
    """A feature's own history notes (bank transfer's overpaid and deadline_passed), and the sentences rows from
    before the codes hold: called from its init_app."""
    NOTES.update(notes)
    SENTENCES.update(sentences or {})


def add_sources(sources: dict, **kinds) -> None:
    """Who moves orders on a feature's side (Smartpay's sync, bank transfer's deadline), and the words for its
    sources with a detail (`webhook=` for "webhook:<event type>")."""
    SOURCES.update(sources)
    SOURCE_KINDS.update(kinds)


def note_label(note: str | None) -> str:
    return label(NOTES, SENTENCES.get(note, note))


def label(table: dict, code: str | None) -> str:
    """The label for `code`, or the code itself when it is one we do not know (never an empty cell)."""
    return str(table.get(code, code or ""))


def failure_label(reason: str) -> Markup:
    """Why an order failed: the shop's own reasons in words; Smartpay's error line (503 service.unavailable: …)
    as the machine wrote it, in code."""
    code = SENTENCES.get(reason, reason)
    if code in NOTES:
        return Markup.escape(str(NOTES[code]))
    return Markup("<code>%s</code>") % reason


def source_label(source: str) -> str:
    kind, _, detail = source.partition(":")
    if detail and kind in SOURCE_KINDS:
        return SOURCE_KINDS[kind](detail)
    return label(SOURCES, source)


def register(app) -> None:
    filters = {
        "order_status": lambda code: label(ORDER_STATUSES, code),
        "refund_status": lambda code: label(REFUND_STATUSES, code),
        "refund_reason": lambda code: label(REFUND_REASONS, code),
        "email_status": lambda code: label(EMAIL_STATUSES, code),
        "history_note": note_label,
        "failure_reason": failure_label,
        "history_source": source_label,
    }
    app.jinja_env.filters.update(filters)
    # Templates compare with the enums too (`order.status == OrderStatus.REJECTED`), never with loose strings.
    app.jinja_env.globals.update(OrderStatus=OrderStatus)
    # `{% if line.tax_rate is reduced_rate %}※`: the mark of a reduced-rate (軽減税率) item, from storefront/tax.py.
    app.jinja_env.tests["reduced_rate"] = is_reduced
