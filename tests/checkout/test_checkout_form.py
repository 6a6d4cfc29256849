"""The checkout form and Smartpay failures, with the Flask test client (no sandbox needed)."""
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import select

from storefront.extensions import db
from storefront.models import CartLine, Order
from tests.support.storefront import add_to_cart, checkout


def cart_quantities(app):
    with app.app_context():
        return db.session.scalars(select(CartLine.quantity)).all()


def test_empty_cart_cannot_check_out(client, catalog):
    response = client.get("/checkout/", follow_redirects=True)
    assert "Your cart is empty." in response.get_data(as_text=True)


def test_the_form_shows_every_field_with_a_visible_label_and_the_order_summary(client, catalog):
    add_to_cart(client)
    html = client.get("/checkout/").get_data(as_text=True)
    for label in ("Email", "Family name", "Given name", "Family name in katakana (optional)", "Phone", "Postal code",
                  "Prefecture", "City, ward or town", "Address", "Building and room (optional)"):
        assert f">{label}</label>" in html
    assert html.count("<option") == 48  # "Choose a prefecture" and the 47
    assert 'data-testid="total">¥2,660' in html  # 2 × ¥1,080 + ¥500


@pytest.mark.parametrize("field, value, message", [
    ("email", "not-an-email", "Enter a valid email address."),
    ("family_name", "", "Enter your family name."),
    ("phone", "12345", "Enter a Japanese phone number"),
    ("postal_code", "15300", "Enter the postal code as NNN-NNNN"),
    ("prefecture", "Atlantis", "Choose your prefecture."),
    ("family_name_kana", "Yamada", "Enter it in full-width katakana, for example ヤマダ."),
    ("given_name_kana", "たろう", "Enter it in full-width katakana, for example ヤマダ."),
    ("city", "", "Enter your city."),
])
def test_each_error_is_shown_beside_its_field_and_input_is_kept(client, app, catalog, field, value, message):
    add_to_cart(client)
    response = checkout(client, **{field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error">{message}' in html
    assert 'value="Yamada"' in html or field == "family_name"
    with app.app_context():
        assert db.session.scalar(select(Order)) is None


class Unavailable(BaseHTTPRequestHandler):
    def do_POST(self):
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"statusCode":503,"errorCode":"service.unavailable","message":"down"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def failing_smartpay():
    server = HTTPServer(("127.0.0.1", 0), Unavailable)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


@pytest.mark.parametrize("app_settings", [{"SMARTPAY_API_URL": "http://127.0.0.1:9/v1"}])
def test_smartpay_unreachable_keeps_the_cart_and_the_failed_order(client, app, catalog):
    add_to_cart(client)
    response = checkout(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 502
    assert "We could not reach Smartpay just now." in html
    assert "Nothing was charged and your cart is unchanged." in html
    assert 'value="Yamada"' in html  # the shopper does not type it all again
    assert cart_quantities(app) == [2]
    with app.app_context():
        order = db.session.scalar(select(Order))
        assert order.status == "failed" and "network" in order.failure_reason


def test_smartpay_5xx_is_explained(client, app, catalog, failing_smartpay):
    app.config.update(SMARTPAY_API_URL=failing_smartpay)
    add_to_cart(client)
    response = checkout(client)
    assert response.status_code == 502
    assert "Smartpay is having trouble right now." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Order)).failure_reason.startswith("503 service.unavailable")
    assert cart_quantities(app) == [2]


class Hanging(BaseHTTPRequestHandler):
    def do_POST(self):
        import time
        time.sleep(2)

    def log_message(self, *args):
        pass


def test_a_smartpay_that_does_not_answer_in_time_is_a_clear_failure(client, app, catalog):
    server = HTTPServer(("127.0.0.1", 0), Hanging)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    app.config.update(SMARTPAY_API_URL=f"http://127.0.0.1:{server.server_address[1]}/v1", SMARTPAY_TIMEOUT=0.3)
    add_to_cart(client)
    response = checkout(client)
    assert response.status_code == 502 and "We could not reach Smartpay just now." in response.get_data(as_text=True)
    with app.app_context():
        assert "Timeout" in db.session.scalar(select(Order)).failure_reason
    assert cart_quantities(app) == [2]
    server.server_close()
