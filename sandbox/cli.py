"""`smartpay-sandbox` (and `python -m sandbox`): serve the offline Smartpay and deliver its webhooks.

Every option has an environment variable, for scripts and containers; an option given wins over it.
"""
import argparse
import os
import secrets
import sys

from werkzeug.serving import run_simple

OPTIONS = [  # (option, environment variable, help)
    ("--port", "SANDBOX_PORT", "port to listen on (default 5001)"),
    ("--host", "SANDBOX_HOST", "address to listen on (default 127.0.0.1: this machine only)"),
    ("--database", "SANDBOX_DATABASE_URL", "SQLAlchemy URL of its database (default: a SQLite file in "
                                           "~/.local/share/smartpay-sandbox/; postgresql+psycopg://… works too)"),
    ("--webhook-retry-delays", "SANDBOX_WEBHOOK_RETRY_DELAYS", "seconds between webhook retries, comma-separated "
                                                               "(default 5,30,120,600,3600)"),
    ("--locale", "SANDBOX_DEFAULT_LOCALE", "language of its pages when nothing else decides: ja or en (default ja)"),
    ("--public-url", "SANDBOX_PUBLIC_URL", "the address browsers use to reach it, if not http://127.0.0.1:PORT"),
    ("--workers", "SANDBOX_WORKERS", "processes answering at once (default 1; more need gunicorn, not on Windows): "
                                     "like Smartpay's servers, any of them may answer a retry"),
]


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="smartpay-sandbox", description="An offline Smartpay: merchant API under /v1, hosted checkout page, "
        "signed webhooks and a dashboard. Any sk_test_… key is its own account.")
    for option, variable, text in OPTIONS:
        parser.add_argument(option, help=f"{text}; environment: {variable}")
    arguments = parser.parse_args(argv)
    if arguments.port is not None and not (arguments.port.isdigit() and 0 < int(arguments.port) < 65536):
        parser.error(f"--port must be a port number, got {arguments.port!r}")
    if arguments.locale is not None and arguments.locale not in ("ja", "en"):
        parser.error(f"--locale must be ja or en, got {arguments.locale!r}")
    if arguments.workers is not None and not (arguments.workers.isdigit() and 1 <= int(arguments.workers) <= 16):
        parser.error(f"--workers must be a number of processes from 1 to 16, got {arguments.workers!r}")
    delays = arguments.webhook_retry_delays
    if delays is not None and not all(part.strip().replace(".", "", 1).isdigit() for part in delays.split(",")):
        parser.error(f"--webhook-retry-delays must be seconds separated by commas, for example 5,30,120; got {delays!r}")
    return arguments


def main(argv: list[str] | None = None) -> None:
    arguments = parse(sys.argv[1:] if argv is None else argv)
    for option, variable, _text in OPTIONS:  # the app reads its settings from the environment
        value = getattr(arguments, option.removeprefix("--").replace("-", "_"))
        if value is not None:
            os.environ[variable] = value
    from . import create_app

    workers = int(os.environ.get("SANDBOX_WORKERS") or 1)
    # One secret for every process, so a dashboard login or a hosted page's form works whichever answers.
    os.environ.setdefault("SANDBOX_SECRET_KEY", secrets.token_hex(32))
    app = create_app({"TESTING": True} if workers > 1 else None)  # several: the tables made once, here
    base = app.config["PUBLIC_URL"]
    print(f"Smartpay sandbox API:       {base}/v1   (Authorization: Basic sk_test_<anything>)", flush=True)
    print(f"Smartpay sandbox dashboard: {base}/dashboard", flush=True)
    print(f"Database:                   {app.config['SQLALCHEMY_DATABASE_URI']}", flush=True)
    host = os.environ.get("SANDBOX_HOST", "127.0.0.1")
    if workers > 1:
        serve_with_processes(host, app.config["PORT"], workers)
    else:
        run_simple(host, app.config["PORT"], app, threaded=True)


def serve_with_processes(host: str, port: int, workers: int) -> None:
    """Several processes, each with its own app and webhook deliverer (they share the queue in the database)."""
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:
        raise SystemExit("--workers above 1 needs gunicorn: pip install gunicorn (Linux and macOS)") from None
    from . import create_app

    class Sandbox(BaseApplication):
        def load_config(self):
            for name, value in {"bind": f"{host}:{port}", "workers": workers, "threads": 4,
                                "worker_class": "gthread", "accesslog": "-", "timeout": 120}.items():
                self.cfg.set(name, value)

        def load(self):
            return create_app()

    print(f"Processes:                  {workers}", flush=True)
    Sandbox().run()
