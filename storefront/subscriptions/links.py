"""The link in every 定期便 email, so the shopper manages it without an account: the subscription's public id,
signed with the app's secret key. An altered link is refused; a link to a cancelled one shows it cancelled."""
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..checkout.payload import absolute
from ..extensions import db
from .models import Subscription


def serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="subscription-manage")


def manage_url(subscription: Subscription) -> str:
    """Written out, not url_for: the worker, which has no request, puts it in the emails before a charge."""
    return absolute(f"/subscriptions/manage/{serializer().dumps(subscription.public_id)}")


def from_signed(signed: str) -> Subscription | None:
    """The subscription a signed link names, or None when the link was altered."""
    try:
        public_id = serializer().loads(signed)
    except BadSignature:
        return None
    return db.session.query(Subscription).filter_by(public_id=public_id).one_or_none()
