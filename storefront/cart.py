"""The shopper's cart: a database row whose random id lives in the signed session cookie.

Prices are never stored in the cart or taken from the browser: totals are always computed from the
catalog, so a changed price shows up in every cart at once and a tampered form cannot change it.
"""
from dataclasses import dataclass

from flask import current_app, has_request_context, session
from flask_babel import gettext as _
from sqlalchemy import func, select

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
    cart = current_cart(create=True)
    line = find_line(cart, product.id)
    new_quantity = quantity + (line.quantity if line else 0)
    if new_quantity > MAX_QUANTITY:
        raise CartError(_("You can order at most %(max)s of one product.", max=MAX_QUANTITY))
    if line:
        line.quantity = new_quantity
    else:
        cart.lines.append(CartLine(product=product, quantity=quantity))
    db.session.commit()


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
