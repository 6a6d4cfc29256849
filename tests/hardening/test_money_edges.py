"""Inputs that once reached a 500 with a stack trace on the money paths, and the smaller holes around 定期便 and
the webhook endpoint: each now gets a 4xx with a reason, or the page with a message, and loses nothing."""
import re
import time
from datetime import date

import itsdangerous.timed
import pytest
from sqlalchemy import create_engine, func, select

from storefront.extensions import db
from storefront.models import Product
from storefront.smartpay.client import webhook_signature
from storefront.smartpay.models import WebhookEvent
from storefront.smartpay.statuses import WebhookStatus
from storefront.smartpay.webhooks.views import REFUSED_KEPT_PER_HOUR
from storefront.subscriptions import links
from storefront.subscriptions.models import Subscription, SubscriptionLine
from storefront.subscriptions.statuses import SubscriptionStatus
from tests.conftest import csrf_token, dispose_engines, empty_tables, make_app
from tests.support.factories import SECRET, a_subscription as a_committed_subscription
from tests.support.storefront import CUSTOMER



@pytest.fixture
def app_settings():
    return {"SMARTPAY_WEBHOOK_SECRET": SECRET}


def with_cart(client):
    page = client.get("/products/kyoto-hojicha").get_data(as_text=True)
    product = page.split('name="product_id" value="')[1].split('"')[0]
    client.post("/cart/add", data={"csrf_token": csrf_token(client, "/products/kyoto-hojicha"),
                                   "product_id": product, "quantity": 1})


@pytest.mark.parametrize("submission_id", ["", "x" * 200, "not the form's <id>"])
def test_a_checkout_whose_form_id_was_lost_or_forged_is_asked_again_not_a_500(client, catalog, submission_id):
    with_cart(client)
    for _ in range(2):  # the second time too: an empty id once made a unique clash
        answer = client.post("/checkout/", data={**CUSTOMER, "csrf_token": csrf_token(client, "/checkout/"),
                                                 "submission_id": submission_id, "payment_method": "smartpay"})
        assert answer.status_code == 400
        page = answer.get_data(as_text=True)
        assert "This form was incomplete. Please check it and send it again." in page
        fresh = re.search(r'name="submission_id" type="hidden" value="([^"]*)"', page).group(1)
        assert re.fullmatch(r"[A-Za-z0-9_-]{16,}", fresh)  # a new id to send the form with


@pytest.mark.parametrize("quantity", ["²", "9" * 5000, "-1", "1e3"])
def test_the_subscription_form_takes_any_quantity_in_its_address(client, catalog, quantity):
    answer = client.get(f"/subscriptions/new/kyoto-hojicha?every=1&quantity={quantity}")
    assert answer.status_code == 200 and 'value="1"' in answer.get_data(as_text=True)


def a_subscription(status=SubscriptionStatus.ACTIVE, note="") -> Subscription:
    """A 定期便 of one hōjicha (the catalog's), due next on 10 January 2027."""
    tea = db.session.scalar(select(Product).where(Product.slug == "kyoto-hojicha"))
    return a_committed_subscription(status, note=note, next_charge_on=date(2027, 1, 10),
                                    lines=[SubscriptionLine(product_id=tea.id, quantity=1)])


def manage(client, app, subscription_id, **form):
    with app.test_request_context():
        signed = links.manage_url(db.session.get(Subscription, subscription_id)).rsplit("/", 1)[1]
    path = f"/subscriptions/manage/{signed}"
    answer = client.post(path, data={"csrf_token": csrf_token(client, path), **form}, follow_redirects=True)
    return answer.status_code, answer.get_data(as_text=True)


@pytest.mark.parametrize("every", ["²", "9" * 5000, "3"])
def test_a_manage_link_refuses_an_interval_it_does_not_offer_in_words(app, client, catalog, every):
    with app.app_context():
        subscription_id = a_subscription().id
    status, page = manage(client, app, subscription_id, action="interval", every=every)
    assert status == 200 and "Choose every month or every 2 months." in page


def test_a_subscription_the_shop_paused_cannot_be_resumed_from_the_shoppers_link(app, client, catalog):
    with app.app_context():
        subscription_id = a_subscription(SubscriptionStatus.PAUSED, note="paused_by_shop").id
    _status, page = manage(client, app, subscription_id, action="resume")
    assert "The shop paused this subscription. Please contact us to resume it." in page
    with app.app_context():
        assert db.session.get(Subscription, subscription_id).status == SubscriptionStatus.PAUSED


def test_a_manage_link_older_than_its_life_is_refused(app, client, catalog, monkeypatch):
    with app.app_context():
        subscription = a_subscription()
        long_ago = time.time() - (links.LINK_DAYS + 1) * 24 * 3600
        with app.test_request_context():
            monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: long_ago)
            old = links.manage_url(subscription).rsplit("/", 1)[1]
            monkeypatch.undo()
            fresh = links.manage_url(subscription).rsplit("/", 1)[1]
    assert client.get(f"/subscriptions/manage/{old}").status_code == 404
    assert client.get(f"/subscriptions/manage/{fresh}").status_code == 200


def test_the_status_page_hands_the_management_link_only_to_the_browser_that_subscribed(app, client, catalog):
    with app.app_context():
        public_id = a_subscription().public_id
    stranger = client.get(f"/subscriptions/{public_id}").get_data(as_text=True)
    assert "/subscriptions/manage/" not in stranger and "use the link in our latest email" in stranger
    with client.session_transaction() as session:
        session[links.OWNED_KEY] = [public_id]
    assert "/subscriptions/manage/" in client.get(f"/subscriptions/{public_id}").get_data(as_text=True)


# --- the webhook endpoint ----------------------------------------------------------------------------------

def deliver(client, body: bytes, timestamp: str | None = None, sign=True):
    timestamp = timestamp if timestamp is not None else str(int(time.time() * 1000))
    headers = {"Content-Type": "application/json", "Smartpay-Signature-Timestamp": timestamp,
               "Smartpay-Subscription-Id": "webhookendpoint_test_dashboard"}
    if sign:
        headers["Smartpay-Signature"] = webhook_signature(SECRET, timestamp, body) if timestamp.isascii() else "0"
    return client.post("/webhooks/smartpay", data=body, headers=headers)


EVENT = b'{"id":"evt_test_edge","object":"event","eventData":{"type":"payout.paid","data":{}}}'


@pytest.mark.parametrize("timestamp", ["\xb2", "9" * 400, "-1", "１２３"])
def test_a_timestamp_that_is_not_a_plausible_number_is_a_400(client, timestamp):
    assert deliver(client, EVENT, timestamp=timestamp).status_code == 400


def test_a_signed_body_nested_thousands_deep_is_a_400(client):
    assert deliver(client, b"[" * 100_000 + b"]" * 100_000).status_code == 400


def test_a_flood_of_unsigned_posts_keeps_a_bounded_log(app, client):
    answers = {deliver(client, b"x" * 5000, sign=False).status_code for _ in range(REFUSED_KEPT_PER_HOUR + 30)}
    assert answers == {400}
    with app.app_context():
        kept = db.session.scalars(select(WebhookEvent.payload).where(WebhookEvent.status == WebhookStatus.REFUSED)).all()
    assert len(kept) == REFUSED_KEPT_PER_HOUR and max(map(len, kept)) <= 1000


@pytest.mark.slow
def test_a_delivery_while_the_database_is_write_locked_is_a_retryable_503_then_stored(database):
    """SQLite: another process holds the write lock past the busy timeout. PostgreSQL: the inbox's table is locked
    and this app waits at most 2 s for it. Either way Smartpay is told to come back, and the retry is stored."""
    postgres = database.startswith("postgresql")
    options = {"connect_args": {"options": "-c lock_timeout=2000"}, "pool_pre_ping": True} if postgres else {}
    app = make_app(database, SMARTPAY_WEBHOOK_SECRET=SECRET, **({"SQLALCHEMY_ENGINE_OPTIONS": options} if postgres else {}))
    client = app.test_client()
    with app.app_context():
        empty_tables()
    locker = create_engine(database)
    with locker.connect() as holder:
        holder.exec_driver_sql("LOCK TABLE webhook_events IN EXCLUSIVE MODE" if postgres else "BEGIN IMMEDIATE")
        answer = deliver(client, EVENT)
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
        holder.rollback()
    locker.dispose()
    assert deliver(client, EVENT).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(WebhookEvent.id)).where(WebhookEvent.event_id == "evt_test_edge")) == 1
        db.session.remove()
        dispose_engines()
