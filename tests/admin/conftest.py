import pytest

from storefront.admin.auth import save_admin
from tests.support.admin import EMAIL, PASSWORD, login


@pytest.fixture
def admin_account(app):
    with app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
    return EMAIL, PASSWORD


@pytest.fixture
def admin_client(client, admin_account):
    assert login(client).status_code == 303
    return client
