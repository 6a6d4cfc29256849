"""A merchant in Chromium: sign in, open a paid order, refund part of it, and check Smartpay agrees."""
import re

import pytest
from playwright.sync_api import expect

from storefront.admin.auth import save_admin
from tests.admin.conftest import EMAIL, PASSWORD
from tests.admin.test_refunds_live import paid_order

pytestmark = [pytest.mark.browser, pytest.mark.live]


ADMIN_WORDS = {
    "en": {"email": "Email", "password": "Password", "sign_in": "Sign in", "search_field": "Order number or email",
           "search": "Search", "amount": "Amount to refund (¥)", "reason": "Reason", "refund": "^Refund payment"},
    "ja": {"email": "メールアドレス", "password": "パスワード", "sign_in": "ログイン", "search_field": "注文番号またはメールアドレス",
           "search": "検索", "amount": "返金額（円）", "reason": "理由", "refund": "^支払い（.*）を返金する$"},
}


def open_order_as_admin(page, shop, number: str, language: str = "en") -> None:
    """Sign in and find the order by its number, as a shop assistant would."""
    words = ADMIN_WORDS[language]
    page.goto(shop.url + "/admin/")
    page.get_by_label(words["email"]).fill(EMAIL)
    page.get_by_label(words["password"]).fill(PASSWORD)
    page.get_by_role("button", name=words["sign_in"]).click()
    page.get_by_label(words["search_field"]).fill(number)
    page.get_by_role("button", name=words["search"]).click()
    page.get_by_role("link", name=number).click()


def refund_first_payment(page, amount: int, language: str = "en") -> None:
    words = ADMIN_WORDS[language]
    page.get_by_label(words["amount"]).fill(str(amount))
    page.get_by_label(words["reason"]).select_option("requested_by_customer")
    page.get_by_role("button", name=re.compile(words["refund"])).click()


def test_refund_part_of_an_order_and_see_the_sandbox_dashboard_agree(page, live_shop):
    with live_shop.app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
    order = paid_order(live_shop)

    open_order_as_admin(page, live_shop, order.number)
    expect(page.get_by_test_id("smartpay-status")).to_have_text("succeeded")
    refund_first_payment(page, 2100)
    expect(page.get_by_role("status").filter(has_text="Refunded ¥2,100 through Smartpay.")).to_be_visible()
    expect(page.get_by_test_id("refunded")).to_have_text("¥2,100")
    expect(page.get_by_role("heading", name=re.compile(f"Order {order.number}"))).to_contain_text("partially refunded")

    page.goto(live_shop.sandbox.base_url + "/dashboard/")
    page.get_by_label("Test secret key").fill(live_shop.key)
    page.get_by_role("button", name="Open dashboard").click()
    refunds = page.locator("#refunds")
    expect(refunds.get_by_role("row").filter(has_text="¥2,100")).to_have_count(1)
    expect(page.locator("#payments").get_by_role("row").filter(has_text="¥12,100")).to_contain_text("¥2,100")
