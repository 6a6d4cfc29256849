"""`smartpay-sandbox` (and `python -m sandbox`): options and their environment variables, and a clear refusal
of a bad one. CI also installs the package into an empty virtual environment and runs the Node SDK proof
against the installed command (.ci/run)."""
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.cli import parse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("option, value, words", [
    ("--port", "http", "--port must be a port number"),
    ("--port", "70000", "--port must be a port number"),
    ("--locale", "fr", "--locale must be ja or en"),
    ("--webhook-retry-delays", "soon", "--webhook-retry-delays must be seconds separated by commas"),
])
def test_a_bad_option_is_refused_in_one_sentence(option, value, words, capsys):
    with pytest.raises(SystemExit) as stop:
        parse([option, value])
    assert stop.value.code == 2 and words in capsys.readouterr().err


@pytest.mark.slow
def test_every_option_names_its_environment_variable():
    done = subprocess.run([sys.executable, "-m", "sandbox", "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 0
    for variable in ("SANDBOX_PORT", "SANDBOX_DATABASE_URL", "SANDBOX_WEBHOOK_RETRY_DELAYS", "SANDBOX_DEFAULT_LOCALE"):
        assert variable in done.stdout

