"""One contract suite for the offline sandbox and for real Smartpay test mode.

By default it runs against a local sandbox (a fresh account per test). With SMARTPAY_CONTRACT_API_URL and
SMARTPAY_CONTRACT_SECRET_KEY set (`make contract`), the same tests run against that API, for example
Smartpay's test mode (https://api.smartpay.co/v1 with an sk_test_ key): a failure there means the sandbox
differs from Smartpay. Tests that need an authorized order authorize it as a test consumer, over HTTP, as
Smartpay's own SDK suites do (SMARTPAY_CONTRACT_TEST_USERNAME and _PASSWORD; skipped, saying so, without them).
Tests marked `sandbox_only` need what only the sandbox has (its hosted page's test cards, its failure scenarios)
and are skipped against the real API, saying so.
"""
import os
import secrets
from dataclasses import dataclass

import pytest
import requests

REAL_URL = os.environ.get("SMARTPAY_CONTRACT_API_URL", "").rstrip("/")
REAL_KEY = os.environ.get("SMARTPAY_CONTRACT_SECRET_KEY", "")
# A test consumer of that account (what Smartpay's own SDK suites call TEST_USERNAME and TEST_PASSWORD): with
# it, the tests that need an authorized order authorize one over HTTP (§7.1) against real test mode too.
CONSUMER = (os.environ.get("SMARTPAY_CONTRACT_TEST_USERNAME", ""), os.environ.get("SMARTPAY_CONTRACT_TEST_PASSWORD", ""))


@dataclass
class Contract:
    api_url: str
    key: str
    sandbox: object | None  # the SandboxServer, or None against the real API

    def call(self, method: str, path: str, key: str | None = None, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Basic {self.key if key is None else key}", **kwargs.pop("headers", {})}
        return requests.request(method, self.api_url + path, headers=headers, timeout=30, **kwargs)

    def consumer(self) -> dict:
        """A test consumer's bearer header, logged in over HTTP as Smartpay's own SDK suites do (§7.1)."""
        email, password = CONSUMER if self.sandbox is None else ("contract+test@example.com", "any password")
        if self.sandbox is None and not email:
            pytest.skip("needs a test consumer: set SMARTPAY_CONTRACT_TEST_USERNAME and SMARTPAY_CONTRACT_TEST_PASSWORD")
        login = requests.post(self.api_url + "/consumers/auth/login", timeout=30,
                              json={"emailAddress": email, "password": password})
        assert login.status_code == 200, f"login: {login.status_code} {login.text[:300]}"
        return {"Authorization": f"Bearer {login.json()['accessToken']}"}

    def authorize(self, order_id: str, payment_method: str = "pm_test_visaApproved") -> requests.Response:
        """Authorize an order as a test consumer would, without a browser (§7.1)."""
        return requests.post(f"{self.api_url}/orders/{order_id}/authorizations", timeout=30, headers=self.consumer(),
                             json={"paymentMethod": payment_method, "paymentPlan": "pay_in_three"})

    def approve_token(self, token_id: str) -> requests.Response:
        """The test-mode shortcut for a token's consent (§7): the consumer approves it without a page."""
        return requests.put(f"{self.api_url}/tokens/{token_id}/approve", timeout=30, headers=self.consumer())

    def ok(self, method: str, path: str, **kwargs) -> dict:
        answer = self.call(method, path, **kwargs)
        assert answer.status_code == 200, f"{method} {path}: {answer.status_code} {answer.text[:500]}"
        return answer.json() if answer.content else {}


@pytest.fixture
def contract(request) -> Contract:
    if REAL_URL and REAL_KEY:
        return Contract(REAL_URL, REAL_KEY, None)
    sandbox = request.getfixturevalue("sandbox_server")
    return Contract(sandbox.api_url, "sk_test_" + secrets.token_hex(12), sandbox)


@pytest.fixture(autouse=True)
def skip_what_only_the_sandbox_has(request):
    if request.node.get_closest_marker("sandbox_only") and REAL_URL and REAL_KEY:
        pytest.skip("sandbox_only: needs the sandbox's test cards or scenarios, which real Smartpay does not have")


