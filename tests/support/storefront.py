"""The storefront served over real HTTP, pointed at the live sandbox, with its webhook registered.

    def test_something(live_shop):
        shopper = live_shop.shopper()
        shopper.add("kyoto-hojicha", 2)
        answer = shopper.checkout()          # the 303 to Smartpay's hosted page
        pay(answer.headers["Location"])      # tests.support.sandbox.pay

`live_shop.start_purchase()` does the first three steps with two products and returns (shopper, hosted URL).

`live_shop.order()` reads the newest local order; `live_shop.api(...)` calls the sandbox with the shop's key.
"""
import re
from dataclasses import dataclass

import pytest
import requests
from sqlalchemy import select

from storefront.cli import seed_catalog
from storefront.extensions import db
from storefront.models import Order
from tests.conftest import dispose_engines, empty_tables, make_app
from tests.support.browser import LiveServer
from tests.support.sandbox import api, free_port

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

    def cli(self, *args) -> str:
        result = self.app.test_cli_runner().invoke(args=list(args))
        assert result.exit_code == 0, result.output
        return result.output


def start_live_shop(database, sandbox_server, secret_key, **settings) -> tuple[LiveShop, LiveServer]:
    port = free_port()
    app = make_app(database, **{"SMARTPAY_API_URL": sandbox_server.api_url, "SMARTPAY_SECRET_KEY": secret_key,
                                "PUBLIC_URL": f"http://127.0.0.1:{port}", "SMARTPAY_RETRIES": 1, **settings})
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
def live_shop(database, sandbox_server, secret_key, shop_settings):
    shop, server = start_live_shop(database, sandbox_server, secret_key, **shop_settings)
    yield shop
    server.stop()
    with shop.app.app_context():
        db.session.remove()
        dispose_engines()
