"""Sign in and out, and the guard in front of every other admin page."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..limits import limit_admin_login
from ..security import local_path
from . import bp
from .auth import LoginRefused, session_expired, sign_in, sign_out
from .forms import ActionForm, LoginForm

OPEN_ENDPOINTS = {"admin.login"}


@bp.before_request
def require_admin():
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("admin.login", next=request.path))
    if session_expired():
        sign_out()
        flash(_("Your admin session expired. Please sign in again."), "error")
        return redirect(url_for("admin.login", next=request.path))
    return None


@bp.route("/login", methods=["GET", "POST"])
@limit_admin_login
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            sign_in(form.email.data, form.password.data)
        except LoginRefused as refusal:
            form.password.errors.append(str(refusal))
            return render_template("admin/login.html", form=form), 401
        return redirect(local_path(request.args.get("next"), under="/admin") or url_for("admin.orders"), code=303)
    return render_template("admin/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
def logout():
    if ActionForm().validate():
        sign_out()
        flash(_("You are signed out."), "success")
    return redirect(url_for("admin.login"), code=303)
