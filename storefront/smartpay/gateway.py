"""The shop's configured Smartpay client, with every call written to the API log."""
import re

from flask import current_app, g
from sqlalchemy import insert

from ..extensions import db
from ..models import utcnow
from ..request_id import current_request_id
from .client import CallRecord, SmartpayClient
from .models import ApiCall

ORDER_ID = re.compile(r"order_(?:test|live)_[0-9A-Za-z]+")


def smartpay() -> SmartpayClient:
    """One client per request (a requests.Session keeps the connection to Smartpay warm)."""
    if "smartpay" not in g:
        config = current_app.config
        g.smartpay = SmartpayClient(
            api_url=config["SMARTPAY_API_URL"], secret_key=config["SMARTPAY_SECRET_KEY"],
            timeout=config["SMARTPAY_TIMEOUT"], retries=config["SMARTPAY_RETRIES"], on_call=log_call)
    return g.smartpay


def log_call(call: CallRecord) -> None:
    """Write the call on its own connection, so the log survives even when the caller's transaction rolls back."""
    with db.engine.begin() as connection:
        connection.execute(insert(ApiCall).values(
            created_at=utcnow(), method=call.method, path=call.path, status_code=call.status_code,
            duration_ms=call.duration_ms, idempotency_key=call.idempotency_key,
            request_body=call.request_body, response_body=call.response_body, error=call.error,
            smartpay_order_id=order_id_of(call), request_id=current_request_id()))


def order_id_of(call: CallRecord) -> str | None:
    """The Smartpay order a call concerns, so the admin's order page can show its calls."""
    for text in (call.path, call.request_body, call.response_body):
        match = ORDER_ID.search(text or "")
        if match:
            return match.group(0)
    return None

