"""`flask demo reset`: a clean public demo between two audiences, without touching the admin accounts.

It removes every order, cart, log row and email; loads the catalog afresh; and, when the shop runs against
the offline sandbox, makes a fresh sandbox account (a new sk_test_ key in instance/sandbox-key, where
`make run` reads it) and registers the webhook endpoint with it. It refuses in production, where those
orders are somebody's money.
"""
import secrets
import string

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import delete

from .admin.models import LoginAttempt
from .bank_transfer.models import TransferEntry, TransferNumber
from .cli import seed_catalog
from .config import INSTANCE, is_production
from .extensions import db
from .mail.models import OutboxEmail
from .models import Cart, CartLine, Order, OrderEvent, OrderLine, Refund, WorkerLease
from .smartpay.models import ApiCall, WebhookEndpoint, WebhookEvent
from .smartpay.webhooks.registration import ensure_webhook_endpoint
from .subscriptions.models import Subscription, SubscriptionCycle, SubscriptionLine

demo_cli = AppGroup("demo", help="Commands for running the public demo.")
# Children first, so no foreign key is left pointing at a deleted row.
DEMO_DATA = [OutboxEmail, SubscriptionCycle, SubscriptionLine, Subscription, OrderEvent, OrderLine, Refund,
             TransferEntry, TransferNumber, Order, CartLine, Cart, ApiCall, WebhookEvent, WebhookEndpoint, LoginAttempt,
             WorkerLease]


def uses_the_sandbox() -> bool:
    config = current_app.config
    return config["SMARTPAY_SECRET_KEY"].startswith("sk_test_") and "smartpay.co" not in config["SMARTPAY_API_URL"]


def new_sandbox_key() -> str:
    key = "sk_test_" + "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(24))
    INSTANCE.mkdir(exist_ok=True)
    (INSTANCE / "sandbox-key").write_text(key + "\n")
    return key


@demo_cli.command("reset")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def reset(yes: bool):
    """Remove all orders, carts, logs and emails, reseed the catalog and start a fresh sandbox account."""
    if is_production():
        raise click.ClickException("demo reset deletes every order; it refuses to run with APP_ENV=production.")
    if not yes:
        click.confirm("Delete every order, cart and log of this shop?", abort=True)
    for model in DEMO_DATA:
        db.session.execute(delete(model))
    db.session.commit()
    seed_catalog()
    click.echo("Orders, carts and logs removed; catalog loaded.")
    if not uses_the_sandbox():
        click.echo("Smartpay is not the offline sandbox here: its account was left as it is.")
        return
    current_app.config["SMARTPAY_SECRET_KEY"] = key = new_sandbox_key()
    click.echo(ensure_webhook_endpoint())
    db.session.commit()
    click.echo(f"Fresh sandbox account {key} (kept in instance/sandbox-key). "
               "Restart `make run` so the shop uses it.")
