"""Settings come from the environment; production refuses to start without what it cannot guess."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storefront import create_app
from storefront.config import ConfigError, database_url
from storefront.admin.auth import save_admin
from storefront.worker import run_once
from tests.support.admin import EMAIL, PASSWORD, login

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("missing, message", [
    ("SECRET_KEY", "SECRET_KEY is not set"),
    ("SMARTPAY_SECRET_KEY", "SMARTPAY_SECRET_KEY is not set"),
    ("DATABASE_URL", "DATABASE_URL is not set. Production needs its database named"),
    ("MAIL_SERVER", "MAIL_SERVER is not set. Order confirmations need your SMTP provider's host"),
])
def test_production_without_a_required_setting_stops_with_a_clear_message(production, missing, message):
    production.delenv(missing)
    with pytest.raises(ConfigError, match=message):
        create_app()


@pytest.mark.parametrize("missing, sentence", [
    (("BANK_TRANSFER_ACCOUNT_NUMBER", "BANK_TRANSFER_ACCOUNT_HOLDER"),
     "BANK_TRANSFER_ACCOUNT_NUMBER, BANK_TRANSFER_ACCOUNT_HOLDER are not set: bank transfer orders show the shop's "
     "account, so set it as your bank gives it."),
    (("SHOP_REPRESENTATIVE", "SHOP_PHONE"),
     "SHOP_REPRESENTATIVE, SHOP_PHONE are not set: the 特定商取引法に基づく表記 page must say who sells, so set them "
     "(or LEGAL_PAGES=0 if your site shows it elsewhere).")])
def test_production_without_a_group_of_settings_names_what_is_missing_in_one_sentence(production, missing, sentence):
    for name in missing:
        production.delenv(name)
    with pytest.raises(ConfigError) as refusal:
        create_app()
    assert str(refusal.value) == sentence


@pytest.mark.parametrize("name, value, message", [
    ("BANK_TRANSFER_ACCOUNT_NUMBER", "12-3456", "must be the account's 7 digits"),
    ("BANK_TRANSFER_ACCOUNT_TYPE", "savings", "must be 'ordinary'"),
    ("BANK_TRANSFER_DAYS", "0", "must be between 1 and 60"),
])
def test_a_transfer_account_that_cannot_be_right_stops_production(production, name, value, message):
    production.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        create_app()


def test_development_shows_a_made_up_account_and_says_so(monkeypatch):
    for name in ("BANK_TRANSFER_BANK", "BANK_TRANSFER_ACCOUNT_NUMBER"):
        monkeypatch.delenv(name, raising=False)
    config = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}).config
    assert config["BANK_TRANSFER_DEMO_ACCOUNT"] is True and config["BANK_TRANSFER_BANK"] == "デモ銀行"


def test_a_complete_production_configuration_starts(production):
    assert create_app().config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.slow
def test_the_cli_says_one_sentence_instead_of_a_traceback(tmp_path):
    """`flask db upgrade` with production settings and no DATABASE_URL: a sentence, exit status 1."""
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": "x" * 64, "SMARTPAY_SECRET_KEY": "sk_live_abc",
           "FLASK_APP": "wsgi"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip() == ("Configuration error: DATABASE_URL is not set. Production needs its database "
                                     "named, for example postgresql://user:password@host/shop")


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


def test_production_refuses_to_start_without_compiled_japanese(production, tmp_path):
    """A deploy that forgot `make compile-translations` would show English to every Japanese shopper."""
    catalog = tmp_path / "storefront" / "translations" / "ja" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    (catalog / "messages.po").write_text('msgid ""\nmsgstr ""\n')
    production.setattr("storefront.config.ROOT", tmp_path)  # a checkout with the .po and no .mo
    with pytest.raises(ConfigError, match="messages.mo is missing or out of date.*make compile-translations"):
        create_app()


BANK_SETTINGS = ("BANK_TRANSFER_BANK", "BANK_TRANSFER_BRANCH", "BANK_TRANSFER_ACCOUNT_TYPE",
                 "BANK_TRANSFER_ACCOUNT_NUMBER", "BANK_TRANSFER_ACCOUNT_HOLDER")


@pytest.mark.slow
def test_a_smartpay_only_shop_starts_migrates_seeds_and_serves_in_production(production, tmp_path):
    """The documented required settings and PAYMENT_METHODS=smartpay: no bank account needed, none offered."""
    for name in BANK_SETTINGS:
        production.delenv(name)
    production.setenv("PAYMENT_METHODS", "smartpay")
    env = {**os.environ, "FLASK_APP": "wsgi"}
    for command in (["db", "upgrade"], ["seed"]):
        done = subprocess.run([sys.executable, "-m", "flask", *command], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    app = create_app()
    browser = app.test_client()
    browser.environ_base.update(HTTP_ACCEPT_LANGUAGE="en", wsgi_url_scheme="https")  # Secure cookies
    page = browser.get("/products/kyoto-hojicha", base_url="https://shop.example").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    product = page.split('name="product_id" value="')[1].split('"')[0]
    added = browser.post("/cart/add", base_url="https://shop.example", data={"csrf_token": token, "product_id": product,
                         "quantity": 1}, headers={"Referer": "https://shop.example/products/kyoto-hojicha"})
    assert added.status_code == 303, added.get_data(as_text=True)
    checkout = browser.get("/checkout/", base_url="https://shop.example")
    assert checkout.status_code == 200
    text = checkout.get_data(as_text=True)
    assert "Smartpay" in text and "Bank transfer" not in text and "bank account" not in text
    assert 'name="payment_method" value="smartpay"' in text and 'type="radio"' not in text
    assert not [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("bank_transfer.")]
    with app.app_context():
        assert run_once(only=("transfers",)) == {}  # the worker has no deadlines to watch

def test_bank_transfer_on_still_needs_its_account_in_production(production):
    production.setenv("PAYMENT_METHODS", "smartpay,bank_transfer")
    production.delenv("BANK_TRANSFER_BANK")
    with pytest.raises(ConfigError, match="BANK_TRANSFER_BANK is not set"):
        create_app()


@pytest.mark.parametrize("value", ["", "smartpay,paypal", "smartpay,smartpay"])
def test_payment_methods_must_name_known_methods_once(production, value):
    production.setenv("PAYMENT_METHODS", value)
    with pytest.raises(ConfigError, match="PAYMENT_METHODS must name each method once"):
        create_app()


@pytest.mark.parametrize("app_settings", [{"SUBSCRIPTIONS": False}])
def test_without_subscriptions_the_shop_has_no_teiki_bin_and_nothing_else_changes(app, client, catalog, runner):
    page = client.get("/products/kyoto-hojicha").get_data(as_text=True)
    assert "Or subscribe" not in page and "Add to cart" in page
    assert client.get("/subscriptions/new/kyoto-hojicha").status_code == 404
    with app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
    assert login(client).status_code == 303
    assert client.get("/admin/subscriptions").status_code == 404
    assert client.get("/admin/orders").status_code == 200 and "Subscriptions" not in client.get("/admin/orders").text
    assert "subscriptions" not in runner.invoke(args=["--help"]).output
    assert "subscriptions" not in app.extensions.get("webhook_handlers", {}).get("token.disabled", lambda: 0).__module__
    from storefront.worker import JOBS

    with app.app_context():
        assert "subscriptions" in [job.name for job in JOBS if not job.is_on()]  # (emails: no MAIL_SERVER here)
        assert {"webhooks", "sync", "transfers"} <= {job.name for job in JOBS if job.is_on()}


def test_a_site_that_shows_its_legal_pages_elsewhere_may_turn_them_off(production):
    production.delenv("SHOP_LEGAL_NAME")
    production.setenv("LEGAL_PAGES", "0")
    app = create_app()
    assert "legal.commerce" not in app.view_functions


@pytest.mark.parametrize("number", ["1234567890123", "T123456789012", "T12345678901234", "Ｔ1234567890123"])
def test_a_registration_number_that_is_not_t_and_13_digits_stops_the_shop(production, number):
    production.setenv("INVOICE_REGISTRATION_NUMBER", number)
    with pytest.raises(ConfigError, match="is not a registration number: T and 13 digits"):
        create_app()
