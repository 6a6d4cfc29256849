"""A mixed-rate order (tea at 8 %, teaware at 10 %, shipping at 10 %): the receipt page, the email, the 領収書 PDF and
Smartpay's order agree on every yen; a refund names the rate it reduces; a bank transfer carries its 振込番号."""
import io
import re

import pytest
from pypdf import PdfReader

from storefront.bank_transfer.models import TransferNumber
from storefront.extensions import db
from storefront.i18n import shop_day
from storefront.models import utcnow
from tests.support.admin import refund, refund_form
from tests.support.mail import mail_settings, parts
from tests.support.sandbox import pay
from tests.support.storefront import CSRF
from tests.support.transfers import record

pytestmark = pytest.mark.live
JAPANESE = {"Accept-Language": "ja"}
# 宇治抹茶 is not in the cart: 京都 ほうじ茶 1,080円 (8 %) + 美濃焼 湯呑み 3,960円 (10 %) + 送料 500円 (10 %) = 5,540円
EIGHT, TEN = "8%対象 1,080円（内消費税80円）", "10%対象 4,460円（内消費税405円）"


@pytest.fixture
def shop_settings(mail_catcher):
    return mail_settings(mail_catcher)


def mixed_cart(shop, language="ja"):
    shopper = shop.shopper(language)
    shopper.add("kyoto-hojicha", 1)
    shopper.add("mino-tea-cup-pair", 1)
    return shopper


def text_of(pdf: bytes) -> str:
    """The PDF's text as a reader would copy it, through its ToUnicode map, spaces dropped. pypdf reads the two-byte
    codes of fpdf2's embedded CID encoding one byte at a time, so each glyph comes out after a NUL: dropped too."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"[\s\x00]+", "", text)


def flat(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def test_a_mixed_rate_order_agrees_on_every_yen_in_the_cart_receipt_email_pdf_and_at_smartpay(live_shop, mail_catcher):
    shopper = mixed_cart(live_shop)
    cart = flat(shopper.get(live_shop.url + "/cart").text)
    assert "8%対象1,080円（内消費税80円）" in cart and "10%対象4,460円（内消費税405円）" in cart
    assert "※は軽減税率対象商品です。" in cart
    receipt = shopper.get(pay(shopper.checkout().headers["Location"]).headers["Location"])
    assert EIGHT.replace(" ", "") in flat(receipt.text) and TEN.replace(" ", "") in flat(receipt.text)
    order = live_shop.order()

    remote = live_shop.api("GET", f"/orders/{order.smartpay_order_id}").json()
    assert remote["amount"] == 5540 == 1080 + 4460
    assert remote["metadata"] == {"tax8Amount": "1080", "tax8": "80", "tax10Amount": "4460", "tax10": "405"}
    rates = {item["reference"]: item["metadata"]["taxRate"] for item in payload_items(live_shop)}
    assert rates == {"TEA-003": "8", "TBL-002": "10"}

    live_shop.cli("mail", "send-pending")
    [message] = mail_catcher.messages()
    text, html = parts(message)
    assert "京都 ほうじ茶 80g※ × 1" in text and "5,540円" in text
    assert "8%対象  1,080円（内消費税80円）" in text and "10%対象  4,460円（内消費税405円）" in text

    token = CSRF.search(receipt.text).group(1)
    first = shopper.post(f"{live_shop.url}/orders/{order.public_id}/receipt.pdf",
                         data={"csrf_token": token, "addressee": "株式会社やまだ商店", "purpose": "お茶と器代として"})
    assert first.status_code == 200 and first.headers["Content-Type"] == "application/pdf"
    words = text_of(first.content)
    for expected in ("領収書", "株式会社やまだ商店様", "金額5,540円", "但しお茶と器代として", EIGHT.replace(" ", ""),
                     TEN.replace(" ", ""), "京都ほうじ茶80g※", "※は軽減税率対象商品です。", "登録番号：T1234567890123",
                     order.number):
        assert expected in words, expected
    assert "再発行" not in words
    with live_shop.app.app_context():
        today = shop_day(utcnow())  # Japan's day, whatever the server's clock says
    assert f"発行日：{today.year}年{today.month}月{today.day}日" in words
    latin = re.sub(r"HM-[0-9A-Z]+|T\d{13}", "", words)  # the order number and the 登録番号 are the machine's words
    assert not re.findall(r"[A-Za-z]{2,}", latin), "English on a Japanese receipt"
    again = shopper.post(f"{live_shop.url}/orders/{order.public_id}/receipt.pdf",
                         data={"csrf_token": token, "addressee": "株式会社やまだ商店", "purpose": "お茶と器代として"})
    assert "再発行" in text_of(again.content)


def test_a_receipt_needs_a_name_and_is_only_for_the_shopper_who_paid(live_shop):
    shopper = mixed_cart(live_shop)
    receipt = shopper.get(pay(shopper.checkout().headers["Location"]).headers["Location"])
    order, token = live_shop.order(), CSRF.search(receipt.text).group(1)
    blank = shopper.post(f"{live_shop.url}/orders/{order.public_id}/receipt.pdf",
                         data={"csrf_token": token, "addressee": " ", "purpose": "お品代として"})
    assert blank.status_code == 400 and "領収書の宛名を入力してください" in blank.text
    stranger = live_shop.shopper("ja")
    stranger_token = stranger.token("/products/kyoto-hojicha")
    answer = stranger.post(f"{live_shop.url}/orders/{order.public_id}/receipt.pdf",
                           data={"csrf_token": stranger_token, "addressee": "誰か", "purpose": "お品代として"})
    assert answer.status_code == 404


def test_a_refund_names_the_rate_it_reduces_and_cannot_take_more_than_that_rate_holds(live_shop, admin, mail_catcher):
    shopper = mixed_cart(live_shop, "en")
    shopper.get(pay(shopper.checkout().headers["Location"]).headers["Location"])
    order = live_shop.order()
    form = refund_form(admin, order)
    too_much = refund(admin, order, 1081, form={**form, "tax_rate": "8"})
    assert "Only ¥1,080 of the 8% rate can still be refunded." in too_much.get_data(as_text=True)
    done = refund(admin, order, 1080, form={**refund_form(admin, order), "tax_rate": "8"})
    assert "Refunded ¥1,080 through Smartpay." in done.get_data(as_text=True)
    [made] = live_shop.api("GET", "/refunds").json()["data"]
    assert made["amount"] == 1080 and made["metadata"] == {"taxRate": "8"}
    page = admin.get(f"/admin/orders/{order.public_id}", headers=JAPANESE).get_data(as_text=True)
    assert "<td>1,080円</td><td>8%対象</td>" in page
    live_shop.cli("mail", "send-pending")
    [refund_email] = [m for m in mail_catcher.messages() if "返金" in m["Subject"] or "refund" in m["Subject"].lower()]
    assert "Refunded now: ¥1,080 (from the 8% rate)" in parts(refund_email)[0]


def test_a_bank_transfer_asks_for_its_transfer_number_before_the_kana_name_and_the_admin_finds_it(live_shop, admin):
    shopper = mixed_cart(live_shop)
    answer = shopper.checkout(payment_method="bank_transfer")
    page = shopper.get(live_shop.url + answer.headers["Location"]).text
    with live_shop.app.app_context():
        number = db.session.scalar(db.select(TransferNumber.number))
    assert re.fullmatch(r"\d{8}", number)
    assert f"振込依頼人名は、振込番号{number}に続けてお名前をカタカナで入力してください（例：{number} ヤマダタロウ）" in page
    order = live_shop.order()
    found = admin.get(f"/admin/orders?q={number}").get_data(as_text=True)
    assert order.number in found
    statement_line = f"{number.translate(str.maketrans('0123456789', '０１２３４５６７８９'))} ﾔﾏﾀﾞﾀﾛｳ"
    assert order.number in admin.get(f"/admin/orders?q={statement_line}").get_data(as_text=True)
    recorded = record(admin, f"/admin/orders/{order.public_id}", "received", follow=True, amount=order.total,
                      sender=f"{number} ヤマダタロウ")
    assert f"carries this order&#39;s transfer number {number}" in recorded and f"<td>{number} ヤマダタロウ</td>" in recorded


def payload_items(shop) -> list[dict]:
    """The items the shop sent when it created the checkout session, as the admin's API log kept them."""
    import json

    from sqlalchemy import select

    from storefront.smartpay.models import ApiCall
    with shop.app.app_context():
        body = db.session.scalar(select(ApiCall.request_body).where(ApiCall.path == "/checkout-sessions"))
    return json.loads(body)["items"]


def test_the_admin_issues_the_receipt_a_customer_asks_for_and_a_second_is_marked_reissued(live_shop, admin):
    shopper = mixed_cart(live_shop, "en")
    shopper.get(pay(shopper.checkout().headers["Location"]).headers["Location"])
    order = live_shop.order()
    page = admin.get(f"/admin/orders/{order.public_id}", headers=JAPANESE).get_data(as_text=True)
    form = page[page.index("receipt.pdf"):]
    data = {"csrf_token": CSRF.search(form).group(1), "addressee": "やまだ商店", "purpose": "お茶と器代として"}
    first = admin.post(f"/admin/orders/{order.public_id}/receipt.pdf", data=data, headers=JAPANESE)
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    words = text_of(first.data)
    assert "やまだ商店様" in words and "金額5,540円" in words and "再発行" not in words
    # Japanese receipts use full-width colons and brackets: the spacing rule of the pages holds on paper too.
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff][.,:!?(]", words)
    assert "再発行" in text_of(admin.post(f"/admin/orders/{order.public_id}/receipt.pdf", data=data,
                                         headers=JAPANESE).data)
