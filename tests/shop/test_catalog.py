from sqlalchemy import select

from storefront.catalog_data import PRODUCTS
from storefront.extensions import db
from storefront.models import Category, Product


def test_catalog_lists_products_with_yen_prices(client, catalog):
    html = client.get("/").get_data(as_text=True)
    assert "Uji Matcha, Ceremonial Grade 30 g" in html
    assert "¥3,240" in html
    assert "Next page" in html  # 16 products, 12 a page


def test_second_page_continues_where_the_first_stopped(client, catalog, app):
    first = client.get("/").get_data(as_text=True)
    with app.app_context():
        products = db.session.scalars(select(Product).order_by(Product.id)).all()
    assert products[11].name_en in first and products[12].name_en not in first
    second = client.get(f"/?after={products[11].id}").get_data(as_text=True)
    assert products[12].name_en in second and products[11].name_en not in second
    assert "Previous page" in second and "Next page" not in second


def test_previous_page_link_returns_to_the_first_page(client, catalog, app):
    with app.app_context():
        ids = db.session.scalars(select(Product.id).order_by(Product.id)).all()
    back = client.get(f"/?before={ids[12]}").get_data(as_text=True)
    assert "Previous page" not in back and "Next page" in back
    with app.app_context():
        first_name = db.session.get(Product, ids[0]).name_en
    assert first_name in back


def test_category_page_shows_only_that_category(client, catalog):
    html = client.get("/category/tea").get_data(as_text=True)
    assert "Kyoto Hojicha 80 g" in html
    assert "Seki Santoku Knife" not in html


def test_product_page_shows_details_and_image(client, catalog):
    response = client.get("/products/seki-santoku-knife")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "¥12,100" in html and "KIT-002" in html
    image = client.get("/static/img/products/seki-santoku-knife.svg")
    assert image.status_code == 200 and image.mimetype == "image/svg+xml"


def test_every_product_image_exists(client, catalog):
    for _sku, slug, *_rest in PRODUCTS:
        assert client.get(f"/static/img/products/{slug}.svg").status_code == 200, slug


def test_unknown_product_and_category_are_friendly_404s(client, catalog):
    for url in ("/products/no-such-thing", "/category/no-such-category"):
        response = client.get(url)
        assert response.status_code == 404
        assert "find that page" in response.get_data(as_text=True)


def test_seed_is_idempotent(runner, app):
    assert "16 new" in runner.invoke(args=["seed"]).output
    assert "0 new" in runner.invoke(args=["seed"]).output
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Product.id))) == len(PRODUCTS)
        assert db.session.scalar(select(db.func.count(Category.id))) == 4


def test_deep_pages_stay_keyset_paginated_with_10000_products(client, app):
    """Page 800 must be found by an index range, not by counting past 9,600 rows."""
    with app.app_context():
        category = Category(slug="bulk", name_ja="まとめ", name_en="Bulk")
        db.session.add(category)
        db.session.flush()
        db.session.execute(db.insert(Product), [
            {"sku": f"BULK-{n:05d}", "slug": f"bulk-{n:05d}", "name_en": f"Bulk item {n:05d}",
             "price": 100 + n, "image": "img/products/tenugui-waves.svg", "category_id": category.id, "active": True}
            for n in range(10_000)])
        db.session.commit()
        last_ids = db.session.scalars(select(Product.id).order_by(Product.id.desc()).limit(13)).all()
    statements = []
    with app.app_context():
        from sqlalchemy import event
        listener = lambda *args: statements.append(args[2])  # noqa: E731 (conn, cursor, statement, ...)
        for engine in db.engines.values():  # the page reads through the catalog_reads bind
            event.listen(engine, "before_cursor_execute", listener)
        html = client.get(f"/?after={last_ids[12]}").get_data(as_text=True)
        for engine in db.engines.values():
            event.remove(engine, "before_cursor_execute", listener)
    assert "Bulk item 09999" in html and "Bulk item 09988" in html
    assert "Bulk item 09987" not in html and "Next page" not in html
    page_queries = [statement for statement in statements if "FROM products" in statement and "LIMIT" in statement]
    assert page_queries and all("products.id >" in statement for statement in page_queries)
