#!/usr/bin/env bash
# Checks the C# formatting without changing anything; exits 1 on a violation.
#   1. `dotnet format whitespace/style --verify-no-changes`: whitespace, using order, and the style rules
#      .editorconfig sets to "warning".
#   2. No line in a C# file longer than 150 characters (Unicode characters, not bytes), outside the
#      generated Migrations/ and raw string literals (test data); each long line is printed as file:line: length.
# To fix: `dotnet format Deliberate.sln --exclude src/Deliberate.Server/Data/Migrations`, then wrap the long lines.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
limit=150
status=0

# Whitespace in folder mode needs no build (seconds); style (usings, file-scoped namespaces) loads the solution.
# The analyzers pass of a bare `dotnet format` is left out: it adds minutes and the build already fails on warnings.
exclude=src/Deliberate.Server/Data/Migrations
if ! dotnet format whitespace --folder --verify-no-changes --exclude "$exclude" ||
   ! dotnet format style Deliberate.sln --verify-no-changes --no-restore --severity warn --exclude "$exclude"; then
  echo "dotnet format would change files: run dotnet format Deliberate.sln --exclude $exclude"
  status=1
fi

# Data in raw string literals (a workflow's JSON compared as text) is not wrapped: lines inside one, or holding one.
long=$(find src tests tools bench -name '*.cs' \
    -not -path '*/Migrations/*' -not -path '*/obj/*' -not -path '*/bin/*' -not -path '*/node_modules/*' -print0 |
  sort -z | LIMIT="$limit" xargs -0 perl -CSD -n -e '
    chomp; s/\r$//;
    my $quotes = () = /"""/g;
    print "$ARGV:$.: " . length($_) . " characters\n" if !$raw && !$quotes && length($_) > $ENV{LIMIT};
    $raw = !$raw if $quotes % 2;
    if (eof) { close ARGV; $raw = 0 }')
if [ -n "$long" ]; then
  echo "$long"
  echo "$(wc -l <<<"$long") lines are longer than $limit characters."
  status=1
fi

[ "$status" -eq 0 ] && echo "Formatting is clean."
exit "$status"
