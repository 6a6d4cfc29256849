"""Bank transfer in Chromium: the shopper Smartpay declined finishes the purchase in two clicks, in English and
in Japanese, and the merchant sees it through to paid in the admin; the checkout's radio group by keyboard."""
import re

import pytest
from playwright.sync_api import expect

from storefront.admin.auth import save_admin
from tests.support.admin import EMAIL, PASSWORD
from tests.support.browser_steps import (buy_in_japanese, fill_cart_and_check_out, fill_checkout_form,
                                         open_order_as_admin, pay_with)
from tests.support.mail import parts
from tests.support.mailing import shop_settings, worker_jobs  # noqa: F401  (fixtures: emails sent)

pytestmark = [pytest.mark.browser, pytest.mark.live]
DECLINED = "4100 0000 0000 0019"


def subjects(catcher) -> list[str]:
    return [message["Subject"] for message in catcher.messages()]


def test_declined_by_smartpay_then_paid_by_transfer_and_recorded_by_the_merchant(page, live_shop, mail_catcher):
    with live_shop.app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
    fill_cart_and_check_out(page, live_shop)
    pay_with(page, DECLINED)
    expect(page.get_by_role("heading", name="Smartpay could not approve this purchase")).to_be_visible()
    page.get_by_role("button", name="Pay by bank transfer").click()

    expect(page.get_by_role("heading", name="Please pay by bank transfer")).to_be_visible()
    expect(page.get_by_test_id("amount-due")).to_have_text("¥3,650")
    expect(page.get_by_test_id("account-number")).to_have_text("0000000")
    expect(page.get_by_role("note")).to_contain_text("the account below is made up")
    expect(page.get_by_role("link", name=re.compile("Cart"))).to_contain_text("0")
    number = page.get_by_test_id("order-number").inner_text()
    live_shop.eventually(lambda: any(number in subject for subject in subjects(mail_catcher)))

    open_order_as_admin(page, live_shop, number)
    expect(page.locator(".status").first).to_have_text("awaiting transfer")
    expect(page.get_by_role("note")).to_contain_text("the shopper chose another way to pay")
    page.get_by_label("Amount received (¥)").fill("3650")
    page.get_by_label("Note for your records (optional)").fill("みずほ 12/3 ヤマダタロウ")
    page.get_by_role("button", name="Record the transfer").click()
    expect(page.get_by_text("Recorded ¥3,650: the order is paid.")).to_be_visible()
    expect(page.locator(".status").first).to_have_text("paid")
    expect(page.get_by_role("button", name="Record the transfer")).to_have_count(0)
    live_shop.eventually(lambda: len(mail_catcher.messages()) == 2)
    assert sum("We received your payment" in subject for subject in subjects(mail_catcher)) == 1
    text, _html = parts(mail_catcher.messages()[-1])
    assert "We have received your transfer of ¥3,650" in text


def test_the_checkout_offers_both_methods_with_smartpay_chosen_and_transfer_by_keyboard(page, live_shop):
    submit = page.get_by_role("button", name="Continue to payment")
    page.goto(live_shop.url + "/products/kyoto-hojicha")
    page.get_by_role("button", name="Add to cart").click()
    page.goto(live_shop.url + "/checkout/")
    methods = page.get_by_role("group", name="Payment method")
    expect(methods.get_by_role("radio", name="Smartpay: 3 instalments, no interest")).to_be_checked()
    transfer = methods.get_by_role("radio", name="Bank transfer (paid in advance)")
    expect(transfer).to_have_accessible_description(re.compile("Transfer the total within 7 days"))
    transfer.focus()
    page.keyboard.press("Space")
    expect(transfer).to_be_checked()
    expect(submit).to_be_visible()
    fill_checkout_form(page)
    submit.click()
    expect(page.get_by_role("heading", name="Please pay by bank transfer")).to_be_visible()
    assert live_shop.order().smartpay_order_id is None


def test_the_same_purchase_in_japanese_with_a_short_transfer_flagged(japanese_page, live_shop):
    page = japanese_page
    with live_shop.app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
    buy_in_japanese(page, live_shop, DECLINED)
    expect(page.get_by_role("heading", name="Smartpayでのお支払いが承認されませんでした")).to_be_visible()
    page.get_by_role("button", name="銀行振込で支払う").click()
    expect(page.get_by_role("heading", name="銀行振込でのお支払いをお願いいたします")).to_be_visible()
    expect(page.get_by_test_id("amount-due")).to_have_text("3,650円")
    expect(page.get_by_role("heading", name="振込先")).to_be_visible()
    expect(page.get_by_test_id("deadline")).to_have_text(re.compile(r"^20\d\d年\d+月\d+日（[月火水木金土日]）$"))
    expect(page.get_by_text("振込手数料はお客様のご負担となります。")).to_be_visible()
    number = page.get_by_test_id("order-number").inner_text()

    open_order_as_admin(page, live_shop, number, language="ja")
    expect(page.locator(".status").first).to_have_text("入金待ち")
    page.get_by_label("入金額（円）").fill("3000")
    page.get_by_role("button", name="入金を記録する").click()
    expect(page.get_by_test_id("amount-flag")).to_contain_text("650円不足")
    expect(page.locator(".status").first).to_have_text("入金待ち")
