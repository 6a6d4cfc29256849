"""Coupons and promotion codes (contract §7): what a merchant creates, and what a shopper's code does to an order.

A coupon says how much comes off (an amount in yen, or a percentage); a promotion code is what the shopper
types, with its own limits. The shopper applies one on the hosted page (the `promotion-code` URL parameter,
or the field on the page); when the shopper confirms, the discount is written to the order (`discounts`,
`discountAmount`), the order's `amount` comes down by it, and the payment is made on what is left.

New tables only (no new column on an old one): the sandbox has no migrations, and a laptop's sandbox database
from before this still opens.
"""
from sqlalchemy import JSON, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column

from .clock import now_for
from .errors import ApiError
from .extensions import db
from .ids import new_id, now_ms
from .models import Order, Record


class Coupon(Record, db.Model):
    __tablename__ = "coupons"
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    discount_type: Mapped[str] = mapped_column(String(12))  # amount | percentage
    discount_amount: Mapped[int | None]
    discount_percentage: Mapped[float | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    expires_at: Mapped[int | None]
    max_redemption_count: Mapped[int | None]
    redemption_count: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class PromotionCode(Record, db.Model):
    __tablename__ = "promotion_codes"
    __table_args__ = (UniqueConstraint("account", "code_key"),)
    coupon_id: Mapped[str] = mapped_column(String(60), index=True)
    code: Mapped[str] = mapped_column(String(60))
    code_key: Mapped[str] = mapped_column(String(60))  # the code in upper case: codes are unique regardless of case
    active: Mapped[bool] = mapped_column(default=True)
    currency: Mapped[str | None] = mapped_column(String(3))
    expires_at: Mapped[int | None]
    first_time_transaction: Mapped[bool] = mapped_column(default=False)
    one_per_customer: Mapped[bool] = mapped_column(default=False)
    max_redemption_count: Mapped[int | None]
    minimum_amount: Mapped[int | None]
    redemption_count: Mapped[int] = mapped_column(default=0)


class OrderDiscount(Record, db.Model):
    """A discount object of an order (its `discounts`), made when the shopper confirmed with a code."""
    __tablename__ = "order_discounts"
    order_id: Mapped[str] = mapped_column(String(60), index=True)
    coupon_id: Mapped[str] = mapped_column(String(60), index=True)
    promotion_code_id: Mapped[str] = mapped_column(String(60), index=True)
    amount: Mapped[int]
    customer: Mapped[str] = mapped_column(String(254), default="")  # the shopper's email, for one-per-customer
    details: Mapped[dict] = mapped_column(JSON, default=dict)


# --- what a code does to an order ---------------------------------------------------------------

def find_code(account: str, code: str) -> PromotionCode | None:
    return db.session.scalar(select(PromotionCode).where(PromotionCode.account == account,
                                                         PromotionCode.code_key == code.strip().upper()))


def discount_for(coupon: Coupon, amount: int) -> int:
    if coupon.discount_type == "amount":
        return coupon.discount_amount
    return int(amount * coupon.discount_percentage // 100)  # whole yen, rounded down: never more than promised


def check_code(account: str, code: str, order: Order, customer: str) -> tuple[PromotionCode, Coupon, int]:
    """The code, its coupon and the discount it gives `order`, or the refusal (an ApiError whose code the
    hosted page words for the shopper)."""
    found = find_code(account, code)
    if found is None:
        raise refusal(404, "promotion-code.not-found", f"No promotion code {code!r} in this account")
    coupon = db.session.get(Coupon, found.coupon_id)
    now = now_for(account)  # a test (or a workshop) that moved the account's clock sees its codes age
    if not (found.active and coupon.active):
        raise refusal(409, "promotion-code.inactive", f"The promotion code {found.code} is not active")
    if (found.expires_at and found.expires_at < now) or (coupon.expires_at and coupon.expires_at < now):
        raise refusal(409, "promotion-code.expired", f"The promotion code {found.code} has expired")
    for limited in (found, coupon):
        if limited.max_redemption_count is not None and limited.redemption_count >= limited.max_redemption_count:
            raise refusal(409, "promotion-code.max-redemptions",
                          f"The promotion code {found.code} has been used as many times as it may be")
    if found.minimum_amount and order.amount < found.minimum_amount:
        raise refusal(409, "promotion-code.minimum-amount",
                      f"The promotion code {found.code} needs an order of at least {found.minimum_amount} JPY",
                      {"minimumAmount": found.minimum_amount})
    if found.first_time_transaction and customer and has_bought_before(account, customer, order):
        raise refusal(409, "promotion-code.first-time-only",
                      f"The promotion code {found.code} is for a first purchase only")
    if found.one_per_customer and customer and used_by(found, customer):
        raise refusal(409, "promotion-code.already-used", f"This customer already used the promotion code {found.code}")
    discount = discount_for(coupon, order.amount)
    if discount >= order.amount:
        raise refusal(409, "promotion-code.discount-too-large",
                      f"The discount of {discount} JPY is not less than the order's {order.amount} JPY")
    return found, coupon, discount


def refusal(status: int, code: str, message: str, details: dict | None = None) -> ApiError:
    error = ApiError(status, code, message, [code])
    error.values = details or {}
    return error


def has_bought_before(account: str, customer: str, order: Order) -> bool:
    """An approved order of this account by the same email (compared in Python: the sandbox's data is small)."""
    approved = db.session.scalars(select(Order.customer_info).where(
        Order.account == account, Order.id != order.id, Order.status.in_(("requires_capture", "succeeded"))))
    return any(str((info or {}).get("emailAddress", "")).lower() == customer.lower() for info in approved)


def used_by(code: PromotionCode, customer: str) -> bool:
    return db.session.scalar(select(func.count(OrderDiscount.id)).where(
        OrderDiscount.promotion_code_id == code.id, OrderDiscount.customer == customer.lower())) > 0


def redeem(order: Order, code: str, customer: str) -> OrderDiscount:
    """Under the ledger's lock, as the shopper confirms: the discount written, the order's amount reduced, the
    code and its coupon counted. The caller commits with the approval."""
    found, coupon, discount = check_code(order.account, code, order, customer)
    applied = OrderDiscount(id=new_id("discount"), account=order.account, order_id=order.id, coupon_id=coupon.id,
                            promotion_code_id=found.id, amount=discount, customer=customer.lower())
    order.amount -= discount
    found.redemption_count += 1
    coupon.redemption_count += 1
    db.session.add(applied)
    return applied


def discounts_of(order_id: str) -> list[OrderDiscount]:
    return db.session.scalars(select(OrderDiscount).where(OrderDiscount.order_id == order_id)
                              .order_by(OrderDiscount.created_at)).all()


def discount_json(discount: OrderDiscount) -> dict:
    """An order's discount object, as `order.discounts` lists it."""
    return {"id": discount.id, "object": "discount", "amount": discount.amount, "currency": "JPY",
            "coupon": discount.coupon_id, "promotionCode": discount.promotion_code_id}
