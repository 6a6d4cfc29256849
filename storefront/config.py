"""Settings, read from the environment only (and from .env in development).

Production refuses to start without the values it cannot guess; development invents safe local ones so
that `make run` works on a laptop with nothing configured.
"""
import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


class ConfigError(RuntimeError):
    """A required setting is missing or invalid; the message says which and how to fix it."""


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None


def is_production() -> bool:
    return os.environ.get("APP_ENV", "development").lower() == "production"


def development_secret_key() -> str:
    """A key generated once and kept in instance/, so sessions survive a restart of `make run`."""
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if is_production():
        raise ConfigError("SECRET_KEY is not set. Production needs a long random value, "
                          "for example: python -c 'import secrets; print(secrets.token_hex(32))'")
    return development_secret_key()


def database_url() -> str:
    """DATABASE_URL, or in development a SQLite file in instance/ (created when missing).

    Production must name its database: the default file would live inside the code's folder, which a
    redeploy replaces, and one SQLite file cannot be shared by several machines."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        if is_production():
            raise ConfigError("DATABASE_URL is not set. Production needs its database named, for example "
                              "postgresql://user:password@host/shop")
        INSTANCE.mkdir(exist_ok=True)
        url = f"sqlite:///{INSTANCE / 'storefront.sqlite3'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named explicitly.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def stale_translations() -> list[str]:
    """Japanese catalogs whose compiled .mo is missing or older than the .po it is built from.

    The .mo files are build output (`make compile-translations`, which `make run` and `make test` do)."""
    stale = []
    for po in ROOT.glob("storefront/translations/*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            stale.append(str(mo.relative_to(ROOT)))
    return stale


def engine_options(url: str) -> dict:
    """A server database can drop pooled connections (a restart, a failover): test each before use. A SQLite
    file has no connection to lose, and the test would be one more query on every request."""
    return {} if url.startswith("sqlite") else {"pool_pre_ping": True}


def catalog_reads_bind(url: str) -> dict:
    """The engine the catalog's pages read through (storefront/shop/reads.py): the same database, in
    autocommit. A page that only reads needs no transaction, and on PostgreSQL each BEGIN and ROLLBACK is a
    round trip of its own: measured, round trips were most of what a page cost more on PostgreSQL than on
    SQLite. Writes never use it. (Not a lagging read replica: the cart badge reads here too.)

    No ping before each use either: a read can simply be tried again on a fresh connection when the first one
    turns out to be dead (reads.rows does), which costs nothing until a database restart."""
    return {"url": url, "isolation_level": "AUTOCOMMIT"}


def load() -> dict:
    """Build the configuration mapping for create_app."""
    if not is_production():
        load_dotenv(ROOT / ".env")
    port = env_int("PORT", 5000)
    database = database_url()
    return {
        "SECRET_KEY": secret_key(),
        "SQLALCHEMY_DATABASE_URI": database,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database),
        # Lax lets the cart cookie come back with the top-level redirect from Smartpay's hosted page.
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": is_production(),
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", f"http://127.0.0.1:{port}").rstrip("/"),
        "PROXY_FIX": env_int("PROXY_FIX", 0),
        # Japanese first: the language for a browser that asks for neither ja nor en, and for emails and CLI.
        "DEFAULT_LOCALE": os.environ.get("DEFAULT_LOCALE", "ja"),
        "BABEL_DEFAULT_LOCALE": os.environ.get("DEFAULT_LOCALE", "ja"),
        # Times are stored in UTC and shown in the shop's time zone.
        "DISPLAY_TIMEZONE": os.environ.get("DISPLAY_TIMEZONE", "Asia/Tokyo"),
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("DISPLAY_TIMEZONE", "Asia/Tokyo"),
        "PRODUCTS_PER_PAGE": env_int("PRODUCTS_PER_PAGE", 12),
        "SHIPPING_FEE": env_int("SHIPPING_FEE", 500),
        "FREE_SHIPPING_FROM": env_int("FREE_SHIPPING_FROM", 10000),
        # 引渡時期: business days from the payment (a bank transfer's arrival) to shipping; 返品: days after delivery.
        # The checkout's final confirmation and the legal notice say both.
        "SHIPPING_WITHIN_DAYS": env_int("SHIPPING_WITHIN_DAYS", 3),
        # 領収書 PDFs embed this font (storefront/receipts/pdf.py finds a system one when it is empty).
        "RECEIPT_FONT": os.environ.get("RECEIPT_FONT", ""),
        "RETURN_WITHIN_DAYS": env_int("RETURN_WITHIN_DAYS", 8),
        "SMARTPAY_SECRET_KEY": os.environ.get("SMARTPAY_SECRET_KEY", ""),
        "SMARTPAY_API_URL": os.environ.get("SMARTPAY_API_URL", "https://api.smartpay.co/v1").rstrip("/"),
        "SMARTPAY_WEBHOOK_SECRET": os.environ.get("SMARTPAY_WEBHOOK_SECRET", ""),
        # Where Smartpay delivers webhooks (registered by `flask smartpay register-webhook`). A separate process
        # pool for this path, routed by your proxy, keeps acknowledgements fast when the shop's pages are busy.
        "WEBHOOK_URL": os.environ.get("WEBHOOK_URL", "").rstrip("/"),
        "SMARTPAY_CAPTURE_METHOD": os.environ.get("SMARTPAY_CAPTURE_METHOD", "automatic"),
        "SMARTPAY_TIMEOUT": float(os.environ.get("SMARTPAY_TIMEOUT", "10")),
        "SMARTPAY_RETRIES": env_int("SMARTPAY_RETRIES", 2),
        "WEBHOOK_TOLERANCE_SECONDS": env_int("WEBHOOK_TOLERANCE_SECONDS", 300),
        "API_LOG_RETENTION_DAYS": env_int("API_LOG_RETENTION_DAYS", 14),
        # The worker (storefront/worker.py): how often it looks for work, how it retries a webhook whose order
        # Smartpay could not give (5 s, 10 s, 20 s … at most an hour apart, 15 tries: about 6 hours), how often
        # it reconciles open orders with Smartpay, and how long an order may stay `pending` before it is closed.
        "WORKER_POLL_SECONDS": float(os.environ.get("WORKER_POLL_SECONDS", "1")),
        "WEBHOOK_RETRY_SECONDS": float(os.environ.get("WEBHOOK_RETRY_SECONDS", "5")),
        "WEBHOOK_MAX_ATTEMPTS": env_int("WEBHOOK_MAX_ATTEMPTS", 15),
        "SYNC_INTERVAL_SECONDS": env_int("SYNC_INTERVAL_SECONDS", 300),
        "SYNC_LOOKBACK_DAYS": env_int("SYNC_LOOKBACK_DAYS", 8),
        "PENDING_TIMEOUT_MINUTES": env_int("PENDING_TIMEOUT_MINUTES", 30),
        "ADMIN_SESSION_MINUTES": env_int("ADMIN_SESSION_MINUTES", 60),
        # The payment methods the checkout offers, in this order (each registered by its package: see
        # storefront/checkout/methods.py). A method that is off is not offered, its settings are not asked for,
        # its pages do not exist and the worker has no job for it.
        "PAYMENT_METHODS": tuple(m.strip() for m in os.environ.get("PAYMENT_METHODS", "smartpay,bank_transfer")
                                 .split(",") if m.strip()),
        **bank_transfer_settings(),
        # 定期便 (storefront/subscriptions): off, no 定期便 pages, command, token events, worker job, admin pages.
        "SUBSCRIPTIONS": bool(env_int("SUBSCRIPTIONS", 1)),
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "text"),
        # The live demo's "under the hood" panel (storefront/demo): `make run` turns it on; never in production.
        "DEMO_MODE": bool(env_int("DEMO_MODE", 0)),
        # Order emails (storefront/mail): any SMTP provider; `make run` starts a local catcher when unset.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_BACKEND": "smtp",  # always real SMTP: Flask-Mailman would quietly keep mail in memory under TESTING
        "MAIL_PORT": env_int("MAIL_PORT", 1025),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": bool(env_int("MAIL_USE_TLS", 0)),
        "MAIL_TIMEOUT": env_int("MAIL_TIMEOUT", 10),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "Hinoki Market <orders@hinoki-market.example>"),
        "MAIL_REPLY_TO": os.environ.get("MAIL_REPLY_TO", "support@hinoki-market.example"),
        "SHOP_CONTACT_EMAIL": os.environ.get("SHOP_CONTACT_EMAIL", "support@hinoki-market.example"),
        "MAX_CONTENT_LENGTH": 1024 * 1024,  # no form of this shop is near 1 MB; larger bodies get a 413 page
        # Rate limits (storefront/limits.py), in Flask-Limiter's notation. Per shopper means per cart.
        "RATELIMIT_ENABLED": bool(env_int("RATELIMIT_ENABLED", 1)),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LIMIT_CHECKOUT": os.environ.get("LIMIT_CHECKOUT", "10 per minute"),
        "LIMIT_CHECKOUT_PER_ADDRESS": os.environ.get("LIMIT_CHECKOUT_PER_ADDRESS", "600 per minute"),
        "LIMIT_STATUS_POLL": os.environ.get("LIMIT_STATUS_POLL", "60 per minute"),
        "LIMIT_STATUS_POLL_PER_ADDRESS": os.environ.get("LIMIT_STATUS_POLL_PER_ADDRESS", "3000 per minute"),
        "LIMIT_ADMIN_LOGIN_PER_ADDRESS": os.environ.get("LIMIT_ADMIN_LOGIN_PER_ADDRESS", "30 per minute"),
        "LIMIT_ADDRESS_LOOKUP": os.environ.get("LIMIT_ADDRESS_LOOKUP", "30 per minute"),
        "LIMIT_ADDRESS_LOOKUP_PER_ADDRESS": os.environ.get("LIMIT_ADDRESS_LOOKUP_PER_ADDRESS", "1500 per minute"),
    }


# Bank transfer (storefront/bank_transfer): the shop's account, shown to the shopper as 振込先. Development
# shows a made-up account, labelled as one; production refuses to start until the real one is set.
BANK_ACCOUNT = ("BANK_TRANSFER_BANK", "BANK_TRANSFER_BRANCH", "BANK_TRANSFER_ACCOUNT_TYPE",
                "BANK_TRANSFER_ACCOUNT_NUMBER", "BANK_TRANSFER_ACCOUNT_HOLDER")
DEMO_BANK_ACCOUNT = {"BANK_TRANSFER_BANK": "デモ銀行", "BANK_TRANSFER_BRANCH": "見本支店",
                     "BANK_TRANSFER_ACCOUNT_TYPE": "ordinary", "BANK_TRANSFER_ACCOUNT_NUMBER": "0000000",
                     "BANK_TRANSFER_ACCOUNT_HOLDER": "デモ（ヒノキマーケット）"}


def bank_transfer_settings() -> dict:
    account = {name: os.environ.get(name, "").strip() for name in BANK_ACCOUNT}
    demo = not is_production() and not any(account.values())
    return {**(DEMO_BANK_ACCOUNT if demo else account),
            "BANK_TRANSFER_DEMO_ACCOUNT": demo,
            # Days the shopper has to pay, counted from the day of the order; the worker cancels it after that.
            "BANK_TRANSFER_DAYS": env_int("BANK_TRANSFER_DAYS", 7)}


def validate_bank_account(config) -> None:
    missing = [name for name in BANK_ACCOUNT if not config.get(name)]
    if missing:
        raise ConfigError(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: bank transfer "
                          "orders show the shop's account, so set it as your bank gives it.")
    if config["BANK_TRANSFER_ACCOUNT_TYPE"] not in ("ordinary", "current"):
        raise ConfigError("BANK_TRANSFER_ACCOUNT_TYPE must be 'ordinary' (普通) or 'current' (当座)")
    if not (config["BANK_TRANSFER_ACCOUNT_NUMBER"].isascii() and config["BANK_TRANSFER_ACCOUNT_NUMBER"].isdigit()
            and len(config["BANK_TRANSFER_ACCOUNT_NUMBER"]) == 7):
        raise ConfigError("BANK_TRANSFER_ACCOUNT_NUMBER must be the account's 7 digits, for example 1234567")
    if not 1 <= config["BANK_TRANSFER_DAYS"] <= 60:
        raise ConfigError("BANK_TRANSFER_DAYS must be between 1 and 60")


def validate_payment_methods(config) -> None:
    """The list's shape; which names exist is known once the packages registered (checkout/methods.py)."""
    methods = config["PAYMENT_METHODS"]
    if not methods or len(set(methods)) != len(methods):
        raise ConfigError(f"PAYMENT_METHODS must name each method once, separated by commas; "
                          f"got {','.join(methods)!r}")


def feature_on(config, feature: str) -> bool:
    """A payment method named in PAYMENT_METHODS, or a feature whose own setting (its name in capitals: SUBSCRIPTIONS)
    is on."""
    return feature in config["PAYMENT_METHODS"] or bool(config.get(feature.upper()))


def validate(config) -> None:
    """Fail fast on settings that would only break later, in front of a shopper."""
    if config["SMARTPAY_CAPTURE_METHOD"] not in ("automatic", "manual"):
        raise ConfigError("SMARTPAY_CAPTURE_METHOD must be 'automatic' or 'manual'")
    if config["LOG_FORMAT"] not in ("text", "json"):
        raise ConfigError("LOG_FORMAT must be 'text' or 'json'")
    if config["DEFAULT_LOCALE"] not in ("ja", "en"):
        raise ConfigError("DEFAULT_LOCALE must be 'ja' or 'en'")
    try:
        ZoneInfo(config["DISPLAY_TIMEZONE"])
    except (ValueError, ZoneInfoNotFoundError):
        raise ConfigError(f"DISPLAY_TIMEZONE {config['DISPLAY_TIMEZONE']!r} is not a time zone name, "
                          "for example Asia/Tokyo") from None
    if is_production() and not config.get("TESTING") and stale_translations():
        raise ConfigError(f"{', '.join(stale_translations())} is missing or out of date, so the shop would speak "
                          "English only. Build it on deploy: make compile-translations")
    if is_production() and not config.get("TESTING") and not config["MAIL_SERVER"]:
        raise ConfigError("MAIL_SERVER is not set. Order confirmations need your SMTP provider's host "
                          "(with MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD, MAIL_USE_TLS).")
    validate_payment_methods(config)  # each method's own settings: its package's init_app
    if is_production() and not config.get("TESTING") and not config["SMARTPAY_SECRET_KEY"]:
        raise ConfigError("SMARTPAY_SECRET_KEY is not set. Use the secret key from Smartpay's dashboard.")
