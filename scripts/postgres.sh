#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the tests.
#   eval "$(scripts/postgres.sh start)"   # prints: export DELIBERATE_TEST_PG='Host=127.0.0.1;Port=...'
#   scripts/postgres.sh stop
# Uses Debian's postgresql binaries; as root it runs them as the postgres user (initdb refuses root).
set -euo pipefail
PORT="${DELIBERATE_PG_PORT:-55432}"
DIR="${DELIBERATE_PG_DIR:-/tmp/deliberate-pg-$PORT}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)." >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case "${1:-}" in
  start)
    if [ -f "$DIR/data/postmaster.pid" ] && as_owner "'$BIN/pg_ctl' -D '$DIR/data' status" >/dev/null 2>&1; then
      echo "export DELIBERATE_TEST_PG='Host=127.0.0.1;Port=$PORT;Username=postgres'"
      exit 0
    fi
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    as_owner "'$BIN/initdb' -D '$DIR/data' -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8" >"$DIR.initdb.log" 2>&1 \
      || { cat "$DIR.initdb.log" >&2; exit 1; }
    # fsync off: a test server that may lose data on a power cut, in exchange for speed.
    as_owner "'$BIN/pg_ctl' -D '$DIR/data' -l '$DIR/server.log' -w -o \"-p $PORT -k '$DIR' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400\" start" >&2
    echo "export DELIBERATE_TEST_PG='Host=127.0.0.1;Port=$PORT;Username=postgres'"
    ;;
  stop)
    [ -d "$DIR/data" ] && as_owner "'$BIN/pg_ctl' -D '$DIR/data' -m fast -w stop" >&2 || true
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
