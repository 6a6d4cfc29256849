"""Settings come from the environment; production refuses to start without what it cannot guess."""
import pytest

from storefront import create_app
from storefront.config import ConfigError, database_url


def test_production_without_secret_key_stops_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app()


def test_production_without_smartpay_key_stops(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.delenv("SMARTPAY_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SMARTPAY_SECRET_KEY is not set"):
        create_app()


def test_a_bad_number_is_named(monkeypatch):
    monkeypatch.setenv("SHIPPING_FEE", "five hundred")
    with pytest.raises(ConfigError, match="SHIPPING_FEE must be a whole number"):
        create_app()


def test_hosting_platform_postgres_urls_get_the_psycopg_driver(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example/shop")
    assert database_url() == "postgresql+psycopg://u:p@db.example/shop"


@pytest.mark.parametrize("name, value, message", [
    ("DEFAULT_LOCALE", "fr", "DEFAULT_LOCALE must be 'ja' or 'en'"),
    ("DISPLAY_TIMEZONE", "Mars/Olympus", "DISPLAY_TIMEZONE 'Mars/Olympus' is not a time zone name"),
])
def test_language_and_time_zone_settings_are_checked(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        create_app()


def test_production_refuses_to_start_without_compiled_japanese(monkeypatch, tmp_path):
    """A deploy that forgot `make compile-translations` would show English to every Japanese shopper."""
    catalog = tmp_path / "storefront" / "translations" / "ja" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    (catalog / "messages.po").write_text('msgid ""\nmsgstr ""\n')
    monkeypatch.setattr("storefront.config.ROOT", tmp_path)  # a checkout with the .po and no .mo
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("SMARTPAY_SECRET_KEY", "sk_live_abc")
    with pytest.raises(ConfigError, match="messages.mo is missing or out of date.*make compile-translations"):
        create_app()
