"""Security headers on every response, and the guards that turn hostile input into a 400 instead of a 500.

One small hook rather than a library: every header is visible here, with why it is set.
- Content-Security-Policy: scripts, styles and images only from this site (no inline code anywhere), forms
  only to this site and to Smartpay's hosted checkout (the checkout form's 303 goes there, and browsers check
  form-action on redirects), and no framing at all (clickjacking of the refund buttons).
- X-Frame-Options: DENY for browsers that predate frame-ancestors.
- Referrer-Policy: an order page's URL holds its unguessable id, so it never leaves in a Referer.
- HSTS in production only: on plain-HTTP development it would lock localhost to HTTPS.
"""
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from .config import is_production

LARGEST_ID = 2**63 - 1  # a BIGINT: anything larger cannot be a row of ours, on SQLite or PostgreSQL
PRIVATE_PATHS = ("/checkout/", "/admin")


class RowIdConverter(IntegerConverter):
    """`<int:…>` in URLs: a number that fits a database id, else the route does not match (404)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


def local_path(target: str | None, under: str = "/") -> str | None:
    """`target` when it is a path of this site under `under`, else None: the one guard for every "go back to"
    parameter (the language switch, the admin's sign-in). It refuses other sites (`https://evil.example`,
    `//evil`, `/\\evil`) and control characters (a line break would split the Location header)."""
    if not target or not target.startswith(under) or target.startswith("//") or "\\" in target:
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    return target


def checkout_origin(api_url: str) -> str:
    """Where Smartpay's hosted checkout lives: checkout.smartpay.co for the real API, the sandbox's own
    origin for the sandbox (it serves its hosted page beside its API)."""
    parts = urlsplit(api_url)
    if parts.hostname and parts.hostname.endswith("smartpay.co"):
        return "https://checkout.smartpay.co"
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy() -> str:
    origin = current_app.config.get("SMARTPAY_CHECKOUT_ORIGIN") or checkout_origin(current_app.config["SMARTPAY_API_URL"])
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self'; form-action 'self' {origin}; frame-ancestors 'none'; base-uri 'none'; "
            "object-src 'none'")


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    private = request.path.startswith(PRIVATE_PATHS)
    headers.setdefault("Referrer-Policy", "no-referrer" if private else "strict-origin-when-cross-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if private:
        headers.setdefault("Cache-Control", "no-store")  # receipts and admin pages stay out of shared caches
    if is_production():
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    return response


def refuse_nul_bytes():
    """A NUL byte is never part of a real address, name or number, and PostgreSQL cannot store one in text:
    refuse it at the door with a 400 instead of failing deep inside with a 500."""
    pairs = list(request.args.items(multi=True))
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        pairs += list(request.form.items(multi=True))
    if "\x00" in request.path or any("\x00" in key or "\x00" in value for key, value in pairs):
        abort(400)


def page_cursor(name: str) -> int | None:
    """A keyset cursor from the query string (?after=, ?before=): absent, or an id that can exist.

    Anything else gets a 400 that says so, instead of reaching the database (where a 25-digit number
    overflows SQLite's integers)."""
    raw = request.args.get(name)
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit() and 0 < int(raw) <= LARGEST_ID):
        abort(400, _("This page link is not valid. Please start again from the first page."))
    return int(raw)


def row_id(raw: str | None) -> int | None:
    """An id sent in a form: a whole number that can exist, else None."""
    text = (raw or "").strip()
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= LARGEST_ID else None


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.before_request(refuse_nul_bytes)


def register_converters(app: Flask) -> None:
    """Before the blueprints: routes pick up their converters when they are added."""
    app.url_map.converters["int"] = RowIdConverter
