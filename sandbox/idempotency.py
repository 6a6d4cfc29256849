"""Idempotency-Key handling (contract §10.1): the first answer is kept for 6 hours and replayed.

The same key with a different request is refused, because silently answering for another body would
hide a bug in the merchant's retry logic.
"""
import hashlib
import threading
from collections import defaultdict
from contextlib import contextmanager

from flask import Response, request
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from .errors import ApiError
from .extensions import db
from .ids import now_ms
from .models import IdempotentResponse

KEEP_MS = 6 * 60 * 60 * 1000
WRITE_METHODS = {"POST", "PUT", "PATCH"}
_locks: defaultdict[tuple[str, str], threading.Lock] = defaultdict(threading.Lock)


@contextmanager
def one_at_a_time(account: str):
    """Two requests with the same key run one after the other, so the second one is a replay."""
    key = request.headers.get("Idempotency-Key", "")
    if request.method not in WRITE_METHODS or not key:
        yield
        return
    with _locks[(account, key)]:
        yield


def fingerprint() -> str:
    return hashlib.sha256(request.method.encode() + b" " + request.path.encode() + b"\n" + request.get_data()).hexdigest()


def replay(account: str) -> Response | None:
    """The stored answer for this key, or None when the request should run."""
    key = request.headers.get("Idempotency-Key", "")
    if request.method not in WRITE_METHODS or not key:
        return None
    db.session.execute(delete(IdempotentResponse).where(IdempotentResponse.created_at < now_ms() - KEEP_MS))
    stored = db.session.scalar(select(IdempotentResponse).where(
        IdempotentResponse.account == account, IdempotentResponse.key == key))
    if stored is None:
        return None
    if stored.fingerprint != fingerprint():
        raise ApiError(409, "request.idempotency-key-reused",
                       "This Idempotency-Key was already used for a different request", ["Idempotency-Key"])
    response = Response(stored.body, status=stored.status_code, mimetype="application/json")
    response.headers["Idempotency-Replayed"] = "true"
    return response


def remember(account: str, response: Response) -> None:
    """Keep the first answer; a concurrent twin that lost the race keeps the winner's."""
    key = request.headers.get("Idempotency-Key", "")
    if request.method not in WRITE_METHODS or not key or response.status_code >= 500:
        return
    db.session.add(IdempotentResponse(account=account, key=key, fingerprint=fingerprint(),
                                      status_code=response.status_code, body=response.get_data(as_text=True)))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()

