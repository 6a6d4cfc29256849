"""Failure scenarios: make Smartpay fail on purpose, per account, so a demo or a workshop can watch the shop cope.

Set over HTTP outside /v1 (so the SDKs never see it), with the API's own key (sandbox/scenario_routes.py):

    POST   /sandbox/scenarios  {"type": "api_error", "status": 503, "path": "/checkout-sessions", "count": 3}
    GET    /sandbox/scenarios  the account's active scenarios, each with what is left of its count
    DELETE /sandbox/scenarios  clears them all

or from the dashboard's Scenarios panel. The API, the webhook worker and the hosted page each ask one
question, `fire(...)`: does a scenario fire for this call? Each firing takes one from the count with a
compare-and-set, so a scenario fires exactly `count` times even under concurrent calls, and is recorded for
the dashboard ("503 returned to POST /v1/checkout-sessions by scenario #4"). Scenarios live in the database:
they survive a restart.
"""
import time

from flask import g, request
from sqlalchemy import JSON, String, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from .errors import ApiError
from .extensions import db
from .ids import now_ms

API_ERRORS = {500: ("internal", "Smartpay had an internal error (sandbox scenario)"),
              502: ("bad-gateway", "Smartpay's gateway failed (sandbox scenario)"),
              503: ("service.unavailable", "Smartpay is unavailable (sandbox scenario)"),
              504: ("gateway.timeout", "Smartpay timed out (sandbox scenario)"),
              429: ("request.rate-limited", "Too many requests (sandbox scenario)")}
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}
# type → its own fields: (required?, check, description of a valid value)
FIELDS = {
    "api_error": {"status": (True, lambda v: v in API_ERRORS, "one of 500, 502, 503, 504, 429")},
    "api_latency": {"milliseconds": (True, lambda v: is_int(v) and 1 <= v <= 60_000, "a whole number from 1 to 60000"),
                    "after": (False, lambda v: isinstance(v, bool), "true (answer late after the change is made) "
                                                                    "or false (before)")},
    "webhook_drop": {},
    "webhook_delay": {"seconds": (True, lambda v: is_int(v) and 1 <= v <= 3600, "a whole number from 1 to 3600")},
    "webhook_duplicate": {},
    "webhook_out_of_order": {},
    "decline_all": {},
}
REQUEST_FIELDS = {"path": (False, lambda v: isinstance(v, str) and v.startswith("/") and len(v) <= 200,
                           "a path under /v1 starting with /, e.g. /checkout-sessions"),
                  "method": (False, lambda v: v in METHODS, "one of GET, POST, PUT, PATCH, DELETE")}
OUT_OF_ORDER_HOLD_MS = 1500  # long enough for the next event of the same change to overtake


class Scenario(db.Model):
    __tablename__ = "scenarios"
    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(32), index=True)
    type: Mapped[str] = mapped_column(String(30))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    count: Mapped[int]
    remaining: Mapped[int]
    created_at: Mapped[int] = mapped_column(default=now_ms)


class ScenarioFiring(db.Model):
    """One time a scenario fired, for the dashboard: what it did, to which call or event."""
    __tablename__ = "scenario_firings"
    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(32), index=True)
    scenario_id: Mapped[int]
    type: Mapped[str] = mapped_column(String(30))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[int] = mapped_column(default=now_ms)


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- validation and storage -------------------------------------------------------------------------------

def validated(body) -> dict:
    """The scenario a JSON body asks for, or ApiError 400 naming each bad field (as the API does)."""
    if not isinstance(body, dict):
        raise ApiError(400, "request.invalid", "The body must be a JSON object", ["body must be an object"])
    kind = body.get("type")
    if kind not in FIELDS:
        raise ApiError(400, "request.invalid", "Unknown scenario type",
                       [f"type must be one of {', '.join(FIELDS)}"])
    allowed = {**FIELDS[kind], **(REQUEST_FIELDS if kind.startswith("api_") else {})}
    problems = [f"{name} is not a field of {kind}" for name in body if name not in {*allowed, "type", "count"}]
    count = body.get("count", 1)
    if not (is_int(count) and 1 <= count <= 1000):
        problems.append("count must be a whole number from 1 to 1000")
    for name, (required, check, expected) in allowed.items():
        if name not in body:
            if required:
                problems.append(f"{name} is required: {expected}")
        elif not check(body[name]):
            problems.append(f"{name} must be {expected}")
    if problems:
        raise ApiError(400, "request.invalid", "The scenario is invalid: " + "; ".join(problems), problems)
    params = {name: body[name] for name in allowed if name in body}
    return {"type": kind, "params": params, "count": count}


def create(account: str, body) -> Scenario:
    wanted = validated(body)
    scenario = Scenario(account=account, remaining=wanted["count"], **wanted)
    db.session.add(scenario)
    db.session.commit()
    return scenario


def active(account: str) -> list[Scenario]:
    return db.session.scalars(select(Scenario).where(Scenario.account == account, Scenario.remaining > 0)
                              .order_by(Scenario.id)).all()


def clear(account: str) -> int:
    cleared = db.session.execute(delete(Scenario).where(Scenario.account == account)).rowcount
    db.session.commit()
    return cleared


def as_json(scenario: Scenario) -> dict:
    return {"id": scenario.id, "object": "scenario", "type": scenario.type, **scenario.params,
            "count": scenario.count, "remaining": scenario.remaining, "createdAt": scenario.created_at}


# --- the one question: does a scenario fire here? -----------------------------------------------------------

def fire(account: str, kinds: set[str], detail: dict, path: str | None = None,
         method: str | None = None) -> Scenario | None:
    """The oldest active scenario of these kinds that matches the call, taken once; None when none fires."""
    for scenario in active(account):
        if scenario.type not in kinds or not matches(scenario, path, method):
            continue
        taken = db.session.execute(update(Scenario).where(Scenario.id == scenario.id, Scenario.remaining > 0)
                                   .values(remaining=Scenario.remaining - 1)
                                   .execution_options(synchronize_session=False)).rowcount
        if taken:
            db.session.add(ScenarioFiring(account=account, scenario_id=scenario.id, type=scenario.type,
                                          detail={**scenario.params, **detail}))
            db.session.flush()  # committed by the caller, with what the firing did
            return scenario
    return None


def matches(scenario: Scenario, path: str | None, method: str | None) -> bool:
    wanted_path, wanted_method = scenario.params.get("path"), scenario.params.get("method")
    return ((wanted_path is None or (path or "").startswith(wanted_path))
            and (wanted_method is None or wanted_method == method))


def before_api_call(account: str) -> None:
    """Called by the API before each call: answer late, or fail, as the account's scenarios say. A latency
    scenario with `"after": true` lets the call take effect first and holds back only its answer, as when
    Smartpay charged but the merchant's client gave up waiting (`hold_answer`)."""
    path, method = request.path.removeprefix("/v1"), request.method
    detail = {"method": method, "path": request.path}
    late = fire(account, {"api_latency"}, detail, path, method)
    db.session.commit()
    if late is not None and late.params.get("after"):
        g.hold_answer_ms = late.params["milliseconds"]
    elif late is not None:
        db.session.remove()  # hold no database connection while asleep
        time.sleep(late.params["milliseconds"] / 1000)
    failing = fire(account, {"api_error"}, detail, path, method)
    db.session.commit()
    if failing is not None:
        code, message = API_ERRORS[failing.params["status"]]
        raise ApiError(failing.params["status"], code, message)


def hold_answer(response):
    """After the change committed: the answer leaves late (the `after` form of api_latency)."""
    delay = g.pop("hold_answer_ms", None)
    if delay:
        db.session.remove()
        time.sleep(delay / 1000)
    return response


def webhook_effect(account: str, event_id: str, event_type: str) -> Scenario | None:
    """Called when an event is queued: drop it, hold it back, or send it twice."""
    kinds = {"webhook_drop", "webhook_delay", "webhook_duplicate", "webhook_out_of_order"}
    return fire(account, kinds, {"event": event_id, "event_type": event_type})


def declines_checkout(account: str, session_id: str) -> bool:
    return fire(account, {"decline_all"}, {"session": session_id}) is not None


def firings(account: str, limit: int = 50) -> list[ScenarioFiring]:
    return db.session.scalars(select(ScenarioFiring).where(ScenarioFiring.account == account)
                              .order_by(ScenarioFiring.id.desc()).limit(limit)).all()
