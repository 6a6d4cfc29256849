"""`python -m sandbox`: serve the offline Smartpay and deliver its webhooks."""
from werkzeug.serving import run_simple

from . import create_app


def main() -> None:
    app = create_app()
    base = app.config["PUBLIC_URL"]
    print(f"Smartpay sandbox API:       {base}/v1   (Authorization: Basic sk_test_<anything>)", flush=True)
    print(f"Smartpay sandbox dashboard: {base}/dashboard", flush=True)
    run_simple("127.0.0.1", app.config["PORT"], app, threaded=True)


if __name__ == "__main__":
    main()
