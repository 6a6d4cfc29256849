"""`flask seed`; the other commands live with what they serve (the worker, smartpay, admin, mail, demo groups)."""
import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .catalog_data import CATEGORIES, PRODUCTS, SUBSCRIBABLE_CATEGORIES, TAX_RATES
from .extensions import db
from .models import Category, Product
from .tax import STANDARD


@click.command("seed")
@with_appcontext
def seed_command():
    """Load the demo catalog. Safe to run again: existing rows are updated, not duplicated."""
    created = seed_catalog()
    click.echo(f"Catalog ready: {len(PRODUCTS)} products ({created} new).")


def seed_catalog() -> int:
    categories = {}
    for position, (slug, name_ja, name_en) in enumerate(CATEGORIES):
        category = db.session.scalar(select(Category).where(Category.slug == slug)) or Category(slug=slug)
        category.name_ja, category.name_en, category.position = name_ja, name_en, position
        db.session.add(category)
        categories[slug] = category
    created = 0
    for sku, slug, (name_ja, name_en), (description_ja, description_en), price, category_slug in PRODUCTS:
        product = db.session.scalar(select(Product).where(Product.sku == sku))
        if product is None:
            product, created = Product(sku=sku), created + 1
        product.slug, product.price = slug, price
        product.name_ja, product.name_en = name_ja, name_en
        product.description_ja, product.description_en = description_ja, description_en
        product.category, product.image = categories[category_slug], f"img/products/{slug}.svg"
        product.subscribable = category_slug in SUBSCRIBABLE_CATEGORIES
        product.tax_rate = TAX_RATES.get(category_slug, STANDARD)
        db.session.add(product)
    db.session.commit()
    return created
