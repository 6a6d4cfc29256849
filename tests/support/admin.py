"""The merchant's side: an admin account, signed in with the test client (`admin`, a fixture every test can ask
for), and the steps a merchant takes on an order: a paid order to work on, a refund from its page."""
import re

import pytest

from storefront.admin.auth import save_admin
from tests.conftest import csrf_token
from tests.support.sandbox import pay
from tests.support.waiting import wait_until


EMAIL = "owner@example.com"


PASSWORD = "correct horse battery"


def login(client, email=EMAIL, password=PASSWORD):
    return client.post("/admin/login", data={"csrf_token": csrf_token(client, "/admin/login"),
                                             "email": email, "password": password})


FIELD = '<input id="{name}" name="{name}" type="hidden" value="([^"]+)"'


@pytest.fixture
def admin(live_shop):
    with live_shop.app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
    client = live_shop.app.test_client()
    assert login(client).status_code == 303
    return client


def paid_order(shop, slug="seki-santoku-knife"):
    shopper = shop.shopper()
    shopper.add(slug, 1)
    answer = pay(shopper.checkout().headers["Location"])
    shopper.get(answer.headers["Location"])
    return shop.order()


def refund_form(admin, order) -> dict:
    page = admin.get(f"/admin/orders/{order.public_id}").get_data(as_text=True)
    return {name: re.search(FIELD.format(name=name), page).group(1) for name in ("csrf_token", "token", "payment")}


def refund(admin, order, amount, form=None, reason="requested_by_customer", note="test"):
    data = {**(form or refund_form(admin, order)), "amount": str(amount), "reason": reason, "note": note}
    return admin.post(f"/admin/orders/{order.public_id}/refunds", data=data, follow_redirects=True)


def wait_for(check, seconds=10):
    return wait_until(check, seconds)
