#!/usr/bin/env bash
# Builds and runs the engine benchmarks (Release). Example: bench/run.sh all --seconds 20 --repeat 3 --out bench/results/engine-core.md
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet build "$root/bench/StreamShield.Bench/StreamShield.Bench.csproj" -c Release --nologo -v quiet >/dev/null
exec dotnet "$root/bench/StreamShield.Bench/bin/Release/net10.0/StreamShield.Bench.dll" "$@"
