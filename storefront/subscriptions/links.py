"""The link in every 定期便 email, so the shopper manages it without an account: the subscription's public id,
signed with the app's secret key and dated. An altered link is refused, and so is one older than LINK_DAYS:
every email carries a fresh one, so a link found in an old email, a log or a forwarded message stops working.

The public id alone opens nothing: it travels in Smartpay's return URLs and in logs, so the status page shows
the management link only to the browser that ordered the subscription (`remember_owner`, `owns`).
"""
from flask import current_app, session
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..smartpay.payload import absolute
from ..extensions import db
from .models import Subscription

LINK_DAYS = 120  # longer than two months between the emails of a subscription delivered every 2 months
OWNED_KEY = "own_subscriptions"


def serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="subscription-manage")


def manage_url(subscription: Subscription) -> str:
    """Written out, not url_for: the worker, which has no request, puts it in the emails before a charge."""
    return absolute(f"/subscriptions/manage/{serializer().dumps(subscription.public_id)}")


def from_signed(signed: str) -> Subscription | None:
    """The subscription a signed link names, or None when the link was altered or is too old."""
    try:
        public_id = serializer().loads(signed, max_age=LINK_DAYS * 24 * 3600)
    except BadSignature:  # SignatureExpired is one too
        return None
    return db.session.query(Subscription).filter_by(public_id=public_id).one_or_none()


def remember_owner(subscription: Subscription) -> None:
    """This browser ordered it (the signed session cookie says so on the way back from Smartpay)."""
    session[OWNED_KEY] = [*session.get(OWNED_KEY, [])[-4:], subscription.public_id]


def owns(subscription: Subscription) -> bool:
    return subscription.public_id in session.get(OWNED_KEY, [])
