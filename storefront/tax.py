"""Consumption tax (消費税) by rate. Prices are tax included; the tax is the part of a price that is tax.

Food is taxed at the reduced rate (軽減税率, 8 %: the teas), everything else and shipping at the standard rate
(10 %). The one rounding rule of the shop, as a 適格請求書 (qualified invoice) requires: the tax is computed once
per rate per order, never per line, on the tax-included total of that rate, and rounded down (切り捨て):

    tax = floor(amount × rate ÷ (100 + rate))

A promotion code's discount (taken off by Smartpay, never computed by the shop) is shared across the rates in
proportion to their amounts, rounded down, the remainder going to the largest; the tax is then of what was paid.
EC-CUBE does the same per rate with a chosen rounding; docs/tax.md shows a worked example.
"""
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

REDUCED = 8  # 軽減税率: food and drink, other than alcohol and eating in
STANDARD = 10
SHIPPING_RATE = STANDARD  # shipping is a service of its own, at the standard rate even for tea


@dataclass(frozen=True)
class RatePart:
    """What one rate covers in an order: its tax-included amount, and the tax within it."""
    rate: int
    amount: int
    tax: int

    @property
    def reduced(self) -> bool:
        return is_reduced(self.rate)


def is_reduced(rate: int) -> bool:
    return rate == REDUCED


def tax_within(amount: int, rate: int) -> int:
    """The tax included in a tax-included amount, rounded down."""
    return amount * rate // (100 + rate)


def breakdown(lines: Iterable[tuple[int, int]], shipping_fee: int = 0, discount: int = 0) -> list[RatePart]:
    """`lines` are (rate, tax-included amount) pairs; the result has one part per rate present, lowest rate first."""
    amounts: dict[int, int] = defaultdict(int)
    for rate, amount in lines:
        amounts[rate] += amount
    if shipping_fee:
        amounts[SHIPPING_RATE] += shipping_fee
    shares = discount_shares(amounts, discount)
    return [RatePart(rate, amounts[rate] - shares[rate], tax_within(amounts[rate] - shares[rate], rate))
            for rate in sorted(amounts) if amounts[rate]]


def discount_shares(amounts: dict[int, int], discount: int) -> dict[int, int]:
    """A discount shared in proportion to each rate's amount, rounded down; the remainder goes to the largest."""
    total = sum(amounts.values())
    shares = {rate: (discount * amount // total if total else 0) for rate, amount in amounts.items()}
    if amounts and discount:
        largest = max(amounts, key=lambda rate: (amounts[rate], rate))
        shares[largest] += discount - sum(shares.values())
    return shares


def order_breakdown(order) -> list[RatePart]:
    """An order's parts, of what the shopper paid (the discount taken off)."""
    return breakdown(((line.tax_rate, line.line_total) for line in order.lines),
                     order.shipping_fee, order.discount_amount)


def refundable_by_rate(order, refunds: Iterable[tuple[int | None, int]]) -> dict[int, int]:
    """What is left to refund at each rate, after `refunds` ((rate, amount) pairs). A refund says which rate it
    reduces; one that names none (a full refund, or one made in Smartpay's dashboard) reduces them all in proportion."""
    left = {part.rate: part.amount for part in order_breakdown(order)}
    for rate, amount in refunds:
        shares = {rate: amount} if rate in left else discount_shares(left, amount)
        for each, share in shares.items():
            left[each] -= share
    return left
