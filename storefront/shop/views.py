"""Catalog and cart pages."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..cart import CartError, add_to_cart, current_cart, price, remove_line, set_quantity
from ..extensions import db
from ..models import Category, Product
from ..security import page_cursor, row_id
from .forms import AddToCartForm, RemoveLineForm, UpdateLineForm

bp = Blueprint("shop", __name__)


@bp.get("/")
def catalog():
    return render_catalog(category=None)


@bp.get("/category/<slug>")
def category(slug: str):
    found = db.session.scalar(select(Category).where(Category.slug == slug)) or abort(404)
    return render_catalog(category=found)


def render_catalog(category: Category | None):
    after, before = page_cursor("after"), page_cursor("before")
    products, previous_before, next_after = catalog_page(category, after, before)
    return render_template("shop/catalog.html", products=products, category=category,
                           previous_before=previous_before, next_after=next_after)


def all_categories() -> list[Category]:
    return db.session.scalars(select(Category).order_by(Category.position)).all()


def catalog_page(category: Category | None, after: int | None, before: int | None):
    """One page of products by keyset on the id, so page 500 costs what page 1 costs (no OFFSET).

    Returns the products and the cursors for the previous and next pages (None when there is none).
    """
    size = current_app.config["PRODUCTS_PER_PAGE"]
    query = select(Product).where(Product.active.is_(True))
    if category is not None:
        query = query.where(Product.category_id == category.id)
    if before is not None:
        rows = db.session.scalars(query.where(Product.id < before).order_by(Product.id.desc()).limit(size + 1)).all()
        has_more_before = len(rows) > size
        products = list(reversed(rows[:size]))
        previous = products[0].id if has_more_before and products else None
        following = products[-1].id if products else None
        return products, previous, following
    if after is not None:
        query = query.where(Product.id > after)
    rows = db.session.scalars(query.order_by(Product.id).limit(size + 1)).all()
    products = rows[:size]
    previous = products[0].id if after is not None and products else None
    following = products[-1].id if len(rows) > size else None
    return products, previous, following


@bp.get("/products/<slug>")
def product(slug: str):
    found = find_product(slug)
    return render_template("shop/product.html", product=found, form=AddToCartForm(product_id=found.id))


@bp.post("/cart/add")
def add():
    form = AddToCartForm()
    found = product_from_form(form.product_id.data)
    if form.validate():
        name = found.name  # read before the commit, which expires the product and would load it again
        try:
            add_to_cart(found, form.quantity.data)
        except CartError as error:
            form.quantity.errors.append(str(error))
        else:
            flash(_("Added %(name)s to your cart.", name=name), "success")
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
    except CartError as error:
        flash(str(error), "error")
    return redirect(url_for("shop.cart"), code=303)


@bp.post("/cart/lines/<int:product_id>/remove")
def remove(product_id: int):
    shoppers_cart = current_cart() or abort(404)
    if RemoveLineForm().validate():
        remove_line(shoppers_cart, product_id)
    return redirect(url_for("shop.cart"), code=303)


def render_cart(failed_line: int | None = None, failed_form: UpdateLineForm | None = None):
    shoppers_cart = current_cart()
    lines = list(shoppers_cart.lines) if shoppers_cart else []
    forms = {line.product_id: UpdateLineForm(formdata=None, quantity=line.quantity) for line in lines}
    if failed_form is not None and failed_line in forms:
        forms[failed_line] = failed_form
    return render_template("shop/cart.html", lines=lines, forms=forms, remove_form=RemoveLineForm(),
                           totals=price(lines))


def find_product(slug: str) -> Product:
    found = db.session.scalar(select(Product).where(Product.slug == slug, Product.active.is_(True)))
    return found or abort(404)


def product_from_form(raw_id: str | None) -> Product:
    product_id = row_id(raw_id)
    found = db.session.get(Product, product_id) if product_id else None
    if found is None or not found.active:
        abort(404)
    return found
