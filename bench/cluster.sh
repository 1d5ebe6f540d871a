#!/usr/bin/env bash
# Builds the CLI (Release) and runs `streamshield bench cluster`: Nexmark q1 and q5 on a local 2-worker cluster against
# the same queries embedded, and recovery after kill -9 of a worker; writes bench/results/cluster.md.
# Options are passed on, e.g.: bench/cluster.sh --repeat 1 --steady-seconds 8
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/bench/results/cluster.md"
dotnet build "$root/src/StreamShield.Cli/StreamShield.Cli.csproj" -c Release --nologo -v quiet >/dev/null
dotnet "$root/src/StreamShield.Cli/bin/Release/net10.0/streamshield.dll" bench cluster --query q1,q5 --workers 2 --slots 2 --parallelism 2 \
  --results "$out" "$@"
