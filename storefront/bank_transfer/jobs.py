"""The worker's bank-transfer job: orders whose deadline passed are cancelled, one unit of work each."""
from datetime import datetime

from ..extensions import db
from ..models import Order
from .statuses import DEADLINE
from .transfers import DEADLINE_PASSED, TransferRefused, cancel, overdue


def cancel_overdue(now: datetime) -> dict:
    """Cancel every order whose deadline passed with nothing received, and tell the shopper (the email is written
    in the same commit)."""
    cancelled = 0
    for order_id in overdue(now):
        try:
            cancel(db.session.get(Order, order_id), DEADLINE, note=DEADLINE_PASSED)
            db.session.commit()
            cancelled += 1
        except TransferRefused:  # the merchant recorded a transfer or cancelled it meanwhile
            db.session.rollback()
    return {"cancelled": cancelled}
