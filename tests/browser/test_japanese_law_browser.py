"""What Japanese law and a Japanese shopper expect, in Chromium set to ja-JP: the legal pages from every page's
footer, the final confirmation before Smartpay, a cart of tea (8 %) and teaware (10 %) whose cart, hosted page,
receipt, 領収書 PDF and Smartpay order agree on every yen, and a bank transfer's 振込番号."""
import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.support.browser_steps import JAPANESE_LABELS, pay_in_japanese
from tests.support.storefront import CUSTOMER

pytestmark = [pytest.mark.browser, pytest.mark.live]
EIGHT, TEN = "1,080円（内消費税80円）", "4,460円（内消費税405円）"  # 京都 ほうじ茶 1,080円; 美濃焼 湯呑み 3,960円 + 送料 500円


def mixed_cart(page, shop):
    page.goto(shop.url + "/products/kyoto-hojicha")
    page.get_by_role("button", name="カートに入れる").click()
    page.goto(shop.url + "/products/mino-tea-cup-pair")
    page.get_by_role("button", name="カートに入れる").click()
    page.goto(shop.url + "/cart")
    expect(page.get_by_test_id("total")).to_have_text("5,540円")


def expect_breakdown(scope):
    expect(scope.get_by_test_id("tax-8")).to_have_text(re.compile(r"8%対象\s*" + re.escape(EIGHT)))
    expect(scope.get_by_test_id("tax-10")).to_have_text(re.compile(r"10%対象\s*" + re.escape(TEN)))
    expect(scope.get_by_text("※は軽減税率対象商品です。")).to_be_visible()


def fill_customer(page):
    for label, key in JAPANESE_LABELS:
        page.get_by_label(label, exact=True).fill(CUSTOMER[key])
    page.get_by_label("都道府県").select_option("東京都")


def test_the_legal_pages_open_from_the_footer_of_any_page(japanese_page, live_shop):
    page = japanese_page
    page.goto(live_shop.url + "/products/kyoto-hojicha")
    footer = page.get_by_role("navigation", name="このショップについて")
    footer.get_by_role("link", name="特定商取引法に基づく表記").click()
    expect(page.get_by_role("heading", name="特定商取引法に基づく表記")).to_be_visible()
    for row, value in (("販売事業者", "株式会社ひのきマーケット（デモ）"), ("代表者", "檜山花子"),
                       ("所在地", "〒153-0061 東京都目黒区中目黒1-2-3"), ("商品の引渡時期", "3営業日以内に発送します"),
                       ("適格請求書発行事業者登録番号", "T1234567890123"), ("定期便の条件", "最低利用期間（回数の縛り）はありません")):
        expect(page.get_by_role("row", name=re.compile(row))).to_contain_text(value)
    expect(page.get_by_text("デモ用のショップです。このページの事業者情報は架空のものです。")).to_be_visible()
    for link, heading in (("プライバシーポリシー", "プライバシーポリシー"), ("返品・キャンセルについて", "返品・キャンセルについて"),
                          ("お問い合わせ", "お問い合わせ")):
        page.get_by_role("navigation", name="このショップについて").get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()


def test_a_mixed_rate_cart_agrees_from_the_final_confirmation_to_the_pdf(japanese_page, live_shop):
    page = japanese_page
    mixed_cart(page, live_shop)
    expect_breakdown(page)
    page.get_by_role("link", name="レジに進む").click()

    final = page.get_by_role("region", name="ご注文前にご確認ください")
    expect(final.get_by_text("ご注文時にSmartpayのお支払いページでお支払いが確定します")).to_be_visible()
    expect(final.get_by_text("お支払いの確定後（銀行振込はご入金の確認後）、3営業日以内に発送します。")).to_be_visible()
    expect(final.get_by_role("link", name="返品・キャンセルについて")).to_have_attribute("href", "/legal/returns")
    summary = page.get_by_role("region", name="ご注文内容")
    expect(summary.get_by_test_id("total")).to_have_text("5,540円")
    expect_breakdown(summary)
    fill_customer(page)
    page.get_by_role("button", name="お支払いへ進む").click()
    expect(page.get_by_test_id("hosted-total")).to_have_text("5,540円")  # Smartpay's page charges what was confirmed
    pay_in_japanese(page, "4242 4242 4242 4242")

    expect(page.get_by_role("heading", name="ご注文ありがとうございました")).to_be_visible()
    expect_breakdown(page)
    order = live_shop.order()
    remote = live_shop.api("GET", f"/orders/{order.smartpay_order_id}").json()
    assert remote["amount"] == 5540 and remote["metadata"]["tax8"] == "80" and remote["metadata"]["tax10"] == "405"
    page.get_by_label("宛名").fill("山田商店")
    with page.expect_download() as download:
        page.get_by_role("button", name="領収書（PDF）をダウンロード").click()
    text = re.sub(r"[\s\x00]+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        open(download.value.path(), "rb").read())).pages))
    for words in ("領収書", "山田商店様", "金額5,540円", "8%対象" + EIGHT, "10%対象" + TEN, "登録番号：T1234567890123"):
        assert words in text, words


def test_a_bank_transfer_shows_its_transfer_number_before_the_kana_name(japanese_page, live_shop):
    page = japanese_page
    mixed_cart(page, live_shop)
    page.get_by_role("link", name="レジに進む").click()
    fill_customer(page)
    page.get_by_label("銀行振込（前払い）").check()
    page.get_by_role("button", name="お支払いへ進む").click()
    expect(page.get_by_role("heading", name="銀行振込でのお支払いをお願いいたします")).to_be_visible()
    number = page.get_by_test_id("transfer-number").inner_text()
    assert re.fullmatch(r"\d{8}", number)
    expect(page.get_by_text(f"例：{number} ヤマダタロウ")).to_be_visible()
    expect_breakdown(page)
