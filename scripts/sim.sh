#!/usr/bin/env bash
# The simulator from the command line, as CI runs it (scripts/test.sh suite "sim"):
#   bash scripts/sim.sh              fixed seeds with every fault, then one seed twice and once on
#                                    RocksDB: the trace hashes must be equal; a planted bug must be
#                                    caught
#   bash scripts/sim.sh --soak N     N seeds from a random start, 100,000 steps each (local use;
#                                    minutes). A failing seed prints the command that reproduces it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/build/cleanroomsd"
[[ -x "$bin" ]] || { echo "sim: build first (cmake --build build)" >&2; exit 2; }

if [[ "${1:-}" == "--soak" ]]; then
  n="${2:-20}"
  start=$(( (RANDOM << 15 | RANDOM) ))
  echo "soak: $n seeds from $start, 100000 steps each"
  exec "$bin" sim --seed "$start" --seeds "$n" --steps 100000
fi

hash_of() { grep '^trace hash: ' | cut -d' ' -f3; }

for seed in 101 202 303 404; do
  out="$("$bin" sim --seed "$seed" --steps 30000)" || { echo "$out"; echo "sim: seed $seed FAILED"; exit 1; }
  echo "seed $seed: $(grep -E '^(time|trace hash):' <<<"$out" | tr '\n' ' ')"
done

a="$("$bin" sim --seed 77 --steps 20000 | hash_of)"
b="$("$bin" sim --seed 77 --steps 20000 | hash_of)"
[[ -n "$a" && "$a" == "$b" ]] || { echo "sim: seed 77 gave trace hashes '$a' and '$b'"; exit 1; }
echo "seed 77 twice: trace hash $a both times"
c="$("$bin" sim --seed 77 --steps 20000 --store rocksdb | hash_of)"
[[ "$a" == "$c" ]] || { echo "sim: seed 77 gave trace hash '$a' in memory, '$c' on RocksDB"; exit 1; }
echo "seed 77 on RocksDB: the same trace hash"

set +e
out="$("$bin" sim --seed 5 --steps 20000 --plant-bug member-left-stays-active)"
rc=$?
set -e
if [[ $rc -ne 1 ]] || ! grep -q '^VIOLATION at step' <<<"$out" || ! grep -q '^reproduce with: ' <<<"$out"; then
  echo "$out"
  echo "sim: the planted bug was not caught (exit $rc)"
  exit 1
fi
echo "planted bug caught: $(grep '^VIOLATION' <<<"$out")"
