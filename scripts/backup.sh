#!/usr/bin/env bash
# Backs up Deliberate's database while the server runs, into a new folder with a manifest and checksums.
#   scripts/backup.sh sqlite   data/deliberate.db                                    backups/2026-11-23
#   scripts/backup.sh postgres "Host=db;Port=5432;Username=deliberate;Database=deliberate;Password=…" backups/2026-11-23
# SQLite: both files, the main one (deliberate.db) and Quartz's schedule beside it (deliberate.quartz.db),
# each copied with sqlite3's online backup, which gives a consistent copy while the server writes.
# PostgreSQL: pg_dump in its custom format (-Fc), one consistent snapshot of our tables and Quartz's.
# The connection string is the server's own (ConnectionStrings:Deliberate). scripts/restore.sh reads the folder.
# The MANIFEST records the audit chain's head in the backup (audit_sequence, audit_hash): kept apart from the
# database, it lets `Deliberate.Server audit verify --manifest <folder>/MANIFEST` show later that entries up to
# there were removed or rewritten. The audit key (audit.key beside a SQLite database, or Audit:KeyPath) is NOT
# copied: keep it apart from the backups, as a secret; a restored database verifies only with it.
set -euo pipefail

usage() { echo "usage: $0 sqlite <deliberate.db> <backup folder> | $0 postgres '<connection string>' <backup folder>" >&2; exit 2; }
[ $# -eq 3 ] || usage
kind="$1" source="$2" out="$3"

if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
  echo "$out exists and is not empty; a backup goes into a new folder." >&2; exit 1
fi
mkdir -p "$out"
# The audit chain's last chained entry, as "sequence|hash" (empty for an empty chain).
head_query='SELECT "Sequence" || '"'|'"' || "Hash" FROM "AuditLog" WHERE "Sequence" IS NOT NULL ORDER BY "Sequence" DESC LIMIT 1'
here="$(cd "$(dirname "$0")" && pwd)"

case "$kind" in
  sqlite)
    command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed (apt-get install sqlite3)." >&2; exit 1; }
    [ -f "$source" ] || { echo "$source does not exist." >&2; exit 1; }
    quartz="${source%.db}.quartz.db"
    # The main file first: a timer it holds whose trigger the later copy of the schedule lacks (or the other way
    # round) is healed at start-up, when the server gives every timer bookmark and deadline its trigger.
    sqlite3 "$source" ".timeout 10000" ".backup '$out/deliberate.db'"
    files="deliberate.db"
    if [ -f "$quartz" ]; then
      sqlite3 "$quartz" ".timeout 10000" ".backup '$out/deliberate.quartz.db'"
      files="$files deliberate.quartz.db"
    fi
    for file in $files; do
      [ "$(sqlite3 "$out/$file" 'PRAGMA integrity_check')" = ok ] || { echo "$out/$file fails its integrity check." >&2; exit 1; }
    done
    head="$(sqlite3 "$out/deliberate.db" "$head_query")"
    ;;
  postgres)
    command -v pg_dump >/dev/null || { echo "pg_dump is not installed (apt-get install postgresql-client)." >&2; exit 1; }
    # shellcheck source=scripts/pg-connection.sh
    source "$here/pg-connection.sh"
    export_pg_environment "$source"
    # The head before the dump: the dump holds it and everything chained before it (entries chained later follow it).
    head="$(psql -X -At -c "$head_query")"
    pg_dump --format=custom --no-owner --file="$out/deliberate.dump"
    files="deliberate.dump"
    ;;
  *) usage ;;
esac

(cd "$out" && sha256sum $files > SHA256SUMS)
cat > "$out/MANIFEST" <<EOF
kind=$kind
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
files=$files
audit_sequence=${head%%|*}
audit_hash=${head#*|}
EOF
echo "Backed up ($kind) into $out: $files ($(du -sh "$out" | cut -f1)); audit chain head ${head:-none}"
