"""`flask subscriptions run-due [--as-of DATE]`: charge what is due, as the worker does every few minutes.

With --as-of, as if it were that day: a workshop host (or a test) shows month three without waiting. A day far
ahead (a typo) charges each subscription once at most: cycles long overdue are recorded as missed, and said so."""
from datetime import datetime

import click
from flask.cli import AppGroup

from ..i18n import shop_day
from ..models import utcnow
from .billing import MISSED_AFTER_DAYS
from .jobs import run_due

subscriptions_cli = AppGroup("subscriptions", help="定期便: charge the cycles that are due.")


@subscriptions_cli.command("run-due")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), help="Charge what is due by this day.")
def run_due_command(as_of: datetime | None):
    """Charge every active subscription's cycles due by today (or --as-of)."""
    counts = run_due(as_of.date() if as_of else shop_day(utcnow()))  # due dates are the shop's days
    click.echo(", ".join(f"{key} {value}" for key, value in counts.items()))
    if counts["missed"]:
        click.echo(f"{counts['missed']} cycle(s) more than {MISSED_AFTER_DAYS} days late were not charged but recorded "
                   "as missed: a run never charges months at once (see each subscription in the admin).")
