"""定期便 in the back office: each subscription with its next delivery, its cycles and their orders; the
merchant can pause or cancel one (cancelling disables the shopper's token at Smartpay)."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..smartpay.client import SmartpayError
from ..subscriptions import service
from ..subscriptions.models import Subscription
from . import bp
from .actions import explain
from .forms import ActionForm

PAGE_SIZE = 100


@bp.before_request
def only_with_subscriptions():
    """SUBSCRIPTIONS=0: the 定期便's admin pages are not there (they share the admin's blueprint)."""
    if request.endpoint in SUBSCRIPTION_PAGES and not current_app.config["SUBSCRIPTIONS"]:
        abort(404)


@bp.get("/subscriptions")
def subscriptions():
    found = db.session.scalars(select(Subscription).order_by(Subscription.id.desc()).limit(PAGE_SIZE)).all()
    return render_template("admin/subscriptions.html", subscriptions=found)


@bp.get("/subscriptions/<public_id>")
def subscription(public_id: str):
    return render_template("admin/subscription.html", subscription=find(public_id), action_form=ActionForm())


@bp.post("/subscriptions/<public_id>/pause")
def pause_subscription(public_id: str):
    return act(find(public_id), lambda found: service.pause(found, note="paused_by_shop"),
               _("The subscription is paused; the shopper was told by email."))


@bp.post("/subscriptions/<public_id>/cancel")
def cancel_subscription(public_id: str):
    return act(find(public_id), lambda found: service.cancel(found, note="cancelled_by_shop"),
               _("The subscription is cancelled and its token disabled at Smartpay; the shopper was told by email."))


def find(public_id: str) -> Subscription:
    return db.session.scalar(select(Subscription).where(Subscription.public_id == public_id)) or abort(404)


def act(found: Subscription, action, success: str):
    if ActionForm().validate():
        try:
            action(found)
            db.session.commit()
            flash(success, "success")
        except service.SubscriptionRefused as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
        except SmartpayError as error:
            db.session.rollback()
            flash(explain(error), "error")
    return redirect(url_for("admin.subscription", public_id=found.public_id), code=303)


SUBSCRIPTION_PAGES = {f"admin.{view.__name__}" for view in (subscriptions, subscription, pause_subscription,
                                                            cancel_subscription)}
