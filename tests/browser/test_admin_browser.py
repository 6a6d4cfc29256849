"""A merchant in Chromium: sign in, open a paid order, refund part of it, and check Smartpay agrees."""
import re

import pytest
from playwright.sync_api import expect

from storefront.admin.auth import save_admin
from tests.admin.conftest import EMAIL, PASSWORD
from tests.admin.test_refunds_live import paid_order

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_refund_part_of_an_order_and_see_the_sandbox_dashboard_agree(page, live_shop):
    with live_shop.app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
    order = paid_order(live_shop)

    page.goto(live_shop.url + "/admin/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Order number or email").fill(order.number)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=order.number).click()
    expect(page.get_by_test_id("smartpay-status")).to_have_text("succeeded")

    page.get_by_label("Amount to refund (¥)").fill("2100")
    page.get_by_label("Reason").select_option("requested_by_customer")
    page.get_by_role("button", name=re.compile("^Refund payment")).click()
    expect(page.get_by_role("status").filter(has_text="Refunded ¥2,100 through Smartpay.")).to_be_visible()
    expect(page.get_by_test_id("refunded")).to_have_text("¥2,100")
    expect(page.get_by_role("heading", name=re.compile(f"Order {order.number}"))).to_contain_text("partially refunded")

    page.goto(live_shop.sandbox.base_url + "/dashboard/")
    page.get_by_label("Test secret key").fill(live_shop.key)
    page.get_by_role("button", name="Open dashboard").click()
    refunds = page.locator("#refunds")
    expect(refunds.get_by_role("row").filter(has_text="¥2,100")).to_have_count(1)
    expect(page.locator("#payments").get_by_role("row").filter(has_text="¥12,100")).to_contain_text("¥2,100")
