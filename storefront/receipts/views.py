"""The shopper asks for a 領収書 of their own paid order (the cart's cookie proves it is theirs, as it does for the
address on the receipt page); the admin asks for any order's from its page (storefront/admin/receipts.py)."""
from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select, update
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from .. import orders
from ..cart import owns
from ..extensions import db
from ..fields import ShopForm
from ..i18n import shop_day
from ..models import Order, utcnow
from .pdf import NoFont, receipt_pdf

bp = Blueprint("receipts", __name__)


class ReceiptForm(ShopForm):
    addressee = StringField(_l("Addressee"), validators=[DataRequired(_l("Enter the name to write on the receipt.")),
                                                          Length(max=60, message=_l("Use at most 60 characters."))])
    purpose = StringField(_l("Description (for)"), default=lambda: _("goods"), validators=[
        DataRequired(_l("Enter what the payment was for.")), Length(max=60, message=_l("Use at most 60 characters."))])


def form_for(order: Order) -> ReceiptForm:
    return ReceiptForm(formdata=None, addressee=order.full_name)


@bp.post("/orders/<public_id>/receipt.pdf")
def shoppers_receipt(public_id: str):
    order = db.session.scalar(select(Order).where(Order.public_id == public_id))
    if order is None or not owns(order) or order.status not in orders.PAID:
        abort(404)
    return issue(order, ReceiptForm())


def issue(order: Order, form: ReceiptForm):
    """Count the receipt (the count says whether it is a reissue), commit, and send the PDF."""
    if not form.validate():
        return render_template("receipts/invalid.html", order=order, form=form), 400
    try:
        issued_before = count_issue(order)
        # Issued on the shop's day (Japan time), not the server's: at 8 a.m. in Tokyo a UTC server is on yesterday.
        body = receipt_pdf(order, form.addressee.data.strip(), form.purpose.data.strip(), shop_day(utcnow()),
                           reissue=issued_before > 0)
    except NoFont:
        db.session.rollback()
        current_app.logger.error("no font for receipts: set RECEIPT_FONT")
        return render_template("receipts/invalid.html", order=order, form=form, no_font=True), 503
    db.session.commit()
    name = f"receipt-{order.number}.pdf"
    disposition = "inline" if request.args.get("view") else "attachment"
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'{disposition}; filename="{name}"'})


def count_issue(order: Order) -> int:
    """How many were issued before this one, counted with an atomic increment (two clicks: an original and a copy)."""
    db.session.execute(update(Order).where(Order.id == order.id)
                       .values(receipts_issued=Order.receipts_issued + 1).execution_options(synchronize_session=False))
    return db.session.scalar(select(Order.receipts_issued).where(Order.id == order.id)) - 1
