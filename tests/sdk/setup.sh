#!/usr/bin/env bash
# Install the two official Smartpay SDKs that the proof tests drive (idempotent; quick when up to date).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

# Node is on this project's machines; a bare Debian gets it from apt (the SDK needs Node 16 or newer).
command -v npm >/dev/null || bash "$root/scripts/apt-install.sh" nodejs npm

if [ ! -d "$here/node_modules/@smartpay/sdk-node" ] || [ "$here/package-lock.json" -nt "$here/node_modules" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  touch "$here/node_modules"
fi

# Its own venv: the SDK pins an old requests that must not leak into the storefront's.
venv="$root/.venv-sdk"
if [ ! -f "$venv/.installed" ] || [ "$here/requirements-sdk.txt" -nt "$venv/.installed" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements-sdk.txt"
  touch "$venv/.installed"
fi
