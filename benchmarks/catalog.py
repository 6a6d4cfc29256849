"""How long a catalog page takes as the catalog grows: the first page against the last one.

    .venv/bin/python benchmarks/catalog.py            # SQLite in a temporary file
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python benchmarks/catalog.py

Keyset pagination (WHERE id > :cursor LIMIT n) should cost the same on page 1 and page 8,000; an OFFSET
would grow with the page number. This prints the median of several requests through the full Flask stack,
each read from the database: the pages' memory of the catalog (storefront/shop/catalog_memory.py) is
forgotten before every request, as it is when the catalog has just changed.
"""

import os
import statistics

from common import build_app, cpu_ms, sibling_database
from sqlalchemy import func, insert, select

from storefront.extensions import db
from storefront.models import Category, Product
from storefront.shop.reads import MEMORY

SIZES = (16, 10_000, 100_000)
ROUNDS = 7


def grow_catalog_to(size: int) -> None:
    category = db.session.scalar(select(Category)) or Category(slug="bench", name_ja="ベンチ", name_en="Bench")
    db.session.add(category)
    db.session.flush()
    have = db.session.scalar(select(func.count(Product.id)))
    rows = [{"sku": f"B{n:07d}", "slug": f"b-{n:07d}", "name_ja": f"商品 {n}", "name_en": f"Item {n}", "price": 100,
             "image": "img/products/tenugui-waves.svg", "category_id": category.id, "active": True}
            for n in range(have, size)]
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Product), rows[start:start + 5000])
    db.session.commit()


def catalog_pages(app, size: int) -> list:
    """The first and the last page of a catalog of `size` products."""
    with app.app_context():
        grow_catalog_to(size)
        last_cursor = db.session.scalars(select(Product.id).order_by(Product.id.desc()).limit(13)).all()[-1]
    client = app.test_client()
    return [(client, "/"), (client, f"/?after={last_cursor}")]


def main() -> None:
    """CPU time per request, not wall-clock medians taken one size after the other: on a shared machine those
    drift by more than the difference being looked for."""
    timings = {(size, n): [] for size in SIZES for n in range(2)}
    # One database per size (beside DATABASE_URL's on the same server, or a SQLite file each), then every page
    # measured in interleaved rounds, so the machine's drift falls on all sizes alike.
    server = bool(os.environ.get("DATABASE_URL"))
    pages = {size: catalog_pages(build_app(sibling_database(f"bench_catalog_{size}") if server else None), size)
             for size in SIZES}
    for _ in range(ROUNDS):
        for size in SIZES:
            for n, (client, url) in enumerate(pages[size]):
                timings[size, n].append(cpu_ms(client, url, before=MEMORY.forget))
    print(f"{'products':>10} {'first page':>12} {'last page':>12}   (CPU per request, median of {ROUNDS} rounds)")
    for size in SIZES:
        first, last = (statistics.median(timings[size, n]) for n in range(2))
        print(f"{size:>10,} {first:>10.1f}ms {last:>10.1f}ms")


if __name__ == "__main__":
    main()
