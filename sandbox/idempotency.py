"""Idempotency-Key handling (contract §10.1): one key, one effect, whichever process answers.

The first answer is kept for 6 hours (by the account's clock, sandbox/clock.py) and replayed for a repeat of
the same request, with `Idempotency-Replayed: true`; the same key with a different request is refused, because
silently answering for another body would hide a bug in the merchant's retry logic.

A write runs as one transaction under the account's lock (sandbox/locking.py): look for the key, do the change,
keep the answer, commit. A twin sent at the same moment, to this process or another, waits for the lock and
then finds the answer. A change that fails (a 5xx, the database gone) commits nothing, so a retry runs it again;
a refusal (4xx) is remembered like any answer.
"""
import hashlib

from flask import Response, request
from sqlalchemy import delete, select

from .clock import now_for
from .errors import ApiError
from .extensions import db
from .locking import lock_account
from .models import IdempotentResponse

KEEP_MS = 6 * 60 * 60 * 1000
WRITE_METHODS = {"POST", "PUT", "PATCH"}


def key_of_request() -> str:
    return request.headers.get("Idempotency-Key", "") if request.method in WRITE_METHODS else ""


def fingerprint() -> str:
    return hashlib.sha256(request.method.encode() + b" " + request.path.encode() + b"\n" + request.get_data()).hexdigest()


def replay(account: str) -> Response | None:
    """Under the account's lock: the stored answer for this key, or None when the request should run."""
    key = key_of_request()
    if not key:
        return None
    lock_account(account)
    now = now_for(account)
    db.session.execute(delete(IdempotentResponse).where(IdempotentResponse.account == account,
                                                        IdempotentResponse.created_at < now - KEEP_MS))
    stored = stored_answer(account, key)
    if stored is None:
        return None
    if stored.fingerprint != fingerprint():
        raise ApiError(409, "request.idempotency-key-reused",
                       "This Idempotency-Key was already used for a different request", ["Idempotency-Key"])
    response = Response(stored.body, status=stored.status_code, mimetype="application/json")
    response.headers["Idempotency-Replayed"] = "true"
    return response


def stored_answer(account: str, key: str) -> IdempotentResponse | None:
    return db.session.scalar(select(IdempotentResponse).where(IdempotentResponse.account == account,
                                                             IdempotentResponse.key == key))


def remember(account: str, response: Response) -> None:
    """Keep this answer in the caller's transaction (the one that made the change), under the account's lock."""
    key = key_of_request()
    if not key or response.status_code >= 500:
        return
    lock_account(account)  # a refusal's rollback let go of it
    if stored_answer(account, key) is not None:  # a twin answered while this refusal was rolled back
        return
    db.session.add(IdempotentResponse(account=account, key=key, fingerprint=fingerprint(),
                                      status_code=response.status_code, body=response.get_data(as_text=True),
                                      created_at=now_for(account)))
