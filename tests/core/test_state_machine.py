"""The transition table, with the enums, on real rows: every allowed move happens once, every other is refused."""
from itertools import product

import pytest
from sqlalchemy import select

from storefront import orders
from storefront.bank_transfer.statuses import BANK_TRANSFER
from storefront.extensions import db
from storefront.models import Order, OrderEvent
from storefront.smartpay.statuses import SMARTPAY, SmartpaySource as Source
from storefront.statuses import OrderStatus
from tests.support.factories import an_order

S = OrderStatus
ALLOWED = {
    SMARTPAY: {
        (S.PENDING, S.AWAITING_PAYMENT), (S.PENDING, S.FAILED), (S.AWAITING_PAYMENT, S.PAID),
        (S.AWAITING_PAYMENT, S.REJECTED), (S.AWAITING_PAYMENT, S.CANCELLED), (S.AWAITING_PAYMENT, S.FAILED),
        (S.PAID, S.PARTIALLY_REFUNDED), (S.PAID, S.REFUNDED), (S.PAID, S.CANCELLED),
        (S.PARTIALLY_REFUNDED, S.REFUNDED),
    },
    # No Smartpay statuses, no failure (nothing is called), and no cancelling once the money is in: refund it.
    BANK_TRANSFER: {
        (S.PENDING, S.AWAITING_TRANSFER), (S.AWAITING_TRANSFER, S.PAID), (S.AWAITING_TRANSFER, S.CANCELLED),
        (S.PAID, S.PARTIALLY_REFUNDED), (S.PAID, S.REFUNDED), (S.PARTIALLY_REFUNDED, S.REFUNDED),
    },
}


def test_the_table_has_a_row_per_method_written_with_the_enums(app):
    assert set(orders.TRANSITIONS) >= set(ALLOWED)  # each registered by its package as it loads
    assert set(orders.TRANSITIONS[SMARTPAY]) == set(OrderStatus) - {S.AWAITING_TRANSFER}
    assert all(isinstance(target, OrderStatus) for table in orders.TRANSITIONS.values()
               for targets in table.values() for target in targets)
    assert orders.final_statuses(SMARTPAY) == {S.FAILED, S.REJECTED, S.CANCELLED, S.REFUNDED}
    assert orders.final_statuses(BANK_TRANSFER) == {S.CANCELLED, S.REFUNDED}


@pytest.mark.parametrize("method, from_status, to_status", list(product(ALLOWED, OrderStatus, OrderStatus)),
                         ids=str)
def test_each_move_is_made_or_refused_as_the_methods_table_says(app, method, from_status, to_status):
    with app.app_context():
        order = an_order(from_status, payment_method=method)
        moved = orders.move(order, to_status, Source.SYNC)
        db.session.commit()
        history = db.session.scalars(select(OrderEvent)).all()
        assert moved is ((from_status, to_status) in ALLOWED[method])
        assert order.status == (to_status if moved else from_status)
        assert [(e.from_status, e.to_status) for e in history] == ([(from_status, to_status)] if moved else [])


def test_a_move_someone_else_made_first_is_not_made_again(app):
    with app.app_context():
        order = an_order(OrderStatus.AWAITING_PAYMENT)
        stale = db.session.get(Order, order.id)
        db.session.execute(db.update(Order).values(status=OrderStatus.PAID))  # another process won
        assert orders.move(stale, OrderStatus.REJECTED, Source.RETURN_PAGE) is False
        assert stale.status == OrderStatus.PAID
