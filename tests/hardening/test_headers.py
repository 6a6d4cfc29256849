"""Every response of both apps carries the security headers; HSTS and Secure cookies in production only."""
import pytest

from sandbox import create_app as create_sandbox
from storefront import create_app
from tests.support.sandbox import FLAT_BODY

SHOP_PATHS = ["/", "/products/kyoto-hojicha", "/cart", "/checkout/complete/nope", "/admin/login", "/no-such-page",
              "/healthz"]


def csp_directives(header: str) -> dict:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", SHOP_PATHS)
def test_shop_responses_carry_the_security_headers(client, catalog, path):
    headers = client.get(path).headers
    csp = csp_directives(headers["Content-Security-Policy"])
    assert csp["frame-ancestors"] == ["'none'"] and csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert csp["form-action"] == ["'self'", "http://127.0.0.1:9"]  # the test config's Smartpay (sandbox) origin
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in ("strict-origin-when-cross-origin", "no-referrer")
    assert "Strict-Transport-Security" not in headers  # development speaks plain HTTP


@pytest.mark.parametrize("path", ["/checkout/complete/nope", "/checkout/cancelled/nope", "/admin/login"])
def test_order_and_admin_pages_never_leak_their_url_as_a_referer(client, path):
    headers = client.get(path).headers
    assert headers["Referrer-Policy"] == "no-referrer" and headers["Cache-Control"] == "no-store"


def test_the_real_smartpay_checkout_is_the_form_target_in_production_config(database):
    from tests.conftest import make_app

    app = make_app(database, SMARTPAY_API_URL="https://api.smartpay.co/v1")
    csp = csp_directives(app.test_client().get("/healthz").headers["Content-Security-Policy"])
    assert csp["form-action"] == ["'self'", "https://checkout.smartpay.co"]


def test_production_adds_hsts_and_secure_cookies(production):
    app = create_app()
    answer = app.test_client().get("/healthz")
    assert answer.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]


@pytest.fixture
def sandbox_client(tmp_path):
    app = create_sandbox({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 's.sqlite3'}",
                          "PUBLIC_URL": "http://sandbox.test"})
    return app.test_client()


@pytest.mark.parametrize("path", ["/dashboard/", "/v1/orders", "/checkout/nope.nope", "/healthz"])
def test_sandbox_responses_carry_the_security_headers(sandbox_client, path):
    headers = sandbox_client.get(path, headers={"Authorization": "Basic sk_test_headers"}).headers
    csp = csp_directives(headers["Content-Security-Policy"])
    assert csp["frame-ancestors"] == ["'none'"] and "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_the_hosted_page_cannot_be_framed_and_may_send_the_shopper_back_to_the_shop(sandbox_client):

    session = sandbox_client.post("/v1/checkout-sessions", json=FLAT_BODY,
                                  headers={"Authorization": "Basic sk_test_headers"}).get_json()
    page = sandbox_client.get(session["url"].replace("http://sandbox.test", ""))
    csp = csp_directives(page.headers["Content-Security-Policy"])
    assert page.status_code == 200 and page.headers["X-Frame-Options"] == "DENY"
    assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'self'", "https://shop.example"]
