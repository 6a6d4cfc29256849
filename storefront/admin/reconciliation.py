"""照合 in the back office: the shop's books beside Smartpay's (storefront/reconciliation/report.py), with what to
do about each difference. Reading both sides changes nothing, so it is a GET of a form with one date."""
from datetime import datetime, time, timedelta

from flask import render_template, request
from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import DateField, SubmitField
from wtforms.validators import InputRequired

from ..fields import ShopForm
from ..models import utcnow
from ..reconciliation.commands import DEFAULT_DAYS
from ..reconciliation.report import compare
from ..smartpay import SmartpayError
from . import bp


class ReconcileForm(ShopForm):
    class Meta:
        csrf = False  # a GET that changes nothing: the date travels in the address, as a search would

    since = DateField(_l("Compare from (UTC)"), validators=[InputRequired(_l("Enter a date such as 2026-12-01."))])
    submit = SubmitField(_l("Compare with Smartpay"))


@bp.get("/reconciliation")
def reconciliation():
    form = ReconcileForm(request.args, meta={"csrf": False})
    if not request.args:
        form.since.data = (utcnow() - timedelta(days=DEFAULT_DAYS)).date()
        return render_template("admin/reconciliation.html", form=form)
    if not form.validate():
        return render_template("admin/reconciliation.html", form=form), 400
    try:
        report = compare(datetime.combine(form.since.data, time.min))
    except SmartpayError:
        failure = _("Smartpay did not answer, so nothing was compared. Please try again in a minute.")
        return render_template("admin/reconciliation.html", form=form, failure=failure), 502
    return render_template("admin/reconciliation.html", form=form, report=report)
