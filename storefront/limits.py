"""Rate limits (Flask-Limiter): how fast one client may create checkout sessions, poll, or try passwords.

A workshop room or an office shares one public IP address, so the shopper limits are counted per shopper
(their cart, from the signed session cookie) and only a generous ceiling is counted per address. Webhooks are
never limited: Smartpay retries, and a refused delivery only arrives later. Limits are settings; the counters
live in memory (one process, `make run`) or in RATELIMIT_STORAGE_URI (Redis or Memcached) when several
workers or machines must share them.
"""
import math
import time

from flask import Flask, current_app, jsonify, render_template, request, session
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address

from .cart import SESSION_KEY
from .extensions import limiter

JSON_PATHS = ("/checkout/status/", "/address/", "/webhooks/", "/healthz", "/readyz")


def shopper_key() -> str:
    """One shopper: their cart when they have one, else their address."""
    cart_id = session.get(SESSION_KEY)
    return f"cart:{cart_id}" if cart_id else f"ip:{get_remote_address()}"


def address_key() -> str:
    return f"ip:{get_remote_address()}"


def setting(name: str):
    """A limit read when the request is checked, so tests and operators can change it by configuration."""
    return lambda: current_app.config[name]


def per_shopper_and_address(shopper_setting: str, address_setting: str, methods=None):
    def decorate(view):
        view = limiter.limit(setting(shopper_setting), key_func=shopper_key, methods=methods)(view)
        return limited(limiter.limit(setting(address_setting), key_func=address_key, methods=methods)(view))
    return decorate


def limited(view):
    """Mark a view as having limits of its own (functools.wraps carries the mark through outer decorators)."""
    view.has_rate_limits = True
    return view


@limiter.request_filter
def unlimited_view() -> bool:
    """Flask-Limiter looks for limits on every request; the shop's pages have none, so they skip its work.

    Measured: on a catalog page that bookkeeping cost about as much as reading the page's products."""
    view = current_app.view_functions.get(request.endpoint or "")
    return not getattr(view, "has_rate_limits", False)


# The checkout POST creates a session at Smartpay: the one call a bot could turn into an open relay.
limit_checkout = per_shopper_and_address("LIMIT_CHECKOUT", "LIMIT_CHECKOUT_PER_ADDRESS", methods=["POST"])
limit_status_poll = per_shopper_and_address("LIMIT_STATUS_POLL", "LIMIT_STATUS_POLL_PER_ADDRESS")
# The postal code lookup: a shopper types one code or two; a script walking all 120,000 codes is stopped.
limit_address_lookup = per_shopper_and_address("LIMIT_ADDRESS_LOOKUP", "LIMIT_ADDRESS_LOOKUP_PER_ADDRESS")


def limit_admin_login(view):
    # Per address, on top of the per-account lock-out: many accounts tried from one place are slowed too.
    return limited(limiter.limit(setting("LIMIT_ADMIN_LOGIN_PER_ADDRESS"), key_func=address_key,
                                 methods=["POST"])(view))


def wants_json() -> bool:
    return request.path.startswith(JSON_PATHS) or request.accept_mimetypes.best == "application/json"


def retry_after_seconds() -> int:
    current = limiter.current_limit
    return max(1, math.ceil(current.reset_at - time.time())) if current else 60


def too_many_requests(error: RateLimitExceeded):
    seconds = retry_after_seconds()
    message = _("You are going faster than this shop allows. Please wait %(seconds)s seconds and try again.",
                seconds=seconds)
    if wants_json():
        response = jsonify(error="too_many_requests", message=message, retry_after=seconds)
    else:
        response = current_app.make_response(render_template("error.html", error=error, message=message))
    response.status_code = 429
    response.headers["Retry-After"] = str(seconds)
    return response


def init_app(app: Flask) -> None:
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, too_many_requests)
