"""A Japanese shopper and a Japanese merchant in Chromium set to ja-JP, and the language switch by keyboard."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storefront.admin.auth import save_admin
from storefront.extensions import db
from storefront.models import Order
from tests.support.admin import EMAIL, PASSWORD
from tests.support.browser_steps import (buy_in_japanese, fill_cart_in_japanese, open_order_as_admin,
                                         refund_first_payment, tab_to)

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_a_whole_purchase_in_japanese(japanese_page, live_shop):
    page = japanese_page
    buy_in_japanese(page, live_shop, "4242 4242 4242 4242")
    expect(page.get_by_role("heading", name="ご注文ありがとうございました")).to_be_visible()
    expect(page.get_by_test_id("order-number")).to_have_text(live_shop.order().number)
    expect(page.get_by_test_id("total")).to_have_text("3,650円")
    expect(page.get_by_role("heading", name="お届け先")).to_be_visible()
    with live_shop.app.app_context():
        saved = db.session.scalar(select(Order).order_by(Order.id.desc()))
        # The order keeps the shopper's language and the product names they saw.
        assert saved.locale == "ja" and [line.name for line in saved.lines] == ["京都 ほうじ茶 80g", "手ぬぐい 青海波"]


def test_a_declined_card_is_explained_in_japanese(japanese_page, live_shop):
    page = japanese_page
    buy_in_japanese(page, live_shop, "4100 0000 0000 0019")
    expect(page.get_by_role("heading", name="Smartpayでのお支払いが承認されませんでした")).to_be_visible()
    expect(page.get_by_role("heading", name="Smartpay以外のお支払い方法")).to_be_visible()
    page.get_by_role("link", name="カートに戻る").click()
    expect(page.get_by_test_id("total")).to_have_text("3,650円")  # the cart is intact


def test_a_refund_in_the_japanese_admin(japanese_page, live_shop):
    page = japanese_page
    with live_shop.app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
    buy_in_japanese(page, live_shop, "4242 4242 4242 4242")
    expect(page.get_by_role("heading", name="ご注文ありがとうございました")).to_be_visible()
    order = live_shop.order()

    open_order_as_admin(page, live_shop, order.number, "ja")
    expect(page.get_by_test_id("smartpay-status")).to_have_text("完了")
    refund_first_payment(page, 1000, "ja")
    expect(page.get_by_role("status").filter(has_text="Smartpayで1,000円を返金しました。")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(f"注文（{order.number}）"))).to_contain_text("一部返金済み")
    expect(page.get_by_test_id("refunded")).to_have_text("1,000円")


def test_switching_to_english_by_keyboard_keeps_the_cart(japanese_page, live_shop):
    page = japanese_page
    fill_cart_in_japanese(page, live_shop)
    switch = page.get_by_role("navigation", name="言語")
    expect(switch.get_by_role("button", name="日本語")).to_have_attribute("aria-current", "true")
    tab_to(page, "English")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Kyoto Hojicha 80 g")).to_be_visible()
    expect(page.get_by_test_id("total")).to_have_text("¥3,650")
    expect(page.get_by_role("navigation", name="Language").get_by_role("button", name="English")) \
        .to_have_attribute("aria-current", "true")
    page.goto(live_shop.url + "/")  # remembered across pages, although the browser still asks for Japanese
    expect(page.get_by_role("heading", name="All products")).to_be_visible()
