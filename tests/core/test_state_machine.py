"""The transition table, with the enums, on real rows: every allowed move happens once, every other is refused."""
from itertools import product

import pytest
from sqlalchemy import select

from storefront import orders
from storefront.extensions import db
from storefront.models import Order, OrderEvent
from storefront.statuses import OrderStatus, Source

ALLOWED = {
    (OrderStatus.PENDING, OrderStatus.AWAITING_PAYMENT), (OrderStatus.PENDING, OrderStatus.FAILED),
    (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID), (OrderStatus.AWAITING_PAYMENT, OrderStatus.REJECTED),
    (OrderStatus.AWAITING_PAYMENT, OrderStatus.CANCELLED), (OrderStatus.AWAITING_PAYMENT, OrderStatus.FAILED),
    (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED), (OrderStatus.PAID, OrderStatus.REFUNDED),
    (OrderStatus.PAID, OrderStatus.CANCELLED), (OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED),
}


def an_order(status: OrderStatus, number: str = "HM-TEST0001", **fields) -> Order:
    order = Order(number=number, status=status, **fields, email="a@example.com", family_name="Sato", given_name="Ken",
                  phone="0312345678", postal_code="150-0002", prefecture="東京都", city="渋谷区", address_line1="1-1",
                  subtotal=1000, shipping_fee=500, total=1500)
    db.session.add(order)
    db.session.commit()
    return order


def test_the_table_is_written_with_the_enums_and_covers_every_status():
    assert set(orders.TRANSITIONS) == set(OrderStatus)
    assert all(isinstance(target, OrderStatus) for targets in orders.TRANSITIONS.values() for target in targets)
    assert orders.FINAL == {OrderStatus.FAILED, OrderStatus.REJECTED, OrderStatus.CANCELLED, OrderStatus.REFUNDED}


@pytest.mark.parametrize("from_status, to_status", list(product(OrderStatus, OrderStatus)),
                         ids=lambda status: status.value)
def test_each_move_is_made_or_refused_as_the_table_says(app, from_status, to_status):
    with app.app_context():
        order = an_order(from_status)
        moved = orders.move(order, to_status, Source.SYNC)
        db.session.commit()
        history = db.session.scalars(select(OrderEvent)).all()
        assert moved is ((from_status, to_status) in ALLOWED)
        assert order.status == (to_status if moved else from_status)
        assert [(e.from_status, e.to_status) for e in history] == ([(from_status, to_status)] if moved else [])


def test_a_move_someone_else_made_first_is_not_made_again(app):
    with app.app_context():
        order = an_order(OrderStatus.AWAITING_PAYMENT)
        stale = db.session.get(Order, order.id)
        db.session.execute(db.update(Order).values(status=OrderStatus.PAID))  # another process won
        assert orders.move(stale, OrderStatus.REJECTED, Source.RETURN_PAGE) is False
        assert stale.status == OrderStatus.PAID
