"""Orders: find one, see everything that happened to it, refund it, capture it."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..bank_transfer import numbers as transfer_numbers
from ..bank_transfer.statuses import BANK_TRANSFER
from ..extensions import db
from ..i18n import yen
from ..models import Order, Refund
from ..security import page_cursor
from ..smartpay import payments
from ..smartpay.client import SmartpayError
from ..smartpay.gateway import smartpay
from ..smartpay.jobs import sync_open_orders
from ..smartpay.models import ApiCall, WebhookEvent
from ..smartpay.refunds import RESERVING, reserve_refund, send_refund
from ..smartpay.statuses import SMARTPAY
from ..statuses import admin_source
from . import bp, transfers
from .actions import act_on, find_order
from .forms import ActionForm, CaptureForm, OrderSearchForm, RefundForm, offer_rates, rate_of

PAGE_SIZE = 50


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
        query = query.where(matching(text))
    if status:
        query = query.where(Order.status == status)
    if before:
        query = query.where(Order.id < before)
    return db.session.scalars(query.order_by(Order.id.desc()).limit(PAGE_SIZE)).all()


def matching(text: str):
    """An email (stored lower case), a bank transfer's 振込番号 (or the statement's sender line carrying it), or an
    order number."""
    if "@" in text:
        return Order.email == text.lower()
    if text.upper().startswith("HM-"):  # an order number may be all digits after its prefix
        return Order.number == text.upper()
    by_transfer_number = transfer_numbers.order_id_of(text)
    if by_transfer_number is not None:
        return Order.id == by_transfer_number
    return Order.number == text.upper()


@bp.get("/orders/<public_id>")
def order(public_id: str):
    """One page for every order; its payment method's part (admin/payment/<method>.html) shows what that method
    needs, from the method's own function in PAYMENT_PARTS."""
    found = find_order(public_id)
    return render_template("admin/order.html", order=found, **PAYMENT_PARTS[found.payment_method](found))


def smartpay_part(found: Order) -> dict:
    remote, remote_error = read_from_smartpay(found)
    payments = payments_with_remainders(found, remote)
    return dict(
        remote=remote, remote_error=remote_error, payments=payments,
        refund_forms={p["id"]: offer_rates(RefundForm(formdata=None, payment=p["id"], amount=p["refundable"]), found)
                      for p in payments},
        capture_form=CaptureForm(formdata=None, amount=max(found.amount_due - found.captured_amount, 0)),
        action_form=ActionForm(), events=events_of(found), calls=calls_of(found))


PAYMENT_PARTS = {SMARTPAY: smartpay_part, BANK_TRANSFER: transfers.transfer_part}


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


@bp.post("/orders/<public_id>/refunds")
def refund(public_id: str):
    found = find_order(public_id, SMARTPAY)
    form = offer_rates(RefundForm(), found)

    def reserve_and_send() -> str:
        created = reserve_refund(found, form.payment.data, form.amount.data, form.reason.data,
                                 form.note.data or "", current_user.email, form.token.data, rate_of(form))
        # Committed before Smartpay is asked: its public id is the Idempotency-Key, and a crash while Smartpay
        # answers leaves a pending refund that the webhook or the worker's sync settles.
        db.session.commit()
        send_refund(found, created, admin_source(current_user.email))
        return _("Refunded %(amount)s through Smartpay.", amount=yen(created.amount))
    return act_on(found, _("Refund not sent"), form, reserve_and_send)


@bp.post("/orders/<public_id>/capture")
def capture(public_id: str):
    found, form = find_order(public_id, SMARTPAY), CaptureForm()

    def take() -> str:
        payments.capture(found, form.amount.data, form.cancel_rest.data, form.token.data,
                             admin_source(current_user.email))
        return _("Captured %(amount)s.", amount=yen(form.amount.data))
    return act_on(found, _("Capture not sent"), form, take)


@bp.post("/orders/<public_id>/cancel")
def cancel(public_id: str):
    found = find_order(public_id, SMARTPAY)

    def let_go() -> str:
        payments.cancel_authorization(found, admin_source(current_user.email))
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
