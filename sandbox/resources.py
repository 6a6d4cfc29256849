"""What the API's resources share: one blueprint shape under /v1 (key check, failure scenarios, error shape),
writes that honour Idempotency-Key, objects found only in the caller's account, and paged collections."""
from functools import wraps

from flask import Blueprint, g, jsonify, make_response, request
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from . import scenarios
from .errors import ApiError, from_http, not_found
from .extensions import db
from .http import api_error, authenticate
from .idempotency import remember, replay


def api_blueprint(name: str) -> Blueprint:
    """A blueprint of the merchant API under /v1: every request authenticated (each test key is its own
    account), exposed to the account's failure scenarios, and answered in the contract's error shape."""
    bp = Blueprint(name, __name__, url_prefix="/v1")
    bp.before_request(authenticate)

    @bp.before_request
    def act_out_scenarios():
        """A failure scenario set for this account may answer late or fail this call (sandbox/scenarios.py)."""
        scenarios.before_api_call(g.account)

    bp.after_request(scenarios.hold_answer)

    bp.register_error_handler(ApiError, api_error)

    @bp.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return from_http(error).response()
    return bp


def write(view):
    """A write is one unit of work: with an Idempotency-Key, a repeat gets the first answer back (with
    Idempotency-Replayed), and the change, its events and the remembered answer commit together or not at all
    (sandbox/idempotency.py). Views under it never commit."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        replayed = replay(g.account)
        if replayed is not None:
            db.session.commit()  # the expired keys it forgot
            return replayed
        try:
            response = jsonify(view(*args, **kwargs))
        except ApiError as error:
            db.session.rollback()
            response = make_response(error.response())
        remember(g.account, response)
        db.session.commit()
        return response
    return wrapper


def expanded() -> bool:
    return request.args.get("expand", "no") == "all"


def owned(model, object_id: str, kind: str):
    found = db.session.get(model, object_id)
    if found is None or found.account != g.account:
        raise not_found(kind, object_id)
    return found


def collection(model, to_json):
    """Newest first; pageToken is the offset it starts at, opaque to clients."""
    try:
        max_results = int(request.args.get("maxResults", 20))
        start = int(request.args.get("pageToken") or 0)
    except ValueError:
        raise ApiError(400, "request.invalid", "maxResults and pageToken must be whole numbers",
                       ["maxResults", "pageToken"]) from None
    if not 1 <= max_results <= 100 or start < 0:
        raise ApiError(400, "request.invalid", "maxResults must be from 1 to 100", ["maxResults"])
    rows = db.session.scalars(select(model).where(model.account == g.account)
                              .order_by(model.created_at.desc(), model.id.desc())
                              .offset(start).limit(max_results + 1)).all()
    page = rows[:max_results]
    return {"object": "collection", "pageToken": request.args.get("pageToken"),
            "nextPageToken": str(start + max_results) if len(rows) > max_results else None,
            "maxResults": max_results, "results": len(page),
            "data": [to_json(row, expanded()) for row in page]}
