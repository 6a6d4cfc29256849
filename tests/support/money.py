"""What the attacking tests share: faults set at the live sandbox, its clock moved, an admin over HTTP, and the
ending every one of them has: the shop's books and Smartpay's compared, with no difference allowed.

Every request goes to the servers the fixtures started on 127.0.0.1; every loop is bounded in count and time.
"""
import re
from datetime import timedelta

import pytest
import requests

from storefront.admin.auth import save_admin
from storefront.models import utcnow
from tests.support.admin import EMAIL, PASSWORD
from tests.support.storefront import CSRF

LOGIN_CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def fault(shop, **scenario) -> None:
    """A failure scenario at the sandbox for the shop's account (sandbox/scenarios.py)."""
    answer = requests.post(shop.sandbox.base_url + "/sandbox/scenarios", json=scenario, timeout=10,
                           headers={"Authorization": f"Basic {shop.key}"})
    assert answer.status_code == 200, answer.text


def move_smartpay_clock(shop, seconds: int) -> None:
    """Smartpay's clock for the shop's account, `seconds` on: what it remembers for 6 hours ages with it."""
    answer = requests.put(shop.sandbox.base_url + "/sandbox/clock", json={"offsetSeconds": seconds}, timeout=10,
                          headers={"Authorization": f"Basic {shop.key}"})
    assert answer.status_code == 200, answer.text


def smartpay_orders(shop) -> list[dict]:
    """Every order in the shop's Smartpay account (a test makes a few dozen at most)."""
    return shop.api("GET", "/orders", params={"maxResults": 100, "expand": "all"}).json()["data"]


def books_agree(shop) -> str:
    """`flask smartpay reconcile --report`: exit 0 and no difference, or the test fails with what differs."""
    since = (utcnow() - timedelta(days=1)).date().isoformat()
    result = shop.app.test_cli_runner().invoke(args=["smartpay", "reconcile", "--report", "--since", since])
    assert result.exit_code == 0 and "No differences." in result.output, result.output
    return result.output


def books_differ(shop) -> str:
    since = (utcnow() - timedelta(days=1)).date().isoformat()
    result = shop.app.test_cli_runner().invoke(args=["smartpay", "reconcile", "--report", "--since", since])
    assert result.exit_code == 1, result.output
    return result.output


class AdminBrowser(requests.Session):
    """The merchant signed in to the live shop, over HTTP."""

    def __init__(self, shop):
        super().__init__()
        self.url = shop.url
        self.headers["Accept-Language"] = "en"
        token = LOGIN_CSRF.search(self.get(self.url + "/admin/login").text).group(1)
        signed_in = self.post(self.url + "/admin/login", allow_redirects=False,
                              data={"csrf_token": token, "email": EMAIL, "password": PASSWORD})
        assert signed_in.status_code == 303, signed_in.text

    def form_of(self, path: str, *names: str) -> dict:
        page = self.get(self.url + path).text
        found = {"csrf_token": CSRF.search(page).group(1)}
        for name in names:
            found[name] = re.search(f'<input id="{name}" name="{name}" type="hidden" value="([^"]+)"', page).group(1)
        return found


@pytest.fixture
def merchant(live_shop):
    with live_shop.app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
    return lambda: AdminBrowser(live_shop)
