"""The shopper's cart: a database row whose random id lives in the signed session cookie.

Prices are never stored in the cart or taken from the browser: totals are always computed from the
catalog, so a changed price shows up in every cart at once and a tampered form cannot change it.
"""
from dataclasses import dataclass

from flask import current_app, session
from flask_babel import gettext as _
from sqlalchemy import insert, select, text

from .extensions import db
from .models import Cart, CartLine, Product, public_id
from .tax import RatePart, breakdown

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
    tax_parts: list[RatePart]  # per consumption-tax rate, as the order will have them (storefront/tax.py)


def current_cart() -> Cart | None:
    cart_id = session.get(SESSION_KEY)
    return db.session.get(Cart, cart_id) if cart_id else None


def owns(order) -> bool:
    """Personal details only for the browser that placed the order (its cart id is in the signed cookie).

    The public id in the URL is unguessable, but URLs leak (shared links, screenshots, proxies' logs)."""
    return order.cart_id is not None and session.get(SESSION_KEY) == order.cart_id


def find_line(cart: Cart, product_id: int) -> CartLine | None:
    return next((line for line in cart.lines if line.product_id == product_id), None)


# One statement adds the line or raises its quantity, and refuses to pass MAX_QUANTITY: atomic when the same
# shopper adds from two tabs at once. SQLite (3.35+) and PostgreSQL speak it alike, so it is written once as
# SQL; the line's id comes back only when a row was written (psycopg reports no row count for it).
ADD_LINE = text("""
    INSERT INTO cart_lines (cart_id, product_id, quantity) VALUES (:cart_id, :product_id, :quantity)
    ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = cart_lines.quantity + excluded.quantity
    WHERE cart_lines.quantity + excluded.quantity <= :max_quantity
    RETURNING id""")


def add_to_cart(product: Product, quantity: int) -> None:
    """The busiest form of the shop, in the fewest statements: find or open the cart, then ADD_LINE.

    Measured (benchmarks/throughput.sh): building the upsert with the ORM's dialect constructs compiled it
    anew on every request, and opening a cart through the unit of work cost more than the INSERT itself."""
    cart_id = existing_cart_id() or open_cart()
    added = db.session.execute(ADD_LINE, {"cart_id": cart_id, "product_id": product.id, "quantity": quantity,
                                          "max_quantity": MAX_QUANTITY}).first()
    if added is None:  # the line is at its maximum: nothing was added (the caller rolls back the new cart)
        raise CartError(_("You can order at most %(max)s of one product.", max=MAX_QUANTITY))


def existing_cart_id() -> str | None:
    """The session's cart, if it still exists (a cart can be gone: a demo reset, a cleaned-up database)."""
    cart_id = session.get(SESSION_KEY)
    return db.session.scalar(select(Cart.id).where(Cart.id == cart_id)) if cart_id else None


def open_cart() -> str:
    cart_id = public_id()
    db.session.execute(insert(Cart).values(id=cart_id))
    session[SESSION_KEY] = cart_id
    return cart_id


def set_quantity(cart: Cart, product_id: int, quantity: int) -> None:
    line = find_line(cart, product_id)
    if line is None:
        raise CartError(_("That product is not in your cart any more."))
    line.quantity = quantity


def remove_line(cart: Cart, product_id: int) -> None:
    line = find_line(cart, product_id)
    if line is not None:
        cart.lines.remove(line)


def shipping_fee(subtotal: int) -> int:
    config = current_app.config
    if subtotal == 0 or subtotal >= config["FREE_SHIPPING_FROM"]:
        return 0
    return config["SHIPPING_FEE"]


def price(lines: list[CartLine]) -> Totals:
    return totals_of([(line.product.tax_rate, line.product.price * line.quantity) for line in lines])


def totals_of(amounts: list[tuple[int, int]]) -> Totals:
    """What (tax rate, tax-included amount) pairs come to with shipping: a cart's, or one 定期便 delivery's."""
    subtotal = sum(amount for _rate, amount in amounts)
    fee = shipping_fee(subtotal)
    gap = max(current_app.config["FREE_SHIPPING_FROM"] - subtotal, 0) if subtotal else 0
    return Totals(subtotal=subtotal, shipping_fee=fee, total=subtotal + fee, free_shipping_gap=gap,
                  tax_parts=breakdown(amounts, fee))
