#!/usr/bin/env bash
# The one command for docs/BENCHMARKS.md's end-to-end sections (issue 7):
#   bash tools/bench/run.sh                 # build, run everything (3 runs per row), write docs
#   BENCH_REPS=5 bash tools/bench/run.sh    # more runs per row
#   bash tools/bench/run.sh --only wire,manod --no-docs
#   bash tools/bench/run.sh --only dict --no-docs   # zstd dictionary with/without (~3 min)
# Builds mano, manod, flakynet, checkpoint_bench and the suite's programs into
# $BENCH_BUILD (default <repo>/build-bench, RelWithDebInfo), then runs
# tools/bench/suite/bench.py, which writes docs/benchmarks.csv and the sections after the
# suite's marker line in docs/BENCHMARKS.md. Needs python3 and tmux (tools/setup/install-deps.sh).
# Takes about 10-15 minutes on a loaded 2-core machine.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${BENCH_BUILD:-$repo/build-bench}"
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"${BENCH_JOBS:-2}" --target mano manod flakynet checkpoint_bench \
  bench_queue bench_web
exec python3 "$repo/tools/bench/suite/bench.py" --bin "$build/bin" --source "$repo" \
  --reps "${BENCH_REPS:-3}" "$@"
