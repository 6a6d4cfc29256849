"""The postal code fills the address in Chromium, as a Japanese shopper types it (full-width, with a long-vowel
dash), in both languages; an unknown code leaves the fields to the shopper and says so."""
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.live]


def checkout_page(page, live_shop, language: str):
    shopper = live_shop.shopper(language)
    shopper.add("kyoto-hojicha", 1)
    page.context.add_cookies([{"name": c.name, "value": c.value, "url": live_shop.url} for c in shopper.cookies])
    page.goto(live_shop.url + "/checkout/")


def test_a_full_width_postal_code_fills_prefecture_city_and_town(japanese_page, live_shop):
    page = japanese_page
    checkout_page(page, live_shop, "ja")
    page.get_by_label("郵便番号").press_sequentially("１５３ー００６１")
    expect(page.get_by_role("status").filter(has_text="郵便番号から住所を入力しました")).to_contain_text("東京都目黒区中目黒")
    expect(page.get_by_label("郵便番号")).to_have_value("153-0061")
    expect(page.get_by_label("都道府県")).to_have_value("東京都")
    expect(page.get_by_label("市区町村")).to_have_value("目黒区")
    expect(page.get_by_label("町名・番地")).to_have_value("中目黒")


def test_english_pages_fill_the_same_fields(page, live_shop):
    checkout_page(page, live_shop, "en")
    page.get_by_label("Postal code").fill("060-0000")
    expect(page.get_by_label("Prefecture")).to_have_value("北海道")  # the value Smartpay gets; the label is English
    expect(page.get_by_label("City, ward or town")).to_have_value("札幌市中央区")
    expect(page.get_by_label("Address", exact=True)).to_have_value("")  # Japan Post has no town for this code


def test_an_unknown_code_leaves_the_fields_and_says_so(japanese_page, live_shop):
    page = japanese_page
    checkout_page(page, live_shop, "ja")
    page.get_by_label("郵便番号").fill("999-9999")
    expect(page.get_by_role("status").filter(has_text="見つかりませんでした")).to_be_visible()
    expect(page.get_by_label("都道府県")).to_have_value("")
    expect(page.get_by_label("市区町村")).to_have_value("")
