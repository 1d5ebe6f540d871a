#!/usr/bin/env bash
# Runs all tests (unit, integration, randomized fault tests with fixed seeds). Needs only the .NET 10 SDK.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
dotnet build StreamShield.sln -c Release --nologo -v quiet "-clp:NoSummary;ErrorsOnly"
dotnet test tests/StreamShield.Tests/StreamShield.Tests.csproj -c Release --no-build --nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee /tmp/streamshield-test.log | grep -vE '^\s+Passed ' || true
# Exit with the test run's status and print the summary as "N passed, N failed".
summary=$(grep -E '^(Passed|Failed)!' /tmp/streamshield-test.log | tail -1)
passed=$(echo "$summary" | sed -nE 's/.*Passed: +([0-9]+).*/\1/p')
failed=$(echo "$summary" | sed -nE 's/.*Failed: +([0-9]+),.*/\1/p')
skipped=$(echo "$summary" | sed -nE 's/.*Skipped: +([0-9]+).*/\1/p')
echo "${passed:-0} passed, ${failed:-1} failed, ${skipped:-0} skipped"
[ -n "$summary" ] && [ "${failed:-1}" = "0" ]
