#!/usr/bin/env bash
# Crash test: tests/crash/run.sh [--cycles N] [--seed S] [--mode kill|term] [other crash_test.mjs flags]
# Builds nothing: needs build/cleanroomsd. Runs tests/crash/crash_test.mjs on a scratch directory
# (mktemp), removed on success, kept (and printed) on failure. Exit status is the harness's.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD

if [ ! -x "$root/build/cleanroomsd" ]; then
  echo "crash: $root/build/cleanroomsd does not exist; build it first (cmake --build build -j2 --target cleanroomsd)" >&2
  exit 1
fi
command -v node >/dev/null || { echo "crash: node is not installed" >&2; exit 1; }

scratch=$(mktemp -d -t cleanroomsd-crash.XXXXXX)
harness_pid=
cleanup_signal() {
  # the harness kills its server on any exit; make sure it gets the chance
  [ -n "$harness_pid" ] && kill -TERM "$harness_pid" 2>/dev/null && wait "$harness_pid" 2>/dev/null
  echo "crash: interrupted; scratch directory kept: $scratch" >&2
  exit 130
}
trap cleanup_signal INT TERM

node "$root/tests/crash/crash_test.mjs" --work-dir "$scratch" --binary "$root/build/cleanroomsd" "$@" &
harness_pid=$!
wait "$harness_pid"
rc=$?
harness_pid=
if [ $rc -eq 0 ]; then
  rm -rf "$scratch"
else
  echo "crash: failed (exit $rc); scratch directory kept: $scratch (data/, server.log, requests-*.jsonl)" >&2
fi
exit $rc
