"""The admin's Emails page: every row of the outbox, each message as the shopper sees it, and "send again"."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..mail.jobs import send_again
from ..mail.models import OutboxEmail
from ..security import page_cursor
from . import bp
from .forms import ActionForm

PAGE_SIZE = 50


@bp.get("/emails")
def emails():
    query = select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(PAGE_SIZE)
    before = page_cursor("before")
    if before:
        query = query.where(OutboxEmail.id < before)
    rows = db.session.scalars(query).all()
    return render_template("admin/emails.html", emails=rows, older=rows[-1].id if len(rows) == PAGE_SIZE else None)


@bp.get("/emails/<public_id>")
def email(public_id: str):
    return render_template("admin/email.html", email=find_email(public_id), form=ActionForm())


@bp.get("/emails/<public_id>/html")
def email_html(public_id: str):
    """The HTML part alone, for the sandboxed frame of the email page. Emails carry inline styles, which the
    admin's own CSP forbids; this one response allows them, and nothing else (no script, no framing by others)."""
    response = db.session.scalar(select(OutboxEmail.html_body).where(OutboxEmail.public_id == public_id))
    if response is None:
        abort(404)
    return response, 200, {
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                                   "frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
        "X-Frame-Options": "SAMEORIGIN"}


@bp.post("/emails/<public_id>/send-again")
def resend_email(public_id: str):
    found = find_email(public_id)
    if ActionForm().validate():
        send_again(found)
        db.session.commit()
        flash(_("The email to %(address)s is queued again; the sender delivers it within seconds.",
                address=found.to_address), "success")
    return redirect(url_for("admin.email", public_id=found.public_id), code=303)


def find_email(public_id: str) -> OutboxEmail:
    return db.session.scalar(select(OutboxEmail).where(OutboxEmail.public_id == public_id)) or abort(404)
