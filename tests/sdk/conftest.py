"""Run the official SDKs as subprocesses against the live sandbox, each call one JSON document back."""
import json
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SDK_PYTHON = HERE.parents[1] / ".venv-sdk" / "bin" / "python"
NODE_SDK = HERE / "node_modules" / "@smartpay" / "sdk-node"


def run(command: list[str], sandbox, key: str) -> dict:
    env = {"SMARTPAY_SECRET_KEY": key, "SMARTPAY_API_PREFIX": sandbox.api_url, "PATH": "/usr/local/bin:/usr/bin:/bin"}
    done = subprocess.run(command, cwd=HERE, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def node_sdk(sandbox, secret_key):
    assert NODE_SDK.exists(), "the Node SDK is not installed: run `bash tests/sdk/setup.sh` (make test does)"
    return lambda step, **args: run(["node", "node/drive.mjs", step, json.dumps(args)], sandbox, secret_key)


@pytest.fixture
def python_sdk(sandbox, secret_key):
    assert SDK_PYTHON.exists(), "the Python SDK venv is missing: run `bash tests/sdk/setup.sh` (make test does)"
    return lambda step, **args: run([str(SDK_PYTHON), "python_sdk_driver.py", step, json.dumps(args)], sandbox, secret_key)
