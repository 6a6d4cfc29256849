"""The shopper's 定期便: choose it on a tea's page, give the delivery details, consent once on Smartpay's page;
the first delivery is charged at once and the worker charges the next ones. Managed from the signed link in
every email (storefront/subscriptions/links.py), with no account."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..cart import current_cart, totals_of
from ..checkout.views import customer_of
from ..extensions import db
from ..i18n import current_language, local_day, shop_day
from ..limits import limit_checkout
from ..models import Product, utcnow
from ..orders import PAID
from ..smartpay.client import SmartpayError
from .statuses import SubscriptionStatus
from . import billing, jobs, links, service
from .forms import SubscriptionForm
from .models import Subscription

bp = Blueprint("subscriptions", __name__, url_prefix="/subscriptions")


def subscribable(slug: str) -> Product:
    return db.session.scalar(select(Product).where(Product.slug == slug, Product.active.is_(True),
                                                   Product.subscribable.is_(True))) or abort(404)


@bp.get("/new/<slug>")
def new(slug: str):
    """From the product page's "定期便" form: its interval and quantity come along in the address."""
    product = subscribable(slug)
    every = request.args.get("every") if request.args.get("every") in ("1", "2") else "1"
    quantity = request.args.get("quantity", "1")
    # isdigit() also says yes to "²" and to 5,000 digits; only what the product page's box can send is taken.
    wanted = int(quantity) if quantity.isascii() and quantity.isdigit() and len(quantity) <= 2 else 1
    form = SubscriptionForm(formdata=None, data={"every": every, "quantity": wanted})
    return render_new(form, product)


@bp.post("/new/<slug>")
@limit_checkout
def create(slug: str):
    product = subscribable(slug)
    form = SubscriptionForm()
    if not form.validate():
        return render_new(form, product), 400
    if request.form.get("edit"):  # "change" on the final confirmation: back to the form, as it was filled
        return render_new(form, product)
    if form.confirmed.data != "yes":
        return render_confirmation(form, product)
    subscription = service.create_pending(product, form.quantity.data, int(form.every.data), customer_of(form),
                                          current_language())
    # Committed before Smartpay is asked, as an order is at checkout: a crash while it answers leaves a record.
    db.session.commit()
    links.remember_owner(subscription)
    try:
        service.ask_for_consent(subscription)
    except SmartpayError as error:  # nothing was charged: the subscription stays on record, closed
        current_app.logger.warning("subscription %s: no consent page: %s", subscription.public_id, error)
        db.session.rollback()
        subscription.status, subscription.note = SubscriptionStatus.CANCELLED, "consent_not_started"
        db.session.commit()
        return render_new(form, product, failure=True), 502
    db.session.commit()
    return redirect(subscription.smartpay_checkout_url, code=303)


def render_confirmation(form: SubscriptionForm, product: Product):
    """The final confirmation before Smartpay's consent (特定商取引法 第12条の6): the price of each delivery with
    shipping and tax, when each charge happens, that there is no minimum term, how to skip or cancel, and how a
    price change is announced. Its button sends the same form, confirmed."""
    every, today = int(form.every.data), shop_day(utcnow())
    totals = totals_of([(product.tax_rate, product.price * form.quantity.data)])
    return render_template("subscriptions/confirm.html", form=form, product=product, every=every,
                           subtotal=totals.subtotal, shipping=totals.shipping_fee, per_delivery=totals.total,
                           tax_parts=totals.tax_parts, second_delivery=billing.months_later(today, every))


def render_new(form: SubscriptionForm, product: Product, failure: bool = False):
    cart = current_cart()
    return render_template("subscriptions/new.html", form=form, product=product, failure=failure,
                           cart_has_items=bool(cart and cart.lines))


# --- back from Smartpay's consent page --------------------------------------------------------------------

@bp.get("/<public_id>/consented")
def consented(public_id: str):
    """The success URL proves nothing: the token's status at Smartpay decides, as a return page asks for the
    order's. Active: the subscription starts, and the status page asks for the first delivery's charge (a POST)."""
    subscription = find(public_id)
    if subscription.status == SubscriptionStatus.PENDING:
        try:
            answer = service.consent_answer(subscription)
        except SmartpayError:
            return render_template("subscriptions/status.html", subscription=subscription, unconfirmed=True), 502
        if answer == "active":
            service.activate(subscription, shop_day(utcnow()))
        else:
            service.not_consented(subscription, answer)
        db.session.commit()
    return redirect(url_for("subscriptions.status", public_id=public_id), code=303)


@bp.post("/<public_id>/first-delivery")
@limit_checkout
def first_delivery(public_id: str):
    """The first delivery's charge, sent by the status page's form (at once by its script; without script, by
    its button). The worker's job would charge it too, whichever comes first: the subscription's claim and the
    try's Idempotency-Key make it one charge."""
    subscription = find(public_id)
    today = shop_day(utcnow())
    if billing.is_due(subscription, today):
        jobs.charge_due(subscription.id, today)
    return redirect(url_for("subscriptions.status", public_id=public_id), code=303)


@bp.get("/<public_id>/not-consented")
def not_consented(public_id: str):
    subscription = find(public_id)
    if subscription.status == SubscriptionStatus.PENDING:
        try:
            service.not_consented(subscription, service.consent_answer(subscription))
            db.session.commit()
        except SmartpayError:
            db.session.rollback()
    return redirect(url_for("subscriptions.status", public_id=public_id), code=303)


@bp.get("/<public_id>")
def status(public_id: str):
    subscription = find(public_id)
    manage_url = links.manage_url(subscription) if links.owns(subscription) else None
    first = first_order(subscription)
    # Its first delivery is due and not paid yet: the page asks for the charge (or says it is under way).
    charging = billing.is_due(subscription, shop_day(utcnow())) and (first is None or first.status not in PAID)
    return render_template("subscriptions/status.html", subscription=subscription, manage_url=manage_url,
                           first=first, charging=charging, tried=first is not None)


def find(public_id: str) -> Subscription:
    return db.session.scalar(select(Subscription).where(Subscription.public_id == public_id)) or abort(404)


def first_order(subscription: Subscription):
    """The order of the first charged delivery, for the confirmation page."""
    return next((cycle.order for cycle in subscription.cycles if cycle.order is not None), None)


# --- the link in every email ------------------------------------------------------------------------------

@bp.route("/manage/<signed>", methods=["GET", "POST"])
def manage(signed: str):
    subscription = links.from_signed(signed)
    if subscription is None:
        abort(404, _("This link is not valid. Please use the link in your latest subscription email, or contact us."))
    if request.method == "POST":
        act(subscription, request.form.get("action", ""))
        return redirect(url_for("subscriptions.manage", signed=signed), code=303)
    return render_template("subscriptions/manage.html", subscription=subscription, signed=signed,
                           intervals=service.INTERVALS)


def act(subscription: Subscription, action: str) -> None:
    """One button of the management page, as one unit of work, with its outcome in words."""
    handler = ACTIONS.get(action) or abort(400, _("Please use one of the buttons on the page."))
    try:
        message = handler(subscription)
        db.session.commit()
        flash(message, "success")
    except service.SubscriptionRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
    except SmartpayError as error:
        db.session.rollback()
        current_app.logger.warning("subscription %s: %s failed at Smartpay: %s", subscription.public_id, action, error)
        flash(_("Smartpay could not be reached, so nothing was changed. Please try again in a few minutes."), "error")


def skip(subscription: Subscription) -> str:
    skipped = subscription.next_charge_on
    following = service.skip_next(subscription)
    return _("The delivery of %(skipped)s is skipped. The next one is on %(next)s.", skipped=local_day(skipped),
             next=local_day(following))


def change_interval(subscription: Subscription) -> str:
    every = request.form.get("every", "")
    service.change_interval(subscription, int(every) if every in ("1", "2") else 0)  # "0": refused with words
    return _("From now on we deliver every %(months)s month(s).", months=subscription.interval_months)


def pause(subscription: Subscription) -> str:
    service.pause(subscription)
    return _("Your subscription is paused: nothing is delivered or charged until you resume it.")


def resume(subscription: Subscription) -> str:
    service.resume(subscription, shop_day(utcnow()), by_shopper=True)
    return _("Your subscription is resumed. The next delivery is on %(next)s.", next=local_day(subscription.next_charge_on))


def cancel(subscription: Subscription) -> str:
    service.cancel(subscription)
    return _("Your subscription is cancelled. Nothing more will be delivered or charged.")


ACTIONS = {"skip": skip, "interval": change_interval, "pause": pause, "resume": resume, "cancel": cancel}
