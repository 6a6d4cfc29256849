"""What bank transfer's codes read as, in both languages (template filters)."""
from flask import Flask
from flask_babel import lazy_gettext as _l, lazy_pgettext

from ..labels import add_notes, add_sources, label
from .statuses import DEADLINE, TransferEntryKind

ACCOUNT_TYPES = {"ordinary": _l("Ordinary (普通)"), "current": _l("Current (当座)")}
TRANSFER_ENTRIES = {
    TransferEntryKind.RECEIVED: _l("received"),
    TransferEntryKind.REFUNDED: lazy_pgettext("transfer entry", "refunded"),
}


NOTES = {"overpaid": _l("More than the total was received"), "deadline_passed": _l("The transfer deadline passed")}
SENTENCES = {"More than the total was received": "overpaid", "The transfer deadline passed": "deadline_passed"}
SOURCES = {DEADLINE: _l("transfer deadline")}


def register(app: Flask) -> None:
    """Always, even when the method is off: Jinja needs every filter a template names to compile it."""
    add_notes(NOTES, SENTENCES)
    add_sources(SOURCES)
    app.jinja_env.filters.update({
        "account_type": lambda code: label(ACCOUNT_TYPES, code),
        "transfer_entry": lambda code: label(TRANSFER_ENTRIES, code),
    })
