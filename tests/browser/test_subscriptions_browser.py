"""定期便 in Chromium, in Japanese: a tea subscribed from its page, the delivery details, Smartpay's consent page,
and the confirmation with the next delivery day; then the management page from the email's link."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storefront.extensions import db
from storefront.mail.models import OutboxEmail
from tests.support.browser_steps import JAPANESE_LABELS
from tests.support.storefront import CUSTOMER

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_a_japanese_shopper_subscribes_consents_and_skips_the_next_delivery(japanese_page, live_shop):
    page = japanese_page
    page.goto(live_shop.url + "/products/kyoto-hojicha")
    subscribe = page.get_by_role("form", name="定期便で申し込む")
    subscribe.get_by_label("2か月ごと").check()
    subscribe.get_by_label("1回のお届け個数").fill("2")
    subscribe.get_by_role("button", name="このお茶を定期便で申し込む").click()

    expect(page.get_by_role("heading", name="定期便のお申し込み")).to_be_visible()
    expect(page.get_by_label("2か月ごと")).to_be_checked()
    for label, key in JAPANESE_LABELS:
        page.get_by_label(label, exact=True).fill(CUSTOMER[key])
    page.get_by_label("都道府県").select_option("東京都")
    page.get_by_role("button", name="定期便の内容を確認する").click()
    expect(page.get_by_test_id("per-delivery")).to_have_text("2,660円")  # the final confirmation: 1,080円 × 2 + 送料
    page.get_by_role("button", name="Smartpayで同意する").click()

    expect(page.get_by_role("heading", name="Smartpayでの継続払いのお申し込み")).to_be_visible()  # Smartpay's page
    expect(page.get_by_text("いつでも停止できます")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("（（")  # no nested brackets
    page.get_by_label("カード番号").fill("4242 4242 4242 4242")
    page.get_by_role("button", name="同意して申し込む").click()

    expect(page.get_by_role("heading", name="定期便のお申し込みが完了しました")).to_be_visible()
    expect(page.get_by_test_id("next-delivery")).to_have_text(re.compile(r"^20\d\d年\d+月\d+日（[月火水木金土日]）$"))
    expect(page.get_by_text(re.compile("お支払い済み、発送準備中です"))).to_be_visible()

    with live_shop.app.app_context():
        started = db.session.scalar(select(OutboxEmail).where(OutboxEmail.kind == "sub_started"))
        assert started.subject == "【Hinoki Market】定期便のお申し込みありがとうございます"
        link = re.search(r"https?://\S+/subscriptions/manage/\S+", started.text_body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name=re.compile("定期便の変更・解約"))).to_be_visible()
    page.get_by_role("button", name="次回のお届けをスキップする").click()
    expect(page.get_by_text(re.compile("のお届けをスキップしました"))).to_be_visible()
