"""The catalog's pages read through their own autocommit bind, with no ping before each use: a connection the
database dropped must be replaced on the spot, not shown to the shopper as an error page."""
import pytest
from sqlalchemy import event, text

from storefront.extensions import db


def test_a_catalog_page_survives_the_database_dropping_its_connection(client, app, catalog):
    with app.app_context():
        if db.engines["catalog_reads"].dialect.name != "postgresql":
            pytest.skip("SQLite is a file: it has no server that could drop a connection (runs in the PostgreSQL pass)")
    assert client.get("/").status_code == 200  # the pool now keeps a catalog connection open
    with app.app_context(), db.engine.connect() as connection:
        # What a restart does to every open connection: end each one, from the server's side.
        ended = connection.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar_one()
    assert ended >= 1
    page = client.get("/")
    assert page.status_code == 200
    assert "Uji Matcha" in page.get_data(as_text=True)


# What the catalog pages remember is forgotten the moment the catalog changes, whoever changes it.

def change(app, sql: str) -> None:
    """A change made by hand, past the app: as a merchant would in psql or sqlite3."""
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text(sql))


def test_a_price_changed_by_hand_shows_on_the_very_next_page(client, app, catalog):
    assert "¥1,080" in client.get("/products/kyoto-hojicha").get_data(as_text=True)
    assert "¥1,080" in client.get("/category/tea").get_data(as_text=True)
    change(app, "UPDATE products SET price = 1280 WHERE slug = 'kyoto-hojicha'")
    product, grid = client.get("/products/kyoto-hojicha"), client.get("/category/tea")
    assert "¥1,280" in product.get_data(as_text=True) and "¥1,080" not in product.get_data(as_text=True)
    assert "¥1,280" in grid.get_data(as_text=True) and "¥1,080" not in grid.get_data(as_text=True)


def test_a_renamed_category_shows_in_every_header_at_once(client, app, catalog):
    assert "Tableware" in client.get("/").get_data(as_text=True)
    change(app, "UPDATE categories SET name_en = 'Plates and Bowls' WHERE slug = 'tableware'")
    page = client.get("/cart").get_data(as_text=True)
    assert "Plates and Bowls" in page and "Tableware" not in page


def test_a_product_taken_off_sale_leaves_the_grid_and_its_page_at_once(client, app, catalog):
    assert "Kyoto Hojicha" in client.get("/").get_data(as_text=True)
    assert client.get("/products/kyoto-hojicha").status_code == 200
    change(app, "UPDATE products SET active = false WHERE slug = 'kyoto-hojicha'")
    assert "Kyoto Hojicha" not in client.get("/").get_data(as_text=True)
    assert client.get("/products/kyoto-hojicha").status_code == 404


def test_an_unchanged_catalog_is_read_once_then_only_its_version_is_checked(client, app, catalog):
    client.get("/products/kyoto-hojicha")
    statements = []
    with app.app_context():
        engine = db.engines["catalog_reads"]
        listener = lambda *args: statements.append(args[2])  # noqa: E731 (conn, cursor, statement, ...)
        event.listen(engine, "before_cursor_execute", listener)
        assert client.get("/products/kyoto-hojicha").status_code == 200
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) == 1 and "FROM catalog_versions" in statements[0]


def test_when_the_database_is_down_the_shopper_still_gets_the_shops_error_page(database, tmp_path):
    from tests.conftest import dispose_engines, make_app

    # The catalog's reads go to a database that cannot be opened (a directory that does not exist).
    app = make_app(database, SQLALCHEMY_BINDS={"catalog_reads": f"sqlite:///{tmp_path}/missing/catalog.sqlite3"})
    page = app.test_client().get("/")
    with app.app_context():
        dispose_engines()
    assert page.status_code == 500
    assert "Your cart is safe" in page.get_data(as_text=True)  # the shop's own page, with its header
