"""Smartpay's token, as re-read after a token event, applied to the 定期便 offline: every token status against
every subscription status, with the email the shopper gets. No server: the token is a plain dict (factories)."""
from datetime import date
from itertools import product

import pytest
from sqlalchemy import select

from storefront.extensions import db
from storefront.mail.models import OutboxEmail
from storefront.subscriptions import service
from storefront.subscriptions.statuses import SubscriptionStatus as Status
from tests.support.factories import a_subscription, a_token

TOKEN_STATUSES = ["requires_authorization", "active", "rejected", "disabled", "deleted"]
# (subscription status, its note) → what each token status makes of it; anything not listed leaves it alone.
CHANGES = {
    ((Status.ACTIVE, ""), "disabled"): (Status.PAUSED, "token_disabled", "sub_paused"),
    ((Status.ACTIVE, ""), "deleted"): (Status.CANCELLED, "token_deleted", "sub_cancelled"),
    ((Status.PAUSED, "paused_by_request"), "deleted"): (Status.CANCELLED, "token_deleted", "sub_cancelled"),
    ((Status.PAUSED, "token_disabled"), "deleted"): (Status.CANCELLED, "token_deleted", "sub_cancelled"),
    ((Status.PAUSED, "token_disabled"), "active"): (Status.ACTIVE, "", None),  # the token paused it: it resumes
}
SUBSCRIPTIONS = [(Status.PENDING, ""), (Status.ACTIVE, ""), (Status.PAUSED, "paused_by_request"),
                 (Status.PAUSED, "token_disabled"), (Status.CANCELLED, "cancelled_by_request")]


@pytest.mark.parametrize("before, token_status", list(product(SUBSCRIPTIONS, TOKEN_STATUSES)),
                         ids=lambda value: "-".join(value) if isinstance(value, tuple) else value)
def test_each_token_status_changes_each_subscription_as_the_rules_say(app, before, token_status):
    with app.app_context():
        subscription = a_subscription(status=before[0], note=before[1])
        token = a_token(status=token_status)
        assert service.token_changed(token["id"], token["status"], date(2026, 11, 20)) == subscription
        db.session.commit()
        status, note, email = CHANGES.get((before, token_status), (*before, None))
        assert (subscription.status, subscription.note) == (status, note)
        assert db.session.scalars(select(OutboxEmail.kind)).all() == ([email] if email else [])


def test_a_token_of_no_subscription_changes_nothing(app):
    with app.app_context():
        subscription = a_subscription()
        assert service.token_changed("paytok_test_someone_elses", "deleted", date(2026, 11, 20)) is None
        assert subscription.status == Status.ACTIVE
