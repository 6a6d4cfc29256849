"""The scenarios' HTTP endpoints under /sandbox, answered with the API's key and in the API's shape."""
from flask import Blueprint, g, jsonify

from . import scenarios
from .errors import ApiError
from .http import api_error, authenticate, json_body

bp = Blueprint("scenarios", __name__, url_prefix="/sandbox")

bp.before_request(authenticate)
bp.register_error_handler(ApiError, api_error)


@bp.get("/scenarios")
def list_scenarios():
    return jsonify({"object": "collection", "data": [scenarios.as_json(s) for s in scenarios.active(g.account)]})


@bp.post("/scenarios")
def add_scenario():
    return jsonify(scenarios.as_json(scenarios.create(g.account, json_body())))


@bp.delete("/scenarios")
def clear_scenarios():
    return jsonify({"object": "collection", "deleted": scenarios.clear(g.account), "data": []})
