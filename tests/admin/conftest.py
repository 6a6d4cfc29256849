import pytest

from storefront.admin.auth import save_admin
from tests.conftest import csrf_token

EMAIL, PASSWORD = "owner@example.com", "correct horse battery"


def login(client, email=EMAIL, password=PASSWORD):
    return client.post("/admin/login", data={"csrf_token": csrf_token(client, "/admin/login"),
                                             "email": email, "password": password})


@pytest.fixture
def admin_account(app):
    with app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
    return EMAIL, PASSWORD


@pytest.fixture
def admin_client(client, admin_account):
    assert login(client).status_code == 303
    return client
