# Sourced by backup.sh and restore.sh: turns the server's connection string
# ("Host=…;Port=…;Username=…;Password=…;Database=…", as in ConnectionStrings:Deliberate) into the
# PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE variables that pg_dump, pg_restore and psql read,
# so that the password never appears on a command line.
export_pg_environment() {
  local part key value
  local IFS=';'
  for part in $1; do
    [ -n "${part// /}" ] || continue
    key="$(echo "${part%%=*}" | tr -d ' ' | tr '[:upper:]' '[:lower:]')"
    value="${part#*=}"
    case "$key" in
      host|server) export PGHOST="$value" ;;
      port) export PGPORT="$value" ;;
      username|user|userid|"user id") export PGUSER="$value" ;;
      password) export PGPASSWORD="$value" ;;
      database|db) export PGDATABASE="$value" ;;
    esac
  done
  if [ -z "${PGDATABASE:-}" ]; then
    echo "The connection string names no Database." >&2
    return 1
  fi
}
