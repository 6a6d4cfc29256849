"""Smartpay's orders and refunds, read page by page, newest first, back to a moment.

Smartpay's list endpoints filter by nothing but the page, so finding the order Smartpay made for one of ours
means reading back from now to when ours was made: a few pages at most, since a shop order's number is its
`reference` there and our order is seconds older than Smartpay's.
"""
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterator

from ... import orders
from .. import payments
from ..gateway import smartpay
from ...models import Order
from ...statuses import OrderStatus

MAX_PAGES = 200        # 20,000 objects: a report over a longer window asks for a later --since
CLOCK_SLACK = timedelta(hours=1)  # our clock and Smartpay's may differ a little


def as_ms(moment: datetime) -> int:
    return int(moment.replace(tzinfo=timezone.utc).timestamp() * 1000)


def newest_back_to(list_page: Callable[[str | None], dict], since_ms: int) -> Iterator[dict]:
    """Every object of a Smartpay list created at or after `since_ms` (the lists are newest first)."""
    token = None
    for _page in range(MAX_PAGES):
        page = list_page(token)
        for found in page.get("data") or []:
            if int(found.get("createdAt") or 0) < since_ms:
                return
            yield found
        token = page.get("nextPageToken")
        if not token:
            return
    raise RuntimeError(f"more than {MAX_PAGES} pages of Smartpay objects: choose a later --since")


def orders_since(since_ms: int) -> Iterator[dict]:
    return newest_back_to(lambda token: smartpay().list_orders(token), since_ms)


def refunds_since(since_ms: int) -> Iterator[dict]:
    return newest_back_to(lambda token: smartpay().list_refunds(token), since_ms)


def made_for(order: Order) -> dict | None:
    """The order Smartpay made for ours, found by its reference (our number), or None when Smartpay made none.

    Asked before a charge whose answer was lost is sent again: within 6 hours the Idempotency-Key would replay
    Smartpay's answer, but later Smartpay has forgotten the key and would charge a second time. Of two (a
    charge made twice before this check existed), the one that took money is adopted; the report lists the other.
    """
    found = [remote for remote in orders_since(as_ms(order.created_at - CLOCK_SLACK))
             if remote.get("reference") == order.number]
    paid = [remote for remote in found if remote.get("payments")]
    return (paid or found or [None])[-1]  # the oldest: the first charge, which the shopper was told about


def adopt(order: Order, remote: dict, source: str) -> str:
    """Take Smartpay's order as ours: its id recorded, then moved on as any answer from Smartpay moves an order."""
    order.smartpay_order_id = remote["id"]
    orders.move(order, OrderStatus.AWAITING_PAYMENT, source)
    return payments.apply_smartpay_order(order, remote, source)
