"""Deliver the outbox over SMTP: the worker's emails job (storefront/worker.py), or `flask mail send-pending`.

Each row is claimed with a compare-and-set (pending → sending, storefront/jobs.py) before it is sent, so two
senders never send the same row. A server that is down or answers 4xx leaves the row pending with a growing delay: it goes out
when the server is back. A 5xx refusal (an address the server will never accept) marks it failed, with the
reason in plain words for the admin; the order is never touched. SMTP has no idempotency key: if the process
dies between the server's "250 OK" and our "sent", that one email is sent again after CLAIM_TIMEOUT.
"""
import smtplib

import click
from flask import current_app
from flask.cli import AppGroup
from flask_mailman import EmailMultiAlternatives

from .. import jobs
from ..extensions import db
from ..models import utcnow
from ..statuses import EmailStatus
from .models import OutboxEmail

mail_cli = AppGroup("mail", help="The order email outbox.")


def send_pending(limit: int = 50) -> dict:
    """One pass: send every due row; returns how many were sent, deferred and failed."""
    return jobs.work_through(OutboxEmail, EmailStatus.PENDING, EmailStatus.SENDING, deliver,
                             ("sent", "deferred", "failed"), limit)


def deliver(email: OutboxEmail) -> str:
    try:
        message(email).send()
    except smtplib.SMTPResponseException as refusal:
        return record_failure(email, refusal.smtp_code, refusal.smtp_error)
    except smtplib.SMTPRecipientsRefused as refusal:
        code, text = next(iter(refusal.recipients.values()))
        return record_failure(email, code, text)
    except (OSError, smtplib.SMTPException) as trouble:  # down, unreachable, disconnected: try later
        return defer(email, f"{type(trouble).__name__}: {trouble}")
    email.status, email.sent_at, email.last_error = EmailStatus.SENT, utcnow(), ""
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
    email.status = EmailStatus.FAILED
    email.last_error = f"The mail server refused this email ({code} {reason}). Check the address, then send it again."
    db.session.commit()
    return "failed"


def defer(email: OutboxEmail, error: str) -> str:
    email.status, email.last_error = EmailStatus.PENDING, error
    email.next_attempt_at = utcnow() + jobs.backoff(email.attempts, first=5)
    db.session.commit()
    return "deferred"


def send_again(email: OutboxEmail) -> None:
    """The admin's "send again": the same message, back in the queue now."""
    email.status, email.next_attempt_at, email.last_error = EmailStatus.PENDING, utcnow(), ""


@mail_cli.command("send-pending")
def send_pending_command():
    """Send the order emails waiting in the outbox, once (the worker does it all the time)."""
    if not current_app.config["MAIL_SERVER"]:
        raise click.ClickException("MAIL_SERVER is not set: nothing can be sent. `make run` starts a local "
                                   "mail catcher and sets it; in production, name your SMTP provider.")
    counts = send_pending()
    click.echo(f"Sent {counts['sent']}, deferred {counts['deferred']}, failed {counts['failed']}.")
