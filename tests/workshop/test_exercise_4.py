"""Exercise 4: handle a new webhook event type, `payout.paid` (docs/workshop/exercises.md).

Run it with `make exercise 4`. It fails until the shop describes the payout in its webhook log.
"""
import pytest

from tests.webhooks.test_webhooks_live import event_body, signed_post, stored_events

pytestmark = pytest.mark.live


def test_a_payout_paid_event_is_described_in_the_webhook_log(live_shop):
    payout = {"id": "payout_test_workshop4", "object": "payout", "amount": 123456, "currency": "JPY"}
    answer = signed_post(live_shop, event_body("evt_test_workshop4", "payout.paid", payout))
    assert answer.status_code == 200, "The webhook endpoint must still answer 200: Smartpay retries anything else."
    live_shop.webhooks_processed(1)  # the worker acts on the stored event
    [(_event_id, result)] = stored_events(live_shop)
    assert result == "payout payout_test_workshop4 paid: ¥123,456 to the shop's bank account", (
        f"Still missing: the webhook log says {result!r}. Teach storefront/webhooks/inbox.py:act_on to recognise "
        "payout.paid and describe it as: payout <id> paid: ¥<amount> to the shop's bank account")
