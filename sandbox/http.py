"""What every JSON endpoint of the sandbox shares: the API key check, the API's error shape, the JSON body.

The API under /v1 and the scenarios under /sandbox both use these, so neither has to import the other.
"""
import json
import re

from flask import g, request

from .errors import ApiError
from .extensions import db
from .ids import account_of

TEST_KEY = re.compile(r"sk_test_[0-9A-Za-z]+")


def authenticate() -> None:
    """Each test key is its own merchant account (g.account); a live key or none is a 401."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    key = key.strip()
    if scheme.lower() == "basic" and key.startswith("sk_live_"):
        raise unauthorized("The sandbox takes test keys only (sk_test_…); never send a live key here")
    if scheme.lower() != "basic" or not TEST_KEY.fullmatch(key):
        raise unauthorized("Send your secret key as 'Authorization: Basic sk_test_…'")
    g.account = account_of(key)


def unauthorized(message: str) -> ApiError:
    error = ApiError(401, "unauthorized", message)
    error.scheme = "Basic"
    return error


def api_error(error: ApiError):
    """The error handler: Smartpay's error body, and nothing half-written left behind."""
    db.session.rollback()
    response, status = error.response()
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="Smartpay sandbox"'
    return response, status


def json_body():
    try:
        return json.loads(request.get_data() or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "request.malformed", "The request body is not valid JSON") from None
