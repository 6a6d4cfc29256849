"""Catalog and cart pages."""
from flask import (Blueprint, abort, current_app, flash, has_request_context, redirect, render_template,
                   session, url_for)
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from ..cart import SESSION_KEY, CartError, add_to_cart, current_cart, price, remove_line, set_quantity
from ..extensions import db
from ..i18n import current_language
from ..security import page_cursor, row_id
from . import reads
from .forms import AddToCartForm, RemoveLineForm, UpdateLineForm

bp = Blueprint("shop", __name__)
bp.teardown_app_request(reads.close_catalog_connection)


@bp.get("/")
def catalog():
    return render_catalog(category=None)


@bp.get("/category/<slug>")
def category(slug: str):
    found = reads.category_by_slug(slug, current_language()) or abort(404)
    return render_catalog(category=found)


def render_catalog(category: reads.CategoryLink | None):
    after, before = page_cursor("after"), page_cursor("before")
    products, previous_before, next_after = catalog_page(category, after, before)
    return render_template("shop/catalog.html", products=products, category=category,
                           previous_before=previous_before, next_after=next_after)


def catalog_page(category: reads.CategoryLink | None, after: int | None, before: int | None):
    """One page of products by keyset on the id, so page 500 costs what page 1 costs (no OFFSET).

    Returns the products and the cursors for the previous and next pages (None when there is none).
    """
    size, language = current_app.config["PRODUCTS_PER_PAGE"], current_language()
    category_id = category.id if category else None
    if before is not None:
        rows = reads.product_cards(category_id, "before", before, size + 1, language)
        has_more_before = len(rows) > size
        products = list(reversed(rows[:size]))
        previous = products[0].id if has_more_before and products else None
        following = products[-1].id if products else None
        return products, previous, following
    direction = "after" if after is not None else "first"
    rows = reads.product_cards(category_id, direction, after, size + 1, language)
    products = rows[:size]
    previous = products[0].id if after is not None and products else None
    following = products[-1].id if len(rows) > size else None
    return products, previous, following


@bp.get("/products/<slug>")
def product(slug: str):
    found = reads.product_detail(current_language(), slug=slug) or abort(404)
    return render_template("shop/product.html", product=found, form=AddToCartForm(product_id=found.id))


@bp.post("/cart/add")
def add():
    form = AddToCartForm()
    found = reads.product_detail(current_language(), product_id=row_id(form.product_id.data)) or abort(404)
    if form.validate():
        try:
            add_to_cart(found, form.quantity.data)
        except CartError as error:
            db.session.rollback()
            form.quantity.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Added %(name)s to your cart.", name=found.name), "success")
            return redirect(url_for("shop.cart"), code=303)
    return render_template("shop/product.html", product=found, form=form), 400


@bp.get("/cart")
def cart():
    return render_cart()


@bp.post("/cart/lines/<int:product_id>")
def update(product_id: int):
    shoppers_cart = current_cart() or abort(404)
    form = UpdateLineForm()
    if not form.validate():
        return render_cart(failed_line=product_id, failed_form=form), 400
    try:
        set_quantity(shoppers_cart, product_id, form.quantity.data)
        db.session.commit()
    except CartError as error:
        flash(str(error), "error")
    return redirect(url_for("shop.cart"), code=303)


@bp.post("/cart/lines/<int:product_id>/remove")
def remove(product_id: int):
    shoppers_cart = current_cart() or abort(404)
    if RemoveLineForm().validate():
        remove_line(shoppers_cart, product_id)
        db.session.commit()
    return redirect(url_for("shop.cart"), code=303)


def render_cart(failed_line: int | None = None, failed_form: UpdateLineForm | None = None):
    shoppers_cart = current_cart()
    lines = list(shoppers_cart.lines) if shoppers_cart else []
    forms = {line.product_id: UpdateLineForm(formdata=None, quantity=line.quantity) for line in lines}
    if failed_form is not None and failed_line in forms:
        forms[failed_line] = failed_form
    return render_template("shop/cart.html", lines=lines, forms=forms, totals=price(lines))


@bp.app_context_processor
def navigation() -> dict:
    """What every page's header shows: the categories and the cart badge (nothing for an email a command sends)."""
    if not has_request_context():
        return {}
    cart_id = session.get(SESSION_KEY)
    try:
        return {"nav_categories": reads.categories(current_language()),
                "cart_count": reads.cart_count(cart_id) if cart_id else 0}
    except SQLAlchemyError:
        # The error page has a header too: when the database is down, it must still be shown, without
        # categories and without a count rather than with a wrong one.
        current_app.logger.warning("the header's categories and cart count could not be read", exc_info=True)
        return {"nav_categories": [], "cart_count": ""}
