"""The sandbox's pages in Japanese and English: the hosted page follows the checkout session's `locale`."""
import re

import pytest
import requests

from tests.support.sandbox import api

pytestmark = pytest.mark.live
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def hosted(sandbox, secret_key, body, locale=None, **headers):
    if locale:
        body = {**body, "locale": locale}
    session = api(sandbox, secret_key, "POST", "/checkout-sessions", json=body).json()
    return session, requests.get(session["url"], headers=headers, timeout=10)


def test_the_hosted_page_speaks_the_sessions_locale_whatever_the_browser(sandbox, secret_key, body):
    _session, page = hosted(sandbox, secret_key, body, "ja", **{"Accept-Language": "en"})
    html = page.text
    assert '<html lang="ja">' in html and "Smartpayで支払う" in html and "支払いを確定する" in html
    assert "601円" in html and "3回あと払い（手数料無料）" in html and "テストモード" in html
    _session, page = hosted(sandbox, secret_key, body, "en", **{"Accept-Language": "ja"})
    assert '<html lang="en">' in page.text and "Confirm payment" in page.text and "¥601" in page.text


@pytest.mark.parametrize("header, expected", [("en-US,en;q=0.9", "en"), ("ja-JP", "ja"), ("", "ja"), ("fr", "ja")])
def test_without_a_locale_the_browser_decides(sandbox, secret_key, body, header, expected):
    _session, page = hosted(sandbox, secret_key, body, None, **({"Accept-Language": header} if header else {}))
    assert f'<html lang="{expected}">' in page.text


def test_the_shopper_can_switch_the_hosted_page_and_errors_follow(sandbox, secret_key, body):
    session, page = hosted(sandbox, secret_key, body, "ja")
    assert re.search(r'lang="en" hreflang="en" href="[^"]+\?locale=en"', page.text)
    english = requests.get(session["url"] + "?locale=en", timeout=10)
    assert '<html lang="en">' in english.text
    token = CSRF.search(english.text).group(1)
    refused = requests.post(session["url"] + "?locale=en", data={"csrf_token": token, "email": "a@example.com",
                                                                 "card_number": "1234"}, timeout=10)
    assert refused.status_code == 400 and "This sandbox accepts only the test cards listed below." in refused.text
    refused = requests.post(session["url"], data={"csrf_token": token, "email": "a@example.com",
                                                  "card_number": "4000 0000 0000 0002"}, timeout=10)
    assert refused.status_code == 402 and "このカードはご利用いただけませんでした。別のカードをお試しください。" in refused.text
    assert requests.get(session["url"] + "?locale=xx", timeout=10).status_code == 200  # unknown: the session's own


def test_an_unknown_checkout_page_is_explained_in_the_browsers_language(sandbox):
    page = requests.get(sandbox.base_url + "/checkout/nope.nope", headers={"Accept-Language": "ja"}, timeout=10)
    assert page.status_code == 404 and "このアドレスにはページがありません。" in page.text


def test_the_dashboard_is_japanese_first_and_remembers_its_switch(sandbox, secret_key):
    merchant = requests.Session()
    login = merchant.get(sandbox.base_url + "/dashboard/", timeout=10).text
    assert '<html lang="ja">' in login and "テスト用シークレットキー" in login and "ダッシュボードを開く" in login
    token = CSRF.search(login).group(1)
    home = merchant.post(sandbox.base_url + "/dashboard/login", data={"csrf_token": token, "secret_key": secret_key},
                         timeout=10).text
    assert "Smartpayサンドボックスのダッシュボード" in home and "注文はまだありません。" in home
    assert re.search(r'value="ja" lang="ja" class="language-option"\s+aria-current="true"', home)
    english = merchant.post(sandbox.base_url + "/dashboard/language", data={"csrf_token": token, "locale": "en"},
                            timeout=10)
    assert '<html lang="en">' in english.text and "No orders yet." in english.text
    odd = merchant.post(sandbox.base_url + "/dashboard/language", data={"csrf_token": token, "locale": "klingon"},
                        timeout=10)
    assert odd.status_code == 200 and '<html lang="ja">' in odd.text
    refused = merchant.post(sandbox.base_url + "/dashboard/language", data={"locale": "en"}, timeout=10)
    assert refused.status_code == 400 and "フォームの有効期限が切れました" in refused.text


def test_dashboard_times_are_japan_time_with_the_zone(sandbox, secret_key, body):
    api(sandbox, secret_key, "POST", "/checkout-sessions", json={**body, "locale": "ja"})
    merchant = requests.Session()
    token = CSRF.search(merchant.get(sandbox.base_url + "/dashboard/", timeout=10).text).group(1)
    home = merchant.post(sandbox.base_url + "/dashboard/login", data={"csrf_token": token, "secret_key": secret_key},
                         timeout=10).text
    assert re.search(r"<time>\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d:\d\d JST</time>", home)
    assert "与信待ち" in home and "<td>日本語</td>" in home


def test_the_refund_reasons_follow_the_reader_whichever_language_came_first(sandbox_app, api_client, body):
    """Jinja works a filter on a literal out once, when it compiles the template: the reasons are values now.
    A fresh sandbox, its dashboard read in English first, then in Japanese."""
    session = api_client.post("/v1/checkout-sessions", json=body).json
    shopper = sandbox_app.test_client()
    hosted_path = session["url"].removeprefix("http://sandbox.test")
    token = CSRF.search(shopper.get(hosted_path).get_data(as_text=True)).group(1)
    shopper.post(hosted_path, data={"csrf_token": token, "email": "a@example.com", "card_number": "4242424242424242"})
    reader = sandbox_app.test_client()
    sign_in = reader.get("/dashboard/").get_data(as_text=True)
    reader.post("/dashboard/login", data={"csrf_token": CSRF.search(sign_in).group(1), "secret_key": "sk_test_unit"})
    english = reader.get("/dashboard/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert ">Requested by the customer</option>" in english
    reader.post("/dashboard/language", data={"csrf_token": CSRF.search(english).group(1), "locale": "ja"})
    japanese = reader.get("/dashboard/").get_data(as_text=True)
    assert ">お客様のご要望</option>" in japanese and "Requested by the customer" not in japanese
