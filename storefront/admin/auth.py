"""Admin sign-in: hashed passwords, a lock-out after repeated failures, sessions that expire when idle."""
from datetime import timedelta

from flask import current_app, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import utcnow
from .models import AdminUser, LoginAttempt

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
# Checked against when the email is unknown, so a wrong email takes as long as a wrong password.
DUMMY_HASH = generate_password_hash("not a real password")


class LoginRefused(Exception):
    """Sign-in refused; the message is safe to show (it never says whether the account exists)."""


def sign_in(email: str, password: str) -> AdminUser:
    email = email.strip().lower()
    wait = lockout_minutes(email)
    if wait:
        raise LoginRefused(_("Too many failed attempts. Try again in %(minutes)s minutes.", minutes=wait))
    user = db.session.scalar(select(AdminUser).where(AdminUser.email == email))
    valid = check_password_hash(user.password_hash if user else DUMMY_HASH, password) and user is not None
    db.session.add(LoginAttempt(email=email, succeeded=valid))
    db.session.commit()
    if not valid:
        raise LoginRefused(_("That email and password do not match an admin account."))
    login_user(user)
    session["admin_seen_at"] = utcnow().timestamp()
    return user


def lockout_minutes(email: str) -> int:
    """Minutes until this account may try again; 0 when it is not locked."""
    since = utcnow() - WINDOW
    failures = db.session.scalars(select(LoginAttempt.created_at).where(
        LoginAttempt.email == email, LoginAttempt.succeeded.is_(False), LoginAttempt.created_at > since)
        .order_by(LoginAttempt.created_at.desc()).limit(MAX_FAILURES)).all()
    if len(failures) < MAX_FAILURES:
        return 0
    unlock_at = failures[-1] + WINDOW
    return max(1, int((unlock_at - utcnow()).total_seconds() // 60) + 1)


def session_expired() -> bool:
    """An admin idle for longer than ADMIN_SESSION_MINUTES must sign in again."""
    seen = session.get("admin_seen_at")
    limit = current_app.config["ADMIN_SESSION_MINUTES"] * 60
    if seen is None or utcnow().timestamp() - seen > limit:
        return True
    session["admin_seen_at"] = utcnow().timestamp()
    return False


def sign_out() -> None:
    logout_user()
    session.pop("admin_seen_at", None)


def save_admin(email: str, password: str, update: bool) -> str:
    email = email.strip().lower()
    user = db.session.scalar(select(AdminUser).where(AdminUser.email == email))
    if user is not None and not update:
        return "exists"
    if user is None:
        user = AdminUser(email=email)
        db.session.add(user)
    user.set_password(password)
    db.session.commit()
    return "saved"
