"""The catalog's pages read through their own autocommit bind, with no ping before each use: a connection the
database dropped must be replaced on the spot, not shown to the shopper as an error page."""
import pytest
from sqlalchemy import text

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
