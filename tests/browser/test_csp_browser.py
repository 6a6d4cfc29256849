"""Under the strict Content-Security-Policy, a whole purchase and a refund still work, and Chromium reports
no violation on any page of the shop, Smartpay's hosted page or the admin."""
import pytest
from playwright.sync_api import expect

from storefront.admin.auth import save_admin
from tests.support.admin import EMAIL, PASSWORD
from tests.support.browser_steps import fill_cart_and_check_out, open_order_as_admin, pay_with, refund_first_payment

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_a_purchase_and_a_refund_raise_no_csp_violation(page, live_shop):
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    with live_shop.app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)

    fill_cart_and_check_out(page, live_shop)  # shop pages, the 303 to the hosted page (form-action)
    pay_with(page, "4242 4242 4242 4242")     # the hosted page's form and its 303 back to the shop
    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
    open_order_as_admin(page, live_shop, live_shop.order().number)
    refund_first_payment(page, 1000)
    expect(page.get_by_role("status").filter(has_text="Refunded ¥1,000 through Smartpay.")).to_be_visible()
    page.goto(live_shop.url + "/checkout/status/unknown")  # and a JSON answer, for good measure
    assert violations == []


def test_the_processing_page_script_runs_under_the_csp(page, live_shop):
    """The one script of the shop is a file (no inline code): the poller must still turn the page into a receipt."""
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    shopper, hosted_url = live_shop.start_purchase()
    page.context.add_cookies([{"name": c.name, "value": c.value, "url": live_shop.url} for c in shopper.cookies])
    page.goto(live_shop.url + f"/checkout/complete/{live_shop.order_public_id()}")
    expect(page.get_by_role("heading", name="We are confirming your payment")).to_be_visible()
    from tests.support.sandbox import pay

    pay(hosted_url)
    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible(timeout=15_000)
    assert violations == []
