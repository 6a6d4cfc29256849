"""The webhook log and the API log: the developer's window onto what crossed to and from Smartpay."""
import json

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..security import page_cursor
from ..smartpay.models import ApiCall, WebhookEvent
from ..smartpay.statuses import WebhookStatus
from ..smartpay.webhooks.inbox import process_again
from . import bp
from .forms import ActionForm

PAGE_SIZE = 50


def pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (TypeError, ValueError):
        return text


bp.add_app_template_filter(pretty, "pretty_json")


def page_of(model, before: int | None):
    query = select(model).order_by(model.id.desc()).limit(PAGE_SIZE)
    if before:
        query = query.where(model.id < before)
    rows = db.session.scalars(query).all()
    return rows, (rows[-1].id if len(rows) == PAGE_SIZE else None)


@bp.get("/webhooks")
def webhook_log():
    events, older = page_of(WebhookEvent, page_cursor("before"))
    return render_template("admin/webhooks.html", events=events, older=older)


@bp.get("/webhooks/<int:event_id>")
def webhook_event(event_id: int):
    event = db.session.get(WebhookEvent, event_id) or abort(404)
    return render_template("admin/webhook.html", event=event, form=ActionForm())


@bp.post("/webhooks/<int:event_id>/process-again")
def reprocess(event_id: int):
    event = db.session.get(WebhookEvent, event_id) or abort(404)
    if event.status == WebhookStatus.REFUSED:
        flash(_("A delivery that failed the signature check is never acted on."), "error")
    elif ActionForm().validate():
        process_again(event)
        db.session.commit()
        flash(_("The event is queued again; the worker processes it within seconds."), "success")
    return redirect(url_for("admin.webhook_event", event_id=event.id), code=303)


@bp.get("/api-log")
def api_log():
    """Reading the log changes nothing: the worker prunes it (storefront/smartpay/housekeeping.py)."""
    calls, older = page_of(ApiCall, page_cursor("before"))
    return render_template("admin/api_log.html", calls=calls, older=older,
                           days=current_app.config["API_LOG_RETENTION_DAYS"])


@bp.get("/api-log/<int:call_id>")
def api_call(call_id: int):
    return render_template("admin/api_call.html", call=db.session.get(ApiCall, call_id) or abort(404))

