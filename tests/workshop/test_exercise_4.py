"""Exercise 4: handle a new webhook event type, `payout.paid` (docs/workshop/exercises.md).

Run it with `make exercise 4`. It fails until the webhook log names the payout, in English and in Japanese.
"""
import pytest

from storefront.admin.auth import save_admin
from tests.support.admin import EMAIL, PASSWORD, login
from tests.support.factories import an_event
from tests.support.webhooks import signed_post, stored_events

pytestmark = pytest.mark.live


def test_a_payout_paid_event_is_labelled_in_the_webhook_log_in_both_languages(live_shop):
    payout = {"id": "payout_test_workshop4", "object": "payout", "amount": 123456, "currency": "JPY"}
    answer = signed_post(live_shop, an_event("payout.paid", payout, "evt_test_workshop4"))
    assert answer.status_code == 200, "The webhook endpoint must still answer 200: Smartpay retries anything else."
    live_shop.webhooks_processed(1)  # the worker acts on the stored event
    [(_event_id, result)] = stored_events(live_shop)
    assert result == "payout_paid", (
        f"Still missing: the event's result is {result!r}. Add PAYOUT_PAID = \"payout_paid\" to WebhookResult in "
        "storefront/smartpay/statuses.py, and teach storefront/smartpay/webhooks/inbox.py:act_on to return it for "
        "payout.paid with the payout's id and amount as its details.")
    with live_shop.app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
    admin = live_shop.app.test_client()
    login(admin)
    english = admin.get("/admin/webhooks").get_data(as_text=True)
    assert "Payout payout_test_workshop4: ¥123,456 paid to the shop&#39;s bank account" in english, (
        "Still missing: the webhook log should say \"Payout payout_test_workshop4: ¥123,456 paid to the shop's bank "
        "account\". Add a label for WebhookResult.PAYOUT_PAID to WEBHOOK_RESULTS in storefront/smartpay/labels.py: "
        "\"Payout %(id)s: %(amount)s paid to the shop's bank account\" (the amount is formatted for you).")
    japanese = admin.get("/admin/webhooks", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "入金（payout_test_workshop4）：123,456円が銀行口座に振り込まれました" in japanese, (
        "Still missing: the Japanese label. Run `make translations`, then give the new message its Japanese in "
        "storefront/translations/ja/LC_MESSAGES/messages.po: 入金（%(id)s）：%(amount)sが銀行口座に振り込まれました")
