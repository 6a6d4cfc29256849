"""The admin issues an order's 領収書 (a customer asked by phone, say): the same PDF as the shopper's, counted alike."""
from flask import abort

from .. import orders
from ..receipts.views import ReceiptForm, issue
from . import bp
from .actions import find_order


@bp.post("/orders/<public_id>/receipt.pdf")
def receipt(public_id: str):
    found = find_order(public_id)
    if found.status not in orders.PAID:
        abort(404)
    return issue(found, ReceiptForm())
