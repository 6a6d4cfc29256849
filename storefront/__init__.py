"""The reference Smartpay storefront: a Flask app factory in small, named steps."""
from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as settings
from . import (bank_transfer, i18n, labels, legal, limits, receipts, request_id, security, smartpay,  # noqa: F401
               subscriptions)
from .checkout import methods
from .extensions import babel, csrf, db, login_manager, mailer, migrate

ROOT = settings.ROOT
# The shop's features: each registers its payment method, pages, commands and webhook handlers from its init_app,
# and reads its own setting (PAYMENT_METHODS, SUBSCRIPTIONS) to decide what of itself to turn on.
FEATURES = (smartpay.init_app, bank_transfer.init_app, subscriptions.init_app, legal.init_app, receipts.init_app)


def create_app(test_config: dict | None = None, extra_features=()) -> Flask:
    """`extra_features`: more init_app functions, as FEATURES (a test's own payment method, say)."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(settings.INSTANCE))
    app.config.update(settings.load())
    app.config.update(test_config or {})
    app.config.setdefault("SQLALCHEMY_BINDS", {"catalog_reads": settings.catalog_reads_bind(
        app.config["SQLALCHEMY_DATABASE_URI"])})
    settings.validate(app.config)
    request_id.init_app(app)
    security.register_converters(app)
    register_extensions(app)
    register_blueprints(app)
    methods.init_app(app)
    for init_feature in (*FEATURES, *extra_features):
        init_feature(app)
    methods.check_offered(app)
    register_errorhandlers(app)
    register_commands(app)
    security.init_app(app)
    if app.config["PROXY_FIX"]:
        # Behind one trusted proxy: believe its X-Forwarded-* so url_for builds https URLs.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            tune_sqlite(engine)
    # Batch mode lets later migrations alter columns on SQLite, which has no ALTER COLUMN.
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    login_manager.init_app(app)
    login_manager.user_loader(load_admin)
    login_manager.login_view = "admin.login"
    limits.init_app(app)
    mailer.init_app(app)


def tune_sqlite(engine) -> None:
    """SQLite, the laptop's database: WAL lets gunicorn's workers and the mail sender read while one of them
    writes, and synchronous=NORMAL spares a commit its second wait for the disk (a power cut, not a crash of
    the app, could lose the last commit; production runs PostgreSQL)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(connection, _record):
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA busy_timeout=10000")


def load_admin(user_id: str):
    from .admin.models import AdminUser

    return db.session.get(AdminUser, int(user_id)) if user_id.isdigit() else None


def register_blueprints(app: Flask) -> None:
    from .address import bp as address_bp
    from .admin import bp as admin_bp
    from .checkout.views import bp as checkout_bp
    from .demo import bp as demo_bp
    from .health import bp as health_bp
    from .shop.views import bp as shop_bp

    app.register_blueprint(shop_bp)
    app.register_blueprint(checkout_bp)
    app.register_blueprint(address_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(demo_bp)
    i18n.init_app(app)
    labels.register(app)


def register_errorhandlers(app: Flask) -> None:
    def render_error(error: HTTPException):
        if request.path.startswith(limits.JSON_PATHS):  # JSON endpoints answer JSON, even a 404 or a 405
            return jsonify(error=error.name, message=error.description), error.code
        # Our own abort(400, "…") says what went wrong; werkzeug's stock descriptions are English boilerplate.
        own = error.description if error.description != type(error).description else None
        return render_template("error.html", error=error, message=own), error.code

    def refuse_csrf(error: CSRFError):
        message = _("Your session expired or the form was sent twice. Please try again.")
        return render_template("error.html", error=error, message=message), 400

    def hide_crash(error: Exception):
        # A shopper never sees a stack trace; the log keeps it for the developer.
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_template("error.html", error=None), 500

    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(CSRFError, refuse_csrf)
    app.register_error_handler(Exception, hide_crash)


def register_commands(app: Flask) -> None:
    from .cli import seed_command
    from .demo_reset import demo_cli
    from .mail.jobs import mail_cli
    from .worker import worker_command

    app.cli.add_command(seed_command)
    app.cli.add_command(demo_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(worker_command)
