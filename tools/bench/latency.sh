#!/usr/bin/env bash
# Issue 20's benchmark, one command (docs/BENCHMARKS.md, "One sync on high-latency links"):
#   bash tools/bench/latency.sh                      # build, 3 runs per row, print the table
#   BENCH_REPS=5 bash tools/bench/latency.sh --sizes 100 --delays 0,300
# Builds mano, manod, flakynet and bench_queue into $BENCH_BUILD (default <repo>/build-bench,
# RelWithDebInfo), then runs tools/bench/latency_bench.py. About 5 minutes at 3 runs per row.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${BENCH_BUILD:-$repo/build-bench}"
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"${BENCH_JOBS:-2}" --target mano manod flakynet bench_queue
exec python3 "$repo/tools/bench/latency_bench.py" --bin "$build/bin" --reps "${BENCH_REPS:-3}" "$@"
