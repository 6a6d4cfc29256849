#!/usr/bin/env bash
# The shop's pages beside a bare Flask page, under the same gunicorn, measured by server CPU per request.
#   benchmarks/throughput.sh [sqlite|postgres]
# Installs wrk from apt when missing; everything runs on 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk > /dev/null || bash scripts/apt-install.sh wrk
exec .venv/bin/python benchmarks/throughput.py "${1:-sqlite}"
