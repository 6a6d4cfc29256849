"""The scenarios' and the clock's HTTP endpoints under /sandbox, answered with the API's key and in the API's shape."""
from flask import Blueprint, g, jsonify

from . import clock, scenarios
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


@bp.get("/clock")
def read_clock():
    return jsonify(clock.as_json(g.account))


@bp.put("/clock")
def move_clock():
    """Move this account's clock forward (what it remembers for 6 hours ages with it): sandbox/clock.py."""
    return jsonify(clock.set_offset(g.account, json_body()))
