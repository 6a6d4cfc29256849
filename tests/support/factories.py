"""Test data in one line each: a shop order in a given state, and Smartpay's order object for it, as plain dicts
shaped like the API's (contract §3.2), so the payment code can be tested without any server."""
from storefront.extensions import db
from storefront.models import Order
from storefront.statuses import OrderStatus


def an_order(status: OrderStatus, number: str = "HM-TEST0001", **fields) -> Order:
    """A committed shop order of ¥1,500 (¥1,000 and ¥500 shipping)."""
    order = Order(number=number, status=status, **fields, email="a@example.com", family_name="Sato", given_name="Ken",
                  phone="0312345678", postal_code="150-0002", prefecture="東京都", city="渋谷区", address_line1="1-1",
                  subtotal=1000, shipping_fee=500, total=1500)
    db.session.add(order)
    db.session.commit()
    return order


def smartpay_order(order: Order, status: str = "succeeded", **changes) -> dict:
    """Smartpay's expanded order for `order`: the same id, amount, currency and reference, captured in full when
    its status says so. `changes` overrides any field (a different amount, discounts, payments …)."""
    captured = order.total if status == "succeeded" else 0
    remote = {"id": order.smartpay_order_id, "object": "order", "status": status, "amount": order.total,
              "currency": "JPY", "reference": order.number, "discounts": [], "discountAmount": 0,
              "payments": [{"id": "payment_test_factory", "object": "payment", "amount": captured, "refunds": []}]
              if captured else []}
    return {**remote, **changes}
