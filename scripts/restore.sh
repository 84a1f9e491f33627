#!/usr/bin/env bash
# Restores a folder that scripts/backup.sh wrote into a NEW place — never over a database in use.
#   scripts/restore.sh sqlite   backups/2026-11-23 restored/deliberate.db
#   scripts/restore.sh postgres backups/2026-11-23 "Host=db;Port=5432;Username=deliberate;Database=deliberate_restored;Password=…"
# The checksums are verified first. SQLite: the two files are copied beside each other as <name>.db and
# <name>.quartz.db (where the server looks for the schedule). PostgreSQL: the database is created if it does
# not exist and must hold no tables; pg_restore loads it in one transaction.
# Then start the server on it (ConnectionStrings:Deliberate); it applies any newer migrations itself. Its audit
# chain verifies only with the audit key it was written with (audit.key beside the old database, or Audit:KeyPath):
# copy the key beside the restored database or point Audit:KeyPath at it.
set -euo pipefail

usage() { echo "usage: $0 sqlite <backup folder> <new deliberate.db> | $0 postgres <backup folder> '<connection string>'" >&2; exit 2; }
[ $# -eq 3 ] || usage
kind="$1" backup="$2" target="$3"
here="$(cd "$(dirname "$0")" && pwd)"

[ -f "$backup/MANIFEST" ] || { echo "$backup holds no MANIFEST: not a folder from scripts/backup.sh." >&2; exit 1; }
backed_up_kind="$(sed -n 's/^kind=//p' "$backup/MANIFEST")"
[ "$backed_up_kind" = "$kind" ] || { echo "$backup is a $backed_up_kind backup, not $kind." >&2; exit 1; }
(cd "$backup" && sha256sum --quiet --check SHA256SUMS) || { echo "$backup fails its checksums." >&2; exit 1; }

case "$kind" in
  sqlite)
    quartz="${target%.db}.quartz.db"
    for file in "$target" "$quartz" "$target-wal" "$target-shm"; do
      [ ! -e "$file" ] || { echo "$file exists; restore into a new place." >&2; exit 1; }
    done
    mkdir -p "$(dirname "$target")"
    cp "$backup/deliberate.db" "$target"
    [ ! -f "$backup/deliberate.quartz.db" ] || cp "$backup/deliberate.quartz.db" "$quartz"
    [ "$(sqlite3 "$target" 'PRAGMA integrity_check')" = ok ] || { echo "$target fails its integrity check." >&2; exit 1; }
    echo "Restored into $target$([ -f "$quartz" ] && echo " and $quartz"); the audit key goes beside it as $(dirname "$target")/audit.key"
    ;;
  postgres)
    # shellcheck source=scripts/pg-connection.sh
    source "$here/pg-connection.sh"
    export_pg_environment "$target"
    database="$PGDATABASE"
    exists="$(PGDATABASE=postgres psql -X -At -c "SELECT 1 FROM pg_database WHERE datname = '${database//\'/\'\'}'")"
    if [ -z "$exists" ]; then
      PGDATABASE=postgres psql -X -q -c "CREATE DATABASE \"${database//\"/\"\"}\""
    elif [ "$(psql -X -At -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" != 0 ]; then
      echo "Database $database already holds tables; restore into a new or empty database." >&2; exit 1
    fi
    pg_restore --no-owner --exit-on-error --single-transaction --dbname="$database" "$backup/deliberate.dump"
    echo "Restored into database $database"
    ;;
  *) usage ;;
esac
