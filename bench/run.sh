#!/usr/bin/env bash
# Builds and runs the engine benchmarks (Release), each configuration in its own process, and writes the medians to
# bench/results/engine-core.md. Options are passed on, e.g.: bench/run.sh --seconds 20 --repeat 3
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/bench/results/engine-core.md"
dotnet build "$root/bench/StreamShield.Bench/StreamShield.Bench.csproj" -c Release --nologo -v quiet >/dev/null
bench() { dotnet "$root/bench/StreamShield.Bench/bin/Release/net10.0/StreamShield.Bench.dll" "$@"; }
mkdir -p "$(dirname "$out")"
{
  echo "# Engine core benchmarks"
  echo
  echo "Written by bench/run.sh on $(date -u +%Y-%m-%d). Pass-through: generator → map → discarding sink, chained, two parallel"
  echo "pipelines. Keyed window count: generator → keyBy (10,000 keys) → 1 s tumbling event-time window count → discarding"
  echo "sink. Records/s per core divides by the process's CPU time, not wall time × cores."
  echo
  bench header
} > "$out"
for config in pt-loop pt pt-cp pt-armed wc-loop wc wc-cp wc-cp-spill wc-cp-noretain; do
  bench "$config" --out "$out" "$@"
done
echo >> "$out"
bench state --out "$out"
cat "$out"
# Nexmark on a local cluster (throughput against embedded, recovery after kill -9 of a worker): bench/results/cluster.md.
"$root/bench/cluster.sh"
