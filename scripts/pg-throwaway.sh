#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a free port, for running the suite on PostgreSQL.
#
#   scripts/pg-throwaway.sh start   # prints DATABASE_URL=...; the cluster lives in $PG_DIR (printed too)
#   scripts/pg-throwaway.sh restart DIR   # a fast restart: every connection is cut (benchmarks/load.py --faults)
#   scripts/pg-throwaway.sh stop DIR
#
# It runs the machine's own server (installing Debian's postgresql when missing) as the `postgres` user,
# in a temporary directory, with durability turned off: test data is disposable, speed is not.
set -euo pipefail

server_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  if [ -z "$(server_bin)" ]; then bash "$(dirname "$0")/apt-install.sh" postgresql >&2; fi
  local bin dir port
  bin=$(server_bin)
  dir=$(mktemp -d /tmp/pg-throwaway.XXXXXX)
  [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w start \
    -o "-p $port -h 127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
  as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres storefront_test
  echo "PG_DIR=$dir"
  echo "DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:$port/storefront_test"
}

stop() {
  local dir=$1
  as_postgres "$(server_bin)/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null || true
  rm -rf "$dir"
}

restart() {
  as_postgres "$(server_bin)/pg_ctl" -D "$1/data" -m fast -w restart >/dev/null
}

case "${1:-}" in
  start) start ;;
  restart) restart "$2" ;;
  stop) stop "$2" ;;
  *) echo "usage: $0 start | restart DIR | stop DIR" >&2; exit 2 ;;
esac
