"""/v1/coupons and /v1/promotion-codes (contract §7): create, read, list, and update `active` and `metadata`
(and a coupon's `name`). What a code does to an order is sandbox/promotions.py's."""
from flask import g
from sqlalchemy.exc import IntegrityError

from .errors import ApiError
from .extensions import db
from .http import json_body
from .ids import new_id, now_ms
from .promotions import Coupon, PromotionCode, find_code
from .resources import api_blueprint, collection, expanded, owned, write
from .serialize import common
from .validation import Checker
from .webhooks import emit

bp = api_blueprint("promotions")
MAX_CODE = 50


# --- coupons ----------------------------------------------------------------------------------------

@bp.post("/coupons")
@write
def create_coupon():
    body = coupon_body(json_body())
    coupon = Coupon(id=new_id("coupon"), account=g.account, name=body["name"], description=body.get("description"),
                    discount_type=body["discountType"], discount_amount=body.get("discountAmount"),
                    discount_percentage=body.get("discountPercentage"), currency=body.get("currency"),
                    expires_at=body.get("expiresAt"), max_redemption_count=body.get("maxRedemptionCount"),
                    metadata_=body.get("metadata") or {})
    db.session.add(coupon)
    db.session.flush()
    emit(g.account, "coupon.created", None, coupon_json(coupon))
    return coupon_json(coupon)


@bp.get("/coupons/<coupon_id>")
def get_coupon(coupon_id):
    return coupon_json(owned(Coupon, coupon_id, "coupon"))


@bp.get("/coupons")
def list_coupons():
    return collection(Coupon, lambda coupon, _expand: coupon_json(coupon))


@bp.patch("/coupons/<coupon_id>")
@write
def update_coupon(coupon_id):
    coupon = owned(Coupon, coupon_id, "coupon")
    changes = update_body(json_body(), ("name", "active", "metadata"))
    coupon.name = changes.get("name", coupon.name)
    coupon.active = changes.get("active", coupon.active)
    coupon.metadata_ = changes.get("metadata", coupon.metadata_)
    db.session.flush()
    emit(g.account, "coupon.updated", None, coupon_json(coupon))
    return coupon_json(coupon)


def coupon_json(coupon: Coupon) -> dict:
    data = {**common(coupon, "coupon"), "name": coupon.name, "description": coupon.description,
            "discountType": coupon.discount_type, "redemptionCount": coupon.redemption_count,
            "sponsored": False, "active": coupon.active}
    if coupon.discount_type == "amount":
        data.update(discountAmount=coupon.discount_amount, currency=coupon.currency)
    else:
        data.update(discountPercentage=coupon.discount_percentage)
    data.update({key: value for key, value in (("expiresAt", coupon.expires_at),
                                               ("maxRedemptionCount", coupon.max_redemption_count)) if value})
    return data


def coupon_body(body) -> dict:
    check = Checker()
    body = check.obj(body, "body") or {}
    check.string(body, "name", "name", required=True)
    check.string(body, "description", "description", max_length=1000)
    kind = check.string(body, "discountType", "discountType", required=True, choices={"amount", "percentage"})
    if kind == "amount":
        check.integer(body, "discountAmount", "discountAmount", required=True, minimum=1)
        check.currency(body, "currency", "currency")
        if body.get("discountPercentage") is not None:
            check.fail("discountPercentage", "must be absent when discountType is amount")
    elif kind == "percentage":
        percentage = body.get("discountPercentage")
        if isinstance(percentage, bool) or not isinstance(percentage, (int, float)) or not 0 < percentage <= 100:
            check.fail("discountPercentage", "must be a number greater than 0 and at most 100")
        for key in ("discountAmount", "currency"):
            if body.get(key) is not None:
                check.fail(key, "must be absent when discountType is percentage")
    limits(check, body)
    check.done()
    return {**body, "currency": "JPY" if kind == "amount" else None}


def limits(check: Checker, body: dict) -> None:
    """What coupons and promotion codes share: an expiry in the future, a positive redemption limit, metadata."""
    expires = body.get("expiresAt")  # milliseconds: beyond the uint32 that amounts are held to
    if expires is not None and (isinstance(expires, bool) or not isinstance(expires, int) or expires <= now_ms()):
        check.fail("expiresAt", "must be a time in the future, in milliseconds since the epoch")
    check.integer(body, "maxRedemptionCount", "maxRedemptionCount", minimum=1)
    check.metadata(body)


def update_body(body, allowed: tuple[str, ...]) -> dict:
    """A PATCH changes only `allowed`; naming anything else is refused, not silently ignored."""
    check = Checker()
    body = check.obj(body, "body") or {}
    for key, value in body.items():
        if value is not None and key not in allowed:
            check.fail(key, "cannot be changed; create a new one instead")
    if "name" in allowed:
        check.string(body, "name", "name")
    if body.get("active") is not None and not isinstance(body["active"], bool):
        check.fail("active", "must be true or false")
    check.metadata(body)
    check.done()
    return {key: body[key] for key in allowed if body.get(key) is not None}


# --- promotion codes --------------------------------------------------------------------------------

@bp.post("/promotion-codes")
@write
def create_promotion_code():
    body = promotion_code_body(json_body())
    coupon = owned(Coupon, body["coupon"], "coupon")
    if find_code(g.account, body["code"]) is not None:
        raise taken(body["code"])
    code = PromotionCode(id=new_id("promotioncode"), account=g.account, coupon_id=coupon.id, code=body["code"],
                         code_key=body["code"].upper(), active=body.get("active") is not False,
                         currency=body.get("currency"), expires_at=body.get("expiresAt"),
                         first_time_transaction=bool(body.get("firstTimeTransaction")),
                         one_per_customer=bool(body.get("onePerCustomer")),
                         max_redemption_count=body.get("maxRedemptionCount"),
                         minimum_amount=body.get("minimumAmount"), metadata_=body.get("metadata") or {})
    db.session.add(code)
    try:
        db.session.flush()
    except IntegrityError:  # the same code, in another case, created at the same moment
        db.session.rollback()
        raise taken(body["code"]) from None
    emit(g.account, "promotion_code.created", None, promotion_code_json(code))
    return promotion_code_json(code)


@bp.get("/promotion-codes/<code_id>")
def get_promotion_code(code_id):
    return promotion_code_json(owned(PromotionCode, code_id, "promotion-code"), expanded())


@bp.get("/promotion-codes")
def list_promotion_codes():
    return collection(PromotionCode, promotion_code_json)


@bp.patch("/promotion-codes/<code_id>")
@write
def update_promotion_code(code_id):
    code = owned(PromotionCode, code_id, "promotion-code")
    changes = update_body(json_body(), ("active", "metadata"))
    code.active = changes.get("active", code.active)
    code.metadata_ = changes.get("metadata", code.metadata_)
    db.session.flush()
    emit(g.account, "promotion_code.updated", None, promotion_code_json(code))
    return promotion_code_json(code)


def promotion_code_json(code: PromotionCode, expand: bool = False) -> dict:
    coupon = db.session.get(Coupon, code.coupon_id)
    data = {**common(code, "promotionCode"), "code": code.code,
            "coupon": coupon_json(coupon) if expand else coupon.id, "active": code.active,
            "firstTimeTransaction": code.first_time_transaction, "onePerCustomer": code.one_per_customer,
            "redemptionCount": code.redemption_count}
    data.update({key: value for key, value in (("currency", code.currency), ("expiresAt", code.expires_at),
                                               ("maxRedemptionCount", code.max_redemption_count),
                                               ("minimumAmount", code.minimum_amount)) if value})
    return data


def promotion_code_body(body) -> dict:
    check = Checker()
    body = check.obj(body, "body") or {}
    check.string(body, "coupon", "coupon", required=True, max_length=60)
    code = check.string(body, "code", "code", required=True, max_length=MAX_CODE)
    # Smartpay states no alphabet for codes, and its SDKs' own suites create ones such as THECODE1796479516.123:
    # anything a shopper can type into its URL parameter is taken, but no spaces or control characters.
    if code is not None and not all(ch.isprintable() and not ch.isspace() for ch in code):
        check.fail("code", "may not contain spaces or control characters")
    if body.get("active") is not None and not isinstance(body["active"], bool):
        check.fail("active", "must be true or false")
    for flag in ("firstTimeTransaction", "onePerCustomer"):
        if body.get(flag) is not None and not isinstance(body[flag], bool):
            check.fail(flag, "must be true or false")
    minimum = check.integer(body, "minimumAmount", "minimumAmount", minimum=1)
    if minimum is not None or body.get("currency") is not None:
        check.currency(body, "currency", "currency")
    limits(check, body)
    check.done()
    return {**body, "currency": "JPY" if minimum is not None or body.get("currency") else None}


def taken(code: str) -> ApiError:
    return ApiError(409, "promotion-code.already-exists",
                    f"A promotion code {code!r} already exists in this account (codes are unique regardless of case)",
                    ["code"])
