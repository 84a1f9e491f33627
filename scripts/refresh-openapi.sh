#!/usr/bin/env bash
# Refreshes the web app's copy of the server's API description (src/web/src/shared/openapi.json), from
# which `npm run build` generates src/web/src/shared/api-types.ts.
#   scripts/refresh-openapi.sh                       builds and starts the server on a spare port over a throwaway
#                                                    SQLite database (demo on), reads /openapi/v1.json, stops it
#   scripts/refresh-openapi.sh http://127.0.0.1:5080 reads it from a server that is already running
# OpenApiDescriptionTests fails when the copy and the server disagree; run this, then `cd src/web && npm run build`.
set -euo pipefail
cd "$(dirname "$0")/.."
target=src/web/src/shared/openapi.json
url="${1:-}"
server_pid=""
data=""
cleanup() {
  # dotnet run starts the server as its child: stop both.
  if [ -n "$server_pid" ]; then
    pkill -P "$server_pid" 2>/dev/null
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  [ -n "$data" ] && rm -rf "$data"
  return 0
}
trap cleanup EXIT

if [ -z "$url" ]; then
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  url="http://127.0.0.1:$port"
  data=$(mktemp -d)
  dotnet build src/Deliberate.Server -v q -p:SkipWebBuild=true >/dev/null
  # --urls on the command line: appsettings.json's "Urls" (port 5080) wins over ASPNETCORE_URLS.
  Demo__Enabled=true ConnectionStrings__Deliberate="Data Source=$data/deliberate.db" \
    dotnet run --no-build --project src/Deliberate.Server -- --urls "$url" >"$data/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    curl -fsS "$url/openapi/v1.json" -o /dev/null 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$data/server.log"; echo "The server stopped before it answered."; exit 1; }
    sleep 1
  done
fi
curl -fsS "$url/openapi/v1.json" -o /dev/null || { [ -n "$data" ] && tail -20 "$data/server.log"; echo "No description at $url/openapi/v1.json."; exit 1; }

curl -fsS "$url/openapi/v1.json" | node src/web/scripts/normalize-openapi.mjs >"$target"
echo "Wrote $target from $url/openapi/v1.json"
