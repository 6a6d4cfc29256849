"""照合 in the back office: the shop's books beside Smartpay's (storefront/smartpay/reconciliation/report.py), with what to
do about each difference. Reading both sides changes nothing, so it is a GET of a form with one date."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import DateField, SubmitField
from wtforms.validators import InputRequired

from ..fields import ShopForm
from ..models import utcnow
from ..smartpay.reconciliation.commands import DEFAULT_DAYS
from ..smartpay.reconciliation.report import compare
from ..smartpay.client import SmartpayError
from . import bp


ASK_FOR_A_DATE = _l("Enter a date such as 2026-12-01.")


class ReconcileForm(ShopForm):
    class Meta:
        csrf = False  # a GET that changes nothing: the date travels in the address, as a search would

    since = DateField(_l("Compare from"), validators=[InputRequired(ASK_FOR_A_DATE)])
    submit = SubmitField(_l("Compare with Smartpay"))


def start_of(day: date) -> datetime:
    """The beginning of a day as the admin reads days (the shop's time zone), in UTC as the books are kept."""
    zone = ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(timezone.utc).replace(tzinfo=None)


@bp.get("/reconciliation")
def reconciliation():
    form = ReconcileForm(request.args, meta={"csrf": False})
    if not request.args:
        form.since.data = (utcnow() - timedelta(days=DEFAULT_DAYS)).date()  # a day either way of the zone: harmless
        return render_template("admin/reconciliation.html", form=form)
    if not form.validate():
        form.since.errors = [ASK_FOR_A_DATE]  # WTForms' "Not a valid date value" says what is wrong, not what to type
        return render_template("admin/reconciliation.html", form=form), 400
    try:
        report = compare(start_of(form.since.data))
    except SmartpayError:
        failure = _("Smartpay did not answer, so nothing was compared. Please try again in a minute.")
        return render_template("admin/reconciliation.html", form=form, failure=failure), 502
    return render_template("admin/reconciliation.html", form=form, report=report)
