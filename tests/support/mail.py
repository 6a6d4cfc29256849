"""A real SMTP server for the tests: scripts/mail_catcher.py in a subprocess, and the messages it received.

    def test_something(mail_catcher):
        ...
        [message] = mail_catcher.messages()      # email.message.EmailMessage objects, oldest first
"""
import email
import email.policy
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.support.sandbox import ROOT, free_port


class MailCatcher:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="mail-"))
        self.process: subprocess.Popen | None = None

    def start(self) -> "MailCatcher":
        self.process = subprocess.Popen(
            [sys.executable, "scripts/mail_catcher.py", "--port", str(self.port), "--directory", str(self.directory)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        raise RuntimeError("the mail catcher did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                for path in sorted(self.directory.glob("*.eml"))]

    def clear(self) -> None:
        for path in self.directory.glob("*.eml"):
            path.unlink()


@pytest.fixture(scope="session")
def mail_server():
    catcher = MailCatcher().start()
    yield catcher
    catcher.stop()


@pytest.fixture
def mail_catcher(mail_server):
    mail_server.clear()
    return mail_server


def parts(message) -> tuple[str, str]:
    """The plain-text and HTML bodies of a multipart/alternative message."""
    return (message.get_body(preferencelist=("plain",)).get_content(),
            message.get_body(preferencelist=("html",)).get_content())


def mail_settings(catcher) -> dict:
    """The live shop's settings that send its emails to the catcher."""
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": catcher.port, "MAIL_TIMEOUT": 3}
