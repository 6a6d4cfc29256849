"""The one "go back to" guard (storefront/security.py:local_path), for the language switch and the admin's sign-in:
a path of this site goes through, anything else falls back, and nothing reaches a 500."""
import pytest

from storefront.admin.auth import save_admin
from storefront.security import local_path
from tests.conftest import csrf_token
from tests.support.admin import EMAIL, PASSWORD

REFUSED = ["https://evil.example", "//evil.example", "/\\evil.example", "/\r\nSet-Cookie: stolen=1",
           "/admin\nLocation: https://evil.example", "/\tx", "/\x7f", "", None, "evil.example"]


@pytest.mark.parametrize("target", REFUSED)
def test_anything_but_a_plain_path_of_this_site_is_refused(target):
    assert local_path(target) is None


def test_a_path_of_this_site_goes_through_and_the_admin_keeps_to_its_own_pages():
    assert local_path("/products/kyoto-hojicha?page=2") == "/products/kyoto-hojicha?page=2"
    assert local_path("/admin/orders", under="/admin") == "/admin/orders"
    assert local_path("/cart", under="/admin") is None


@pytest.mark.parametrize("target", REFUSED[:7])
def test_the_language_switch_goes_home_instead(client, target):
    answer = client.post("/language", data={"csrf_token": csrf_token(client, "/"), "locale": "ja", "next": target})
    assert answer.status_code == 303 and answer.headers["Location"] == "/"


@pytest.mark.parametrize("target", REFUSED[:7])
def test_the_admin_sign_in_goes_to_the_orders_instead(client, app, target):
    with app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
    answer = client.post("/admin/login", query_string={"next": target}, data={
        "csrf_token": csrf_token(client, "/admin/login"), "email": EMAIL, "password": PASSWORD})
    assert answer.status_code == 303 and answer.headers["Location"] == "/admin/orders"
