"""A database at an old revision, filled with that schema's rows, then upgraded: what the migration tests share."""
import os
import secrets
from contextlib import contextmanager

from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storefront.extensions import db
from tests.conftest import dispose_engines, make_app

BEFORE_LANGUAGES = "3d960ab770f7"


@contextmanager
def scratch_database(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    server = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"upgrade_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def upgraded_from(tmp_path, revision: str, rows: list[str]):
    """An app on a database of its own that was at `revision`, held `rows` (SQL written for that schema), and was
    then upgraded to the head by the real migrations."""
    with scratch_database(tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade(revision=revision)
            with db.engine.begin() as connection:
                for row in rows:
                    connection.execute(text(row))
            upgrade()
            yield app
            db.session.remove()
            dispose_engines()
