#!/usr/bin/env bash
# `make run`: the shop on $PORT and, when no real Smartpay key is configured, the offline sandbox beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT=${PORT:-5000}
SANDBOX_PORT=${SANDBOX_PORT:-5001}
mkdir -p instance

# .env is read by the app too; read it here so the choice below sees SMARTPAY_SECRET_KEY from it.
if [ -f .env ]; then set -a; . ./.env; set +a; fi

export FLASK_APP=wsgi PORT
# The live demo: the "under the hood" panel on the checkout pages (never in production).
export DEMO_MODE=${DEMO_MODE:-1}
export PUBLIC_URL=${PUBLIC_URL:-http://127.0.0.1:$PORT}
$BIN/flask db upgrade
$BIN/flask seed

random_alnum() { $BIN/python -c "import secrets, string; print(''.join(secrets.choice(string.ascii_letters + string.digits) for _ in range($1)))"; }

pids=()
stop_all() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop_all EXIT INT TERM

if [ -z "${SMARTPAY_SECRET_KEY:-}" ]; then
  # A demo key made once and kept, so the sandbox account (and its orders) survive restarts.
  [ -f instance/sandbox-key ] || echo "sk_test_$(random_alnum 24)" > instance/sandbox-key
  export SMARTPAY_SECRET_KEY=$(cat instance/sandbox-key)
  export SMARTPAY_API_URL=http://127.0.0.1:$SANDBOX_PORT/v1
  SANDBOX_PORT=$SANDBOX_PORT $BIN/python -m sandbox &
  pids+=($!)
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$SANDBOX_PORT/dashboard/" && break; sleep 0.2; done
  $BIN/flask smartpay register-webhook
  echo
  echo "  Offline Smartpay sandbox: http://127.0.0.1:$SANDBOX_PORT/dashboard  (test key: $SMARTPAY_SECRET_KEY)"
fi

if [ -z "${MAIL_SERVER:-}" ]; then
  # No SMTP provider configured: a local catcher keeps every email in instance/mail/ (the admin's Emails page
  # shows them as sent), so a purchase really sends its confirmation, without the internet.
  export MAIL_SERVER=127.0.0.1 MAIL_PORT=${MAIL_PORT:-1025}
  $BIN/python scripts/mail_catcher.py --port "$MAIL_PORT" --directory instance/mail &
  pids+=($!)
fi
# The worker: webhooks, order emails, reconciliation with Smartpay and pruning, in one loop (storefront/worker.py).
$BIN/flask worker &
pids+=($!)

ADMIN_EMAIL=${ADMIN_EMAIL:-admin@example.com}
if [ -z "${ADMIN_PASSWORD:-}" ]; then
  [ -f instance/admin-password ] || random_alnum 16 > instance/admin-password
  ADMIN_PASSWORD=$(cat instance/admin-password)
fi
ADMIN_PASSWORD=$ADMIN_PASSWORD $BIN/flask admin create "$ADMIN_EMAIL" --password-from-env --update
echo "  Admin:  http://127.0.0.1:$PORT/admin  ($ADMIN_EMAIL / $ADMIN_PASSWORD)"
echo "  Shop:   http://127.0.0.1:$PORT/"
echo "  Emails: http://127.0.0.1:$PORT/admin/emails  (sent through $MAIL_SERVER:$MAIL_PORT)"
echo "  Workshop guide: docs/workshop/README.md (日本語: README.ja.md), also at http://127.0.0.1:$PORT/demo/guide/"
echo "  Test cards: 4242 4242 4242 4242 approves, 4100 0000 0000 0019 declines,
              4000 0000 0000 0002 soft-declines (try again). Ctrl-C stops everything."
echo

$BIN/flask run --port "$PORT" &
pids+=($!)
wait -n
