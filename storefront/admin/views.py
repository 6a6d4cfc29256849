"""Orders: find one, see everything that happened to it, refund it, capture it."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from .. import orders as order_states
from ..extensions import db
from ..gateway import smartpay
from ..i18n import yen
from ..models import ApiCall, Order, Refund, WebhookEvent
from ..reconcile import sync_open_orders
from ..refunds import RESERVING, RefundRefused, reserve_refund
from ..smartpay import SmartpayError
from ..security import page_cursor
from ..statuses import admin_source
from . import bp
from .forms import ActionForm, CaptureForm, OrderSearchForm, RefundForm

PAGE_SIZE = 50
# What Smartpay's refusals mean, in words a shop assistant understands.
PLAIN_WORDS = {
    "amount.insufficient": _l("Smartpay says this payment has less left to refund than that amount."),
    "payment.not-found": _l("Smartpay does not know this payment. It may belong to another account or mode."),
    "order.cannot-capture": _l("Smartpay cannot capture this order: it is already captured, cancelled or expired."),
    "payment.excessive-amount": _l("That is more than is still authorized for this order."),
    "order.cannot-cancel": _l("Smartpay cannot cancel this order in its current state."),
}


@bp.get("/")
def index():
    return redirect(url_for("admin.orders"))


@bp.get("/orders")
def orders():
    form = OrderSearchForm(request.args)
    if not form.validate():
        return render_template("admin/orders.html", form=form, orders=[], older=None, sync_form=ActionForm()), 400
    found = search_orders(form.q.data, form.status.data, page_cursor("before"))
    older = found[-1].id if len(found) == PAGE_SIZE else None
    return render_template("admin/orders.html", form=form, orders=found, older=older, sync_form=ActionForm())


def search_orders(text: str | None, status: str | None, before: int | None) -> list[Order]:
    """Newest first, a page at a time by id (keyset), so page 2,000 costs what page 1 costs.

    Searches are exact matches on indexed columns: the order number (unique) or the email (stored lower case).
    """
    query = select(Order)
    text = (text or "").strip()
    if text:
        query = query.where(Order.email == text.lower()) if "@" in text else query.where(Order.number == text.upper())
    if status:
        query = query.where(Order.status == status)
    if before:
        query = query.where(Order.id < before)
    return db.session.scalars(query.order_by(Order.id.desc()).limit(PAGE_SIZE)).all()


@bp.get("/orders/<public_id>")
def order(public_id: str):
    found = find_order(public_id)
    remote, remote_error = read_from_smartpay(found)
    payments = payments_with_remainders(found, remote)
    return render_template(
        "admin/order.html", order=found, remote=remote, remote_error=remote_error, payments=payments,
        refund_forms={p["id"]: RefundForm(formdata=None, payment=p["id"], amount=p["refundable"]) for p in payments},
        capture_form=CaptureForm(formdata=None, amount=max(found.total - found.captured_amount, 0)),
        action_form=ActionForm(), events=events_of(found), calls=calls_of(found))


def find_order(public_id: str) -> Order:
    return db.session.scalar(select(Order).where(Order.public_id == public_id)) or abort(404)


def read_from_smartpay(order: Order) -> tuple[dict | None, str]:
    if not order.smartpay_order_id:
        return None, _("This order never reached Smartpay.")
    try:
        return smartpay().get_order(order.smartpay_order_id, expand=True), ""
    except SmartpayError as error:
        return None, _("Smartpay could not be reached (%(error)s); showing the shop's own records.", error=error.message)


def payments_with_remainders(order: Order, remote: dict | None) -> list[dict]:
    """Smartpay's payments, each with what is still refundable (its amount less our reserved refunds)."""
    reserved = dict(db.session.execute(
        select(Refund.smartpay_payment_id, func.sum(Refund.amount))
        .where(Refund.order_id == order.id, Refund.status.in_(RESERVING))
        .group_by(Refund.smartpay_payment_id)).all())
    payments = [p for p in (remote or {}).get("payments", []) if isinstance(p, dict)]
    return [{**p, "refunded": reserved.get(p["id"], 0), "refundable": max(p["amount"] - reserved.get(p["id"], 0), 0)}
            for p in payments]


def events_of(order: Order) -> list[WebhookEvent]:
    if not order.smartpay_order_id:
        return []
    return db.session.scalars(select(WebhookEvent).where(WebhookEvent.smartpay_order_id == order.smartpay_order_id)
                              .order_by(WebhookEvent.id)).all()


def calls_of(order: Order) -> list[ApiCall]:
    if not order.smartpay_order_id:
        return []
    return db.session.scalars(select(ApiCall).where(ApiCall.smartpay_order_id == order.smartpay_order_id)
                              .order_by(ApiCall.id)).all()


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
    except RefundRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
    except SmartpayError as error:
        db.session.commit()  # what the failure recorded: a refused refund's reservation is released
        current_app.logger.warning("%s for %s: %s", what, order.number, error)
        flash(explain(error), "error")
    return back_to(order)


@bp.post("/orders/<public_id>/refunds")
def refund(public_id: str):
    found, form = find_order(public_id), RefundForm()

    def reserve_and_send() -> str:
        created = reserve_refund(found, form.payment.data, form.amount.data, form.reason.data,
                                 form.note.data or "", current_user.email, form.token.data)
        # Committed before Smartpay is asked: its public id is the Idempotency-Key, and a crash while Smartpay
        # answers leaves a pending refund that the webhook or the worker's sync settles.
        db.session.commit()
        order_states.send_refund(found, created, admin_source(current_user.email))
        return _("Refunded %(amount)s through Smartpay.", amount=yen(created.amount))
    return act_on(found, _("Refund not sent"), form, reserve_and_send)


@bp.post("/orders/<public_id>/capture")
def capture(public_id: str):
    found, form = find_order(public_id), CaptureForm()

    def take() -> str:
        order_states.capture(found, form.amount.data, form.cancel_rest.data, form.token.data,
                             admin_source(current_user.email))
        return _("Captured %(amount)s.", amount=yen(form.amount.data))
    return act_on(found, _("Capture not sent"), form, take)


@bp.post("/orders/<public_id>/cancel")
def cancel(public_id: str):
    found = find_order(public_id)

    def let_go() -> str:
        order_states.cancel_authorization(found, admin_source(current_user.email))
        return _("The remaining authorization was cancelled.")
    return act_on(found, _("Cancel not sent"), ActionForm(), let_go)


@bp.post("/sync")
def sync():
    if ActionForm().validate():
        counts = sync_open_orders()
        message = _("Checked %(checked)s orders with Smartpay: %(changed)s changed.", **counts)
        if counts["failed"]:
            message += " " + _("%(failed)s could not be reached.", **counts)
        flash(message, "success")
    return redirect(url_for("admin.orders"), code=303)
