"""Project commands: `flask seed`, `flask smartpay register-webhook|sync`; in their own modules, the worker and
the admin, mail and demo groups."""
import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from .catalog_data import CATEGORIES, PRODUCTS, SUBSCRIBABLE_CATEGORIES
from .extensions import db
from .models import Category, Product
from .reconcile import sync_open_orders
from .webhooks.registration import RegistrationFailed, ensure_webhook_endpoint

smartpay_cli = AppGroup("smartpay", help="The shop's side of Smartpay: its webhook endpoint, reconciliation.")


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
        db.session.add(product)
    db.session.commit()
    return created


@smartpay_cli.command("register-webhook")
def register_webhook():
    """Create the webhook endpoint at Smartpay for PUBLIC_URL and keep its signing secret."""
    try:
        click.echo(ensure_webhook_endpoint())
    except RegistrationFailed as failure:
        raise click.ClickException(str(failure)) from None


@smartpay_cli.command("sync")
def sync():
    """Re-read every order that can still change and move it on (the worker does it every few minutes)."""
    counts = sync_open_orders(every_open=True)
    click.echo(f"Checked {counts['checked']} orders: {counts['changed']} changed, {counts['failed']} unreachable.")
