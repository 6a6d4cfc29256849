"""Smartpay's view of an order applied to ours, offline, on plain dicts: every Smartpay status against every shop
status of a Smartpay order; and the check that refuses to fulfil an order Smartpay does not agree on."""
from itertools import product

import pytest
from sqlalchemy import func, select

from storefront import orders
from storefront.extensions import db
from storefront.mail.models import OutboxEmail
from storefront.smartpay import payments
from storefront.smartpay.statuses import SMARTPAY, SmartpayOrderStatus as Remote, SmartpaySource as Source
from storefront.statuses import OrderStatus as S
from tests.support.factories import an_order, smartpay_order

SHOP_STATUSES = list(payments.TRANSITIONS)
# Where each of Smartpay's statuses would take an order; the state machine's table decides whether it may go.
TARGET = {Remote.SUCCEEDED: S.PAID, Remote.REQUIRES_CAPTURE: S.PAID, Remote.REJECTED: S.REJECTED,
          Remote.CANCELED: S.CANCELLED, Remote.FAILED: S.FAILED, Remote.REQUIRES_AUTHORIZATION: None}


def emails(kind: str) -> int:
    return db.session.scalar(select(func.count(OutboxEmail.id)).where(OutboxEmail.kind == kind))


@pytest.mark.parametrize("shop_status, remote_status", list(product(SHOP_STATUSES, Remote)),
                         ids=lambda value: value.value)
def test_every_smartpay_status_moves_every_shop_status_as_the_table_allows(app, shop_status, remote_status):
    with app.app_context():
        order = an_order(shop_status, smartpay_order_id="order_test_applied", captured_amount=0)
        outcome = payments.apply_smartpay_order(order, smartpay_order(order, remote_status), Source.SYNC)
        db.session.commit()
        target = TARGET[remote_status]
        expected = target if target and orders.can_move(SMARTPAY, shop_status, target) else shop_status
        assert outcome == order.status == expected
        fulfilled = expected == S.PAID and shop_status != S.PAID
        assert emails("confirmation") == (1 if fulfilled else 0)  # fulfilled once, in the move's transaction
        assert (order.paid_at is not None) == fulfilled
        # A manual-capture order released after the shopper was told it was confirmed: they are told again.
        assert emails("cancelled") == (1 if shop_status == S.PAID and expected == S.CANCELLED else 0)


def test_applying_the_same_answer_twice_fulfils_once(app):
    with app.app_context():
        order = an_order(S.AWAITING_PAYMENT, smartpay_order_id="order_test_twice")
        for _ in range(2):
            payments.apply_smartpay_order(order, smartpay_order(order, "succeeded"), Source.SYNC)
            db.session.commit()
        assert order.status == S.PAID and emails("confirmation") == 1 and order.captured_amount == 1500


@pytest.mark.parametrize("changes, problem", [
    ({"amount": 1499}, "amount: expected 1500, Smartpay says 1499"),
    ({"currency": "USD"}, "currency: expected 'JPY', Smartpay says 'USD'"),
    ({"reference": "HM-OTHER"}, "reference: expected 'HM-TEST0001', Smartpay says 'HM-OTHER'"),
    ({"id": "order_test_other"}, "id: expected 'order_test_mismatch', Smartpay says 'order_test_other'"),
    ({"amount": "1500"}, "amount: expected 1500, Smartpay says '1500'"),
    # A discount Smartpay lists but whose parts do not add up is not taken: the amount alone must then match.
    ({"amount": 1000, "discountAmount": 500, "discounts": [{"amount": 400}]}, "amount: expected 1500"),
    ({"amount": 1000, "discountAmount": -500, "discounts": [{"amount": -500}]}, "amount: expected 1500"),
])
def test_an_order_smartpay_does_not_agree_on_is_never_fulfilled(app, changes, problem):
    with app.app_context():
        order = an_order(S.AWAITING_PAYMENT, smartpay_order_id="order_test_mismatch")
        remote = smartpay_order(order, "succeeded", **changes)
        assert problem in payments.mismatch(order, remote)
        assert payments.apply_smartpay_order(order, remote, Source.SYNC) == payments.MISMATCH
        db.session.commit()
        assert order.status == S.AWAITING_PAYMENT and emails("confirmation") == 0


@pytest.mark.parametrize("discounts, stated, taken", [
    ([], 0, 0), ([{"amount": 500}], 500, 500), ([{"amount": 300}, {"amount": 200}], 500, 500),
    ([{"amount": 300}], 500, None), ([{"amount": "300"}], 300, None), ([], -1, None), ([{"amount": 0}], 0, 0),
])
def test_smartpays_discount_is_taken_only_when_its_parts_add_up(discounts, stated, taken):
    assert payments.smartpay_discount({"discounts": discounts, "discountAmount": stated}) == taken


def test_a_discounted_charge_that_adds_up_to_the_total_is_fulfilled_with_its_discount(app):
    with app.app_context():
        order = an_order(S.AWAITING_PAYMENT, smartpay_order_id="order_test_discount")
        remote = smartpay_order(order, "succeeded", amount=1200, discountAmount=300, discounts=[{"amount": 300}],
                                payments=[{"id": "payment_test_d", "amount": 1200, "refunds": []}])
        assert payments.apply_smartpay_order(order, remote, Source.SYNC) == S.PAID
        assert (order.discount_amount, order.captured_amount) == (300, 1200)
