"""Which language a visitor gets, the switch, and each page family in Japanese and English (test client)."""
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from storefront.admin.auth import save_admin
from storefront.extensions import db
from storefront.models import Category, Order, OrderEvent, OrderLine, Product
from storefront.smartpay.payload import checkout_session_payload
from storefront.smartpay.statuses import SMARTPAY
from tests.conftest import csrf_token
from tests.support.storefront import CUSTOMER, SUBMISSION

JAPANESE = {"Accept-Language": "ja-JP,ja;q=0.9"}
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


def page(client, path, headers=None):
    response = client.get(path, headers=headers or {})
    return response.status_code, response.get_data(as_text=True)


def add_to_cart(client, slug="kyoto-hojicha", quantity=2):
    html = client.get(f"/products/{slug}").get_data(as_text=True)
    product_id = re.search(r'name="product_id" value="(\d+)"', html).group(1)
    client.post("/cart/add", data={"csrf_token": csrf_token(client, f"/products/{slug}"),
                                   "product_id": product_id, "quantity": quantity})


def switch(client, locale, next_path="/cart"):
    return client.post("/language", data={"csrf_token": csrf_token(client, "/"), "locale": locale,
                                          "next": next_path})


# --- choosing the language --------------------------------------------------------------------------

def test_without_any_preference_the_shop_is_japanese(client, catalog):
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE")
    status, html = page(client, "/")
    assert status == 200 and '<html lang="ja">' in html
    assert "宇治抹茶（濃茶用）30g" in html and "3,240円" in html and "カートに入れる" in html
    assert "Add to cart" not in html and "Uji Matcha" not in html


@pytest.mark.parametrize("header, expected", [
    ("ja", "ja"), ("en-GB,en;q=0.8", "en"), ("fr-FR,fr;q=0.9,en;q=0.5", "en"), ("fr-FR,de;q=0.8", "ja"),
    ("ja;q=0.3,en;q=0.9", "en"), ("*", "ja"), ("totally;;invalid", "ja"),
])
def test_the_browser_decides_when_there_is_no_choice(client, catalog, header, expected):
    status, html = page(client, "/", {"Accept-Language": header})
    assert status == 200 and f'<html lang="{expected}">' in html


@pytest.fixture
def english_default_app(database):
    from tests.conftest import make_app

    return make_app(database, DEFAULT_LOCALE="en")


def test_default_locale_en_serves_english_to_a_browser_we_cannot_serve(english_default_app, catalog):
    status, html = page(english_default_app.test_client(), "/", {"Accept-Language": "de-DE"})
    assert '<html lang="en">' in html and "Add to cart" in html


def test_the_switch_remembers_the_choice_over_the_browser(client, catalog):
    add_to_cart(client)
    answer = switch(client, "ja", "/cart")
    assert answer.status_code == 303 and answer.headers["Location"] == "/cart"
    status, html = page(client, "/cart", ENGLISH)  # the browser says English; the shopper chose Japanese
    assert '<html lang="ja">' in html and "ショッピングカート" in html and "2,160円" in html
    switch(client, "en")
    status, html = page(client, "/cart", JAPANESE)
    assert '<html lang="en">' in html and "Your cart" in html and "¥2,160" in html


@pytest.mark.parametrize("value", ["xx", "", "ja-JP<script>", "../../etc/passwd", "en" * 500])
def test_an_unknown_language_falls_back_to_the_default_never_an_error(client, catalog, value):
    answer = switch(client, value)
    assert answer.status_code == 303
    status, html = page(client, "/", ENGLISH)
    assert status == 200 and '<html lang="ja">' in html


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"])
def test_the_switch_never_redirects_off_site(client, catalog, target):
    answer = switch(client, "en", target)
    assert answer.status_code == 303 and answer.headers["Location"] == "/"


def test_the_switch_needs_the_csrf_token(client, catalog):
    answer = client.post("/language", data={"locale": "ja", "next": "/"})
    assert answer.status_code == 400
    assert '<html lang="en">' in page(client, "/")[1]


def test_the_switch_is_on_every_page_with_the_current_language_marked(client, catalog):
    for path in ("/", "/products/kyoto-hojicha", "/cart", "/no-such-page", "/admin/login"):
        status, html = page(client, path, JAPANESE)
        assert 'aria-label="言語"' in html, path
        assert re.search(r'value="ja" lang="ja" class="language-option"\s+aria-current="true">日本語<', html), path
        assert re.search(r'value="en" lang="en" class="language-option"\s+>English<', html), path


def test_the_switch_brings_the_shopper_back_to_the_same_page(client, catalog):
    status, html = page(client, "/category/tea?after=1", JAPANESE)
    assert 'name="next" value="/category/tea?after=1"' in html


# --- the shop in both languages ----------------------------------------------------------------------

def test_product_page_in_japanese_and_english(client, catalog):
    status, html = page(client, "/products/seki-santoku-knife", JAPANESE)
    assert "関 三徳包丁 165mm" in html and "12,100円" in html and "（税込）" in html and "岐阜・関で鍛えた" in html
    assert "商品コード：KIT-002" in html and ">キッチン道具</a>" in html
    status, html = page(client, "/products/seki-santoku-knife", ENGLISH)
    assert "Seki Santoku Knife 165 mm" in html and "¥12,100" in html and "(tax incl.)" in html
    assert "forged in Seki, Gifu" in html and ">Kitchen</a>" in html


def test_cart_and_free_shipping_hint_in_japanese(client, catalog):
    add_to_cart(client, "kyoto-hojicha", 2)
    status, html = page(client, "/cart", JAPANESE)
    for text in ("ショッピングカート", "小計", "送料", "合計", "レジに進む", "あと7,840円のお買い上げで送料無料になります。",
                 "「京都 ほうじ茶 80g」を削除"):
        assert text in html, text


def test_adding_to_cart_says_so_in_japanese(client, catalog):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ja"
    add_to_cart(client, "tenugui-waves", 1)
    html = client.get("/cart").get_data(as_text=True)
    assert "「手ぬぐい 青海波」をカートに入れました。" in html


def test_catalog_buttons_name_the_product_and_contain_the_visible_words(client, catalog):
    html = page(client, "/", JAPANESE)[1]
    assert 'aria-label="「宇治抹茶（濃茶用）30g」をカートに入れる">カートに入れる</button>' in html
    html = page(client, "/", ENGLISH)[1]
    assert 'aria-label="Add to cart: Uji Matcha, Ceremonial Grade 30 g">Add to cart</button>' in html


def test_a_missing_translation_falls_back_to_the_other_language_never_to_empty(client, catalog, app):
    with app.app_context():
        tea = db.session.scalar(select(Category).where(Category.slug == "tea"))
        db.session.add_all([
            Product(sku="ONLY-EN", slug="only-en", name_en="Hojicha Latte Mix", price=900, image="x.svg", category=tea),
            Product(sku="ONLY-JA", slug="only-ja", name_ja="ほうじ茶ラテの素", description_ja="牛乳で割るだけ。",
                    price=950, image="x.svg", category=tea)])
        db.session.commit()
    assert "Hojicha Latte Mix" in page(client, "/products/only-en", JAPANESE)[1]
    html = page(client, "/products/only-ja", ENGLISH)[1]
    assert "<h1>ほうじ茶ラテの素</h1>" in html and "牛乳で割るだけ。" in html


def test_not_found_page_in_both_languages(client, catalog):
    status, html = page(client, "/products/no-such-thing", JAPANESE)
    assert status == 404 and "ページが見つかりません" in html and "ショップに戻る" in html
    status, html = page(client, "/products/no-such-thing", ENGLISH)
    assert status == 404 and "We couldn't find that page" in html


def test_an_expired_form_is_explained_in_japanese(client, catalog):
    answer = client.post("/cart/add", data={"product_id": "1", "quantity": "1"}, headers=JAPANESE)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "同じフォームが2回送信されました" in html


def test_checkout_form_in_japanese_with_its_errors(client, catalog):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ja"
    add_to_cart(client)
    html = client.get("/checkout/").get_data(as_text=True)
    for label in ("メールアドレス", "姓", "名", "フリガナ（セイ・任意）", "フリガナ（メイ・任意）", "電話番号", "郵便番号",
                  "都道府県", "市区町村", "町名・番地", "建物名・部屋番号（任意）"):
        assert f">{label}</label>" in html, label
    assert '<option value="東京都">東京都</option>' in html and "Tokyo" not in html
    assert "例：153-0063" in html and "お支払いへ進む" in html and "銀行振込（前払い）" in html
    form = {"csrf_token": csrf_token(client, "/checkout/"), "submission_id": SUBMISSION.search(html).group(1)}
    answer = client.post("/checkout/", data={**form, **CUSTOMER, "family_name_kana": "やまだ", "postal_code": "12",
                                             "prefecture": ""})
    errors = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert 'id="family_name_kana-error">全角カタカナで入力してください（例：ヤマダ）。' in errors
    assert 'id="postal_code-error">郵便番号は7桁で入力してください（例：153-0063）。' in errors
    assert 'id="prefecture-error">都道府県を選択してください。' in errors


def test_half_width_katakana_is_widened_not_refused(client, catalog, app):
    add_to_cart(client)
    html = client.get("/checkout/").get_data(as_text=True)
    form = {"csrf_token": csrf_token(client, "/checkout/"), "submission_id": SUBMISSION.search(html).group(1)}
    # Nothing listens for Smartpay here, so the order stops at `failed`: what matters is what was saved.
    client.post("/checkout/", data={**form, **CUSTOMER, "family_name_kana": "ﾔﾏﾀﾞ", "given_name_kana": "タロウ"})
    with app.app_context():
        order = db.session.scalar(select(Order))
        assert (order.family_name_kana, order.locale) == ("ヤマダ", "en")


# --- what the order remembers, and what Smartpay is told -------------------------------------------------

def place_order(app, locale: str, status: str = "paid", **fields) -> Order:
    with app.app_context():
        order = Order(number=f"HM-{locale.upper()}TEST1", status=status, locale=locale, payment_method=SMARTPAY,
                      subtotal=4220, shipping_fee=500, total=4720, cart_id=None, created_at=datetime(2026, 11, 25, 0, 30, 5),
                      **{key: value for key, value in CUSTOMER.items()}, **fields)
        order.lines = [OrderLine(sku="TEA-001", name="宇治抹茶（濃茶用）30g" if locale == "ja" else "Uji Matcha",
                                 image="img/products/uji-matcha-ceremonial.svg", unit_price=4220, quantity=1)]
        order.history = [OrderEvent(from_status="awaiting_payment", to_status=status, source="webhook:order.authorized",
                                    created_at=datetime(2026, 11, 25, 0, 31, 0))]
        db.session.add(order)
        db.session.commit()
        db.session.refresh(order)
        db.session.expunge(order)
        return order


def test_the_checkout_session_carries_the_shoppers_language(app):
    for locale, description in (("ja", "Hinoki Marketのご注文（HM-JATEST1）"), ("en", "Hinoki Market order HM-ENTEST1")):
        order = place_order(app, locale, status="pending")
        with app.test_request_context(headers=ENGLISH if locale == "ja" else JAPANESE):
            db.session.add(order)
            payload = checkout_session_payload(order)
        # From the order, not from whoever builds the request: a retry sends the very same body.
        assert payload["locale"] == locale and payload["description"] == description


def test_receipt_and_cancel_pages_in_japanese(client, catalog, app):
    paid = place_order(app, "ja")
    html = page(client, f"/checkout/complete/{paid.public_id}", JAPANESE)[1]
    assert "ご注文ありがとうございました" in html and "注文番号：" in html and "4,720円" in html
    assert "3回あと払い（手数料無料）" in html
    with app.app_context():
        rejected = Order(number="HM-REJECTED1", status="rejected", locale="ja", payment_method=SMARTPAY, subtotal=1,
                         shipping_fee=0, total=1, **CUSTOMER)
        db.session.add(rejected)
        db.session.commit()
        public_id = rejected.public_id
    html = page(client, f"/checkout/cancelled/{public_id}", JAPANESE)[1]
    assert "Smartpay以外のお支払い方法" in html and "ご注文に使ったブラウザ" in html and "カートに戻る" in html


# --- the admin in both languages, with Japan time -------------------------------------------------------

@pytest.fixture
def signed_in(client, app):
    with app.app_context():
        save_admin("owner@example.com", "correct horse battery", update=True)
    client.post("/admin/login", data={"csrf_token": csrf_token(client, "/admin/login"),
                                      "email": "owner@example.com", "password": "correct horse battery"})
    return client


def test_admin_sign_in_page_and_refusal_in_japanese(client, app):
    html = page(client, "/admin/login", JAPANESE)[1]
    assert "管理画面にログイン" in html and ">パスワード</label>" in html
    answer = client.post("/admin/login", headers=JAPANESE, data={
        "csrf_token": csrf_token(client, "/admin/login"), "email": "nobody@example.com", "password": "wrong"})
    assert "メールアドレスまたはパスワードが正しくありません。" in answer.get_data(as_text=True)


def test_admin_orders_and_order_in_japanese_with_japan_time(signed_in, app):
    order = place_order(app, "ja")
    html = page(signed_in, "/admin/orders", JAPANESE)[1]
    assert "注文一覧" in html and "支払い済み" in html and "2026年11月25日 09:30" in html and "4,720円" in html
    html = page(signed_in, f"/admin/orders/{order.public_id}", JAPANESE)[1]
    assert "注文（HM-JATEST1）" in html and "お客様の言語" in html and ">日本語<" in html
    assert "2026年11月25日 09:30:05 JST" in html and "支払い待ち → <strong>支払い済み</strong>（Webhook（与信））" in html
    assert "この注文はSmartpayに送信されていません。" in html


def test_admin_order_in_english_with_the_zone_shown(signed_in, app):
    order = place_order(app, "en")
    html = page(signed_in, f"/admin/orders/{order.public_id}", ENGLISH)[1]
    assert "25 Nov 2026, 09:30:05 JST" in html and "awaiting payment → <strong>paid</strong> by Webhook (authorization)" in html
    assert "¥4,720" in html


def test_display_timezone_is_a_setting(database, catalog):
    from tests.conftest import make_app

    app = make_app(database, DISPLAY_TIMEZONE="UTC")
    client = app.test_client()
    with app.app_context():
        save_admin("owner@example.com", "correct horse battery", update=True)
    client.post("/admin/login", data={"csrf_token": csrf_token(client, "/admin/login"),
                                      "email": "owner@example.com", "password": "correct horse battery"})
    order = place_order(app, "en")
    assert "25 Nov 2026, 00:30:05 UTC" in page(client, f"/admin/orders/{order.public_id}")[1]


def test_admin_form_refusals_say_what_to_do_in_japanese(signed_in, app):
    order = place_order(app, "ja")
    answer = signed_in.post(f"/admin/orders/{order.public_id}/refunds", headers=JAPANESE, follow_redirects=True,
                            data={"csrf_token": csrf_token(signed_in, "/admin/orders"), "token": "t1",
                                  "payment": "payment_test_x", "amount": "千円", "reason": "requested_by_customer"})
    assert "返金できませんでした：金額を円単位の整数で入力してください。" in answer.get_data(as_text=True)


def test_a_failure_reads_in_japanese_and_smartpays_own_error_stays_code(signed_in, app):
    reported = place_order(app, "ja", status="failed", failure_reason="Smartpay reported the order as failed")
    html = page(signed_in, f"/admin/orders/{reported.public_id}", JAPANESE)[1]
    assert "Smartpay reported" not in html and "Smartpayが注文の失敗を通知しました" in html
    with app.app_context():  # Smartpay's own error line: the machine's words, shown as code
        db.session.execute(db.update(Order).values(failure_reason="503 service.unavailable: Smartpay is unavailable"))
        db.session.commit()
    html = page(signed_in, f"/admin/orders/{reported.public_id}", JAPANESE)[1]
    assert "<code>503 service.unavailable: Smartpay is unavailable</code>" in html


def test_a_label_reads_in_each_readers_language_whichever_language_came_first(signed_in, app):
    """Jinja works a filter on a literal out once, when it compiles the template (`"pending"|order_status`
    would stay in the language of the first page shown). The same page, English first, then Japanese."""
    order = place_order(app, "ja")
    english = page(signed_in, f"/admin/orders/{order.public_id}", ENGLISH)[1]
    japanese = page(signed_in, f"/admin/orders/{order.public_id}", JAPANESE)[1]
    assert "created (pending)" in english and "作成（処理待ち）" in japanese
