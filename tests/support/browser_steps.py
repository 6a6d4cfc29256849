"""A person's steps in Chromium, found by role and label as a screen reader would: a cart filled and checked out,
Smartpay's page paid, an order opened and refunded in the admin; the same in Japanese; a key pressed until the
focus reaches a control."""
import re

from playwright.sync_api import expect

from tests.support.admin import EMAIL, PASSWORD
from tests.support.storefront import CUSTOMER


def fill_cart_and_check_out(page, shop):
    submit_checkout_form(page, shop)
    expect(page.get_by_role("heading", name="Pay with Smartpay")).to_be_visible()
    expect(page.get_by_test_id("hosted-total")).to_have_text("¥3,650")


def submit_checkout_form(page, shop):
    """Two products in the cart, the form filled in, "Continue to payment" pressed (Smartpay, preselected)."""
    page.goto(shop.url + "/products/kyoto-hojicha")
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    page.goto(shop.url + "/category/textiles")
    page.get_by_role("button", name="Add to cart: Tenugui, Blue Waves").click()
    page.get_by_role("link", name="Proceed to checkout").click()
    fill_checkout_form(page)
    page.get_by_role("button", name="Continue to payment").click()


def fill_checkout_form(page):
    for label, key in [("Email", "email"), ("Phone", "phone"), ("Family name", "family_name"),
                       ("Given name", "given_name"), ("Postal code", "postal_code"),
                       ("City, ward or town", "city"), ("Address", "address_line1")]:
        page.get_by_label(label, exact=True).fill(CUSTOMER[key])
    page.get_by_label("Prefecture").select_option(CUSTOMER["prefecture"])


def pay_with(page, card):
    page.get_by_label("Card number").fill(card)
    page.get_by_role("button", name="Confirm payment").click()


ADMIN_WORDS = {
    "en": {"email": "Email", "password": "Password", "sign_in": "Sign in", "search_field": "Order number, email or transfer number",
           "search": "Search", "amount": "Amount to refund (¥)", "reason": "Reason", "refund": "^Refund payment"},
    "ja": {"email": "メールアドレス", "password": "パスワード", "sign_in": "ログイン", "search_field": "注文番号・メールアドレス・振込番号",
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


JAPANESE_LABELS = [("メールアドレス", "email"), ("電話番号", "phone"), ("姓", "family_name"), ("名", "given_name"),
                   ("フリガナ（セイ・任意）", "family_name_kana"), ("フリガナ（メイ・任意）", "given_name_kana"),
                   ("郵便番号", "postal_code"), ("市区町村", "city"), ("町名・番地", "address_line1")]


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


def tab_to(page, name: str, limit: int = 40) -> None:
    """Press Tab until the element named `name` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"{name!r} cannot be reached with the Tab key")
