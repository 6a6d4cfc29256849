"""Campaigns: the merchant creates Smartpay coupons and the promotion codes shoppers type, through Smartpay's
API. The shop keeps no copy: Smartpay owns them, applies them on its hosted page, and reports each order's
discount, which the order page shows."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..smartpay.gateway import smartpay
from ..smartpay.client import SmartpayError
from . import bp
from .actions import explain
from .forms import CouponForm, PromotionCodeForm


@bp.get("/promotions")
def promotions():
    coupons, codes, problem = read_campaigns()
    code_form = PromotionCodeForm(formdata=None)
    code_form.coupon.choices = coupon_choices(coupons)
    return render_template("admin/promotions.html", coupons=coupons, codes=codes, problem=problem,
                           coupon_form=CouponForm(formdata=None), code_form=code_form)


def read_campaigns() -> tuple[list, list, str]:
    try:
        return smartpay().list_coupons()["data"], smartpay().list_promotion_codes()["data"], ""
    except SmartpayError as error:
        return [], [], explain(error)


def coupon_choices(coupons: list) -> list[tuple[str, str]]:
    return [(c["id"], c["name"]) for c in coupons if c.get("active")]


@bp.post("/promotions/coupons")
def create_coupon():
    form = CouponForm()
    if not form.validate():
        return refused(form, _("Coupon not created"))
    body = {"name": form.name.data.strip(), "discountType": form.discount_type.data}
    if form.discount_type.data == "amount":
        body.update(discountAmount=form.amount.data, currency="JPY")
    else:
        body["discountPercentage"] = form.percentage.data
    if form.max_redemptions.data:
        body["maxRedemptionCount"] = form.max_redemptions.data
    return send(lambda: smartpay().create_coupon(body, idempotency_key=f"coupon-{form.token.data}"),
                _("Coupon %(name)s created.", name=body["name"]))


@bp.post("/promotions/codes")
def create_promotion_code():
    coupons, _codes, _problem = read_campaigns()
    form = PromotionCodeForm()
    form.coupon.choices = coupon_choices(coupons)
    if not form.validate():
        return refused(form, _("Promotion code not created"))
    body = {"coupon": form.coupon.data, "code": form.code.data, "firstTimeTransaction": form.first_purchase.data,
            "onePerCustomer": form.once_per_customer.data}
    if form.max_redemptions.data:
        body["maxRedemptionCount"] = form.max_redemptions.data
    if form.minimum_amount.data:
        body.update(minimumAmount=form.minimum_amount.data, currency="JPY")
    return send(lambda: smartpay().create_promotion_code(body, idempotency_key=f"code-{form.token.data}"),
                _("Promotion code %(code)s created.", code=body["code"]))


def send(call, success: str):
    try:
        call()
        flash(success, "success")
    except SmartpayError as error:
        flash(explain(error), "error")
    return redirect(url_for("admin.promotions"), code=303)


def refused(form, what: str):
    flash(_("%(what)s: %(errors)s", what=what, errors=_("; ").join(
        str(e) for errors in form.errors.values() for e in errors)), "error")
    return redirect(url_for("admin.promotions"), code=303)
