"""A live sandbox for tests: `python -m sandbox` in a subprocess on a free port, and a shopper for its page.

With SANDBOX_COMMAND set (a `smartpay-sandbox` installed with `pip install ./sandbox` into a virtual
environment of its own), the tests run against that command instead, started outside the source tree: what
CI does to prove the sandbox works as integrators install it.

Fixtures: `sandbox_server` (one per test run), `sandbox` (the same, per test) and `secret_key` (a fresh
`sk_test_…` per test: each key is its own isolated account, so tests never see each other's data).
"""
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
TEST_RETRY_DELAYS = "0.2,0.4,0.8,1.6"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SandboxServer:
    def __init__(self, retry_delays: str = TEST_RETRY_DELAYS, directory: str | None = None, workers: int = 1):
        self.port = free_port()
        self.workers = workers
        self.directory = Path(directory or tempfile.mkdtemp(prefix="sandbox-"))
        self.db_path = self.directory / "sandbox.sqlite3"
        self.retry_delays = retry_delays
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.api_url = self.base_url + "/v1"
        self.process: subprocess.Popen | None = None

    def start(self) -> "SandboxServer":
        self.database_url = getattr(self, "database_url", None) or sandbox_database(self.db_path)
        env = {**os.environ, "SANDBOX_WEBHOOK_POLL_SECONDS": "0.05", "PYTHONUNBUFFERED": "1"}
        options = ["--port", str(self.port), "--database", self.database_url,
                   "--webhook-retry-delays", self.retry_delays, "--workers", str(self.workers)]
        installed = os.environ.get("SANDBOX_COMMAND")
        command, cwd = ([installed], self.directory) if installed else ([sys.executable, "-m", "sandbox"], ROOT)
        self.log = open(self.directory / "sandbox.log", "ab")
        self.process = subprocess.Popen([*command, *options], cwd=cwd, env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_until_up()
        return self

    def wait_until_up(self, seconds: float = 15) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                requests.get(self.base_url + "/dashboard/", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"sandbox did not start:\n{(self.directory / 'sandbox.log').read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


def sandbox_database(sqlite_path: Path) -> str:
    """The sandbox runs on the suite's database engine too: a database of its own on the PostgreSQL server
    when DATABASE_URL names one (CI's second pass), else a SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{sqlite_path}"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"sandbox_{secrets.token_hex(4)}"
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def sandbox_server():
    server = SandboxServer().start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server):
    return sandbox_server


@pytest.fixture
def secret_key() -> str:
    return "sk_test_" + secrets.token_hex(12)


def api(server: SandboxServer, key: str, method: str, path: str, **kwargs) -> requests.Response:
    headers = {"Authorization": f"Basic {key}", **kwargs.pop("headers", {})}
    return requests.request(method, server.api_url + path, headers=headers, timeout=10, **kwargs)


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PROMOTION_CODE = re.compile(r'name="promotion_code" value="([^"]+)"')


def pay(session_url: str, card: str = "4242 4242 4242 4242", email: str = "shopper+test@example.com"):
    """A shopper on the hosted page: returns the page's answer without following the 303 to the shop."""
    shopper = requests.Session()
    shopper.headers["Accept-Language"] = "en"
    page = shopper.get(session_url, timeout=10)
    page.raise_for_status()
    token = CSRF.search(page.text)
    if token is None:  # no payment form: the page says the session is closed
        return page
    token = token.group(1)
    data = {"csrf_token": token, "email": email, "card_number": card}
    applied = PROMOTION_CODE.search(page.text)  # a code in the URL that the page accepted travels with the form
    if applied:
        data["promotion_code"] = applied.group(1)
    return shopper.post(session_url, data=data, allow_redirects=False, timeout=10)


def cancel(session_url: str):
    return requests.get(session_url + "/cancel", allow_redirects=False, timeout=10)


def ok(sandbox, key, method, path, **kwargs) -> dict:
    answer = api(sandbox, key, method, path, **kwargs)
    assert answer.status_code == 200, answer.text
    return answer.json()


def refused(answer, status: int, code: str, *fields: str) -> dict:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert (body["statusCode"], body["errorCode"]) == (status, code) and set(body) == {
        "statusCode", "errorCode", "message", "details"}
    for field in fields:
        assert any(detail.startswith(field) for detail in body["details"]), body["details"]
    return body


def consumer_token(sandbox) -> str:
    answer = requests.post(sandbox.api_url + "/consumers/auth/login", timeout=10,  # no Content-Type, as the SDKs
                           data='{"emailAddress": "consumer+test@example.com", "password": "anything"}')
    assert answer.status_code == 200, answer.text
    return answer.json()["accessToken"]


TOKEN_SESSION = {"mode": "token", "customerInfo": {"emailAddress": "hanako+test@example.com"},
                 "successUrl": "https://shop.example/subscribed", "cancelUrl": "https://shop.example/not-subscribed",
                 "reference": "sub-1", "description": "Kyoto Hojicha 80 g every month", "locale": "en"}


def consent(session_url: str, card: str = "4242 4242 4242 4242"):
    shopper = requests.Session()
    page = shopper.get(session_url, timeout=10)
    return page, shopper.post(session_url, allow_redirects=False, timeout=10, data={
        "csrf_token": CSRF.search(page.text).group(1), "email": "hanako+test@example.com", "card_number": card})


def english_browser() -> requests.Session:
    """The assertions below are English; the Japanese dashboard has tests of its own."""
    browser = requests.Session()
    browser.headers["Accept-Language"] = "en"
    return browser


def open_dashboard(sandbox, key) -> tuple[requests.Session, str]:
    merchant = english_browser()
    token = CSRF.search(merchant.get(sandbox.base_url + "/dashboard/").text).group(1)
    page = merchant.post(sandbox.base_url + "/dashboard/login", data={"csrf_token": token, "secret_key": key})
    assert page.status_code == 200
    return merchant, page.text


FLAT_BODY = {
    "amount": 601, "currency": "JPY",
    "items": [{"name": "ice cream", "amount": 1000, "currency": "JPY", "quantity": 1},
              {"kind": "discount", "name": "Merchant discount", "amount": 500, "currency": "JPY"},
              {"kind": "tax", "name": "explicit taxes", "amount": 100, "currency": "JPY"}],
    "customerInfo": {"emailAddress": "john+test@example.com", "firstName": "John", "lastName": "Doe"},
    "shippingInfo": {"address": {"line1": "1-2-3", "locality": "世田谷区", "postalCode": "155-0031", "country": "JP"},
                     "feeAmount": 1, "feeCurrency": "JPY"},
    "reference": "order_42", "successUrl": "https://shop.example/success/42",
    "cancelUrl": "https://shop.example/cancel/42",
}
