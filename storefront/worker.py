"""`flask worker`: every background job of the shop, in one loop (`--once` for cron and tests).

JOBS below is the one list of them: the loop, the `--only` choices, the command's help and the table in
docs/architecture.md (checked by a test) all come from it.

The database is the queue: inbox and outbox rows are written in the transaction that calls for them and
claimed with a compare-and-set (storefront/jobs.py), so any number of workers on any number of machines
share the work, and a periodic job runs in one worker at a time (a lease row per job). A merchant moves to a
queue server (Redis with RQ, Celery, SQS) when the database's load from polling matters more than one less
moving part, or when jobs must start within milliseconds: the jobs stay, the loop is what changes.
"""
import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from .bank_transfer import jobs as transfers
from .config import feature_on
from .extensions import db
from .i18n import shop_day
from .mail.jobs import send_pending
from .models import WorkerLease, utcnow
from .smartpay import housekeeping, jobs as smartpay_jobs
from .smartpay.webhooks import jobs as inbox
from .subscriptions import jobs as subscriptions

log = logging.getLogger(__name__)
HOLDER = f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Job:
    name: str
    what: str                   # one line for people: the command's help and the docs table
    run: Callable[[datetime], dict]  # given the clock the date-driven jobs read (`--as-of` moves it)
    every: float | str | None = None  # seconds between runs, or the setting that says; None: every pass (a queue)
    needs: str | None = None    # a setting without which the job cannot run
    feature: str | None = None  # the payment method or feature it serves: off, the job does not run

    def is_on(self) -> bool:
        config = current_app.config
        return (self.needs is None or bool(config[self.needs])) and \
            (self.feature is None or feature_on(config, self.feature))

    def interval(self) -> float | None:
        return current_app.config[self.every] if isinstance(self.every, str) else self.every

    @property
    def how_often(self) -> str:
        if self.every is None:
            return "every pass"
        if isinstance(self.every, str):
            return f"`{self.every}`"
        return {600: "every 10 minutes", 24 * 3600: "daily"}.get(self.every, f"every {self.every:g} s")


JOBS = (
    Job("webhooks", "the inbox: each stored event, in order of arrival, retried with growing delays while Smartpay "
        "cannot answer", lambda now: inbox.process_due()),
    Job("emails", "the outbox: order emails over SMTP", lambda now: send_pending(), needs="MAIL_SERVER"),
    Job("sync", "re-read orders awaiting payment and refunds pending; close checkout orders stuck in `pending`",
        lambda now: smartpay_jobs.run(), every="SYNC_INTERVAL_SECONDS", feature="smartpay"),
    Job("transfers", "cancel bank transfer orders whose deadline passed with nothing received (email to the "
        "shopper)", transfers.cancel_overdue, every=600, feature="bank_transfer"),
    Job("subscriptions", "charge the 定期便 cycles due today (`flask subscriptions run-due --as-of DATE` by hand); "
        "adopt a charge whose answer was lost", lambda now: subscriptions.run_due(shop_day(now)), every=600,
        feature="subscriptions"),
    Job("prune", "API log entries and refused webhooks older than `API_LOG_RETENTION_DAYS`",
        lambda now: housekeeping.prune_logs(), every=24 * 3600),
)
JOB_NAMES = [job.name for job in JOBS]


def jobs_table() -> str:
    """The Markdown table of docs/architecture.md's "The worker"."""
    rows = [f"| {job.name} | {job.what} | {job.how_often} |" for job in JOBS]
    return "\n".join(["| job | what | how often |", "|---|---|---|", *rows])


def run_once(only: tuple[str, ...] = (), as_of: datetime | None = None) -> dict[str, dict]:
    """One pass over the jobs: each is its own unit of work, and one failing job does not stop the others."""
    done, now = {}, as_of or utcnow()
    for job in JOBS:
        if (only and job.name not in only) or not job.is_on():
            continue
        try:
            # A moved clock (`--as-of`) is someone asking by hand: the job runs now, whoever holds its turn.
            if job.every is None or as_of is not None or take_turn(job.name, job.interval()):
                done[job.name] = job.run(now)
                db.session.commit()  # what a job left uncommitted (the pruning) is its last unit of work
        except Exception:  # the database restarting, a bug in one row: log it, keep the worker alive
            log.exception("worker job %s failed; it runs again on the next pass", job.name)
            db.session.rollback()
    db.session.remove()  # a fresh connection next pass: one the database dropped meanwhile is not reused
    return done


def run_forever(stop: threading.Event, only: tuple[str, ...] = ()) -> None:
    while not stop.is_set():
        done = run_once(only)
        busy = any(count for counts in done.values() for count in counts.values())
        if not busy:
            stop.wait(current_app.config["WORKER_POLL_SECONDS"])


def take_turn(job: str, every: float) -> bool:
    """The lease for a periodic job: True for the one worker that moved `leased_until` past now; the job is
    then not due again for `every` seconds, whichever worker asks."""
    now = utcnow()
    if db.session.get(WorkerLease, job) is None:
        try:
            db.session.add(WorkerLease(job=job, holder="", leased_until=now))
            db.session.commit()
        except IntegrityError:  # another worker wrote it first
            db.session.rollback()
    taken = db.session.execute(
        update(WorkerLease).where(WorkerLease.job == job, WorkerLease.leased_until <= now)
        .values(holder=HOLDER, leased_until=now + timedelta(seconds=every), last_run_at=now)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return taken


HELP = "Run the shop's background jobs, each its own unit of work:\n\n\b\n" + "\n".join(
    f"{job.name:<14} {job.what} ({job.how_often.strip('`')})" for job in JOBS)


@click.command("worker", help=HELP)
@with_appcontext
@click.option("--once", is_flag=True, help="One pass over the jobs, then exit (for cron and tests).")
@click.option("--only", multiple=True, type=click.Choice(JOB_NAMES),
              help="Run only these jobs (repeat the option for several).")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M"]),
              help="With --once: run the date-driven jobs as if it were this UTC time (e.g. deadlines a week on).")
def worker_command(once: bool, only: tuple[str, ...], as_of: datetime | None):
    if as_of and not once:
        raise click.UsageError("--as-of goes with --once: a worker that keeps running reads the real clock.")
    if once:
        for name, counts in run_once(only, as_of).items():
            click.echo(f"{name}: " + ", ".join(f"{key} {value}" for key, value in counts.items()))
        return
    click.echo(f"Worker {HOLDER} started; Ctrl-C stops it.")
    try:
        run_forever(threading.Event(), only)
    except KeyboardInterrupt:
        click.echo("Worker stopped.")
