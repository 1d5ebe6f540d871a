#!/usr/bin/env bash
# Runs all tests (unit, integration, randomized fault tests with fixed seeds). Needs only the .NET 10 SDK.
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter "FullyQualifiedName~Windowing".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
dotnet build StreamShield.sln -c Release --nologo -v quiet "-clp:NoSummary;ErrorsOnly" || exit 1
log=$(mktemp)
dotnet test tests/StreamShield.Tests/StreamShield.Tests.csproj -c Release --no-build --nologo \
  --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" | grep -vE '^\s+Passed ' 
status=${PIPESTATUS[0]}
count() { grep -E "^\s*$1:\s+[0-9]+" "$log" | tail -1 | grep -oE '[0-9]+' || echo 0; }
passed=$(count Passed); failed=$(count Failed); skipped=$(count Skipped)
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" != "0" ] || [ "$passed" = "0" ]; then exit 1; fi
