"""An offline stand-in for Smartpay: merchant API, hosted checkout page, signed webhooks and a dashboard.

It never imports the storefront; the two meet over HTTP only, exactly as a shop meets the real Smartpay.
Its tables are created on start (db.create_all): it is a throwaway test double, so it has no migrations.
"""
import os
import secrets
from pathlib import Path

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import BadRequest, HTTPException

from . import i18n, security
from .paths import default_database
from .errors import from_http
from .extensions import db, limiter

DEFAULT_RETRY_DELAYS = "5,30,120,600,3600"


def settings() -> dict:
    port = int(os.environ.get("SANDBOX_PORT", "5001"))
    database = os.environ.get("SANDBOX_DATABASE_URL") or default_database()
    delays = os.environ.get("SANDBOX_WEBHOOK_RETRY_DELAYS", DEFAULT_RETRY_DELAYS)
    return {
        "PORT": port,
        "PUBLIC_URL": os.environ.get("SANDBOX_PUBLIC_URL", f"http://127.0.0.1:{port}").rstrip("/"),
        "SQLALCHEMY_DATABASE_URI": database,
        "SECRET_KEY": os.environ.get("SANDBOX_SECRET_KEY") or secrets.token_hex(32),
        "WEBHOOK_RETRY_DELAYS": [float(part) for part in delays.split(",") if part.strip()],
        "WEBHOOK_POLL_SECONDS": float(os.environ.get("SANDBOX_WEBHOOK_POLL_SECONDS", "0.2")),
        "MAX_CONTENT_LENGTH": 1024 * 1024,  # a 2 MB body is refused with 413, as a real API would
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "sandbox_session",
        "DEFAULT_LOCALE": os.environ.get("SANDBOX_DEFAULT_LOCALE", "ja"),  # Smartpay's pages are Japanese first
        "BABEL_DEFAULT_LOCALE": os.environ.get("SANDBOX_DEFAULT_LOCALE", "ja"),
        "DISPLAY_TIMEZONE": os.environ.get("DISPLAY_TIMEZONE", "Asia/Tokyo"),
        "RATELIMIT_STORAGE_URI": os.environ.get("SANDBOX_RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LIMIT_DASHBOARD_LOGIN": os.environ.get("SANDBOX_LIMIT_DASHBOARD_LOGIN", "30 per minute"),
    }


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(settings())
    app.config.update(config or {})
    db.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    limiter.init_app(app)
    from . import clock, consumer_api, locking, models, promotions, scenarios, webhooks  # noqa: F401  (tables)

    with app.app_context():
        configure_sqlite(app)
        db.create_all()
    register_blueprints(app)
    register_errorhandlers(app)
    if not app.config.get("TESTING"):
        from .deliverer import start_worker

        start_worker(app)
    return app


def configure_sqlite(app: Flask) -> None:
    """WAL and a busy timeout let the API, the hosted page and the webhook worker write side by side."""
    if db.engine.dialect.name != "sqlite":
        return
    Path(db.engine.url.database).parent.mkdir(parents=True, exist_ok=True)

    @event.listens_for(db.engine, "connect")
    def on_connect(connection, _record):
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA busy_timeout=10000")

    db.engine.dispose()


def register_blueprints(app: Flask) -> None:
    from .api import bp as api_bp
    from .consumer_api import bp as consumers_bp
    from .dashboard import bp as dashboard_bp
    from .hosted import bp as hosted_bp
    from .promotion_api import bp as promotions_bp
    from .token_api import bp as tokens_bp
    from .scenario_routes import bp as scenarios_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(promotions_bp)
    app.register_blueprint(consumers_bp)
    app.register_blueprint(tokens_bp)
    app.register_blueprint(hosted_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(scenarios_bp)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")


def register_errorhandlers(app: Flask) -> None:
    def json_for_api(error: HTTPException):
        # Routing errors under /v1 happen before the API blueprint runs; answer them in the API's shape too.
        if request.path.startswith(("/v1", "/sandbox/")):
            return from_http(error).response()
        if error.code == 404:
            message = _("There is nothing at this address. Links to a checkout work only while it is open.")
        elif error.code == 429:
            message = _("Too many attempts from this address. Please wait a minute and try again.")
        elif error.code == 400 and error.description and error.description != BadRequest.description:
            message = error.description  # our own reason, already in the user's language
        else:
            message = _("Please go back and try again.")
        return render_template("error.html", code=error.code, message=message), error.code

    def never_html_for_api(error: Exception):
        app.logger.exception("sandbox error on %s %s", request.method, request.path)
        db.session.rollback()
        if request.path.startswith(("/v1", "/sandbox/")):
            if isinstance(error, OperationalError):  # the database busy or gone: nothing was committed
                body = {"statusCode": 503, "errorCode": "service.unavailable", "details": [],
                        "message": "The sandbox's database is busy; nothing was changed. Retry with the same "
                                   "Idempotency-Key"}
                return jsonify(body), 503
            body = {"statusCode": 500, "errorCode": "internal", "message": "The sandbox failed; see its log",
                    "details": []}
            return jsonify(body), 500
        return render_template("error.html", code=500, message=_("The sandbox failed; see its log.")), 500

    app.register_error_handler(HTTPException, json_for_api)
    app.register_error_handler(Exception, never_html_for_api)
