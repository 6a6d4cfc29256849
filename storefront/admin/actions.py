"""What every action of the order page shares: find the order, run the action as one unit of work, commit,
and tell the admin the outcome in plain words."""
from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from ..bank_transfer.transfers import TransferRefused
from ..extensions import db
from ..models import Order
from ..refund_rates import RateRefused
from ..smartpay.client import SmartpayError
from ..smartpay.refunds import RefundRefused

# What Smartpay's refusals mean, in words a shop assistant understands.
PLAIN_WORDS = {
    "amount.insufficient": _l("Smartpay says this payment has less left to refund than that amount."),
    "payment.not-found": _l("Smartpay does not know this payment. It may belong to another account or mode."),
    "order.cannot-capture": _l("Smartpay cannot capture this order: it is already captured, cancelled or expired."),
    "payment.excessive-amount": _l("That is more than is still authorized for this order."),
    "order.cannot-cancel": _l("Smartpay cannot cancel this order in its current state."),
}


def find_order(public_id: str, method: str | None = None) -> Order:
    """The order, or a 404; an action of one payment method (a Smartpay refund, a transfer received) names its
    method, so it can never be applied to another method's order."""
    query = select(Order).where(Order.public_id == public_id)
    if method is not None:
        query = query.where(Order.payment_method == method)
    return db.session.scalar(query) or abort(404)


def explain(error: SmartpayError) -> str:
    if error.status_code is None or error.status_code >= 500:
        return _("Smartpay did not answer. Nothing was lost: the shop will confirm it with Smartpay (sync).")
    if error.error_code in PLAIN_WORDS:
        return str(PLAIN_WORDS[error.error_code])
    return _("Smartpay refused: %(message)s", message=error.message)


def back_to(order: Order):
    return redirect(url_for("admin.order", public_id=order.public_id), code=303)


def act_on(order: Order, what: str, form, action):
    """Validate `form`, run `action` (it returns the success message) as this request's unit of work, commit,
    and show the outcome in plain words."""
    if not form.validate():
        flash(_("%(what)s: %(errors)s", what=what, errors=_("; ").join(
            str(e) for errors in form.errors.values() for e in errors)), "error")
        return back_to(order)
    try:
        message = action()
        db.session.commit()
        flash(message, "success")
    except (RefundRefused, TransferRefused, RateRefused) as refusal:  # refused before anything was sent: undone
        db.session.rollback()
        flash(str(refusal), "error")
    except SmartpayError as error:
        db.session.commit()  # what the failure recorded: a refused refund's reservation is released
        current_app.logger.warning("%s for %s: %s", what, order.number, error)
        flash(explain(error), "error")
    return back_to(order)
