"""Refunds and manual capture from the admin, against the live sandbox."""
import re
import threading

import pytest
import requests
from sqlalchemy import select

from storefront.extensions import db
from storefront.models import Refund
from tests.support.admin import FIELD, paid_order, refund, refund_form, wait_for

pytestmark = pytest.mark.live


def test_the_order_page_shows_smartpay_payments_and_what_happened(admin, live_shop):
    order = paid_order(live_shop)
    wait_for(lambda: len(admin.get(f"/admin/orders/{order.public_id}").get_data(as_text=True).split("payment.created")) > 1)
    page = admin.get(f"/admin/orders/{order.public_id}").get_data(as_text=True)
    assert order.smartpay_order_id in page and 'data-testid="smartpay-status">succeeded' in page
    assert "awaiting payment → <strong>paid</strong>" in page
    assert "POST /checkout-sessions" in page and "¥12,100" in page


def test_full_refund(admin, live_shop):
    order = paid_order(live_shop)
    page = refund(admin, order, 12100).get_data(as_text=True)
    assert "Refunded ¥12,100 through Smartpay." in page
    assert live_shop.order().status == "refunded"
    payment_id = live_shop.api("GET", f"/orders/{order.smartpay_order_id}?expand=all").json()["payments"][0]
    assert payment_id["status"] == "refunded"


def test_two_partial_refunds(admin, live_shop):
    order = paid_order(live_shop)
    refund(admin, order, 2100)
    assert live_shop.order().status == "partially_refunded" and live_shop.order().refunded_amount == 2100
    page = admin.get(f"/admin/orders/{order.public_id}").get_data(as_text=True)
    assert 'value="10000"' in page  # the form offers what is left
    refund(admin, order, 10000)
    assert live_shop.order().status == "refunded" and live_shop.order().refunded_amount == 12100
    assert "Nothing left to refund on this payment." in admin.get(f"/admin/orders/{order.public_id}").get_data(as_text=True)


def test_an_over_refund_is_refused_in_plain_words(admin, live_shop):
    order = paid_order(live_shop)
    page = refund(admin, order, 12101).get_data(as_text=True)
    assert "Only ¥12,100 of this order can still be refunded." in page
    assert live_shop.order().status == "paid"
    assert live_shop.api("GET", "/refunds").json()["data"] == []


def test_smartpays_own_refusal_is_shown_in_plain_words(admin, live_shop):
    order = paid_order(live_shop)
    form = refund_form(admin, order)
    live_shop.api("POST", "/refunds", json={"payment": form["payment"], "amount": 12000, "currency": "JPY",
                                            "reason": "requested_by_customer"})  # made elsewhere meanwhile
    page = refund(admin, order, 5000, form=form).get_data(as_text=True)
    assert "Smartpay says this payment has less left to refund than that amount." in page
    with live_shop.app.app_context():
        failed = db.session.scalar(select(Refund).where(Refund.status == "failed"))
    assert failed.amount == 5000


def test_a_double_submit_makes_one_refund(admin, live_shop):
    order = paid_order(live_shop)
    form = refund_form(admin, order)
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(refund(admin, order, 1000, form=form))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r["amount"] for r in live_shop.api("GET", "/refunds").json()["data"]] == [1000]
    assert live_shop.order().refunded_amount == 1000


def test_a_refund_made_in_the_sandbox_dashboard_arrives_by_webhook(live_shop):
    order = paid_order(live_shop)
    payment = live_shop.api("GET", f"/orders/{order.smartpay_order_id}?expand=all").json()["payments"][0]
    merchant = requests.Session()
    page = merchant.get(live_shop.sandbox.base_url + "/dashboard/").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    merchant.post(live_shop.sandbox.base_url + "/dashboard/login", data={"csrf_token": token, "secret_key": live_shop.key})
    merchant.post(f"{live_shop.sandbox.base_url}/dashboard/payments/{payment['id']}/refund",
                  data={"csrf_token": token, "amount": "3000", "reason": "requested_by_customer"})
    wait_for(lambda: live_shop.order().status == "partially_refunded")
    with live_shop.app.app_context():
        (recorded,) = db.session.scalars(select(Refund)).all()
    assert (recorded.amount, recorded.created_by, recorded.status) == (3000, "smartpay", "succeeded")


@pytest.fixture
def shop_settings():
    return {}


class TestManualCapture:
    @pytest.fixture
    def shop_settings(self):
        return {"SMARTPAY_CAPTURE_METHOD": "manual"}

    def capture(self, admin, order, amount, cancel_rest=False):
        page = admin.get(f"/admin/orders/{order.public_id}").get_data(as_text=True)
        data = {"csrf_token": re.search(FIELD.format(name="csrf_token"), page).group(1),
                "token": re.search(FIELD.format(name="token"), page).group(1), "amount": str(amount)}
        if cancel_rest:
            data["cancel_rest"] = "y"
        return admin.post(f"/admin/orders/{order.public_id}/capture", data=data, follow_redirects=True)

    def test_capture_in_two_parts(self, admin, live_shop):
        order = paid_order(live_shop)
        assert live_shop.order().status == "paid" and live_shop.order().captured_amount == 0
        assert "Captured ¥5,000." in self.capture(admin, order, 5000).get_data(as_text=True)
        assert live_shop.order().captured_amount == 5000
        self.capture(admin, order, 7100)
        remote = live_shop.api("GET", f"/orders/{order.smartpay_order_id}").json()
        assert remote["status"] == "succeeded" and live_shop.order().captured_amount == 12100

    def test_the_japanese_heading_and_button_say_capture_each_in_their_own_words(self, admin, live_shop):
        order = paid_order(live_shop)
        page = admin.get(f"/admin/orders/{order.public_id}", headers={"Accept-Language": "ja"}).get_data(as_text=True)
        assert '<h2 id="capture-heading">売上確定</h2>' in page  # a heading is a noun
        assert '<button type="submit" class="button button-primary">売上を確定する</button>' in page  # a button acts

    def test_capture_too_much_is_explained(self, admin, live_shop):
        order = paid_order(live_shop)
        page = self.capture(admin, order, 20000).get_data(as_text=True)
        assert "That is more than is still authorized for this order." in page

    def test_capture_part_and_cancel_the_rest(self, admin, live_shop):
        order = paid_order(live_shop)
        self.capture(admin, order, 4000, cancel_rest=True)
        remote = live_shop.api("GET", f"/orders/{order.smartpay_order_id}?expand=all").json()
        assert remote["status"] == "succeeded" and [p["amount"] for p in remote["payments"]] == [4000]

    def test_cancel_the_whole_authorization(self, admin, live_shop):
        order = paid_order(live_shop)
        page = admin.get(f"/admin/orders/{order.public_id}").get_data(as_text=True)
        token = re.search(FIELD.format(name="csrf_token"), page).group(1)
        done = admin.post(f"/admin/orders/{order.public_id}/cancel", data={"csrf_token": token}, follow_redirects=True)
        assert "The remaining authorization was cancelled." in done.get_data(as_text=True)
        assert live_shop.order().status == "cancelled"
        again = admin.post(f"/admin/orders/{order.public_id}/cancel", data={"csrf_token": token}, follow_redirects=True)
        assert again.status_code == 200
