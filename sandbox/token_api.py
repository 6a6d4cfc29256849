"""/v1/tokens (contract §7): a merchant reads, lists, disables, enables and deletes the shoppers' consents.
Charging one is POST /v1/orders {token} (sandbox/api.py); what tokens do is sandbox/tokens.py's."""
from flask import g

from . import tokens
from .extensions import db
from .errors import not_found
from .models import PaymentToken
from .resources import api_blueprint, collection, write
from .serialize import token_json

bp = api_blueprint("tokens")


def owned_token(token_id: str) -> PaymentToken:
    """A token of this account; a deleted one is gone (404 token.not-found), as at Smartpay."""
    token = db.session.get(PaymentToken, token_id)
    if token is None or token.account != g.account or token.status == "deleted":
        raise not_found("token", token_id)
    return token


@bp.get("/tokens/<token_id>")
def get_token(token_id):
    return token_json(owned_token(token_id))


@bp.get("/tokens")
def list_tokens():
    return collection(PaymentToken, token_json)


@bp.put("/tokens/<token_id>/disable")
@write
def disable_token(token_id):
    return token_json(tokens.set_status(owned_token(token_id), "disabled"))


@bp.put("/tokens/<token_id>/enable")
@write
def enable_token(token_id):
    return token_json(tokens.set_status(owned_token(token_id), "active"))


@bp.delete("/tokens/<token_id>")
def delete_token(token_id):
    tokens.set_status(owned_token(token_id), "deleted")
    db.session.commit()
    return "", 204
