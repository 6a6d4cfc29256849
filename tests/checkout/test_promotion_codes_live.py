"""Promotion codes end to end, over real HTTP: the merchant creates a coupon and a code in the admin (through
Smartpay's API), the shopper enters the code at checkout, Smartpay's hosted page applies it, and the receipt,
the admin, the email and later refunds all agree with Smartpay's order. The shop never computes a discount."""
import re

import pytest

from storefront.smartpay.payload import hosted_page_url
from storefront.statuses import OrderStatus
from tests.support.admin import refund
from tests.support.mail import parts
from tests.support.mailing import shop_settings, worker_jobs  # noqa: F401  (fixtures: emails sent)
from tests.support.money import books_agree
from tests.support.sandbox import pay
from tests.support.storefront import CSRF

pytestmark = pytest.mark.live
TOKEN = re.compile(r'name="token" type="hidden" value="([^"]+)"')


def create_campaign(admin, code="AUTUMN500", amount=500, **code_fields):
    page = admin.get("/admin/promotions").get_data(as_text=True)
    form = page[page.index("/admin/promotions/coupons"):]
    admin.post("/admin/promotions/coupons", data={"csrf_token": CSRF.search(form).group(1),
                                                  "token": TOKEN.search(form).group(1), "name": "Autumn",
                                                  "discount_type": "amount", "amount": amount})
    page = admin.get("/admin/promotions").get_data(as_text=True)
    form = page[page.index("/admin/promotions/codes"):]
    coupon = re.search(r'<option value="(coupon_test_\w+)"', form).group(1)
    answer = admin.post("/admin/promotions/codes", data={
        "csrf_token": CSRF.search(form).group(1), "token": TOKEN.search(form).group(1), "coupon": coupon,
        "code": code, **code_fields}, follow_redirects=True)
    return answer.get_data(as_text=True)


def buy_with_code(shop, code, language="en"):
    shopper = shop.shopper(language)
    shopper.add("kyoto-hojicha", 2)
    shopper.add("tenugui-waves", 1)  # 3,650 with shipping
    answer = shopper.checkout(promotion_code=code)
    assert answer.status_code == 303, answer.text
    return shopper, answer.headers["Location"]


def test_a_discounted_purchase_agrees_everywhere_and_refunds_stay_within_it(live_shop, admin, mail_catcher):
    page = create_campaign(admin)
    assert "Promotion code AUTUMN500 created." in page and "<code>AUTUMN500</code>" in page
    shopper, hosted = buy_with_code(live_shop, "autumn500")  # any case: Smartpay's codes ignore it
    assert hosted.endswith("?promotion-code=autumn500")
    receipt = shopper.get(pay(hosted).headers["Location"]).text
    assert "Thank you for your order" in receipt
    assert re.search(r'data-testid="discount">−¥500<', receipt) and re.search(r'data-testid="total">¥3,150<', receipt)

    order = live_shop.order()
    assert (order.status, order.total, order.discount_amount, order.captured_amount) == (
        OrderStatus.PAID, 3650, 500, 3150)
    remote = live_shop.api("GET", f"/orders/{order.smartpay_order_id}").json()
    assert (remote["amount"], remote["discountAmount"]) == (3150, 500)

    admin_page = admin.get(f"/admin/orders/{order.public_id}").get_data(as_text=True)
    assert 'data-testid="discount">−¥500' in admin_page and "<code>autumn500</code>" in admin_page
    live_shop.eventually(lambda: mail_catcher.messages())
    text, html = parts(mail_catcher.messages()[0])
    for body in (text, html):
        assert "−¥500" in body and "¥3,150" in body
    assert "¥1,050 first, then ¥1,050" in text  # the instalments of what Smartpay charges

    assert "Refunded ¥1,000 through Smartpay." in refund(admin, order, 1000).get_data(as_text=True)
    assert "Only ¥2,150 of this order can still be refunded." in refund(admin, order, 3650).get_data(as_text=True)
    refund(admin, order, 2150)
    refunded = live_shop.order()
    assert (refunded.status, refunded.refunded_amount) == (OrderStatus.REFUNDED, 3150)


def test_a_code_smartpay_refuses_is_explained_on_its_page_in_the_shoppers_language(live_shop, admin):
    create_campaign(admin)
    _shopper, hosted = buy_with_code(live_shop, "NOSUCHCODE", language="ja")
    page = live_shop.shopper("ja").get(hosted)
    assert page.status_code == 404 and "このプロモーションコードは見つかりません" in page.text
    assert live_shop.order().status == OrderStatus.AWAITING_PAYMENT  # nothing charged, the order waits


@pytest.mark.parametrize("code, method, words", [
    ("A&B=1", "smartpay", "A promotion code has only letters, digits, ., - and _"),
    ("AUTUMN500", "bank_transfer", "Promotion codes work with Smartpay only"),
])
def test_a_code_the_shop_cannot_pass_on_is_refused_next_to_its_field(live_shop, code, method, words):
    shopper = live_shop.shopper()
    shopper.add("kyoto-hojicha", 1)
    answer = shopper.checkout(promotion_code=code, payment_method=method)
    assert answer.status_code == 400 and words in answer.text
    assert live_shop.order() is None


def test_a_code_reaches_the_hosted_page_encoded_never_pasted():
    assert hosted_page_url("https://pay.example/c/x.y", "A B&c=1") == "https://pay.example/c/x.y?promotion-code=A+B%26c%3D1"
    assert hosted_page_url("https://pay.example/c?x=1", "AUTUMN") == "https://pay.example/c?x=1&promotion-code=AUTUMN"
    assert hosted_page_url("https://pay.example/c", "") == "https://pay.example/c"


def test_the_admin_refuses_a_malformed_campaign_with_reasons(live_shop, admin):
    page = admin.get("/admin/promotions").get_data(as_text=True)
    form = page[page.index("/admin/promotions/coupons"):]
    answer = admin.post("/admin/promotions/coupons", follow_redirects=True, data={
        "csrf_token": CSRF.search(form).group(1), "token": TOKEN.search(form).group(1), "name": "",
        "discount_type": "percentage", "percentage": "150"})
    text = answer.get_data(as_text=True)
    assert "Coupon not created" in text and "Name the coupon." in text and "from 1 to 100" in text
    assert live_shop.api("GET", "/coupons").json()["data"] == []


def test_a_code_with_a_dot_as_smartpay_makes_them_is_created_typed_and_applied(live_shop, admin):
    assert "Promotion code THECODE1796479516.123 created." in create_campaign(admin, code="THECODE1796479516.123")
    shopper, hosted = buy_with_code(live_shop, "THECODE1796479516.123")
    assert hosted.endswith("?promotion-code=THECODE1796479516.123")
    shopper.get(pay(hosted).headers["Location"])
    order = live_shop.order()
    assert (order.status, order.discount_amount, order.captured_amount) == (OrderStatus.PAID, 500, 3150)
    books_agree(live_shop)
