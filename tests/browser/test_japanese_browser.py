"""A Japanese shopper and a Japanese merchant in Chromium set to ja-JP, and the language switch by keyboard."""
import re

import pytest
from playwright.sync_api import expect

from sqlalchemy import select

from storefront.admin.auth import save_admin
from storefront.extensions import db
from storefront.models import Order
from tests.admin.conftest import EMAIL, PASSWORD
from tests.browser.test_admin_browser import open_order_as_admin, refund_first_payment
from tests.support.storefront import CUSTOMER

pytestmark = [pytest.mark.browser, pytest.mark.live]
JAPANESE_LABELS = [("メールアドレス", "email"), ("電話番号", "phone"), ("姓", "family_name"), ("名", "given_name"),
                   ("フリガナ（セイ・任意）", "family_name_kana"), ("フリガナ（メイ・任意）", "given_name_kana"),
                   ("郵便番号", "postal_code"), ("市区町村", "city"), ("番地", "address_line1")]


def fill_cart_in_japanese(page, shop):
    page.goto(shop.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.get_by_role("link", name="お茶", exact=True).click()
    page.get_by_role("link", name="京都 ほうじ茶 80g").click()
    expect(page.get_by_role("heading", name="京都 ほうじ茶 80g")).to_be_visible()
    page.get_by_label("数量").fill("2")
    page.get_by_role("button", name="カートに入れる").click()
    expect(page.get_by_text("「京都 ほうじ茶 80g」をカートに入れました。")).to_be_visible()
    page.get_by_role("link", name="布もの", exact=True).click()
    page.get_by_role("button", name="「手ぬぐい 青海波」をカートに入れる").click()
    expect(page.get_by_role("heading", name="ショッピングカート")).to_be_visible()
    expect(page.get_by_test_id("total")).to_have_text("3,650円")


def check_out_in_japanese(page):
    page.get_by_role("link", name="レジに進む").click()
    expect(page.get_by_role("heading", name="ご購入手続き")).to_be_visible()
    for label, key in JAPANESE_LABELS:
        page.get_by_label(label, exact=True).fill(CUSTOMER[key])
    page.get_by_label("都道府県").select_option("東京都")
    page.get_by_role("button", name="お支払いへ進む").click()
    # Smartpay's hosted page, told `locale: ja` by the shop
    expect(page.get_by_role("heading", name="Smartpayで支払う")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_test_id("hosted-total")).to_have_text("3,650円")


def pay_in_japanese(page, card):
    page.get_by_label("カード番号").fill(card)
    page.get_by_role("button", name="支払いを確定する").click()


def buy_in_japanese(page, shop, card: str) -> None:
    fill_cart_in_japanese(page, shop)
    check_out_in_japanese(page)
    pay_in_japanese(page, card)


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
    expect(page.get_by_role("heading", name="別のお支払い方法をお選びください")).to_be_visible()
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


def tab_to(page, name: str, limit: int = 40) -> None:
    """Press Tab until the element named `name` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"{name!r} cannot be reached with the Tab key")


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
