"""Exercise 5: add a line to the receipt from the order's Smartpay data (docs/workshop/exercises.md).

Run it with `make exercise 5`. It fails until the receipt names the Smartpay order a shopper can quote to
Smartpay's support.
"""
import pytest

from tests.support.sandbox import pay

pytestmark = pytest.mark.live


def test_the_receipt_names_the_smartpay_order(live_shop):
    shopper, hosted_url = live_shop.start_purchase()
    receipt = shopper.get(pay(hosted_url).headers["Location"]).text
    order = live_shop.order()
    assert "Thank you for your order" in receipt, "The purchase should end on the receipt."
    assert f'<code data-testid="smartpay-reference">{order.smartpay_order_id}</code>' in receipt, (
        "Still missing: templates/checkout/receipt.html should show the Smartpay order id as "
        '<code data-testid="smartpay-reference">…</code>, for the shopper who owns the order')
