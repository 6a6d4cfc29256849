"""Rate limits: polite 429s with Retry-After, per shopper first; never on webhooks, never for a room of shoppers."""
import re

import pytest

from sandbox import create_app as create_sandbox
from tests.conftest import csrf_token, make_app

JAPANESE = {"Accept-Language": "ja"}


def add_to_cart(client):
    html = client.get("/products/kyoto-hojicha").get_data(as_text=True)
    product_id = re.search(r'name="product_id" value="(\d+)"', html).group(1)
    client.post("/cart/add", data={"csrf_token": csrf_token(client, "/products/kyoto-hojicha"),
                                   "product_id": product_id, "quantity": 1})


def submit_checkout(client):
    """An incomplete form: refused with a 400, and still counted, as every attempt is."""
    return client.post("/checkout/", data={"csrf_token": csrf_token(client, "/checkout/")}, headers=JAPANESE)


@pytest.fixture
def app_settings():
    return {"LIMIT_CHECKOUT": "2 per minute", "LIMIT_STATUS_POLL": "2 per minute",
            "LIMIT_ADMIN_LOGIN_PER_ADDRESS": "3 per minute"}


def test_too_many_checkouts_get_a_429_page_in_the_shoppers_language(client, catalog):
    add_to_cart(client)
    assert [submit_checkout(client).status_code for _ in range(2)] == [400, 400]
    refused = submit_checkout(client)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 60
    assert "アクセスが集中しています" in html and "秒ほど待ってから、もう一度お試しください。" in html
    assert "京都 ほうじ茶 80g" in client.get("/cart", headers=JAPANESE).get_data(as_text=True)  # the cart is kept


def test_another_shopper_at_the_same_address_is_not_affected(app, client, catalog):
    add_to_cart(client)
    for _ in range(3):
        submit_checkout(client)
    neighbour = app.test_client()
    add_to_cart(neighbour)
    assert submit_checkout(neighbour).status_code == 400  # refused for its empty form, not for the limit


def test_the_status_poll_answers_a_json_429(client):
    for _ in range(2):
        assert client.get("/checkout/status/unknown-order").status_code == 404
    refused = client.get("/checkout/status/unknown-order")
    body = refused.get_json()
    assert refused.status_code == 429 and body["error"] == "too_many_requests" and body["retry_after"] > 0
    assert abs(int(refused.headers["Retry-After"]) - body["retry_after"]) <= 1  # computed a moment apart


def test_admin_sign_in_is_limited_per_address_whatever_the_account(client):
    for n in range(3):
        answer = client.post("/admin/login", data={"csrf_token": csrf_token(client, "/admin/login"),
                                                   "email": f"guess{n}@example.com", "password": "wrong"})
        assert answer.status_code == 401
    refused = client.post("/admin/login", data={"csrf_token": csrf_token(client, "/admin/login"),
                                                "email": "another@example.com", "password": "wrong"})
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert client.get("/admin/login").status_code == 200  # reading the page is not limited


def test_webhooks_are_never_limited(database):
    app = make_app(database, LIMIT_CHECKOUT="1 per minute", LIMIT_CHECKOUT_PER_ADDRESS="1 per minute",
                   LIMIT_STATUS_POLL="1 per minute", LIMIT_STATUS_POLL_PER_ADDRESS="1 per minute")
    client = app.test_client()
    answers = {client.post("/webhooks/smartpay", data=b"{}", content_type="application/json").status_code
               for _ in range(30)}
    assert answers == {400}  # refused for their signature, every time; never 429


@pytest.mark.slow
def test_forty_shoppers_behind_one_address_never_meet_a_limit(database, catalog):
    """A workshop room: one public address, 40 shoppers, each retrying the form and polling for a minute."""
    app = make_app(database)  # the default limits
    statuses = set()
    for _ in range(40):
        shopper = app.test_client()
        add_to_cart(shopper)
        statuses |= {submit_checkout(shopper).status_code for _ in range(3)}
        statuses |= {shopper.get("/checkout/status/some-order").status_code for _ in range(30)}
    assert 429 not in statuses and statuses == {400, 404}


def test_the_sandbox_dashboard_login_is_limited(tmp_path):
    app = create_sandbox({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 's.sqlite3'}",
                          "LIMIT_DASHBOARD_LOGIN": "2 per minute"})
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/dashboard/").get_data(as_text=True)).group(1)
    for _ in range(2):
        client.post("/dashboard/login", data={"csrf_token": token, "secret_key": "nope"})
    refused = client.post("/dashboard/login", data={"csrf_token": token, "secret_key": "nope"}, headers=JAPANESE)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "1分ほどお待ちのうえ、もう一度お試しください。" in refused.get_data(as_text=True)
