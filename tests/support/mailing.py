"""A live shop that sends its emails: a test module imports these two fixtures to override the defaults
(`from tests.support.mailing import shop_settings, worker_jobs`). Not a plugin: every other module keeps a shop
that sends nothing and a worker that only processes webhooks."""
import pytest

from tests.support.mail import mail_settings


@pytest.fixture
def shop_settings(mail_catcher):
    return mail_settings(mail_catcher)


@pytest.fixture
def worker_jobs():
    return ("webhooks", "emails")  # the worker also sends the outbox
