"""The live demo's "under the hood" panel in Chromium: opened and closed by keyboard, remembered, and filled in
while the processing page waits for Smartpay."""
import pytest
import requests
from playwright.sync_api import expect

from tests.support.browser_steps import tab_to
from tests.support.sandbox import pay

pytestmark = [pytest.mark.browser, pytest.mark.live]
TITLE = "Under the hood: what this purchase asked of Smartpay"


@pytest.fixture
def shop_settings():
    return {"DEMO_MODE": True}


def test_the_panel_opens_by_keyboard_and_fills_in_while_the_processing_page_polls(page, live_shop):
    shopper, hosted_url = live_shop.start_purchase()
    page.context.add_cookies([{"name": c.name, "value": c.value, "url": live_shop.url} for c in shopper.cookies])
    page.goto(live_shop.url + f"/checkout/complete/{live_shop.order_public_id()}")
    expect(page.get_by_role("heading", name="We are confirming your payment")).to_be_visible()
    panel = page.locator("#under-the-hood")
    expect(panel).not_to_have_attribute("open", "")

    tab_to(page, TITLE)  # keyboard only
    page.keyboard.press("Enter")
    expect(panel.get_by_role("heading", name="1. The server creates the checkout session")).to_be_visible()
    expect(panel).to_contain_text("POST /v1/checkout-sessions")
    expect(panel.locator('[data-step="4"]')).to_contain_text("Not yet.")

    # Smartpay's order reads now fail, so the page keeps polling instead of turning into the receipt.
    requests.post(live_shop.sandbox.base_url + "/sandbox/scenarios", timeout=10,
                  headers={"Authorization": f"Basic {live_shop.key}"},
                  json={"type": "api_error", "status": 503, "path": "/orders", "count": 1000})
    page.evaluate("window.stillTheSamePage = true")
    pay(hosted_url)
    expect(panel.locator('[data-step="4"]')).to_contain_text("order.authorized", timeout=15_000)
    expect(panel.locator('[data-step="4"]')).to_contain_text("signature valid")
    assert page.evaluate("window.stillTheSamePage") is True  # updated in place, by the poller
    page.keyboard.press("Enter")  # the summary still has the focus: close it
    expect(panel).not_to_have_attribute("open", "")

    page.reload()  # closed is remembered; open it again and that is remembered too
    expect(panel).not_to_have_attribute("open", "")
    tab_to(page, TITLE)
    page.keyboard.press("Enter")
    page.reload()
    expect(panel).to_have_attribute("open", "")
