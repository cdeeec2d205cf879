#!/usr/bin/env bash
# README command (2): install what is missing, build, run the whole test suite.
#  - build/       : the normal build, every test (unit, integration, fault, fuzz)
#  - build-asan/  : AddressSanitizer + UBSan build, the unit tests (storage, sync, ...)
#  - build-fuzz/  : Clang build of the libFuzzer targets, a short coverage-guided run each
# MANO_LONG=1 turns on the long crash and fault sweeps (10,000 kills, more seeds), and
# deb_install_test: the .deb files built, installed and purged in a clean Debian 12 root.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/setup/install-deps.sh
jobs=$(nproc)
bash tools/setup/build.sh build
(cd build && ctest --output-on-failure -j"$jobs" --timeout 900)
# The sanitizer build compiles only what the unit tests need (target unit_tests).
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DMANO_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs" --target unit_tests
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j"$jobs" -L unit --timeout 900)
# Coverage-guided fuzzing (libFuzzer, with ASan+UBSan) of manod's request path, the client's
# reply parsers and the protocol decoders: a Clang build of the fuzz targets only, each run
# over the seeds its plain driver writes (20,000 runs; 2,000,000 with MANO_LONG=1).
fuzz=(fuzz_messages fuzz_zstd fuzz_validate fuzz_manod_http fuzz_replies fuzz_label_config
  fuzz_image_loader fuzz_audio_duration)
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$jobs" --target "${fuzz[@]}" "${fuzz[@]/%/_libfuzzer}"
(cd build-fuzz && ctest --output-on-failure -j"$jobs" -R '_libfuzzer' --timeout 900)
echo "test.sh: all tests passed"
