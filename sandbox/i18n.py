"""The sandbox's languages, like Smartpay's own pages: Japanese first, English second.

The hosted checkout page speaks what the merchant asked for in the checkout session's `locale`; the shopper
can switch it with `?locale=` (the page has no account, so its language lives in its URL). Without either,
the browser's Accept-Language decides. The dashboard remembers a switch in its session.
"""
import hashlib
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import format_datetime, get_locale
from flask_babel import lazy_gettext as _l

from .extensions import babel

LANGUAGES = {"ja": "日本語", "en": "English"}
SESSION_KEY = "locale"
DATETIME_PATTERNS = {"ja": "y年M月d日 HH:mm:ss", "en": "d MMM y, HH:mm:ss"}
# Smartpay's status codes, as its dashboard would show them to a merchant.
STATUSES = {
    "requires_authorization": _l("awaiting authorization"), "requires_capture": _l("authorized"),
    "succeeded": _l("succeeded"), "rejected": _l("declined"), "canceled": _l("cancelled"),
    "failed": _l("failed"), "pending": _l("pending"), "delivered": _l("delivered"),
    "processed": _l("processed"), "refunded": _l("refunded"), "dropped": _l("dropped by a scenario"),
    "active": _l("active"), "disabled": _l("disabled"), "deleted": _l("deleted"),
}
REASONS = {"requested_by_customer": _l("Requested by the customer"), "fraudulent": _l("Fraudulent")}


def select_locale() -> str:
    default = current_app.config["DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    if g.get("page_locale") in LANGUAGES:  # set by the hosted page from its URL or its checkout session
        return g.page_locale
    if session.get(SESSION_KEY) in LANGUAGES:
        return session[SESSION_KEY]
    return request.accept_languages.best_match(LANGUAGES) or default


def hosted_page_locale(session_locale: str | None) -> str | None:
    """The hosted page's language: the shopper's `?locale=` switch, else the merchant's session `locale`."""
    wanted = request.args.get("locale")
    if wanted in LANGUAGES:
        return wanted
    return session_locale if session_locale in LANGUAGES else None


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else "ja"


def yen(amount: int) -> str:
    """¥4,720 in English, 4,720円 in Japanese: as the shop writes it, so both sides of the demo agree."""
    return f"{amount:,}円" if current_language() == "ja" else f"¥{amount:,}"


def local_time(milliseconds: int) -> str:
    moment = datetime.fromtimestamp(milliseconds / 1000, timezone.utc)
    zone = ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])
    return format_datetime(moment, DATETIME_PATTERNS[current_language()]) + " " + moment.astimezone(zone).strftime("%Z")


def translations_directory() -> str:
    """Where the compiled Japanese catalog is. The .po is what ships (a clone and an installed package both
    have it); when its .mo is missing or older, it is compiled once into a temporary folder named by the
    catalog's content, so an installed sandbox speaks Japanese without a build step."""
    source = Path(__file__).resolve().parent / "translations"
    stale = [po for po in source.glob("*/LC_MESSAGES/messages.po")
             if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime]
    if not stale:
        return str(source)
    catalogs = sorted(source.glob("*/LC_MESSAGES/messages.po"))
    content = hashlib.sha256(b"".join(po.read_bytes() for po in catalogs)).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / f"smartpay-sandbox-translations-{content}"
    for po in catalogs:
        mo = target / po.relative_to(source).with_suffix(".mo")
        if not mo.exists():
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as text, open(f"{mo}.{os.getpid()}", "wb") as binary:
                write_mo(binary, read_po(text))
            os.replace(f"{mo}.{os.getpid()}", mo)  # whole or not at all, even with two sandboxes starting
    return str(target)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", translations_directory())
    babel.init_app(app, locale_selector=select_locale,
                   timezone_selector=lambda: current_app.config["DISPLAY_TIMEZONE"])
    app.jinja_env.filters["yen"] = yen
    app.jinja_env.filters["datetime"] = local_time
    app.jinja_env.filters["status"] = lambda code: str(STATUSES.get(code, code))
    app.jinja_env.filters["reason"] = lambda code: str(REASONS.get(code, code))
    # Labels reach templates as values, never as `"code"|filter`: Jinja works out a filter applied to a literal
    # once, when it compiles the template, so that label would stay in the language of the first page shown.
    app.context_processor(lambda: {"languages": LANGUAGES, "current_language": current_language(),
                                   "reasons": REASONS})
