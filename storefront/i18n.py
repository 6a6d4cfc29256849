"""Languages: which one a request is shown in, the switch that changes it, and money and dates per locale.

Japanese first: without a choice and without a browser preference we can serve, the shop speaks
DEFAULT_LOCALE (ja). The order of precedence is the shopper's own choice (kept in the session), then the
browser's Accept-Language, then DEFAULT_LOCALE.

Every text in code and templates is English in `_()`; the Japanese lives in translations/ja. Product and
category texts are in the database in both languages and are read through `in_current_language`.
"""
from datetime import date, datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.numbers import format_currency, format_decimal
from flask import (Blueprint, Flask, current_app, has_request_context, redirect, request, session, url_for)
from flask_babel import format_date, format_datetime, get_locale, get_translations, gettext as _
from jinja2 import pass_context
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from .security import local_path

LANGUAGES = {"ja": "日本語", "en": "English"}  # each written in its own language, as the switch shows it
SESSION_KEY = "locale"
# Babel patterns: what a Japanese shop and an English one write for the same moment.
DATETIME_PATTERNS = {"ja": "y年M月d日 HH:mm", "en": "d MMM y, HH:mm"}
# A day people must act by (a transfer deadline), with its weekday: 2026年12月9日（水） / Wednesday 9 December 2026.
DATE_PATTERNS = {"ja": "y年M月d日（E）", "en": "EEEE d MMMM y"}
DATETIME_SECONDS_PATTERNS = {"ja": "y年M月d日 HH:mm:ss", "en": "d MMM y, HH:mm:ss"}

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """Flask-Babel's locale selector: the shopper's choice, else the browser's, else DEFAULT_LOCALE."""
    default = current_app.config["DEFAULT_LOCALE"]
    if not has_request_context():  # CLI commands and background work: the shop's own language
        return default
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or default


def select_timezone() -> str:
    return current_app.config["DISPLAY_TIMEZONE"]


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else "ja"


def in_current_language(japanese: str | None, english: str | None) -> str:
    return in_language(current_language(), japanese, english)


def in_language(language: str, japanese: str | None, english: str | None) -> str:
    """A text kept in both languages: the one asked for, or the other when it is missing (never empty)."""
    first, second = (japanese, english) if language == "ja" else (english, japanese)
    return first or second or ""


# --- the switch ---------------------------------------------------------------------------------

@bp.post("/language")
def switch():
    """Remember the shopper's language. An unknown value falls back to DEFAULT_LOCALE, never an error.

    A POST with the CSRF token (Flask-WTF checks it for every POST), so no other site can flip it."""
    wanted = request.form.get("locale", "")
    session[SESSION_KEY] = wanted if wanted in LANGUAGES else current_app.config["DEFAULT_LOCALE"]
    return redirect(local_path(request.form.get("next")) or url_for("shop.catalog"), code=303)


def return_path() -> str:
    """Where the switch sends the shopper back to: this page, or (after a POST) the page it was shown on."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    try:
        current_app.url_map.bind("").match(request.path, method="GET")
    except HTTPException:
        return url_for("shop.catalog")
    return request.path


# --- money and dates ------------------------------------------------------------------------------

def yen(amount: int) -> str:
    """Integer yen, grouped by Babel for the locale: 4,720円 in Japanese (as Japanese shops write prices),
    ¥4,720 in English."""
    return yen_in(current_language(), amount)


@pass_context
def yen_filter(context, amount: int) -> str:
    """`|yen` in templates: the language the template is rendered in, found once per render, not per price
    (a macro imported without context has none, and asks)."""
    return yen_in(context.get("current_language") or current_language(), amount)


@lru_cache(maxsize=4096)
def yen_in(language: str, amount: int) -> str:
    """Babel's formatting is exact but slow, and a shop shows the same prices over and over: remembered."""
    if language == "ja":
        return format_decimal(amount, locale="ja") + "円"
    return format_currency(amount, "JPY", locale="en")


def local_datetime(moment: datetime | None, seconds: bool = False, zone: bool = False) -> str:
    """A stored UTC time shown in DISPLAY_TIMEZONE, formatted for the locale; `zone` names the zone (JST)."""
    if moment is None:
        return ""
    patterns = DATETIME_SECONDS_PATTERNS if seconds else DATETIME_PATTERNS
    text = format_datetime(moment, patterns[current_language()])
    if zone:
        aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        text += " " + aware.astimezone(ZoneInfo(select_timezone())).strftime("%Z")
    return text


def local_date(moment: datetime | None) -> str:
    """The day of a stored UTC time in DISPLAY_TIMEZONE, with its weekday."""
    return format_datetime(moment, DATE_PATTERNS[current_language()]) if moment else ""


def local_day(day: date | None) -> str:
    """A day of the shop's calendar (a delivery day), with its weekday, in the reader's language."""
    return format_date(day, DATE_PATTERNS[current_language()]) if day else ""


def shop_day(moment: datetime) -> date:
    """The day a stored UTC moment falls on in the shop's calendar (DISPLAY_TIMEZONE): when something is due."""
    return moment.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])).date()


def zone_name(short: bool = False) -> str:
    """DISPLAY_TIMEZONE as people call it: 日本時間（JST） / Japan time (JST), or JST alone (`short`, for a table
    heading); another zone by its abbreviation. The code (Asia/Tokyo) stays in the configuration."""
    zone = ZoneInfo(select_timezone())
    abbreviation = datetime.now(zone).strftime("%Z")
    if select_timezone() == "Asia/Tokyo" and not short:
        return _("Japan time (%(zone)s)", zone=abbreviation)
    return abbreviation


# --- templates ----------------------------------------------------------------------------------

def gettext_for_this_render():
    """The `_()` of one rendered template: the catalog looked up once, not once per text.

    Flask-Babel's own `_()` finds the locale and the catalog again for every text (several context lookups
    each); measured, that was a tenth of the catalog page. Bound when render_template builds the context, so
    a template rendered inside force_locale (an email in the order's language) still gets that language.
    Behaves as Jinja's "newstyle" gettext: the result is a format string, escaped with autoescape."""
    translations = get_translations()

    def formatted(context, text: str, variables: dict) -> str:
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    @pass_context
    def gettext(context, string: str, **variables) -> str:
        return formatted(context, translations.ugettext(string), variables)

    @pass_context
    def pgettext(context, message_context: str, string: str, **variables) -> str:
        """One English text with two meanings gets two translations (a heading, a button …)."""
        return formatted(context, translations.upgettext(message_context, string), variables)

    return gettext, pgettext


def template_context() -> dict:
    gettext, pgettext = gettext_for_this_render()
    # `_` too: Jinja's own `_` is an alias that looks `gettext` up again on every call.
    return {"_": gettext, "gettext": gettext, "pgettext": pgettext, "languages": LANGUAGES,
            "current_language": current_language(), "language_return_path": return_path}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.filters["yen"] = yen_filter
    app.jinja_env.filters["datetime"] = local_datetime
    app.jinja_env.filters["date"] = local_date
    app.jinja_env.filters["day"] = local_day
    app.jinja_env.globals["zone_name"] = zone_name
    app.context_processor(template_context)
