"""`flask smartpay register-webhook|sync|reconcile`: the shop's side of Smartpay, by hand or from cron."""
import click
from flask.cli import AppGroup

from ..extensions import db

from .reconciliation.commands import reconcile_command
from .jobs import sync_open_orders
from .webhooks.registration import RegistrationFailed, ensure_webhook_endpoint

smartpay_cli = AppGroup("smartpay", help="The shop's side of Smartpay: its webhook endpoint, reconciliation.")
smartpay_cli.add_command(reconcile_command)


@smartpay_cli.command("register-webhook")
def register_webhook():
    """Create the webhook endpoint at Smartpay for PUBLIC_URL and keep its signing secret."""
    try:
        click.echo(ensure_webhook_endpoint())
        db.session.commit()
    except RegistrationFailed as failure:
        raise click.ClickException(str(failure)) from None


@smartpay_cli.command("sync")
def sync():
    """Re-read every order that can still change and move it on (the worker does it every few minutes)."""
    counts = sync_open_orders(every_open=True)
    click.echo(f"Checked {counts['checked']} orders: {counts['changed']} changed, {counts['failed']} unreachable.")
