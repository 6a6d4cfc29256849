import copy

import pytest

from sandbox import create_app
from tests.support.sandbox import FLAT_BODY


@pytest.fixture
def body():
    """The contract's example body (§2.1): product 1000 − discount 500 + tax 100 + shipping 1 = 601."""
    return copy.deepcopy(FLAT_BODY)


@pytest.fixture
def sandbox_app(tmp_path):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'sandbox.sqlite3'}",
                       "PUBLIC_URL": "http://sandbox.test"})


@pytest.fixture
def api_client(sandbox_app):
    client = sandbox_app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = "Basic sk_test_unit"
    return client
