"""A shopper buys; the merchant opens the admin's Emails page and reads the confirmation as the shopper will."""
import pytest
from playwright.sync_api import expect

from storefront.admin.auth import save_admin
from tests.support.admin import EMAIL, PASSWORD
from tests.support.browser_steps import fill_cart_and_check_out, pay_with

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture
def shop_settings(mail_catcher):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mail_catcher.port}


def test_the_confirmation_is_in_the_admins_emails_page_rendered(page, live_shop, mail_catcher):
    with live_shop.app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
    fill_cart_and_check_out(page, live_shop)
    pay_with(page, "4242 4242 4242 4242")
    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
    number = page.get_by_test_id("order-number").inner_text()
    assert "Sent 1," in live_shop.cli("mail", "send-pending")

    page.goto(live_shop.url + "/admin/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Admin").get_by_role("link", name="Emails").click()
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text("sent")
    row.get_by_role("link").click()
    email = page.frame_locator("iframe[title='The email as HTML']")
    expect(email.get_by_text("Smartpay has approved your payment, and we are preparing your delivery.")).to_be_visible()
    expect(email.get_by_text("Kyoto Hojicha 80 g※ × 2")).to_be_visible()
    expect(page.get_by_test_id("email-status")).to_have_text("sent")
    assert len(mail_catcher.messages()) == 1
