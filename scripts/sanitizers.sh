#!/usr/bin/env bash
# The C++ unit tests (ctest) built with AddressSanitizer + UndefinedBehaviorSanitizer in
# build-asan; any sanitizer report (leaks included) fails the run.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
root=$PWD
. scripts/asan-env.sh

asan_build crs_checks || exit 1
ctest --test-dir "$asan_dir" --output-on-failure --timeout 600
