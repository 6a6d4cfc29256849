"""docs/architecture.md's "Adding a third payment method", followed: a small method registered by a test
(tests/support/counter_method.py) is offered at checkout, paid and refunded, and Smartpay is never asked."""
import pytest
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.mail.models import OutboxEmail
from storefront.models import CartLine, Order, OrderEvent
from storefront.smartpay.models import ApiCall
from tests.support import counter_method
from tests.support.storefront import add_to_cart, checkout


@pytest.fixture
def app_settings():
    return {"PAYMENT_METHODS": ("smartpay", "bank_transfer", counter_method.CODE),
            "extra_features": (counter_method.init_app,)}


def test_a_method_registered_by_its_own_package_is_offered_paid_and_refunded(app, client, catalog):
    add_to_cart(client, quantity=2)
    form = client.get("/checkout/").get_data(as_text=True)
    assert 'value="counter"' in form and "Pay at our counter" in form
    assert "Pay when you collect your order at the shop." in form
    placed = checkout(client, payment_method="counter")
    assert placed.status_code == 303 and placed.headers["Location"].startswith("/counter/")
    assert "at our counter" in client.get(placed.headers["Location"]).get_data(as_text=True)
    public_id = placed.headers["Location"].rsplit("/", 1)[1]
    assert client.post(f"/counter/{public_id}/paid").get_data(as_text=True) == "paid"
    assert client.post(f"/counter/{public_id}/refund", data={"amount": 100}).get_data(as_text=True) == \
        "partially_refunded"
    with app.app_context():
        order = db.session.scalar(select(Order))
        rest = order.total - 100
    assert client.post(f"/counter/{public_id}/refund", data={"amount": rest}).get_data(as_text=True) == "refunded"
    assert client.post(f"/counter/{public_id}/refund", data={"amount": 1}).status_code == 409
    with app.app_context():
        order = db.session.scalar(select(Order))
        moves = [(e.from_status, e.to_status) for e in db.session.scalars(select(OrderEvent).order_by(OrderEvent.id))]
        assert (order.payment_method, order.belongs_to, order.refunded_amount) == ("counter", "cart", order.total)
        assert moves == [("pending", "awaiting_payment"), ("awaiting_payment", "paid"),
                         ("paid", "partially_refunded"), ("partially_refunded", "refunded")]
        assert db.session.scalar(select(func.count(CartLine.id))) == 0  # fulfilled: the cart emptied once paid
        assert db.session.scalar(select(func.count(OutboxEmail.id)).where(OutboxEmail.order_id == order.id)) >= 1
        assert db.session.scalar(select(func.count(ApiCall.id))) == 0  # Smartpay was never asked


def test_a_method_no_package_registers_stops_the_shop_at_start_up(database):
    from storefront.config import ConfigError
    from tests.conftest import make_app

    with pytest.raises(ConfigError, match="PAYMENT_METHODS must name each method once.*smartpay, bank_transfer"):
        make_app(database, PAYMENT_METHODS=("smartpay", "counter"))


@pytest.mark.parametrize("app_settings", [{"extra_features": (counter_method.init_app,)}])  # known, not offered
def test_off_it_is_neither_offered_nor_routed(catalog, client):
    add_to_cart(client)
    assert 'value="counter"' not in client.get("/checkout/").get_data(as_text=True)
    assert client.get("/counter/x").status_code == 404
