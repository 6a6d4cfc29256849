#!/usr/bin/env bash
# Install Debian packages, as root or through sudo; `apt-get update` first so a fresh machine finds them.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@"
