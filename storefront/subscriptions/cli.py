"""`flask subscriptions run-due [--as-of DATE]`: charge what is due, as the worker does every few minutes.

With --as-of, as if it were that day: a workshop host (or a test) shows month three without waiting."""
from datetime import datetime

import click
from flask.cli import AppGroup

from ..i18n import shop_day
from ..models import utcnow
from .billing import run_due

subscriptions_cli = AppGroup("subscriptions", help="定期便: charge the cycles that are due.")


@subscriptions_cli.command("run-due")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), help="Charge what is due by this day.")
def run_due_command(as_of: datetime | None):
    """Charge every active subscription's cycles due by today (or --as-of)."""
    counts = run_due(as_of.date() if as_of else shop_day(utcnow()))  # due dates are the shop's days
    click.echo(", ".join(f"{key} {value}" for key, value in counts.items()))
