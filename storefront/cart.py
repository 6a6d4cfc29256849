"""The shopper's cart: a database row whose random id lives in the signed session cookie.

Prices are never stored in the cart or taken from the browser: totals are always computed from the
catalog, so a changed price shows up in every cart at once and a tampered form cannot change it.
"""
from dataclasses import dataclass

from flask import current_app, has_request_context, session
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .extensions import db
from .models import Cart, CartLine, Product

SESSION_KEY = "cart_id"
MAX_QUANTITY = 99


class CartError(ValueError):
    """A change the cart refuses, with a message for the shopper."""


@dataclass(frozen=True)
class Totals:
    subtotal: int
    shipping_fee: int
    total: int
    free_shipping_gap: int  # how much more to spend for free shipping; 0 once reached


def current_cart(create: bool = False) -> Cart | None:
    cart_id = session.get(SESSION_KEY)
    cart = db.session.get(Cart, cart_id) if cart_id else None
    if cart is None and create:
        cart = Cart()
        db.session.add(cart)
        db.session.flush()
        session[SESSION_KEY] = cart.id
    return cart


def cart_count() -> int:
    if not has_request_context():  # an email rendered by a command has no shopper
        return 0
    cart_id = session.get(SESSION_KEY)
    if not cart_id:
        return 0
    return db.session.scalar(
        select(func.coalesce(func.sum(CartLine.quantity), 0)).where(CartLine.cart_id == cart_id))


def find_line(cart: Cart, product_id: int) -> CartLine | None:
    return next((line for line in cart.lines if line.product_id == product_id), None)


def add_to_cart(product: Product, quantity: int) -> None:
    """One statement adds the line or raises its quantity, and refuses to pass MAX_QUANTITY: atomic when the
    same shopper adds from two tabs at once, and the cheapest way the busiest form of the shop can work."""
    cart = current_cart(create=True)
    # The line's id comes back only when a row was written: the same answer from SQLite and PostgreSQL,
    # where a row count is not (psycopg reports -1 for this statement).
    added = db.session.execute(add_line_statement(cart.id, product.id, quantity).returning(CartLine.id)).first()
    if added is None:
        db.session.rollback()
        raise CartError(_("You can order at most %(max)s of one product.", max=MAX_QUANTITY))
    db.session.commit()
    db.session.expire(cart, ["lines"])


def add_line_statement(cart_id: str, product_id: int, quantity: int):
    """INSERT … ON CONFLICT (cart, product) DO UPDATE, which SQLite and PostgreSQL both speak."""
    dialect = db.session.get_bind().dialect.name
    insert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}[dialect]
    statement = insert(CartLine).values(cart_id=cart_id, product_id=product_id, quantity=quantity)
    return statement.on_conflict_do_update(
        index_elements=[CartLine.cart_id, CartLine.product_id],
        set_={"quantity": CartLine.quantity + statement.excluded.quantity},
        where=CartLine.quantity + statement.excluded.quantity <= MAX_QUANTITY)


def set_quantity(cart: Cart, product_id: int, quantity: int) -> None:
    line = find_line(cart, product_id)
    if line is None:
        raise CartError(_("That product is not in your cart any more."))
    line.quantity = quantity
    db.session.commit()


def remove_line(cart: Cart, product_id: int) -> None:
    line = find_line(cart, product_id)
    if line is not None:
        cart.lines.remove(line)
        db.session.commit()


def shipping_fee(subtotal: int) -> int:
    config = current_app.config
    if subtotal == 0 or subtotal >= config["FREE_SHIPPING_FROM"]:
        return 0
    return config["SHIPPING_FEE"]


def price(lines: list[CartLine]) -> Totals:
    subtotal = sum(line.product.price * line.quantity for line in lines)
    fee = shipping_fee(subtotal)
    gap = max(current_app.config["FREE_SHIPPING_FROM"] - subtotal, 0) if subtotal else 0
    return Totals(subtotal=subtotal, shipping_fee=fee, total=subtotal + fee, free_shipping_gap=gap)
