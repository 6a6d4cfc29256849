"""Checkout with Smartpay, in the order the seed describes it:

1. validate the form;
2. create the local order from the cart (prices from the catalog, never from the browser);
3. create the checkout session on our server, with an Idempotency-Key derived from that order;
4. save Smartpay's ids and send the shopper to the session's hosted page (303);
5. when the shopper comes back, ask Smartpay for the truth (never trust the URL) and show the result.
"""
from collections import namedtuple
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import orders
from ..cart import SESSION_KEY, current_cart, price
from ..extensions import db
from ..gateway import smartpay
from ..i18n import current_language
from ..limits import limit_checkout, limit_status_poll
from ..models import Order, utcnow
from ..smartpay import SmartpayError
from .forms import CheckoutForm
from .payload import checkout_session_payload, expected_total

bp = Blueprint("checkout", __name__, url_prefix="/checkout")
CUSTOMER_FIELDS = ("email", "family_name", "given_name", "family_name_kana", "given_name_kana", "phone",
                   "postal_code", "prefecture", "city", "address_line1", "address_line2")
PAID = {"paid", "partially_refunded", "refunded"}
POLL_PACE = timedelta(seconds=3)
SummaryLine = namedtuple("SummaryLine", "name unit_price quantity")


@bp.get("/")
def start():
    cart = current_cart()
    if cart is None or not cart.lines:
        flash(_("Your cart is empty."), "error")
        return redirect(url_for("shop.cart"))
    return render_form(CheckoutForm(), cart)


@bp.post("/")
@limit_checkout
def pay():
    cart = current_cart()
    if cart is None or not cart.lines:
        flash(_("Your cart is empty."), "error")
        return redirect(url_for("shop.cart"), code=303)
    form = CheckoutForm()
    if not form.validate():
        return render_form(form, cart), 400
    order = create_local_order(form, cart)
    if order.status == "failed":
        return render_failure(form, cart, order)
    if order.smartpay_checkout_url:  # the same submission again: back to the same hosted page
        return redirect(order.smartpay_checkout_url, code=303)
    try:
        checkout_session = create_checkout_session(order)
    except SmartpayError as error:
        orders.mark_failed(order, f"{error.status_code or 'no answer'} {error.error_code}: {error.message}", "checkout")
        db.session.commit()
        return render_failure(form, cart, order, error)
    save_smartpay_ids(order, checkout_session)
    return redirect(checkout_session["url"], code=303)


def create_local_order(form: CheckoutForm, cart) -> Order:
    """One order per form submission: a double click or a browser retry finds the order the first one made."""
    existing = find_submission(form.submission_id.data)
    if existing is not None:
        return existing
    customer = {name: (getattr(form, name).data or "").strip() for name in CUSTOMER_FIELDS}
    customer["email"] = customer["email"].lower()  # so the admin's search by email finds it
    try:
        return orders.open_order(cart, customer, form.submission_id.data, current_app.config["SMARTPAY_CAPTURE_METHOD"],
                                 locale=current_language())
    except IntegrityError:  # the twin request committed first
        db.session.rollback()
        return find_submission(form.submission_id.data)


def find_submission(submission_id: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.submission_id == submission_id)) if submission_id else None


def create_checkout_session(order: Order) -> dict:
    """Ask Smartpay for a hosted checkout. The same order always sends the same body and key, so a retry
    (ours, or the shopper's second click) gets the same session back instead of a second one."""
    payload = checkout_session_payload(order)
    if expected_total(payload) != order.total:
        raise SmartpayError(None, "storefront.amount-mismatch", "the order total does not add up")
    return smartpay().create_checkout_session(payload, idempotency_key=f"checkout-session-{order.public_id}")


def save_smartpay_ids(order: Order, checkout_session: dict) -> None:
    order.smartpay_session_id = checkout_session["id"]
    order.smartpay_order_id = checkout_session["order"]["id"]
    order.smartpay_checkout_url = checkout_session["url"]
    orders.move(order, "awaiting_payment", "checkout")
    db.session.commit()


def render_form(form: CheckoutForm, cart, failure: str | None = None):
    lines = [SummaryLine(line.product.name, line.product.price, line.quantity) for line in cart.lines]
    return render_template("checkout/form.html", form=form, lines_view=lines, totals=price(cart.lines),
                           failure=failure)


def render_failure(form: CheckoutForm, cart, order: Order, error: SmartpayError | None = None):
    """Smartpay failed: nothing was charged, the cart is as it was, and a fresh form lets the shopper try again."""
    current_app.logger.warning("checkout of %s failed: %s", order.number, order.failure_reason)
    if error is not None and error.status_code is None:
        reason = _("We could not reach Smartpay just now.")
    elif error is not None and error.status_code >= 500:
        reason = _("Smartpay is having trouble right now.")
    else:
        reason = _("Smartpay could not start the payment for this order.")
    retry = CheckoutForm(formdata=None, data={name: getattr(form, name).data for name in CUSTOMER_FIELDS})
    return render_form(retry, cart, failure=reason), 502


# --- coming back from Smartpay ------------------------------------------------------------------

@bp.get("/complete/<public_id>")
def complete(public_id: str):
    order = find_order(public_id)
    outcome = ask_smartpay(order, "return page")
    if outcome == "mismatch":
        return render_template("checkout/refused.html", order=order), 409
    if order.status in PAID:
        return render_receipt(order)
    if order.status in ("rejected", "cancelled"):
        return redirect(url_for("checkout.cancelled", public_id=public_id))
    return render_template("checkout/processing.html", order=order, owned=owns(order))


@bp.get("/cancelled/<public_id>")
def cancelled(public_id: str):
    order = find_order(public_id)
    if ask_smartpay(order, "cancel page") == "mismatch":
        return render_template("checkout/refused.html", order=order), 409
    if order.status in PAID:
        return redirect(url_for("checkout.complete", public_id=public_id))
    return render_template("checkout/cancelled.html", order=order, owned=owns(order))


@bp.get("/status/<public_id>")
@limit_status_poll
def status(public_id: str):
    """For the processing page's poller. Asks Smartpay at most every few seconds per order."""
    order = db.session.scalar(select(Order).where(Order.public_id == public_id))
    if order is None:
        return jsonify(error="not_found", message=_("There is no order with this id.")), 404
    if order.status == "awaiting_payment" and due_for_check(order):
        ask_smartpay(order, "status poll")
    return jsonify(status=order.status, done=order.status != "awaiting_payment")


def find_order(public_id: str) -> Order:
    return db.session.scalar(select(Order).where(Order.public_id == public_id)) or abort(404)


def ask_smartpay(order: Order, source: str) -> str:
    """The truth comes from Smartpay's API. If Smartpay cannot answer, show what we know and let the
    webhook or `flask smartpay sync` finish the order later."""
    if order.smartpay_order_id is None:
        return order.status
    try:
        return orders.refresh_order(order, source)
    except SmartpayError as error:
        db.session.rollback()
        current_app.logger.warning("could not read %s from Smartpay: %s", order.number, error)
        return order.status


def due_for_check(order: Order) -> bool:
    return order.smartpay_checked_at is None or utcnow() - order.smartpay_checked_at > POLL_PACE


def owns(order: Order) -> bool:
    """Personal details only for the browser that placed the order (its cart id is in the signed cookie).

    The public id in the URL is unguessable, but URLs leak (shared links, screenshots, proxies' logs)."""
    return order.cart_id is not None and session.get(SESSION_KEY) == order.cart_id


def render_receipt(order: Order):
    return render_template("checkout/receipt.html", order=order, owned=owns(order))
