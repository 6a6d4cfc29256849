"""The 振込番号: eight digits the shopper types before their name as the sender of a transfer.

An ATM or a bank's app takes only カナ, digits and a few signs in the sender's name, so the order number (HM-…)
would be refused or mangled; digits go through everywhere. The merchant finds the order by the number in the
bank statement's sender line (「12345678 ヤマダハナコ」), in the admin's search or when recording the transfer.
"""
import re
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Order
from .models import DIGITS, TransferNumber

NUMBER = re.compile(r"\d{8}")


def assign(order: Order) -> str:
    """A fresh random number for `order` (random, so a number says nothing about the shop's sales); a clash with
    another order's, one in tens of millions, draws again inside a savepoint."""
    while True:
        number = f"{secrets.randbelow(10 ** DIGITS):0{DIGITS}d}"
        try:
            with db.session.begin_nested():
                db.session.add(TransferNumber(order_id=order.id, number=number))
            return number
        except IntegrityError:
            continue


def number_of(order: Order) -> str:
    return db.session.scalar(select(TransferNumber.number).where(TransferNumber.order_id == order.id)) or ""


def order_id_of(text: str) -> int | None:
    """The order whose number `text` carries (a bare number, or a sender line copied from the statement)."""
    found = NUMBER.search(normalized(text))
    if found is None:
        return None
    return db.session.scalar(select(TransferNumber.order_id).where(TransferNumber.number == found.group()))


def sender_matches(sender: str, number: str) -> bool:
    return number in NUMBER.findall(normalized(sender))


def normalized(text: str) -> str:
    """Full-width digits (from a Japanese statement or keyboard) as half-width ones."""
    return text.translate({0xFF10 + digit: ord("0") + digit for digit in range(10)})


def example_sender(order: Order, number: str) -> str:
    """What to type as the sender: 「12345678 ヤマダハナコ」 (the shopper's own name in カナ when we have it)."""
    kana = f"{order.family_name_kana}{order.given_name_kana}" or "ヤマダハナコ"
    return f"{number} {kana}"
