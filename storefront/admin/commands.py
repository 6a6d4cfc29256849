"""`flask admin create EMAIL` and `flask admin prune-logs`."""
import os
import secrets

import click

from ..smartpay.housekeeping import prune_logs as prune
from . import bp
from .auth import save_admin


@bp.cli.command("create")
@click.argument("email")
@click.option("--password-from-env", is_flag=True, help="Read the password from ADMIN_PASSWORD.")
@click.option("--update", is_flag=True, help="Set the password again if the account exists.")
def create_admin(email, password_from_env, update):
    """Add an admin account (the password is asked for, read from ADMIN_PASSWORD, or generated)."""
    if password_from_env:
        password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(12)
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise click.ClickException("Use a password of at least 8 characters.")
    outcome = save_admin(email, password, update)
    click.echo(f"Admin {email} already exists." if outcome == "exists" else f"Admin {email} is ready.")


@bp.cli.command("prune-logs")
def prune_logs():
    """Delete API log entries and refused webhooks older than API_LOG_RETENTION_DAYS (the worker does it daily)."""
    counts = prune()
    click.echo(f"Deleted {counts['api_calls']} old API log entries and {counts['refused_webhooks']} refused webhooks.")
