"""The "under the hood" panel: this browser's purchase, step by step, from the real logs; nobody else's."""
import re

import pytest
from flask_migrate import upgrade

from storefront import create_app
from tests.support.sandbox import pay
from tests.support.waiting import wait_until

pytestmark = pytest.mark.live
STEP_HEADINGS = ["1. The server creates the checkout session", "2. A 303 sends the browser to Smartpay&#39;s hosted page",
                 "3. Back in the shop: the return and the verification read", "4. Webhooks received",
                 "5. Payments and refunds"]


@pytest.fixture
def shop_settings():
    return {"DEMO_MODE": True}


def buy(shop, email="taro+test@example.com"):
    shopper = shop.shopper()
    shopper.add("kyoto-hojicha", 2)
    back = pay(shopper.checkout(email=email).headers["Location"]).headers["Location"]
    receipt = shopper.get(back).text
    return shopper, receipt


def test_a_purchase_shows_the_five_steps_in_order_with_the_real_calls(live_shop):
    shopper, receipt = buy(live_shop)
    order = live_shop.order()
    panel = shopper.get(live_shop.url + "/demo/under-the-hood").text
    positions = [panel.index(heading.replace("&#39;", "'")) if heading.replace("&#39;", "'") in panel
                 else panel.index(heading) for heading in STEP_HEADINGS]
    assert positions == sorted(positions)
    assert order.number in panel and order.smartpay_order_id in panel
    assert "POST /v1/checkout-sessions</strong> → 200" in panel
    assert f"checkout-session-{order.public_id}" in panel  # the Idempotency-Key
    assert f"GET /v1/orders/{order.smartpay_order_id}</strong> → 200" in panel
    assert "storefront/smartpay/payments.py:start_payment" in panel
    assert "storefront/smartpay/payments.py:refresh_order" in panel
    assert "&#34;amount&#34;: 2660" in panel or "&quot;amount&quot;: 2660" in panel  # the request body
    assert re.search(r"payment_test_[0-9A-Za-z]+", panel)
    assert 'id="under-the-hood"' in receipt and 'data-src="/demo/under-the-hood"' in receipt


def test_the_panel_waits_for_the_webhooks_then_shows_them(live_shop):
    shopper, _receipt = buy(live_shop)
    def panel_with_the_webhooks():
        """the panel showing both webhooks"""
        text = shopper.get(live_shop.url + "/demo/under-the-hood").text
        return text if "order.authorized" in text and "payment.created" in text else None

    panel = wait_until(panel_with_the_webhooks)
    assert "signature valid" in panel


def test_another_browsers_order_never_appears_nor_the_secret_key(live_shop):
    first, _ = buy(live_shop, email="first@example.com")
    first_order = live_shop.order()
    second, _ = buy(live_shop, email="second@example.com")
    second_order = live_shop.order()
    mine = first.get(live_shop.url + "/demo/under-the-hood").text
    assert first_order.number in mine and "first@example.com" in mine
    assert second_order.number not in mine and "second@example.com" not in mine
    assert live_shop.key not in mine and "sk_test_" not in mine
    stranger = live_shop.shopper().get(live_shop.url + "/demo/under-the-hood").text
    assert "Nothing yet" in stranger and first_order.number not in stranger


class TestOff:
    @pytest.fixture
    def shop_settings(self):
        return {}

    def test_off_without_demo_mode(self, live_shop):
        shopper, receipt = buy(live_shop)
        assert 'id="under-the-hood"' not in receipt
        assert shopper.get(live_shop.url + "/demo/under-the-hood").status_code == 404


def test_off_in_production_even_when_asked_for(production):
    production.setenv("DEMO_MODE", "1")
    app = create_app()
    with app.app_context():
        upgrade()
    assert app.config["DEMO_MODE"] is True
    assert app.test_client().get("/demo/under-the-hood").status_code == 404


def test_the_footer_links_to_the_guide_in_the_readers_language_and_to_the_dashboard(live_shop):
    shopper = live_shop.shopper("ja")
    home = shopper.get(live_shop.url + "/").text
    assert 'href="/demo/guide/">ワークショップのガイド</a>' in home
    assert f'href="{live_shop.sandbox.base_url}/dashboard/">Smartpayサンドボックスのダッシュボード</a>' in home
    guide = shopper.get(live_shop.url + "/demo/guide/")
    assert guide.status_code == 200 and guide.text.startswith("# Smartpay オンボーディング・ワークショップ")
    assert live_shop.shopper("en").get(live_shop.url + "/demo/guide/exercises").text.startswith("# Exercises")
    for page in ("../../README", "secrets", "README.ja"):
        assert shopper.get(live_shop.url + f"/demo/guide/{page}").status_code == 404
