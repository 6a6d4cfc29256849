"""What the shop's busiest pages read: only the columns a page shows, with SQLAlchemy Core, as small read models.

The ORM is for changing data (storefront.cart, storefront.orders). For showing a page its identity map and
per-query bookkeeping cost more than the query itself: measured with a profiler, the catalog's three ORM
queries were a quarter of the page, the same rows through Core a third of that. Each statement is built once
(its values are bound parameters), so SQLAlchemy also compiles it once per process.

Texts kept in two languages are resolved here, once per row, with the language the caller passes. What the
catalog pages read is remembered until the catalog changes (catalog_memory.py); a shopper's cart never is.
"""
from dataclasses import dataclass
from functools import lru_cache

from flask import g
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import DBAPIError

from ..extensions import db
from ..i18n import in_language
from ..models import CartLine, CatalogVersion, Category, Product
from .catalog_memory import CatalogMemory

MEMORY = CatalogMemory()  # one per worker process


@dataclass(frozen=True, slots=True)
class CategoryLink:
    id: int
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class ProductCard:
    """A product as the catalog grid shows it."""
    id: int
    slug: str
    image: str
    price: int
    name: str


@dataclass(frozen=True, slots=True)
class ProductDetail:
    """A product as its own page shows it."""
    id: int
    sku: str
    slug: str
    image: str
    price: int
    name: str
    description: str
    category: CategoryLink
    subscribable: bool


CATEGORY_COLUMNS = (Category.id, Category.slug, Category.name_ja, Category.name_en)
CATEGORIES = select(*CATEGORY_COLUMNS).order_by(Category.position)
CATEGORY_BY_SLUG = select(*CATEGORY_COLUMNS).where(Category.slug == bindparam("slug"))
DETAIL = (select(Product.id, Product.sku, Product.slug, Product.image, Product.price, Product.name_ja,
                 Product.name_en, Product.description_ja, Product.description_en, Product.subscribable,
                 Category.id.label("category_id"), Category.slug.label("category_slug"),
                 Category.name_ja.label("category_name_ja"), Category.name_en.label("category_name_en"))
          .join(Category, Product.category_id == Category.id).where(Product.active.is_(True)))
DETAIL_BY_SLUG = DETAIL.where(Product.slug == bindparam("slug"))
DETAIL_BY_ID = DETAIL.where(Product.id == bindparam("id"))
VERSION = select(CatalogVersion.version).where(CatalogVersion.id == 1)
CART_COUNT = select(func.coalesce(func.sum(CartLine.quantity), 0)).where(CartLine.cart_id == bindparam("cart_id"))


def rows(statement, **values):
    """Run a read past the ORM, on the request's catalog connection (autocommit: see config.catalog_reads_bind).

    A connection the database dropped (a restart, a failover) fails on first use; SQLAlchemy then discards the
    pool's old connections, and a read, which changes nothing, is simply run again on a new one."""
    try:
        return catalog_connection().execute(statement, values)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        close_catalog_connection()
        return catalog_connection().execute(statement, values)


def catalog_connection():
    if "catalog_connection" not in g:
        g.catalog_connection = db.engines["catalog_reads"].connect()
    return g.catalog_connection


def close_catalog_connection(_error=None) -> None:
    connection = g.pop("catalog_connection", None)
    if connection is not None:
        connection.close()


def remembered(key, load):
    """`load()`'s answer, from memory while the catalog version read at the start of this request holds."""
    if "catalog_version" not in g:
        g.catalog_version = rows(VERSION).scalar()
    return MEMORY.recall(g.catalog_version, key, load)


def category_link(row, language: str) -> CategoryLink:
    return CategoryLink(row.id, row.slug, in_language(language, row.name_ja, row.name_en))


def categories(language: str) -> list[CategoryLink]:
    return remembered(("categories", language), lambda: [category_link(row, language) for row in rows(CATEGORIES)])


def category_by_slug(slug: str, language: str) -> CategoryLink | None:
    def load():
        row = rows(CATEGORY_BY_SLUG, slug=slug).first()
        return category_link(row, language) if row else None
    return remembered(("category", slug, language), load)


@lru_cache(maxsize=None)
def page_statement(in_category: bool, direction: str):
    """The keyset query of one kind of catalog page (all or one category; first, after or before a cursor).

    Six kinds in all, each built once. `before` walks backwards, so its rows come newest first."""
    query = (select(Product.id, Product.slug, Product.image, Product.price, Product.name_ja, Product.name_en)
             .where(Product.active.is_(True)))
    if in_category:
        query = query.where(Product.category_id == bindparam("category_id"))
    if direction == "before":
        return query.where(Product.id < bindparam("cursor")).order_by(Product.id.desc()).limit(bindparam("size"))
    if direction == "after":
        query = query.where(Product.id > bindparam("cursor"))
    return query.order_by(Product.id).limit(bindparam("size"))


def product_cards(category_id: int | None, direction: str, cursor: int | None, size: int,
                  language: str) -> list[ProductCard]:
    def load():
        found = rows(page_statement(category_id is not None, direction), category_id=category_id, cursor=cursor,
                     size=size)
        return [ProductCard(row.id, row.slug, row.image, row.price, in_language(language, row.name_ja,
                                                                                row.name_en)) for row in found]
    return remembered(("cards", category_id, direction, cursor, size, language), load)


def product_detail(language: str, slug: str | None = None, product_id: int | None = None) -> ProductDetail | None:
    """An active product by its slug or its id, with its category, in one query."""
    return remembered(("product", slug, product_id, language),
                      lambda: load_product_detail(language, slug, product_id))


def load_product_detail(language: str, slug: str | None, product_id: int | None) -> ProductDetail | None:
    row = (rows(DETAIL_BY_SLUG, slug=slug) if slug is not None else rows(DETAIL_BY_ID, id=product_id)).first()
    if row is None:
        return None
    category = CategoryLink(row.category_id, row.category_slug,
                            in_language(language, row.category_name_ja, row.category_name_en))
    return ProductDetail(row.id, row.sku, row.slug, row.image, row.price,
                         in_language(language, row.name_ja, row.name_en),
                         in_language(language, row.description_ja, row.description_en), category, row.subscribable)


def cart_count(cart_id: str) -> int:
    return rows(CART_COUNT, cart_id=cart_id).scalar_one()
