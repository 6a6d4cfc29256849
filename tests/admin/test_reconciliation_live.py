"""The admin's 照合 page: the shop's books beside Smartpay's, each difference with what to do, in both languages."""
import pytest

from tests.support.money import fault
from tests.support.sandbox import FLAT_BODY, pay

pytestmark = pytest.mark.live
JAPANESE = {"Accept-Language": "ja"}


def test_agreeing_books_say_so_and_a_stray_charge_is_listed_with_what_to_do(live_shop, admin):
    shopper = live_shop.shopper()
    shopper.add("kyoto-hojicha", 1)
    shopper.get(pay(shopper.checkout().headers["Location"]).headers["Location"])
    live_shop.webhooks_processed(2)
    page = admin.get("/admin/reconciliation?since=2026-01-01").get_data(as_text=True)
    assert "The shop and Smartpay agree." in page and "1 Smartpay orders took ¥1,580" in page
    stray = live_shop.api("POST", "/checkout-sessions", json={**FLAT_BODY, "reference": "HM-STRAY001"}).json()
    pay(stray["url"])  # money Smartpay took for an order the shop never made
    page = admin.get("/admin/reconciliation?since=2026-01-01").get_data(as_text=True)
    assert "1 difference(s) to look at." in page and stray["order"]["id"] in page
    assert "Smartpay took the money, but the shop has no order for it." in page
    japanese = admin.get("/admin/reconciliation?since=2026-01-01", headers=JAPANESE).get_data(as_text=True)
    assert "確認が必要な差異が1件あります。" in japanese and "ショップに対応する注文がありません" in japanese


def test_a_bad_date_is_explained_beside_its_field_and_smartpay_down_is_said(live_shop, admin):
    answer = admin.get("/admin/reconciliation?since=yesterday")
    assert answer.status_code == 400 and "Enter a date such as 2026-12-01." in answer.get_data(as_text=True)
    fault(live_shop, type="api_error", status=503, path="/orders", method="GET", count=4)
    answer = admin.get("/admin/reconciliation?since=2026-01-01")
    assert answer.status_code == 502
    assert "Smartpay did not answer, so nothing was compared." in answer.get_data(as_text=True)
