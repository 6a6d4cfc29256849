"""Fixtures in the style of Flask's tutorial: `app`, `client`, `runner`, plus a real database.

The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL is set (CI does both). The schema
is built once per run by the real migrations, then every test starts from empty tables.
"""
import os
import re

import pytest
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from flask_migrate import upgrade
from sqlalchemy import text

from storefront import create_app
from storefront.cli import seed_catalog
from storefront.extensions import db, limiter
from storefront.request_id import configure_logging

pytest_plugins = ["tests.support.sandbox", "tests.support.browser", "tests.support.storefront", "tests.support.mail",
                  "tests.support.admin", "tests.support.money"]

# A test that asks for a running server is live, whichever module it is in (`make test-fast` leaves them out).
LIVE_FIXTURES = {"sandbox_server", "live_shop", "live_server", "receiver"}


def pytest_collection_modifyitems(items):
    for item in items:
        if LIVE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.live)


TEST_SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "SERVER_NAME": None,
    # Nothing listens on port 9: a test that forgets to point at the sandbox fails loudly, not slowly.
    "SMARTPAY_SECRET_KEY": "sk_test_unused",
    "SMARTPAY_API_URL": "http://127.0.0.1:9/v1",
    "SMARTPAY_RETRIES": 0,
    "SMARTPAY_TIMEOUT": 5,
}


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'storefront-test.sqlite3'}"


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """Build the schema once with the real migrations, so a missing migration fails the suite."""
    url = database_url(tmp_path_factory)
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()
    return url


class EnglishBrowser(FlaskClient):
    """A test client whose browser prefers English, as most of the suite's assertions do. Tests of the
    Japanese pages (and of the language choice itself) send their own Accept-Language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


class TemplatesCompiledOnce(BytecodeCache):
    """Each test makes its own app, and each app its own Jinja environment: without this, every test compiled the
    templates it rendered again (a third of the fast tier's time). Keyed by name and source, so an edit shows."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = TemplatesCompiledOnce()


def make_app(database: str, extra_features=(), **overrides):
    """An app on the test database; tests pass overrides such as the sandbox's URL and key (and a feature of
    their own: see tests/support/counter_method.py)."""
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": database, **overrides}, extra_features)
    app.test_client_class = EnglishBrowser
    app.jinja_env.bytecode_cache = TEMPLATES
    return app


def dispose_engines() -> None:
    """Close every pool the app holds: the ORM's and the catalog reads' (storefront/shop/reads.py)."""
    for engine in db.engines.values():
        engine.dispose()


def empty_tables() -> None:
    tables = [table for table in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def production(monkeypatch, tmp_path):
    """A complete production environment; a test takes away (or changes) the one setting it is about."""
    for name, value in {"APP_ENV": "production", "SECRET_KEY": "x" * 64, "SMARTPAY_SECRET_KEY": "sk_live_abc",
                        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
                        "MAIL_SERVER": "smtp.example.com", "BANK_TRANSFER_BANK": "ひのき銀行",
                        "BANK_TRANSFER_BRANCH": "目黒支店", "BANK_TRANSFER_ACCOUNT_TYPE": "ordinary",
                        "BANK_TRANSFER_ACCOUNT_NUMBER": "1234567",
                        "BANK_TRANSFER_ACCOUNT_HOLDER": "カ）ヒノキマーケット", "SHOP_LEGAL_NAME": "株式会社ひのきマーケット",
                        "SHOP_REPRESENTATIVE": "檜山花子", "SHOP_ADDRESS": "〒153-0061 東京都目黒区中目黒1-2-3",
                        "SHOP_PHONE": "03-1234-5678"}.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


@pytest.fixture
def app_settings():
    """Override in a test module (or request) to configure the app, e.g. to point it at the sandbox."""
    return {}


APPS: dict[str, tuple] = {}  # per test process: settings → (app, its config as made)


def app_for(database: str, settings: dict):
    """One app per distinct settings in this process, handed back as it was made: its config restored and its
    rate limits forgotten after each test, the process's logging set up for it again before each (as making it
    did). Making an app compiles its routes, a third of a fast test's time."""
    key = repr((database, sorted(settings.items(), key=lambda item: item[0])))
    if key not in APPS:
        app = make_app(database, **settings)  # settings may name extra_features too
        APPS[key] = (app, dict(app.config))
    return APPS[key]


@pytest.fixture
def app(database, app_settings):
    app, config_as_made = app_for(database, app_settings)
    configure_logging(app.config["LOG_FORMAT"])
    with app.app_context():
        empty_tables()
    yield app
    with app.app_context():
        db.session.remove()
        dispose_engines()
        limiter.reset()
    app.config.clear()
    app.config.update(config_as_made)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def catalog(app):
    """The demo catalog, as `flask seed` loads it."""
    with app.app_context():
        seed_catalog()


CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    """Read the CSRF token from a page, as the browser would have it in the form."""
    html = client.get(url).get_data(as_text=True)
    match = CSRF_INPUT.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)
