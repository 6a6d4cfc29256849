"""A workshop host breaks Smartpay from the sandbox dashboard; the shop copes; the dashboard counts down."""
import re

import pytest
from playwright.sync_api import expect
from tests.support.browser_steps import submit_checkout_form


pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_a_scenario_set_in_the_dashboard_shows_in_the_shop_and_counts_down(page, live_shop):
    page.goto(live_shop.sandbox.base_url + "/dashboard/")
    page.get_by_label("Test secret key").fill(live_shop.key)
    page.get_by_role("button", name="Open dashboard").click()
    page.get_by_role("button", name="Answer 503 to the next 5 checkout sessions").click()
    panel = page.locator("#scenarios")
    expect(panel.get_by_role("row").filter(has_text="answer 503 to POST /v1/checkout-sessions")).to_contain_text("5 of 5")

    shop = page.context.new_page()
    submit_checkout_form(shop, live_shop)  # the live shop tries twice (SMARTPAY_RETRIES=1): both 503
    expect(shop.get_by_role("alert")).to_contain_text("Smartpay is having trouble right now.")
    expect(shop.get_by_text("Nothing was charged and your cart is unchanged.")).to_be_visible()

    page.reload()
    expect(panel.get_by_role("row").filter(has_text="answer 503 to POST /v1/checkout-sessions")).to_contain_text("3 of 5")
    expect(page.locator("#events").get_by_text(re.compile(r"503 returned to POST /v1/checkout-sessions by scenario #\d+"))) \
        .to_have_count(2)
    page.get_by_role("button", name="Clear all scenarios").click()
    expect(panel).to_contain_text("No active scenario: Smartpay behaves normally.")
    shop.get_by_role("button", name="Continue to payment").click()  # the form is still filled in
    expect(shop.get_by_role("heading", name="Pay with Smartpay")).to_be_visible()
