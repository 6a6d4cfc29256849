"""The storefront served over real HTTP, pointed at the live sandbox, with its webhook registered.

    def test_something(live_shop):
        shopper = live_shop.shopper()
        shopper.add("kyoto-hojicha", 2)
        answer = shopper.checkout()          # the 303 to Smartpay's hosted page
        pay(answer.headers["Location"])      # tests.support.sandbox.pay

`live_shop.start_purchase()` does the first three steps with two products and returns (shopper, hosted URL).

`live_shop.order()` reads the newest local order; `live_shop.api(...)` calls the sandbox with the shop's key.

Beside the shop runs its worker (`flask worker`'s loop in a thread, storefront/worker.py), as `make run` runs
it: by default only its webhook job, so a test that is about emails or the sync runs those itself; a module
overrides the `worker_jobs` fixture to change that (an empty tuple: no worker at all).
"""
import re
import threading
from dataclasses import dataclass

import pytest
import requests
from sqlalchemy import func, select

from storefront.cli import seed_catalog
from storefront.extensions import db
from storefront.models import Order
from storefront.smartpay.models import WebhookEvent
from storefront.smartpay.statuses import WebhookStatus
from storefront.worker import run_forever
from tests.conftest import csrf_token, dispose_engines, empty_tables, make_app
from tests.support.browser import LiveServer
from tests.support.sandbox import api, free_port
from tests.support.waiting import wait_until

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')  # WTForms' field, or written out
SUBMISSION = re.compile(r'name="submission_id" type="hidden" value="([^"]+)"')
CUSTOMER = {"email": "taro+test@example.com", "family_name": "Yamada", "given_name": "Taro",
            "family_name_kana": "ヤマダ", "given_name_kana": "タロウ", "phone": "090-1234-5678",
            "postal_code": "153-0063", "prefecture": "東京都", "city": "目黒区", "address_line1": "目黒1-2-3",
            "address_line2": "ひのきビル 101"}


class Shopper(requests.Session):
    def __init__(self, url: str, language: str = "en"):
        super().__init__()
        self.url = url
        self.headers["Accept-Language"] = language

    def token(self, path: str, pattern=CSRF) -> str:
        return pattern.search(self.get(self.url + path).text).group(1)

    def add(self, slug: str, quantity: int = 1) -> requests.Response:
        page = self.get(f"{self.url}/products/{slug}").text
        product_id = re.search(r'name="product_id" value="(\d+)"', page).group(1)
        return self.post(self.url + "/cart/add", data={"csrf_token": CSRF.search(page).group(1),
                                                       "product_id": product_id, "quantity": quantity})

    def checkout_form(self) -> dict:
        page = self.get(self.url + "/checkout/").text
        return {"csrf_token": CSRF.search(page).group(1), "submission_id": SUBMISSION.search(page).group(1)}

    def checkout(self, form: dict | None = None, **changes) -> requests.Response:
        data = {**(form or self.checkout_form()), **CUSTOMER, **changes}
        return self.post(self.url + "/checkout/", data=data, allow_redirects=False)


@dataclass
class LiveShop:
    app: object
    url: str
    sandbox: object
    key: str

    def shopper(self, language: str = "en") -> Shopper:
        return Shopper(self.url, language)

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        return api(self.sandbox, self.key, method, path, **kwargs)

    def start_purchase(self) -> tuple[Shopper, str]:
        """A shopper with two products in the cart, sent to Smartpay: returns them and the hosted page's URL."""
        return self.start_purchase_in("en")

    def start_purchase_in(self, language: str) -> tuple[Shopper, str]:
        """The same, by a shopper whose browser speaks `language` (so the hosted page does too)."""
        shopper = self.shopper(language)
        shopper.add("kyoto-hojicha", 2)
        shopper.add("tenugui-waves", 1)
        answer = shopper.checkout()
        assert answer.status_code == 303, answer.text
        return shopper, answer.headers["Location"]

    def order(self) -> Order:
        with self.app.app_context():
            order = db.session.scalar(select(Order).order_by(Order.id.desc()))
            db.session.expunge_all()
            return order

    def order_public_id(self, index: int = -1) -> str:
        """The public id of an order by position, oldest first (-1 is the newest)."""
        with self.app.app_context():
            return db.session.scalars(select(Order.public_id).order_by(Order.id)).all()[index]

    def eventually(self, check, seconds: float = 15):
        """Wait for the worker: `check()` is called in the app's context until it returns something true."""
        with self.app.app_context():
            return wait_until(check, seconds, between=db.session.rollback)

    def webhooks_processed(self, count: int) -> None:
        """Wait until the worker processed `count` webhook events."""
        self.eventually(lambda: db.session.scalar(select(func.count(WebhookEvent.id)).where(
            WebhookEvent.status == WebhookStatus.PROCESSED)) >= count)

    def cli(self, *args) -> str:
        result = self.app.test_cli_runner().invoke(args=list(args))
        assert result.exit_code == 0, result.output
        return result.output


class WorkerThread:
    """The shop's worker loop in a thread of the test process, stopped at the end of the test."""

    def __init__(self, app, jobs: tuple[str, ...]):
        self.app, self.jobs, self.stop_event = app, jobs, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True, name=f"worker-{'-'.join(jobs)}")

    def run(self) -> None:
        with self.app.app_context():
            run_forever(self.stop_event, self.jobs)
            db.session.remove()

    def start(self) -> "WorkerThread":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=30)


WORKER_SETTINGS = {"WORKER_POLL_SECONDS": 0.05, "WEBHOOK_RETRY_SECONDS": 0.2, "WEBHOOK_MAX_ATTEMPTS": 8}


def start_live_shop(database, sandbox_server, secret_key, **settings) -> tuple[LiveShop, LiveServer]:
    port = free_port()
    app = make_app(database, **{"SMARTPAY_API_URL": sandbox_server.api_url, "SMARTPAY_SECRET_KEY": secret_key,
                                "PUBLIC_URL": f"http://127.0.0.1:{port}", "SMARTPAY_RETRIES": 1,
                                **WORKER_SETTINGS, **settings})
    with app.app_context():
        empty_tables()
        seed_catalog()
    server = LiveServer(app, port).start()
    shop = LiveShop(app, server.url, sandbox_server, secret_key)
    shop.cli("smartpay", "register-webhook")
    return shop, server


@pytest.fixture
def shop_settings():
    """Override in a module to change the live shop's configuration (e.g. manual capture)."""
    return {}


@pytest.fixture
def worker_jobs():
    """The jobs of the worker beside the live shop; override in a module (empty: no worker)."""
    return ("webhooks",)


@pytest.fixture
def live_shop(database, sandbox_server, secret_key, shop_settings, worker_jobs):
    shop, server = start_live_shop(database, sandbox_server, secret_key, **shop_settings)
    worker = WorkerThread(shop.app, worker_jobs).start() if worker_jobs else None
    yield shop
    if worker is not None:
        worker.stop()
    server.stop()
    with shop.app.app_context():
        db.session.remove()
        dispose_engines()


def add_to_cart(client, slug="kyoto-hojicha", quantity=2):
    """The test client's shopper puts a product in the cart, as the product page's form does."""
    page = client.get(f"/products/{slug}").get_data(as_text=True)
    product_id = re.search(r'name="product_id" value="(\d+)"', page).group(1)
    client.post("/cart/add", data={"csrf_token": csrf_token(client, f"/products/{slug}"),
                                   "product_id": product_id, "quantity": quantity})


def checkout(client, **changes):
    """The test client's shopper sends the checkout form with the test customer's details."""
    page = client.get("/checkout/").get_data(as_text=True)
    form = {"csrf_token": csrf_token(client, "/checkout/"), "submission_id": SUBMISSION.search(page).group(1)}
    return client.post("/checkout/", data={**form, **CUSTOMER, **changes})
