"""The sandbox's security headers and input guards, like Smartpay's real pages: the hosted checkout can never
be framed (a framed payment page is how clickjacking steals a click), and hostile input gets a 4xx.

The hosted page's form posts to itself and is then sent (303) to the merchant's success or cancel URL;
browsers check form-action on that redirect too, so those origins are allowed for that page only.
"""
import secrets
from urllib.parse import urlsplit

from flask import Flask, abort, g, request
from werkzeug.routing import IntegerConverter

LARGEST_ID = 2**63 - 1


class RowIdConverter(IntegerConverter):
    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


def allow_form_redirects_to(*urls: str) -> None:
    """Called by the hosted page with the merchant's return URLs."""
    g.form_origins = sorted({f"{p.scheme}://{p.netloc}" for p in map(urlsplit, urls) if p.scheme in ("http", "https")})


def add_security_headers(response):
    form_action = " ".join(["'self'", *g.get("form_origins", [])])
    headers = response.headers
    headers.setdefault("Content-Security-Policy",
                       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                       f"form-action {form_action}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")  # the hosted page's URL is the shopper's secret
    headers.setdefault("Cache-Control", "no-store")
    if "request_id" in g:
        headers["X-Request-ID"] = g.request_id
    return response


def refuse_nul_bytes():
    pairs = list(request.args.items(multi=True))
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        pairs += list(request.form.items(multi=True))
    if "\x00" in request.path or any("\x00" in key or "\x00" in value for key, value in pairs):
        abort(400)


def assign_request_id():
    offered = request.headers.get("X-Request-ID", "")
    g.request_id = offered if 8 <= len(offered) <= 64 and offered.replace("-", "").isalnum() else secrets.token_hex(12)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = RowIdConverter
    app.before_request(assign_request_id)
    app.before_request(refuse_nul_bytes)
    app.after_request(add_security_headers)
