"""The admin's webhook log in Chromium: an event the worker could not finish shows its attempts and last error,
and "process again" finishes it once Smartpay answers again."""
import pytest
import requests
from playwright.sync_api import expect

from storefront.admin.auth import save_admin
from tests.support.admin import EMAIL, PASSWORD
from tests.support.sandbox import pay

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture
def shop_settings():
    return {"WEBHOOK_MAX_ATTEMPTS": 2}  # give up quickly: the point is what the admin sees then


def scenarios(shop, verb: str, **body) -> None:
    answer = requests.request(verb, shop.sandbox.base_url + "/sandbox/scenarios", json=body or None, timeout=10,
                              headers={"Authorization": f"Basic {shop.key}"})
    assert answer.status_code == 200, answer.text


def test_a_failed_event_shows_its_attempts_and_is_processed_again(page, live_shop):
    scenarios(live_shop, "POST", type="api_error", status=503, path="/orders", method="GET", count=1000)
    _shopper, hosted_url = live_shop.start_purchase()
    pay(hosted_url)  # the shopper never returns; Smartpay cannot say what happened
    with live_shop.app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
    page.goto(live_shop.url + "/admin/webhooks")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    failed = page.get_by_role("cell", name="failed", exact=True)
    for _ in range(100):  # both events' two tries: well under a second each
        if failed.count() == 2:
            break
        page.wait_for_timeout(200)
        page.reload()
    expect(failed).to_have_count(2)
    row = page.get_by_role("row").filter(has_text="order.authorized")
    expect(row.get_by_role("cell").nth(4)).to_have_text("2")

    row.get_by_role("link").click()
    expect(page.get_by_test_id("attempts")).to_have_text("2")
    expect(page.get_by_test_id("last-error")).to_contain_text("503")
    scenarios(live_shop, "DELETE")  # Smartpay answers again
    page.get_by_role("button", name="Process this event again").click()
    expect(page.get_by_role("status")).to_have_text("The event is queued again; the worker processes it within seconds.")
    for _ in range(50):
        page.reload()
        if page.get_by_test_id("status").inner_text() == "processed":
            break
        page.wait_for_timeout(200)
    expect(page.get_by_test_id("status")).to_have_text("processed")
    expect(page.get_by_test_id("result")).to_contain_text("awaiting payment → paid")
    expect(page.get_by_test_id("attempts")).to_have_text("1")
