#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz, each for N seconds (default 300) on a scratch copy of
# its seed corpus (tests/fuzz/corpus/<target>/, never written to). Builds build-asan first when
# needed. Prints per target the executions, exec/s, corpus size before -> after and crashes;
# exits non-zero when any target crashed, keeping the scratch directory with the crash files.
#   bash scripts/fuzz.sh [--seconds N] [TARGET...]
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
root=$PWD
. scripts/asan-env.sh

all_targets=(fuzz_http_request fuzz_json_validate fuzz_sigv4 fuzz_pagination_token)
seconds=300
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --seconds)
      seconds=${2:?--seconds needs a number}
      shift 2
      ;;
    -h | --help)
      sed -n '2,6p' "$0"
      exit 0
      ;;
    *)
      targets+=("$1")
      shift
      ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [ -d "tests/fuzz/corpus/$t" ] || {
    echo "fuzz: unknown target $t (known: ${all_targets[*]})" >&2
    exit 2
  }
done

asan_build "${targets[@]}" || exit 1

scratch=$(mktemp -d -t cleanroomsd-fuzz.XXXXXX)
crashed=0
summary=()
for t in "${targets[@]}"; do
  work=$scratch/$t
  mkdir -p "$work/corpus" "$work/artifacts" "$work/tmp"
  cp tests/fuzz/corpus/"$t"/* "$work/corpus/"
  seeds=$(find "$work/corpus" -type f | wc -l)
  dict=()
  [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
  echo
  echo "=== $t: ${seconds}s on $seeds seeds (log: $work/log)"
  # -timeout: one input taking 10 s is a hang; TMPDIR keeps fuzz_json_validate's store here.
  TMPDIR=$work/tmp "$asan_dir/tests/fuzz/$t" "$work/corpus" "${dict[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" >"$work/log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
  size=$(find "$work/corpus" -type f | wc -l)
  crashes=$(find "$work/artifacts" -type f | wc -l)
  line="$t: ${execs:-?} executions, ${rate:-?} exec/s, corpus $seeds -> $size, crashes $crashes"
  if [ $rc -ne 0 ] || [ "$crashes" -gt 0 ]; then
    crashed=1
    line+=" (exit $rc)"
    tail -n 40 "$work/log"
    find "$work/artifacts" -type f -printf "crash file: %p\n"
  fi
  echo "$line"
  summary+=("$line")
done

echo
echo "=== fuzz summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
if [ $crashed -ne 0 ]; then
  echo "fuzz: crash found; reproduce with $asan_dir/tests/fuzz/<target> <crash file>;" \
    "scratch kept: $scratch"
  exit 1
fi
rm -rf "$scratch"
