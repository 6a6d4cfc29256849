"""The sandbox's clock, which a test (or a workshop host) can move forward per account.

Smartpay forgets an Idempotency-Key 6 hours after it first saw it (contract §1.3). A shop that retries a lost
charge the next day must not count on the key: to rehearse that without waiting 6 hours, move the account's
clock (`PUT /sandbox/clock {"offsetSeconds": 25200}`, sandbox/scenario_routes.py) and what it remembers ages.
Promotion codes and coupons expire by it too (promotions.check_code).
"""
from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from .errors import ApiError
from .extensions import db
from .ids import now_ms

MAX_OFFSET_SECONDS = 366 * 24 * 3600


class ClockOffset(db.Model):
    __tablename__ = "clock_offsets"
    account: Mapped[str] = mapped_column(String(32), primary_key=True)
    offset_ms: Mapped[int] = mapped_column(BigInteger, default=0)


def offset_ms(account: str) -> int:
    found = db.session.get(ClockOffset, account)
    return found.offset_ms if found else 0


def now_for(account: str) -> int:
    """Now, in milliseconds, as this account's moved clock reads it."""
    return now_ms() + offset_ms(account)


def set_offset(account: str, body) -> dict:
    seconds = body.get("offsetSeconds") if isinstance(body, dict) else None
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 <= seconds <= MAX_OFFSET_SECONDS:
        raise ApiError(400, "request.invalid", "offsetSeconds must be a whole number of seconds from 0 to 31622400",
                       ["offsetSeconds must be a whole number from 0 to 31622400"])
    found = db.session.get(ClockOffset, account) or ClockOffset(account=account)
    found.offset_ms = seconds * 1000
    db.session.add(found)
    db.session.commit()
    return as_json(account)


def as_json(account: str) -> dict:
    return {"object": "clock", "offsetSeconds": offset_ms(account) // 1000, "now": now_for(account)}
