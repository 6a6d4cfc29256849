"""The shop's books beside Smartpay's: every yen Smartpay took has a paid shop order of the same amount, refunds
agree in count and sum, nothing is paid twice, and nothing the shop calls paid is missing at Smartpay.

Read only: it changes nothing on either side, so it can run from cron (`flask smartpay reconcile --report`) or
from the admin's page as often as wanted. Each difference comes with what to do about it.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import Order, Refund
from ...orders import PAID
from ...statuses import RefundStatus
from ..statuses import SMARTPAY
from .smartpay_orders import CLOCK_SLACK, as_ms, orders_since, refunds_since

# code → (what differs, what to do), in the reader's language.
DIFFERENCES = {
    "orphan": (_l("Smartpay took the money, but the shop has no order for it."),
               _l("Find the shopper by Smartpay's order, then refund it in Smartpay's dashboard or fulfil it by hand.")),
    "paid_twice": (_l("This shop order was paid by another Smartpay order too."),
                   _l("Refund this Smartpay order in full: the shopper paid twice for one order.")),
    "unpaid_in_shop": (_l("Smartpay took the money, but the shop's order is not paid."),
                       _l("Sync the order with Smartpay from its page.")),
    "amount": (_l("The amount Smartpay took differs from what the shop recorded."),
               _l("Sync the order with Smartpay from its page, then check what was charged.")),
    "refunds": (_l("The refunds differ in number or sum."),
                _l("Sync the order with Smartpay: a refund whose answer was lost is settled then.")),
    "refunded_total": (_l("The order's refunded total is not the sum of its refunds."),
                       _l("Sync the order with Smartpay; it recounts what was refunded.")),
    "missing_at_smartpay": (_l("The shop calls this order paid, but Smartpay took no money for it."),
                            _l("Do not ship it: check the order at Smartpay and contact the shopper.")),
}


@dataclass
class Difference:
    code: str
    smartpay_order: str | None
    shop_order: str | None  # the shop's order number
    shop: int | None        # yen, as the shop has it (what the code compares)
    smartpay: int | None    # yen, as Smartpay has it

    @property
    def what(self) -> str:
        return str(DIFFERENCES[self.code][0])

    @property
    def todo(self) -> str:
        return str(DIFFERENCES[self.code][1])


@dataclass
class Report:
    since: datetime
    smartpay_orders: int = 0  # Smartpay orders that took money in the window
    taken: int = 0
    refunded: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.differences


def compare(since: datetime) -> Report:
    """Both books from `since` on (UTC). Smartpay is read first, then the shop's rows, in one short read."""
    remote_orders = [o for o in orders_since(as_ms(since)) if taken_by(o) > 0]
    refunds = defaultdict(list)
    for refund in refunds_since(as_ms(since)):
        if refund.get("status", "succeeded") == "succeeded":
            refunds[refund.get("payment")].append(int(refund.get("amount") or 0))
    report = Report(since=since, smartpay_orders=len(remote_orders), taken=sum(map(taken_by, remote_orders)))
    shops = shop_orders({o["id"] for o in remote_orders}, {o.get("reference") for o in remote_orders})
    for remote in remote_orders:
        remote_refunds = [amount for payment in remote["payments"] for amount in refunds[payment_id(payment)]]
        report.refunded += sum(remote_refunds)
        report.differences += differences_of(remote, remote_refunds, shops)
    report.differences += missing_at_smartpay(since, {o["id"] for o in remote_orders})
    return report


def taken_by(remote: dict) -> int:
    return sum(int(p.get("amount") or 0) for p in remote.get("payments") or [] if isinstance(p, dict))


def payment_id(payment) -> str:
    return payment.get("id") if isinstance(payment, dict) else payment


def shop_orders(smartpay_ids: set[str], numbers: set[str]) -> dict[str, Order]:
    """The shop's orders for these Smartpay orders, by Smartpay id and by number (Smartpay's reference)."""
    found = db.session.scalars(select(Order).where(
        (Order.smartpay_order_id.in_(smartpay_ids)) | (Order.number.in_(numbers - {None})))).all()
    return {**{o.number: o for o in found}, **{o.smartpay_order_id: o for o in found if o.smartpay_order_id}}


def differences_of(remote: dict, remote_refunds: list[int], shops: dict[str, Order]) -> list[Difference]:
    taken, shop = taken_by(remote), shops.get(remote["id"])
    if shop is None:
        other = shops.get(remote.get("reference"))
        twice = other is not None and other.smartpay_order_id and other.status in PAID
        return [Difference("paid_twice" if twice else "orphan", remote["id"], other.number if other else None,
                           other.captured_amount if twice else None, taken)]
    found = []
    if shop.status not in PAID:
        found.append(Difference("unpaid_in_shop", remote["id"], shop.number, 0, taken))
    elif shop.captured_amount != taken:
        found.append(Difference("amount", remote["id"], shop.number, shop.captured_amount, taken))
    kept = db.session.scalars(select(Refund.amount).where(Refund.order_id == shop.id,
                                                          Refund.status == RefundStatus.SUCCEEDED)).all()
    if sorted(kept) != sorted(remote_refunds):
        found.append(Difference("refunds", remote["id"], shop.number, sum(kept), sum(remote_refunds)))
    elif shop.refunded_amount != sum(remote_refunds):
        found.append(Difference("refunded_total", remote["id"], shop.number, shop.refunded_amount,
                                sum(remote_refunds)))
    return found


def missing_at_smartpay(since: datetime, took_money: set[str]) -> list[Difference]:
    """Paid in the shop, paid by Smartpay, yet no Smartpay order of the window took the money."""
    paid = db.session.scalars(select(Order).where(
        Order.payment_method == SMARTPAY, Order.status.in_(PAID),
        Order.created_at >= since + CLOCK_SLACK, Order.captured_amount > 0)).all()
    return [Difference("missing_at_smartpay", order.smartpay_order_id, order.number, order.captured_amount, 0)
            for order in paid if order.smartpay_order_id not in took_money]
