"""A request id per request: in every log line of that request, in the API and webhook log rows it writes, and
returned as X-Request-ID, so an operator can follow one purchase through the logs.

It is not sent to Smartpay: Smartpay's API documents no request-id header (see ../shared/smartpay-api.md §1),
and an unknown header would be silently dropped. The API log row of each call keeps the id instead, so the
admin's API log joins the shop's logs to what Smartpay answered. The worker, processing a webhook, works under
the id of the delivery that brought it (storefront/smartpay/webhooks/inbox.py), so its calls join that delivery.

A sane X-Request-ID from a proxy or load balancer is kept (so its logs and ours agree); anything else is
replaced. LOG_FORMAT=json writes one JSON object per line for log pipelines.
"""
import json
import logging
import re
import secrets

from flask import Flask, g, has_app_context, request

HEADER = "X-Request-ID"
SANE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def current_request_id() -> str:
    return g.get("request_id", "") if has_app_context() else ""


def assign_request_id() -> None:
    offered = request.headers.get(HEADER, "")
    g.request_id = offered if SANE.fullmatch(offered) else secrets.token_hex(12)


def return_request_id(response):
    if "request_id" in g:
        response.headers[HEADER] = g.request_id
    return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                 "logger": record.name, "request_id": getattr(record, "request_id", "-"),
                 "message": record.getMessage()}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class ShopLogHandler(logging.StreamHandler):
    """The shop's own handler on the root logger; others (gunicorn's, pytest's) are left alone."""


def configure_logging(log_format: str) -> None:
    handler = ShopLogHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if not isinstance(h, ShopLogHandler)] + [handler]
    root.setLevel(logging.INFO)


def init_app(app: Flask) -> None:
    app.before_request(assign_request_id)
    app.after_request(return_request_id)
    configure_logging(app.config["LOG_FORMAT"])
