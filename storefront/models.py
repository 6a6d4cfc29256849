"""The shop's tables. Money is always an int of yen: JPY has no minor unit."""
import secrets
from datetime import datetime, timezone

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .i18n import in_current_language
from .statuses import OrderStatus, RefundStatus, one_of, stored_as
from .tax import RatePart, order_breakdown


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def public_id() -> str:
    """An id for URLs that nobody can guess or count through."""
    return secrets.token_urlsafe(16)


class Category(db.Model):
    __tablename__ = "categories"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    # Japanese is the original; English is the translation. Read `name`, which picks the shopper's language.
    name_ja: Mapped[str] = mapped_column(String(120), default="")
    name_en: Mapped[str] = mapped_column(String(120), default="")
    position: Mapped[int] = mapped_column(default=0)

    products: Mapped[list["Product"]] = relationship(back_populates="category")

    @property
    def name(self) -> str:
        return in_current_language(self.name_ja, self.name_en)


class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        # Catalog pages are keyset-paginated on (category, id): this index keeps every page equally cheap.
        Index("ix_products_category_id", "category_id", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name_ja: Mapped[str] = mapped_column(String(120), default="")
    name_en: Mapped[str] = mapped_column(String(120), default="")
    description_ja: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    price: Mapped[int]  # yen, tax included
    tax_rate: Mapped[int] = mapped_column(default=10, server_default="10")  # percent: storefront/tax.py
    image: Mapped[str] = mapped_column(String(200))  # path under static/
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    active: Mapped[bool] = mapped_column(default=True)
    subscribable: Mapped[bool] = mapped_column(default=False)  # may be ordered as a 定期便 (storefront/subscriptions)

    category: Mapped[Category] = relationship(back_populates="products")

    @property
    def name(self) -> str:
        return in_current_language(self.name_ja, self.name_en)

    @property
    def description(self) -> str:
        return in_current_language(self.description_ja, self.description_en)


class CatalogVersion(db.Model):
    """One row whose value changes whenever a product or a category does: triggers keep it (see the
    migration d5a8c2f1e7b4), so the shop can trust what it remembers of the catalog until it changes."""
    __tablename__ = "catalog_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(32))


class Cart(db.Model):
    __tablename__ = "carts"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=public_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    lines: Mapped[list["CartLine"]] = relationship(
        back_populates="cart", cascade="all, delete-orphan", order_by="CartLine.id")


class CartLine(db.Model):
    __tablename__ = "cart_lines"
    __table_args__ = (
        UniqueConstraint("cart_id", "product_id"),
        CheckConstraint("quantity BETWEEN 1 AND 99", name="quantity_in_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[str] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int]

    cart: Mapped[Cart] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()


class Order(db.Model):
    """The shop's own record of a purchase. Its status moves only through storefront.orders."""
    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_status_id", "status", "id"),
        Index("ix_orders_email", "email"),
        one_of("status", OrderStatus, "order_status_known"),
        Index("ix_orders_method_status_due", "payment_method", "status", "payment_due_at"),
        CheckConstraint("discount_amount >= 0 AND discount_amount <= total", name="discount_within_total"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=public_id)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # sent to Smartpay as `reference`
    status: Mapped[OrderStatus] = mapped_column(stored_as(OrderStatus), default=OrderStatus.PENDING)
    # A code a payment method registered (storefront/checkout/methods.py): no CHECK, so a new one needs no migration.
    payment_method: Mapped[str] = mapped_column(String(20))
    # What made the order: a shopper's cart (orders.FROM_CART) or a feature's own (a 定期便's delivery).
    belongs_to: Mapped[str] = mapped_column(String(20), default="cart", server_default="cart")
    # The declined (or abandoned) order this one pays for another way; unique, so a second click on "pay by
    # bank transfer" finds the order the first one made.
    follows_order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), unique=True)
    # Bank transfer: the end of the last day the shopper may pay (the worker cancels the order after it).
    payment_due_at: Mapped[datetime | None]
    cart_id: Mapped[str | None] = mapped_column(ForeignKey("carts.id", ondelete="SET NULL"))
    # One per rendering of the checkout form: a double click or a browser retry finds the same order.
    submission_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The shopper's language at checkout: Smartpay's hosted page and the shop's emails speak it.
    locale: Mapped[str] = mapped_column(String(5), default="ja")

    email: Mapped[str] = mapped_column(String(254))
    family_name: Mapped[str] = mapped_column(String(60))
    given_name: Mapped[str] = mapped_column(String(60))
    family_name_kana: Mapped[str] = mapped_column(String(60), default="")
    given_name_kana: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(20))
    postal_code: Mapped[str] = mapped_column(String(8))
    prefecture: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(80))
    address_line1: Mapped[str] = mapped_column(String(120))
    address_line2: Mapped[str] = mapped_column(String(120), default="")

    subtotal: Mapped[int]
    shipping_fee: Mapped[int]
    total: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3), default="JPY")
    # The code the shopper typed, passed to Smartpay's hosted page; the discount is what Smartpay's order says
    # it took off (the shop never computes one). Smartpay charges total − discount_amount.
    promotion_code: Mapped[str] = mapped_column(String(50), default="")
    discount_amount: Mapped[int] = mapped_column(default=0)
    capture_method: Mapped[str] = mapped_column(String(10), default="automatic")
    captured_amount: Mapped[int] = mapped_column(default=0)
    refunded_amount: Mapped[int] = mapped_column(default=0)
    # Refunds asked for and not failed (pending + succeeded): reserved with a compare-and-set so that two
    # admins, or a double click, can never refund more than was captured.
    refund_reserved: Mapped[int] = mapped_column(default=0)

    smartpay_session_id: Mapped[str | None] = mapped_column(String(80), unique=True)
    smartpay_order_id: Mapped[str | None] = mapped_column(String(80), unique=True)
    smartpay_checkout_url: Mapped[str | None] = mapped_column(Text)
    failure_reason: Mapped[str] = mapped_column(Text, default="")
    smartpay_checked_at: Mapped[datetime | None]  # last time we asked Smartpay, to pace the status poller

    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    paid_at: Mapped[datetime | None]
    # 領収書 PDFs made so far (storefront/receipts): every one after the first is marked 再発行.
    receipts_issued: Mapped[int] = mapped_column(default=0, server_default="0")

    lines: Mapped[list["OrderLine"]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id")
    history: Mapped[list["OrderEvent"]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderEvent.id")
    refunds: Mapped[list["Refund"]] = relationship(back_populates="order", order_by="Refund.id")
    follows: Mapped["Order | None"] = relationship(remote_side=[id], back_populates="followed_by")
    followed_by: Mapped["Order | None"] = relationship(back_populates="follows")

    @property
    def amount_due(self) -> int:
        """What the shopper pays: the total, less the discount Smartpay applied."""
        return self.total - self.discount_amount

    @property
    def tax_parts(self) -> list[RatePart]:
        """What the shopper paid, per consumption-tax rate, with the tax within it (storefront/tax.py)."""
        return order_breakdown(self)

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}"

    def customer(self) -> dict:
        """Who is buying and where it goes, as the checkout form took it: for an order that follows this one."""
        return {name: getattr(self, name) for name in CUSTOMER_FIELDS}


CUSTOMER_FIELDS = ("email", "family_name", "given_name", "family_name_kana", "given_name_kana", "phone",
                   "postal_code", "prefecture", "city", "address_line1", "address_line2")


class OrderLine(db.Model):
    """A copy of the catalog line at the time of purchase: later price changes never alter an order."""
    __tablename__ = "order_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    image: Mapped[str] = mapped_column(String(200))
    unit_price: Mapped[int]
    quantity: Mapped[int]
    tax_rate: Mapped[int] = mapped_column(default=10, server_default="10")  # the product's, at the time of purchase

    order: Mapped[Order] = relationship(back_populates="lines")
    product: Mapped[Product | None] = relationship()

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity


class OrderEvent(db.Model):
    """One row per status change: the order's history, written by storefront.orders only."""
    __tablename__ = "order_events"
    __table_args__ = (one_of("from_status", OrderStatus, "order_event_from_known"),
                      one_of("to_status", OrderStatus, "order_event_to_known"))
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[OrderStatus] = mapped_column(stored_as(OrderStatus))
    to_status: Mapped[OrderStatus] = mapped_column(stored_as(OrderStatus))
    source: Mapped[str] = mapped_column(String(300))  # a statuses.Source, webhook:<type> or admin:<email>
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    order: Mapped[Order] = relationship(back_populates="history")


class Refund(db.Model):
    """Written before Smartpay is called: its public_id is the Idempotency-Key, so a retry never refunds twice."""
    __tablename__ = "refunds"
    __table_args__ = (one_of("status", RefundStatus, "refund_status_known"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=public_id)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    smartpay_payment_id: Mapped[str] = mapped_column(String(80))
    smartpay_refund_id: Mapped[str | None] = mapped_column(String(80), unique=True)
    amount: Mapped[int]
    reason: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RefundStatus] = mapped_column(stored_as(RefundStatus), default=RefundStatus.PENDING)
    error: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    tax_rate: Mapped[int | None]  # the rate the refund reduces (storefront/tax.py); None for refunds made elsewhere

    order: Mapped[Order] = relationship(back_populates="refunds")

    def counts(self) -> bool:
        """Money that went back, or is on its way: everything but a refused refund."""
        return self.status != RefundStatus.FAILED


class WorkerLease(db.Model):
    """A periodic job's turn (storefront/worker.py): whoever moves `leased_until` forward runs the job, so
    several workers run the sync (or the pruning) one at a time, and only when it is due."""
    __tablename__ = "worker_leases"
    job: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(80), default="")
    leased_until: Mapped[datetime] = mapped_column(default=utcnow)
    last_run_at: Mapped[datetime | None]
