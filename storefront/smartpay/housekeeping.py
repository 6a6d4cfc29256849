"""Pruning the logs, once a day by the worker (or `flask admin prune-logs`): the API log and refused webhook
deliveries older than API_LOG_RETENTION_DAYS. Orders, their history and accepted webhooks are records and stay."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete

from ..extensions import db
from ..models import utcnow
from .models import ApiCall, WebhookEvent
from .statuses import WebhookStatus


def prune_logs() -> dict:
    cutoff = utcnow() - timedelta(days=current_app.config["API_LOG_RETENTION_DAYS"])
    api_calls = db.session.execute(delete(ApiCall).where(ApiCall.created_at < cutoff)).rowcount
    refused = db.session.execute(delete(WebhookEvent).where(
        WebhookEvent.status == WebhookStatus.REFUSED, WebhookEvent.received_at < cutoff)).rowcount
    return {"api_calls": api_calls, "refused_webhooks": refused}
