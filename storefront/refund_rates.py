"""Which consumption-tax rate a refund reduces: every refund (Smartpay's or a bank transfer's) is checked here
against what is left at its rate (storefront/tax.py), so a receipt's breakdown never goes below zero."""
from flask_babel import gettext as _

from .i18n import yen
from .tax import refundable_by_rate


class RateRefused(ValueError):
    """A refund refused before anything was sent, with a message for the admin; the caller rolls its work back."""


def check_rate_left(order, tax_rate: int | None, amount: int, refunds_so_far) -> None:
    """Refuse a refund larger than what is left at the rate it names (None: all rates, in proportion)."""
    if tax_rate is None:
        return
    left = max(refundable_by_rate(order, refunds_so_far).get(tax_rate, 0), 0)
    if amount > left:
        raise RateRefused(_("Only %(amount)s of the %(rate)s%% rate can still be refunded.",
                            amount=yen(left), rate=tax_rate))
