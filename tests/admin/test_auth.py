"""Who may see the admin: signed-in admins only, with a lock-out and sessions that expire."""
import time

import pytest
from sqlalchemy import select

from storefront.admin.models import AdminUser
from storefront.extensions import db
from tests.conftest import csrf_token
from tests.support.admin import EMAIL, PASSWORD, login

PROTECTED = [("GET", "/admin/"), ("GET", "/admin/orders"), ("GET", "/admin/orders/some-id"),
             ("POST", "/admin/orders/some-id/refunds"), ("POST", "/admin/orders/some-id/capture"),
             ("POST", "/admin/orders/some-id/cancel"), ("POST", "/admin/sync"), ("GET", "/admin/webhooks"),
             ("GET", "/admin/webhooks/1"), ("POST", "/admin/webhooks/1/process-again"), ("GET", "/admin/api-log"),
             ("GET", "/admin/api-log/1")]


@pytest.mark.parametrize("method, path", PROTECTED)
def test_a_visitor_is_sent_to_the_login_page(client, method, path):
    data = {"csrf_token": csrf_token(client, "/admin/login")} if method == "POST" else None  # a real token, still no entry
    response = client.open(path, method=method, data=data)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login")


def test_the_password_is_stored_hashed(app, admin_account):
    with app.app_context():
        user = db.session.scalar(select(AdminUser))
    assert PASSWORD not in user.password_hash and user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_sign_in_and_out(client, admin_account):
    response = login(client)
    assert response.status_code == 303 and response.headers["Location"] == "/admin/orders"
    assert client.get("/admin/orders").status_code == 200
    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/orders")})
    assert client.get("/admin/orders").status_code == 302


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, admin_account):
    wrong = login(client, password="nope")
    unknown = login(client, email="nobody@example.com")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "That email and password do not match an admin account." in response.get_data(as_text=True)
    assert client.get("/admin/orders").status_code == 302


def test_five_failures_lock_the_account_even_for_the_right_password(client, admin_account):
    for _ in range(5):
        login(client, password="guess")
    locked = login(client)
    assert locked.status_code == 401
    assert "Too many failed attempts. Try again in 15 minutes." in locked.get_data(as_text=True)
    assert client.get("/admin/orders").status_code == 302


def test_login_needs_the_csrf_token(client, admin_account):
    response = client.post("/admin/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/orders").status_code == 302


def test_next_only_leads_inside_the_admin(client, admin_account):
    token = csrf_token(client, "/admin/login")
    response = client.post("/admin/login?next=https://evil.example/", data={"csrf_token": token, "email": EMAIL,
                                                                           "password": PASSWORD})
    assert response.headers["Location"] == "/admin/orders"


@pytest.mark.parametrize("app_settings", [{"ADMIN_SESSION_MINUTES": 0}])
def test_an_idle_session_expires(client, admin_account):
    login(client)
    time.sleep(0.01)
    response = client.get("/admin/orders")
    assert response.status_code == 302
    assert "expired" in client.get("/admin/login").get_data(as_text=True)


def test_flask_admin_create(runner, app, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "a long enough password")
    result = runner.invoke(args=["admin", "create", "New@Example.com", "--password-from-env"])
    assert "Admin New@Example.com is ready." in result.output
    assert "already exists" in runner.invoke(args=["admin", "create", "new@example.com", "--password-from-env"]).output
    monkeypatch.setenv("ADMIN_PASSWORD", "short")
    assert "at least 8" in runner.invoke(args=["admin", "create", "x@example.com", "--password-from-env"]).output
    with app.app_context():
        assert db.session.scalars(select(AdminUser.email)).all() == ["new@example.com"]
