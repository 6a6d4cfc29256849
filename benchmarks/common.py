"""What both benchmarks need: an app on a fresh database, and the median time of a page."""
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import text  # noqa: E402

from storefront import create_app  # noqa: E402
from storefront.extensions import db  # noqa: E402

RUNS = 25


def build_app(url: str | None = None, **settings):
    """SQLite in a temporary file, or the (emptied) database of DATABASE_URL, migrated to the newest schema."""
    url = url or os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", **settings})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
    print(f"database: {url.split(':')[0]}, median of {RUNS} requests")
    return app


def median_ms(client, url: str) -> float:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        assert client.get(url).status_code == 200, url
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def cpu_ms(client, url: str, before) -> float:
    """This process's CPU time per request, over RUNS requests of one page, each after `before()`."""
    started = time.process_time()
    for _ in range(RUNS):
        before()
        assert client.get(url).status_code == 200, url
    return (time.process_time() - started) * 1000 / RUNS


def sibling_database(name: str) -> str:
    """A fresh database beside DATABASE_URL's, on the same PostgreSQL server (dropped first if it exists)."""
    from sqlalchemy import create_engine

    base = os.environ["DATABASE_URL"]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.rsplit("/", 1)[0] + "/" + name
