"""Bank transfer orders in the back office: record the transfer received (入金確認), cancel, record a refund.

Each action is one unit of work: storefront/bank_transfer/transfers.py changes the rows, act_on commits."""
from flask_babel import gettext as _
from flask_login import current_user

from ..bank_transfer import numbers as transfer_numbers, transfers as bank_transfer
from ..bank_transfer.statuses import BANK_TRANSFER
from ..models import Order
from ..statuses import admin_source
from . import bp
from .actions import act_on, find_order
from .forms import ActionForm, TransferReceivedForm, TransferRefundForm, offer_rates, rate_of


def transfer_part(order: Order) -> dict:
    """What admin/payment/bank_transfer.html shows: the money in and out, and the forms to record more."""
    return dict(entries=bank_transfer.entries_of(order), account=bank_transfer.account(), action_form=ActionForm(),
                transfer_number=transfer_numbers.number_of(order),
                received_form=TransferReceivedForm(formdata=None, amount=max(order.total - order.captured_amount, 0)),
                refund_form=offer_rates(TransferRefundForm(
                    formdata=None, amount=order.captured_amount - order.refunded_amount), order))


@bp.post("/orders/<public_id>/transfer/received")
def transfer_received(public_id: str):
    found, form = find_order(public_id, BANK_TRANSFER), TransferReceivedForm()
    return act_on(found, _("Transfer not recorded"), form, lambda: bank_transfer.record_received(
        found, form.amount.data, form.note.data or "", admin_source(current_user.email), form.token.data,
        (form.sender.data or "").strip()))


@bp.post("/orders/<public_id>/transfer/refund")
def transfer_refund(public_id: str):
    found = find_order(public_id, BANK_TRANSFER)
    form = offer_rates(TransferRefundForm(), found)
    return act_on(found, _("Refund not recorded"), form, lambda: bank_transfer.record_refund(
        found, form.amount.data, form.reason.data, form.note.data or "", admin_source(current_user.email),
        form.token.data, rate_of(form)))


@bp.post("/orders/<public_id>/transfer/cancel")
def transfer_cancel(public_id: str):
    found = find_order(public_id, BANK_TRANSFER)

    def cancel() -> str:
        bank_transfer.cancel(found, admin_source(current_user.email))
        return _("The order was cancelled and the shopper told by email.")
    return act_on(found, _("Order not cancelled"), ActionForm(), cancel)
