"""`flask smartpay reconcile [--report] [--since DATE]`: for cron. Without --report it first moves open orders on
(as `flask smartpay sync`); either way it prints the comparison and exits 1 when anything differs."""
from datetime import datetime, timedelta

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from ...models import utcnow
from ..jobs import sync_open_orders
from .report import Report, compare

DEFAULT_DAYS = 31


@click.command("reconcile")
@with_appcontext
@click.option("--report", "report_only", is_flag=True, help="Only compare: change nothing in the shop.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]),
              help=f"Compare what happened from this day on (UTC; default: {DEFAULT_DAYS} days ago).")
def reconcile_command(report_only: bool, since: datetime | None):
    """Compare the shop's orders and refunds with Smartpay's; exit 1 on any difference."""
    if not report_only:
        sync_open_orders(every_open=True)
    since = since or (utcnow() - timedelta(days=DEFAULT_DAYS)).replace(hour=0, minute=0, second=0, microsecond=0)
    report = compare(since)
    with force_locale("en"):
        click.echo(as_text(report))
    if not report.clean:
        raise SystemExit(1)


def as_text(report: Report) -> str:
    lines = [f"Compared the shop with Smartpay since {report.since:%Y-%m-%d %H:%M} UTC: {report.smartpay_orders} "
             f"Smartpay orders took ¥{report.taken:,}, ¥{report.refunded:,} of it refunded."]
    if report.clean:
        return "\n".join([*lines, "No differences."])
    lines.append(f"{len(report.differences)} difference(s):")
    for found in report.differences:
        amounts = f" (shop ¥{found.shop or 0:,}, Smartpay ¥{found.smartpay or 0:,})"
        lines.append(f"- {found.code}: Smartpay order {found.smartpay_order or '-'}, shop order "
                     f"{found.shop_order or '-'}{amounts}. {found.what} What to do: {found.todo}")
    return "\n".join(lines)
