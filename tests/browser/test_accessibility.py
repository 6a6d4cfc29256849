"""axe-core (WCAG 2.1 A and AA) on every page family, in Japanese and in English: no violation allowed."""
import pytest
from playwright.sync_api import expect

from storefront.admin.auth import save_admin
from tests.support.admin import EMAIL, PASSWORD
from tests.support.browser import accessibility_violations, new_page
from tests.support.browser_steps import JAPANESE_LABELS
from tests.support.storefront import CUSTOMER
from tests.support.sandbox import pay
from tests.support.subscriptions import manage_link, subscribe_as_shopper

pytestmark = [pytest.mark.browser, pytest.mark.live]
BROWSER_LOCALES = {"ja": "ja-JP", "en": "en-US"}
WORDS = {"ja": {"pay": "お支払いへ進む", "sign_in": "ログイン", "open": "ダッシュボードを開く",
                "email": "メールアドレス", "password": "パスワード", "key": "テスト用シークレットキー",
                "received": "入金確認", "compare": "Smartpayと照合する", "agree": "ショップとSmartpayの記録は一致しています。",
                "check": "定期便の内容を確認する"},
         "en": {"pay": "Continue to payment", "sign_in": "Sign in", "open": "Open dashboard",
                "email": "Email", "password": "Password", "key": "Test secret key",
                "received": "Record the transfer received", "compare": "Compare with Smartpay",
                "agree": "The shop and Smartpay agree.", "check": "Check the subscription"}}


@pytest.fixture
def shop_settings():
    return {"DEMO_MODE": True}  # the "under the hood" panel is audited too, opened


@pytest.fixture(params=["ja", "en"])
def language(request):
    return request.param


@pytest.fixture
def audited_page(browser, request, language):
    yield from new_page(browser, request, 1280, 800, locale=BROWSER_LOCALES[language], bypass_csp=True)


def share_cookies(shopper, page, url):
    """The browser takes over a shopper's session, so it sees their order's receipt as its owner would."""
    page.context.add_cookies([{"name": c.name, "value": c.value, "url": url} for c in shopper.cookies])


def test_every_page_family_passes_axe(audited_page, live_shop, language):
    page, shop, words = audited_page, live_shop, WORDS[language]
    with shop.app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
    failures = {}

    def audit(name):
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        found = accessibility_violations(page)
        if found:
            failures[name] = found

    paid_shopper, paid_url = shop.start_purchase_in(language)
    declined_shopper, declined_url = shop.start_purchase_in(language)
    pay(paid_url)
    pay(declined_url, card="4100 0000 0000 0019")

    page.goto(shop.url + "/")
    audit("catalog")
    page.goto(shop.url + "/products/seki-santoku-knife")
    audit("product")
    share_cookies(paid_shopper, page, shop.url)
    page.goto(shop.url + f"/checkout/complete/{shop.order_public_id(-2)}")
    audit("receipt")
    share_cookies(declined_shopper, page, shop.url)
    page.goto(shop.url + f"/checkout/cancelled/{shop.order_public_id(-1)}")
    audit("another payment method")
    page.goto(shop.url + "/cart")
    audit("cart")
    page.goto(shop.url + "/checkout/")
    page.get_by_role("button", name=words["pay"]).click()
    expect(page.locator(".field-error").first).to_be_visible()
    audit("checkout form with errors")
    hosted_shopper, hosted_url = shop.start_purchase_in(language)
    page.goto(hosted_url)
    audit("hosted checkout")
    page.goto(hosted_url + "?promotion-code=NOSUCHCODE")
    audit("hosted checkout with a refused code")
    consent = shop.api("POST", "/checkout-sessions", json={
        "mode": "token", "customerInfo": {"emailAddress": "a@example.com"}, "locale": language,
        "successUrl": shop.url + "/", "cancelUrl": shop.url + "/cart"}).json()
    page.goto(consent["url"])
    audit("hosted consent to later charges")
    transfer_shopper = shop.shopper(language)
    transfer_shopper.add("kyoto-hojicha", 1)
    instructions = transfer_shopper.checkout(payment_method="bank_transfer").headers["Location"]
    share_cookies(transfer_shopper, page, shop.url)
    page.goto(shop.url + instructions)
    audit("bank transfer instructions")
    page.goto(shop.url + "/subscriptions/new/kyoto-hojicha?every=2&quantity=1")
    audit("subscription form")
    fill_customer(page, language)
    page.get_by_role("button", name=words["check"]).click()
    expect(page.get_by_test_id("per-delivery")).to_be_visible()
    audit("subscription final confirmation")
    page.goto(shop.url + "/legal/commerce")
    audit("legal notice")
    page.goto(shop.url + "/legal/privacy")
    audit("privacy policy")
    page.goto(shop.url + "/no-such-page")
    audit("404")

    page.goto(shop.url + "/admin/login")
    audit("admin sign-in")
    page.get_by_label(words["email"]).fill(EMAIL)
    page.get_by_label(words["password"]).fill(PASSWORD)
    page.get_by_role("button", name=words["sign_in"]).click()
    expect(page.get_by_role("search")).to_be_visible()
    audit("admin orders")
    page.goto(shop.url + f"/admin/orders/{shop.order_public_id(0)}")
    audit("admin order")
    page.goto(shop.url + f"/admin/orders/{shop.order_public_id(-1)}")
    expect(page.get_by_role("heading", name=words["received"])).to_be_visible()
    audit("admin bank transfer order")
    page.goto(shop.url + "/admin/promotions")
    audit("admin campaigns")
    _subscriber, started = subscribe_as_shopper(shop, language=language)  # after the orders audited above: the newest
    page.goto(started.url)
    audit("subscription started")
    page.goto(manage_link(shop))
    audit("subscription management")
    page.goto(shop.url + "/admin/subscriptions")
    audit("admin subscriptions")
    page.get_by_role("link", name="Yamada Taro").click()
    audit("admin subscription")
    page.goto(shop.url + "/admin/webhooks")
    audit("webhook log")
    page.goto(shop.url + "/admin/api-log")
    audit("API log")
    page.goto(shop.url + "/admin/reconciliation")
    page.get_by_role("button", name=words["compare"]).click()
    expect(page.get_by_role("status").filter(has_text=words["agree"])).to_be_visible()
    audit("reconciliation")

    page.goto(shop.sandbox.base_url + "/dashboard/")
    audit("dashboard sign-in")
    page.get_by_label(words["key"]).fill(shop.key)
    page.get_by_role("button", name=words["open"]).click()
    audit("dashboard")

    assert not failures, "\n".join(f"{name}: {line}" for name, lines in failures.items() for line in lines)


def fill_customer(page, language):
    """The subscription form's fields, by their labels in the page's language."""
    labels = {"ja": JAPANESE_LABELS, "en": [("Email", "email"), ("Phone", "phone"), ("Family name", "family_name"),
                                           ("Given name", "given_name"), ("Postal code", "postal_code"),
                                           ("City, ward or town", "city"), ("Address", "address_line1")]}[language]
    for label, key in labels:
        page.get_by_label(label, exact=True).fill(CUSTOMER[key])
    page.get_by_label({"ja": "都道府県", "en": "Prefecture"}[language]).select_option("東京都")
