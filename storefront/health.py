"""/healthz and /readyz for a load balancer or an orchestrator.

/healthz: the process answers (liveness; never touches the database, so a slow database does not get
healthy workers restarted). /readyz: the database answers and its schema is at the migrations' head (503
otherwise, so no traffic reaches a worker that would fail). Smartpay's reachability is reported but never
fails readiness: when Smartpay is down, the shop still shows its catalog and keeps carts.
"""
import time
from pathlib import Path

import requests
from alembic.script import ScriptDirectory
from alembic.config import Config as AlembicConfig
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from .extensions import db, limiter

bp = Blueprint("health", __name__)
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


@bp.get("/healthz")
@limiter.exempt
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
@limiter.exempt
def readyz():
    database = database_state()
    ready = database == "ok"
    return jsonify(status="ready" if ready else "not ready", database=database, smartpay=smartpay_state()), \
        200 if ready else 503


def database_state() -> str:
    try:
        current = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception as error:  # any failure to read means not ready; say which, without a stack trace
        db.session.rollback()
        return f"unreachable or not migrated: {type(error).__name__}"
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    return "ok" if current == head else f"migration {current} is not the head {head}: run flask db upgrade"


def alembic_config() -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def smartpay_state() -> dict:
    """Any HTTP answer from the API's address means it is reachable (a 401 or 404 included)."""
    started = time.monotonic()
    try:
        answer = requests.get(current_app.config["SMARTPAY_API_URL"] + "/", timeout=2)
    except requests.RequestException as error:
        return {"reachable": False, "error": type(error).__name__}
    return {"reachable": True, "status": answer.status_code, "ms": round((time.monotonic() - started) * 1000)}
