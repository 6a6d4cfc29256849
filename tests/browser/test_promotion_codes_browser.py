"""A campaign in Chromium: the merchant creates a coupon and its code in the admin, a shopper types the code at
checkout, Smartpay's hosted page shows the discount, and the receipt shows what Smartpay took off."""
import re

import pytest
from playwright.sync_api import expect

from storefront.admin.auth import save_admin
from tests.support.admin import EMAIL, PASSWORD
from tests.support.browser_steps import fill_checkout_form, pay_with

pytestmark = [pytest.mark.browser, pytest.mark.live]


def create_campaign_in_the_admin(page, shop):
    page.goto(shop.url + "/admin/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_label("Coupon name").fill("Autumn")
    page.get_by_label("An amount in yen").check()
    page.get_by_label("Amount off (¥)").fill("500")
    page.get_by_role("button", name="Create the coupon").click()
    expect(page.get_by_text("Coupon Autumn created.")).to_be_visible()
    page.get_by_label("Coupon", exact=True).select_option(label="Autumn")
    page.get_by_label("Code", exact=True).fill("AUTUMN500")
    page.get_by_label("Once per customer").check()
    page.get_by_role("button", name="Create the promotion code").click()
    expect(page.get_by_role("row", name=re.compile("AUTUMN500"))).to_be_visible()


def test_a_shopper_pays_the_discounted_amount_and_the_receipt_shows_it(page, live_shop):
    with live_shop.app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
    create_campaign_in_the_admin(page, live_shop)
    page.goto(live_shop.url + "/products/kyoto-hojicha")
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    page.goto(live_shop.url + "/checkout/")
    fill_checkout_form(page)
    page.get_by_label("Promotion code (optional)").fill("autumn500")
    page.get_by_role("button", name="Continue to payment").click()

    expect(page.get_by_role("heading", name="Pay with Smartpay")).to_be_visible()
    expect(page.get_by_test_id("hosted-discount")).to_have_text("−¥500")
    expect(page.get_by_test_id("hosted-total")).to_have_text("¥2,160")  # 2 × 1,080 + 500 shipping − 500
    pay_with(page, "4242 4242 4242 4242")
    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
    expect(page.get_by_test_id("discount")).to_have_text("−¥500")
    expect(page.get_by_test_id("total")).to_have_text("¥2,160")
