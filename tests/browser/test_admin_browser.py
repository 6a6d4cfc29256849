"""A merchant in Chromium: sign in, open a paid order, refund part of it, and check Smartpay agrees."""
import re

import pytest
from playwright.sync_api import expect

from storefront.admin.auth import save_admin
from tests.support.admin import EMAIL, PASSWORD, paid_order
from tests.support.browser_steps import open_order_as_admin, refund_first_payment

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_refund_part_of_an_order_and_see_the_sandbox_dashboard_agree(page, live_shop):
    with live_shop.app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
    order = paid_order(live_shop)

    open_order_as_admin(page, live_shop, order.number)
    expect(page.get_by_test_id("smartpay-status")).to_have_text("succeeded")
    refund_first_payment(page, 2100)
    expect(page.get_by_role("status").filter(has_text="Refunded ¥2,100 through Smartpay.")).to_be_visible()
    expect(page.get_by_test_id("refunded")).to_have_text("¥2,100")
    expect(page.get_by_role("heading", name=re.compile(f"Order {order.number}"))).to_contain_text("partially refunded")

    page.goto(live_shop.sandbox.base_url + "/dashboard/")
    page.get_by_label("Test secret key").fill(live_shop.key)
    page.get_by_role("button", name="Open dashboard").click()
    refunds = page.locator("#refunds")
    expect(refunds.get_by_role("row").filter(has_text="¥2,100")).to_have_count(1)
    expect(page.locator("#payments").get_by_role("row").filter(has_text="¥12,100")).to_contain_text("¥2,100")
