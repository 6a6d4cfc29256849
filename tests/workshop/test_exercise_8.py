"""Exercise 8: a 定期便's charge says which 定期便 it belongs to, at Smartpay (docs/workshop/exercises.md).

Run it with `make exercise 8`. It subscribes, consents on the sandbox's page and lets the shop charge the first
delivery with the token, then reads Smartpay's order: it fails until that order's metadata names the subscription.
"""
import pytest
from sqlalchemy import select

from storefront.extensions import db
from storefront.models import Order
from storefront.subscriptions.models import Subscription
from tests.support.subscriptions import subscribe_as_shopper

pytestmark = pytest.mark.live


def test_a_token_charge_names_its_subscription_at_smartpay(live_shop):
    subscribe_as_shopper(live_shop)
    with live_shop.app.app_context():
        subscription = db.session.scalar(select(Subscription))
        order = db.session.scalar(select(Order).where(Order.belongs_to == "subscription"))
        public_id, smartpay_order_id = subscription.public_id, order.smartpay_order_id
    assert smartpay_order_id, "The first delivery should have been charged with the token."
    remote = live_shop.api("GET", f"/orders/{smartpay_order_id}").json()
    assert remote["metadata"].get("subscription") == public_id, (
        "Still missing: the token order the shop sends (storefront/smartpay/payload.py:token_order_payload, called "
        "from storefront/subscriptions/billing.py:ask_smartpay) should carry metadata.subscription = the "
        f"subscription's public id ({public_id}); Smartpay's order has metadata {remote['metadata']}")
