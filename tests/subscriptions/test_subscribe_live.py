"""定期便 from the shopper's side, over real HTTP against the live sandbox: subscribe to a tea, consent once on
Smartpay's page, the first delivery charged at once; two months later `run-due` charges exactly the next
cycles with an email before each; the signed link skips, re-times, pauses, resumes and cancels (which disables
the token at Smartpay); a tampered or replayed link changes nothing; a token stopped at Smartpay pauses it."""
import re
from datetime import timedelta

import pytest
import requests
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.models import Order, Product
from storefront.statuses import OrderStatus
from storefront.subscriptions.statuses import CycleStatus, SubscriptionStatus
from storefront.subscriptions.billing import months_later
from storefront.subscriptions.models import Subscription
from tests.support.storefront import CSRF, CUSTOMER, SUBMISSION
from tests.support.subscriptions import (confirm, emails_of, hidden_fields, manage_link, press, subscribe_as_shopper,
                                       today)

pytestmark = pytest.mark.live


def the_subscription(shop) -> Subscription:
    with shop.app.app_context():
        found = db.session.scalar(select(Subscription).order_by(Subscription.id.desc()))
        found.cycles, found.lines  # noqa: B018  (loaded before the session closes)
        db.session.expunge_all()
        return found


def test_subscribing_consents_once_and_the_first_delivery_is_paid_at_once(live_shop):
    _shopper, page = subscribe_as_shopper(live_shop)
    assert "Your subscription has started" in page.text
    subscription = the_subscription(live_shop)
    assert (subscription.status, subscription.interval_months) == (SubscriptionStatus.ACTIVE, 1)
    assert subscription.next_charge_on == months_later(today(live_shop), 1)
    [cycle] = subscription.cycles
    assert cycle.status == CycleStatus.CHARGED
    with live_shop.app.app_context():
        order = db.session.get(Order, cycle.order_id)
        assert (order.status, order.total) == (OrderStatus.PAID, 2 * 1080 + 500)
        remote = live_shop.api("GET", f"/orders/{order.smartpay_order_id}").json()
    assert remote["tokenId"] == subscription.smartpay_token_id and remote["status"] == "succeeded"
    assert order.number in page.text and "Skip, change, pause or cancel" in page.text
    assert len(emails_of(live_shop, "sub_started")) == 1 and len(emails_of(live_shop, "confirmation")) == 1


def test_two_months_later_run_due_charges_the_next_cycles_with_an_email_before_each(live_shop):
    subscribe_as_shopper(live_shop)
    start = today(live_shop)
    first_due = months_later(start, 1)
    for _ in range(2):  # the notice goes once, however often the worker looks
        live_shop.cli("subscriptions", "run-due", "--as-of", str(first_due - timedelta(days=3)))
    [notice] = emails_of(live_shop, "sub_upcoming")
    assert "¥2,660" in notice.text_body and "/subscriptions/manage/" in notice.text_body
    assert "The price has changed" not in notice.text_body
    for month in (1, 2):
        output = live_shop.cli("subscriptions", "run-due", "--as-of", str(months_later(start, month)))
        assert output.strip() == "charged 1, declined 0, paused 0, waiting 0, missed 0, adopted 0"
    subscription = the_subscription(live_shop)
    assert [c.status for c in subscription.cycles] == [CycleStatus.CHARGED] * 3
    assert subscription.next_charge_on == months_later(start, 3)
    assert len(emails_of(live_shop, "confirmation")) == 3


def test_the_email_before_a_charge_says_when_the_price_changed(live_shop):
    subscribe_as_shopper(live_shop)
    with live_shop.app.app_context():
        db.session.execute(db.update(Product).where(Product.slug == "kyoto-hojicha").values(price=1200))
        db.session.commit()
    live_shop.cli("subscriptions", "run-due", "--as-of", str(months_later(today(live_shop), 1) - timedelta(days=1)))
    [notice] = emails_of(live_shop, "sub_upcoming")
    assert "¥2,900" in notice.text_body and "The price has changed since your last delivery (¥2,660)" in notice.text_body


def test_a_price_raised_after_the_notice_is_not_charged_the_notice_price_is(live_shop):
    subscribe_as_shopper(live_shop)
    due = months_later(today(live_shop), 1)
    live_shop.cli("subscriptions", "run-due", "--as-of", str(due - timedelta(days=2)))  # the notice: ¥2,660
    with live_shop.app.app_context():
        db.session.execute(db.update(Product).where(Product.slug == "kyoto-hojicha").values(price=1500))
        db.session.commit()
    live_shop.cli("subscriptions", "run-due", "--as-of", str(due))
    with live_shop.app.app_context():
        charged = db.session.scalar(select(Order).order_by(Order.id.desc()))
        db.session.expunge_all()
    assert (charged.status, charged.total) == (OrderStatus.PAID, 2 * 1080 + 500)  # what the email said
    remote = live_shop.api("GET", f"/orders/{charged.smartpay_order_id}").json()
    assert remote["amount"] == 2660


def test_the_signed_link_skips_re_times_pauses_resumes_and_cancels(live_shop):
    shopper, _page = subscribe_as_shopper(live_shop)
    link, start = manage_link(live_shop), today(live_shop)
    assert "Skip the next delivery" in shopper.get(link).text
    assert "is skipped" in press(shopper, link, "skip").text
    assert the_subscription(live_shop).next_charge_on == months_later(start, 2)
    live_shop.cli("subscriptions", "run-due", "--as-of", str(months_later(start, 1)))  # the skipped day
    assert len(emails_of(live_shop, "confirmation")) == 1  # nothing charged
    assert "every 2 month" in press(shopper, link, "interval", every="2").text
    assert "is paused" in press(shopper, link, "pause").text
    live_shop.cli("subscriptions", "run-due", "--as-of", str(months_later(start, 6)))
    assert len(emails_of(live_shop, "confirmation")) == 1  # paused: nothing charged
    assert "is resumed" in press(shopper, link, "resume").text
    assert "is cancelled" in press(shopper, link, "cancel").text
    token = the_subscription(live_shop).smartpay_token_id
    assert live_shop.api("GET", f"/tokens/{token}").json()["status"] == "disabled"
    again = shopper.get(link).text  # the link replayed after cancelling: shown cancelled, nothing to press
    assert "cancelled" in again and 'value="pause"' not in again
    assert "already cancelled" in press(shopper, link, "cancel").text  # a form kept open from before
    assert [e.kind for e in emails_of(live_shop, "sub_cancelled")] == ["sub_cancelled"]


def test_a_tampered_link_is_refused_and_changes_nothing(live_shop):
    shopper, _page = subscribe_as_shopper(live_shop)
    link = manage_link(live_shop)
    answer = shopper.get(link[:-3] + "xyz")
    assert answer.status_code == 404 and "This link is not valid" in answer.text
    assert the_subscription(live_shop).status == SubscriptionStatus.ACTIVE


def test_a_declined_consent_charges_nothing_and_says_so(live_shop):
    _shopper, page = subscribe_as_shopper(live_shop, card="4100 0000 0000 0019")
    assert "Smartpay did not approve the agreement" in page.text
    subscription = the_subscription(live_shop)
    assert subscription.status == SubscriptionStatus.CANCELLED and subscription.cycles == []
    with live_shop.app.app_context():
        assert db.session.scalar(select(func.count(Order.id))) == 0


def test_a_token_stopped_at_smartpay_pauses_the_subscription_by_webhook(live_shop):
    subscribe_as_shopper(live_shop)
    token = the_subscription(live_shop).smartpay_token_id
    live_shop.api("PUT", f"/tokens/{token}/disable")
    live_shop.eventually(lambda: db.session.scalar(select(Subscription.status)) == SubscriptionStatus.PAUSED)
    assert the_subscription(live_shop).note == "token_disabled" and emails_of(live_shop, "sub_paused")


@pytest.mark.parametrize("path, status", [("/subscriptions/new/seki-santoku-knife", 404),
                                          ("/subscriptions/new/no-such-tea", 404)])
def test_only_a_subscribable_product_can_be_subscribed(live_shop, path, status):
    assert live_shop.shopper().get(live_shop.url + path).status_code == status


@pytest.mark.parametrize("changes, words", [({"quantity": "0"}, "Enter a whole number from 1 to 99."),
                                            ({"every": "7"}, "Choose how often we deliver.")])
def test_a_bad_interval_or_quantity_is_refused_next_to_its_field(live_shop, changes, words):
    shopper = live_shop.shopper()
    form_page = shopper.get(f"{live_shop.url}/subscriptions/new/kyoto-hojicha").text
    answer = shopper.post(f"{live_shop.url}/subscriptions/new/kyoto-hojicha", data={
        **CUSTOMER, "csrf_token": CSRF.search(form_page).group(1), "every": "1", "quantity": "1",
        "submission_id": SUBMISSION.search(form_page).group(1), **changes})
    assert answer.status_code == 400 and words in answer.text
    with live_shop.app.app_context():
        assert db.session.scalar(select(func.count(Subscription.id))) == 0


def test_leaving_the_consent_page_keeps_the_subscription_waiting_with_a_way_back(live_shop):
    shopper = live_shop.shopper()
    form_page = shopper.get(f"{live_shop.url}/subscriptions/new/kyoto-hojicha").text
    confirmation = shopper.post(f"{live_shop.url}/subscriptions/new/kyoto-hojicha", data={
        **CUSTOMER, "csrf_token": CSRF.search(form_page).group(1), "every": "1", "quantity": "1",
        "submission_id": SUBMISSION.search(form_page).group(1)})
    to_smartpay = confirm(shopper, f"{live_shop.url}/subscriptions/new/kyoto-hojicha", confirmation).headers["Location"]
    back = requests.get(to_smartpay + "/cancel", allow_redirects=False, timeout=10).headers["Location"]
    page = shopper.get(back).text
    assert "Your subscription waits for your agreement" in page and to_smartpay in page
    assert the_subscription(live_shop).status == SubscriptionStatus.PENDING


def test_the_final_confirmation_shows_each_deliverys_price_and_terms_and_records_nothing_until_confirmed(live_shop):
    shopper = live_shop.shopper("ja")
    url = f"{live_shop.url}/subscriptions/new/kyoto-hojicha"
    form_page = shopper.get(url, params={"every": "2", "quantity": "3"}).text
    assert "その日の価格" not in form_page
    confirmation = shopper.post(url, data={**CUSTOMER, "csrf_token": CSRF.search(form_page).group(1), "every": "2",
                                           "quantity": "3", "submission_id": SUBMISSION.search(form_page).group(1)})
    page = " ".join(re.sub(r"<[^>]+>", " ", confirmation.text).split())
    # 京都 ほうじ茶 1,080円 × 3 = 3,240円 (8 %) + 送料 500円 (10 %) = 3,740円 a delivery, every 2 months
    for words in ("1回あたりのお支払い金額（税込・送料込） 3,740円", "8%対象 3,240円（内消費税240円）",
                  "10%対象 500円（内消費税45円）", "2か月ごと", "最低利用期間（回数の縛り）はありません",
                  "お届け日の前日までに定期便の管理ページから", "お知らせした価格で請求します", "本日、同意いただいた時点で"):
        assert words in page, words
    with live_shop.app.app_context():
        assert db.session.scalar(select(func.count(Subscription.id))) == 0  # nothing yet: only a page
    back = shopper.post(url, data={**hidden_fields(confirmation.text), "edit": "1"})
    assert back.status_code == 200 and 'value="taro+test@example.com"' in back.text and "定期便の内容を確認する" in back.text
    answer = confirm(shopper, url, confirmation)
    assert answer.status_code == 303 and answer.headers["Location"].startswith(live_shop.sandbox.base_url)
    assert the_subscription(live_shop).lines[0].quantity == 3
