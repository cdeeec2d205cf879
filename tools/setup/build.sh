#!/usr/bin/env bash
# Builds mano into build/ (or $1). Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${1:-build}; shift || true
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)"
