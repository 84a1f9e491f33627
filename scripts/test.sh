#!/usr/bin/env bash
# Runs every test suite and ends with one line, "N passed, N failed", totalled over all of them.
#   format (scripts/check-format.sh) · unit tests · integration tests on SQLite · integration tests on PostgreSQL
#   web component tests (vitest) · browser tests (playwright-core in Debian's Chromium; run beside the others)
#   two-node cluster crash test on PostgreSQL · backup and restore on SQLite and PostgreSQL (tests/cluster)
# PostgreSQL: DELIBERATE_TEST_PG names a server, or one is started here (scripts/postgres.sh).
# Without PostgreSQL binaries the PostgreSQL runs are skipped locally; with CI=true they count as failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
RESULTS="$PWD/artifacts/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
passed=0
failed=0

summary() { echo; echo "$passed passed, $failed failed"; }
# Wall-clock seconds of each suite, printed at the end so that the run's time can be kept under CI's limit.
timings=""
timed() {
  local name="$1" start=$SECONDS rc; shift
  "$@"; rc=$?
  timings+="  $name: $((SECONDS - start)) s"$'\n'
  return $rc
}

if ! timed build dotnet build Deliberate.sln --nologo -v quiet -clp:ErrorsOnly; then
  failed=$((failed + 1)); echo "The build failed."; summary; exit 1
fi

# Runs one suite and adds its counts; a suite that leaves no results counts as one failure.
suite() {
  local name="$1" project="$2"; shift 2
  echo "== $name"
  env "$@" dotnet test "$project" --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$RESULTS"
  local trx="$RESULTS/$name.trx"
  if [ ! -f "$trx" ]; then
    echo "$name left no results."; failed=$((failed + 1)); return
  fi
  local counters p f e
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  e=$(sed -E 's/.* error="([0-9]+)".*/\1/' <<<"$counters")
  passed=$((passed + p)); failed=$((failed + f + e))
}

# Counts from a JSON file that a node suite wrote: { passed, failed }.
node_suite() {
  local name="$1" json="$2"; shift 2
  echo "== $name"
  rm -f "$json"
  "$@"
  count_json "$name" "$json"
}

count_json() {
  local name="$1" json="$2"
  if [ ! -f "$json" ]; then
    echo "$name left no results."; failed=$((failed + 1)); return
  fi
  local p f
  p=$(node -e 'const r=require(process.argv[1]); console.log(r.passed ?? r.numPassedTests ?? 0)' "$json")
  f=$(node -e 'const r=require(process.argv[1]); console.log((r.failed ?? r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0))' "$json")
  passed=$((passed + p)); failed=$((failed + f))
}

# A check that either passes or fails counts as one: failure 1 failed, success 1 passed.
check_suite() {
  local name="$1"; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

# The browser tests spend most of their time waiting on Chromium and their own servers: they run beside the .NET
# suites (their output is printed when they end), which keeps the whole run well under CI's limit on two cores.
# PostgreSQL first: the browser tests' go-live walk needs it too (.ci/run has started it already).
started_pg=""
if [ -z "${DELIBERATE_TEST_PG:-}" ]; then
  if pg_env=$(scripts/postgres.sh start); then
    eval "$pg_env"; started_pg=1
  fi
fi
[ -n "${DELIBERATE_TEST_PG:-}" ] && export DELIBERATE_TEST_PG

rm -f "$RESULTS/e2e.json"
e2e_start=$SECONDS
{ node tests/e2e/run.mjs > "$RESULTS/e2e.log" 2>&1; echo "$SECONDS" > "$RESULTS/e2e.end"; } &
e2e_pid=$!

timed format check_suite format bash scripts/check-format.sh
timed unit suite unit tests/Deliberate.Tests
timed integration-sqlite suite integration-sqlite tests/Deliberate.IntegrationTests DELIBERATE_TEST_DB=sqlite

if [ -n "${DELIBERATE_TEST_PG:-}" ]; then
  timed integration-postgres suite integration-postgres tests/Deliberate.IntegrationTests \
    DELIBERATE_TEST_DB=postgres DELIBERATE_TEST_PG="$DELIBERATE_TEST_PG"
  timed cluster node_suite cluster "$RESULTS/cluster.json" node tests/cluster/cluster.test.mjs
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not available, and in CI the PostgreSQL runs may not be skipped."; failed=$((failed + 2))
else
  echo "PostgreSQL is not available here: the PostgreSQL runs are skipped (install postgresql to run them)."
fi
timed backup node_suite backup "$RESULTS/backup.json" node tests/cluster/backup.test.mjs

# ESLint + Prettier --check over the web app, so that a violation fails CI.
timed web-lint check_suite web-lint bash -c "cd src/web && npm run lint --silent"
timed web node_suite web "$RESULTS/web.json" bash -c "cd src/web && npx vitest run --reporter=default --reporter=json --outputFile='$RESULTS/web.json'"
wait "$e2e_pid"
timings+="  e2e (beside the others): $(($(cat "$RESULTS/e2e.end") - e2e_start)) s"$'\n'
[ -n "$started_pg" ] && scripts/postgres.sh stop
echo "== e2e"
cat "$RESULTS/e2e.log"
count_json e2e "$RESULTS/e2e.json"

echo; echo "Suite times:"; printf '%s' "$timings"
summary
[ "$failed" -eq 0 ]
