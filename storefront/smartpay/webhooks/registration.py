"""The shop's webhook endpoint at Smartpay: created once per account, its signing secret kept."""
import secrets

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ..client import SmartpayError
from ..gateway import smartpay
from ..models import WebhookEndpoint
from .inbox import handled_events


class RegistrationFailed(Exception):
    """Smartpay refused, or could not be asked; the message says which, for the command line."""


def ensure_webhook_endpoint() -> str:
    """Register the endpoint (WEBHOOK_URL, else PUBLIC_URL's) unless Smartpay still has it; commits (a command's
    one unit of work)."""
    url = current_app.config["WEBHOOK_URL"] or current_app.config["PUBLIC_URL"] + "/webhooks/smartpay"
    if still_registered(url):
        return f"Webhook endpoint already registered for {url}"
    # One key per run: the client's retries reuse it, while a later run (after the endpoint was deleted at
    # Smartpay) must not be answered with the replay of the old, deleted endpoint.
    key = "webhook-endpoint-" + secrets.token_hex(16)
    try:
        endpoint = smartpay().create_webhook_endpoint(url, sorted(handled_events()), idempotency_key=key)
    except SmartpayError as error:
        raise RegistrationFailed(f"Smartpay refused the webhook endpoint: {error.message}") from error
    db.session.add(WebhookEndpoint(smartpay_id=endpoint["id"], url=url, signing_secret=endpoint["signingSecret"]))
    return f"Registered webhook endpoint {endpoint['id']} for {url}"


def still_registered(url: str) -> bool:
    """True when our stored endpoint for `url` still exists at Smartpay (a new key means a new account)."""
    stored = db.session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.url == url))
    if stored is None:
        return False
    try:
        smartpay().get_webhook_endpoint(stored.smartpay_id)
    except SmartpayError as error:
        if error.status_code != 404:
            raise RegistrationFailed(f"Could not check the webhook endpoint: {error.message}") from error
        db.session.delete(stored)
        return False
    return True
