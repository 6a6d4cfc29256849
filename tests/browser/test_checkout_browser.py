"""A shopper in Chromium pays with Smartpay (the sandbox's hosted page), is declined, or changes their mind."""
import re

import pytest
from playwright.sync_api import expect

from tests.support.browser_steps import fill_cart_and_check_out, pay_with
from tests.support.sandbox import pay
from tests.support.storefront import CUSTOMER

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_buy_two_products_and_read_the_receipt(page, live_shop):
    fill_cart_and_check_out(page, live_shop)
    expect(page.get_by_label("Email")).to_have_value(CUSTOMER["email"])  # Smartpay got it from customerInfo
    pay_with(page, "4242 4242 4242 4242")
    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
    order = live_shop.order()
    expect(page.get_by_test_id("order-number")).to_have_text(order.number)
    expect(page.get_by_test_id("total")).to_have_text("¥3,650")
    expect(page.get_by_role("link", name=re.compile("Cart"))).to_contain_text("0")


def test_a_declined_card_offers_another_payment_method_and_keeps_the_cart(page, live_shop):
    fill_cart_and_check_out(page, live_shop)
    pay_with(page, "4100 0000 0000 0019")
    expect(page.get_by_role("heading", name="Smartpay could not approve this purchase")).to_be_visible()
    expect(page.get_by_role("heading", name="Choose another payment method")).to_be_visible()
    page.get_by_role("link", name="Back to your cart").click()
    expect(page.get_by_test_id("total")).to_have_text("¥3,650")


def test_cancelling_returns_to_the_cart(page, live_shop):
    fill_cart_and_check_out(page, live_shop)
    page.get_by_role("link", name="Cancel and return to the store").click()
    expect(page.get_by_role("heading", name="You left the Smartpay checkout")).to_be_visible()
    page.get_by_role("link", name="Back to your cart").click()
    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()
    expect(page.get_by_test_id("total")).to_have_text("¥3,650")


def test_a_soft_decline_can_be_retried_on_the_hosted_page(page, live_shop):
    fill_cart_and_check_out(page, live_shop)
    pay_with(page, "4000 0000 0000 0002")
    expect(page.get_by_role("alert")).to_have_text("Your card was declined. Please try another card.")
    pay_with(page, "4242 4242 4242 4242")
    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()


def test_the_processing_page_turns_into_the_receipt_when_smartpay_approves(page, live_shop):
    fill_cart_and_check_out(page, live_shop)
    hosted_url = page.url
    order = live_shop.order()
    page.goto(f"{live_shop.url}/checkout/complete/{order.public_id}")  # back before paying: nothing to show yet
    expect(page.get_by_role("heading", name="We are confirming your payment")).to_be_visible()
    pay(hosted_url)  # approved elsewhere (another tab); the page's poller notices
    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible(timeout=15_000)
