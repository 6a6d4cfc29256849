"""The subscription tables. Prices are not kept here: each cycle charges the catalog's price of its day."""
import secrets
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import Order, Product, utcnow
from ..statuses import one_of, stored_as
from .statuses import CycleStatus, SubscriptionStatus


class Subscription(db.Model):
    __tablename__ = "subscriptions"
    __table_args__ = (one_of("status", SubscriptionStatus, "subscription_status_known"),
                      CheckConstraint("interval_months IN (1, 2)", name="interval_one_or_two_months"),
                      Index("ix_subscriptions_status_next", "status", "next_charge_on"))
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=lambda: secrets.token_urlsafe(16))
    status: Mapped[SubscriptionStatus] = mapped_column(stored_as(SubscriptionStatus), default=SubscriptionStatus.ACTIVE)
    smartpay_token_id: Mapped[str | None] = mapped_column(String(80))  # set when Smartpay made the consent page
    smartpay_checkout_url: Mapped[str | None] = mapped_column(Text)    # that page, to return to it
    note: Mapped[str] = mapped_column(Text, default="")  # why it was paused or cancelled (a code, labels.py)
    claimed_until: Mapped[datetime | None]  # held by the worker charging it (storefront/subscriptions/billing.py)
    interval_months: Mapped[int]
    next_charge_on: Mapped[date]
    locale: Mapped[str] = mapped_column(String(5), default="ja")
    customer: Mapped[dict] = mapped_column(JSON)  # the checkout form's fields, as an order takes them
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    lines: Mapped[list["SubscriptionLine"]] = relationship(cascade="all, delete-orphan", order_by="SubscriptionLine.id")
    cycles: Mapped[list["SubscriptionCycle"]] = relationship(order_by="SubscriptionCycle.number",
                                                             back_populates="subscription")


class SubscriptionLine(db.Model):
    __tablename__ = "subscription_lines"
    __table_args__ = (CheckConstraint("quantity BETWEEN 1 AND 99", name="subscription_quantity_in_range"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int]

    product: Mapped[Product] = relationship()


class SubscriptionCycle(db.Model):
    """One delivery. Unique per subscription and number, so two workers create it once."""
    __tablename__ = "subscription_cycles"
    __table_args__ = (UniqueConstraint("subscription_id", "number"),
                      one_of("status", CycleStatus, "cycle_status_known"))
    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    due_on: Mapped[date]
    status: Mapped[CycleStatus] = mapped_column(stored_as(CycleStatus), default=CycleStatus.DUE)
    declines: Mapped[int] = mapped_column(default=0)  # declines of this cycle's charge since it was last resumed
    attempts: Mapped[int] = mapped_column(default=0)  # charges sent with a definite answer: the next try's key
    quoted_prices: Mapped[dict | None] = mapped_column(JSON)  # product id → the unit price its notice announced
    next_try_on: Mapped[date]
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))  # the order of the current try
    last_error: Mapped[str] = mapped_column(Text, default="")

    subscription: Mapped[Subscription] = relationship(back_populates="cycles")
    order: Mapped[Order | None] = relationship()
