"""Deliver the outbox over SMTP: `flask mail send-pending` (add --loop for a worker).

Each row is claimed with a compare-and-set (pending → sending) before it is sent, so two senders never send
the same row. A server that is down or answers 4xx leaves the row pending with a growing delay: it goes out
when the server is back. A 5xx refusal (an address the server will never accept) marks it failed, with the
reason in plain words for the admin; the order is never touched. SMTP has no idempotency key: if the process
dies between the server's "250 OK" and our "sent", that one email is sent again after CLAIM_TIMEOUT.
"""
import smtplib
import time
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import select, update

from ..extensions import db
from ..models import utcnow
from .outbox import OutboxEmail

mail_cli = AppGroup("mail", help="The order email outbox.")
CLAIM_TIMEOUT = timedelta(minutes=10)
LONGEST_WAIT = timedelta(hours=1)


def send_pending(limit: int = 50) -> dict:
    """One pass: send every due row; returns how many were sent, deferred and failed."""
    release_stale_claims()
    due = db.session.scalars(select(OutboxEmail.id).where(
        OutboxEmail.status == "pending", OutboxEmail.next_attempt_at <= utcnow())
        .order_by(OutboxEmail.id).limit(limit)).all()
    counts = {"sent": 0, "deferred": 0, "failed": 0}
    for email_id in due:
        if claim(email_id):
            counts[deliver(db.session.get(OutboxEmail, email_id))] += 1
    return counts


def release_stale_claims() -> None:
    """A sender that died mid-send leaves `sending` behind; after CLAIM_TIMEOUT the row is tried again."""
    db.session.execute(update(OutboxEmail).where(OutboxEmail.status == "sending",
                                                 OutboxEmail.claimed_at < utcnow() - CLAIM_TIMEOUT)
                       .values(status="pending").execution_options(synchronize_session=False))
    db.session.commit()


def claim(email_id: int) -> bool:
    claimed = db.session.execute(update(OutboxEmail).where(OutboxEmail.id == email_id, OutboxEmail.status == "pending")
                                 .values(status="sending", claimed_at=utcnow())
                                 .execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return claimed


def deliver(email: OutboxEmail) -> str:
    email.attempts += 1
    try:
        message(email).send()
    except smtplib.SMTPResponseException as refusal:
        return record_failure(email, refusal.smtp_code, refusal.smtp_error)
    except smtplib.SMTPRecipientsRefused as refusal:
        code, text = next(iter(refusal.recipients.values()))
        return record_failure(email, code, text)
    except (OSError, smtplib.SMTPException) as trouble:  # down, unreachable, disconnected: try later
        return defer(email, f"{type(trouble).__name__}: {trouble}")
    email.status, email.sent_at, email.last_error = "sent", utcnow(), ""
    db.session.commit()
    return "sent"


def message(email: OutboxEmail) -> EmailMultiAlternatives:
    config = current_app.config
    built = EmailMultiAlternatives(subject=email.subject, body=email.text_body, from_email=config["MAIL_DEFAULT_SENDER"],
                                   to=[email.to_address], reply_to=[config["MAIL_REPLY_TO"]],
                                   headers={"X-Outbox-Id": email.public_id})
    built.attach_alternative(email.html_body, "text/html")
    return built


def record_failure(email: OutboxEmail, code: int, text: bytes | str) -> str:
    reason = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    if code < 500:  # 4xx: the server asks us to come back later
        return defer(email, f"{code} {reason}")
    email.status = "failed"
    email.last_error = f"The mail server refused this email ({code} {reason}). Check the address, then send it again."
    db.session.commit()
    return "failed"


def defer(email: OutboxEmail, error: str) -> str:
    wait = min(timedelta(seconds=5 * 2 ** (email.attempts - 1)), LONGEST_WAIT)
    email.status, email.last_error, email.next_attempt_at = "pending", error, utcnow() + wait
    db.session.commit()
    return "deferred"


def send_again(email: OutboxEmail) -> None:
    """The admin's "send again": the same message, back in the queue now."""
    email.status, email.next_attempt_at, email.last_error = "pending", utcnow(), ""
    db.session.commit()


@mail_cli.command("send-pending")
@click.option("--loop", is_flag=True, help="Keep sending, as a worker, until stopped.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between passes with --loop.")
def send_pending_command(loop: bool, interval: float):
    """Send the order emails waiting in the outbox."""
    if not current_app.config["MAIL_SERVER"]:
        raise click.ClickException("MAIL_SERVER is not set: nothing can be sent. `make run` starts a local "
                                   "mail catcher and sets it; in production, name your SMTP provider.")
    while True:
        counts = send_pending()
        if not loop or any(counts.values()):
            click.echo(f"Sent {counts['sent']}, deferred {counts['deferred']}, failed {counts['failed']}.")
        if not loop:
            return
        db.session.remove()
        time.sleep(interval)
