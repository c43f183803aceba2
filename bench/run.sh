#!/usr/bin/env bash
# The benchmark suite: one command, one table, every figure beside its ceiling measured in the
# same run (see bench/README.md for what each row measures).
#
#   bash bench/run.sh            # the full run (~9 minutes on 2 cores, after the build)
#   bash bench/run.sh --quick    # every case shortened: a smoke run (< 2 minutes after the build)
#
# Builds a Release build in build-bench/ (only the targets it needs), installs what is missing
# from Debian (nginx-light, wrk, curl, nodejs, python3), runs everything on loopback and free
# ports in a scratch directory under build-bench/ (on disk, so fsync costs what it costs),
# prints the table and writes it to bench/results/latest.md. Every process it starts is stopped
# on exit. It never touches build/ or data/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

quick=0
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    -h | --help)
      sed -n '2,13p' "$0"
      exit 0
      ;;
    *)
      echo "bench/run.sh: unknown argument $a (usage: bash bench/run.sh [--quick])" >&2
      exit 2
      ;;
  esac
done

if [ $quick = 1 ]; then
  journal_seconds=1 wrk_seconds=2 log_events=100000 idle_count=2000 activation_runs=3
  rebuild_runs=1
else
  journal_seconds=4 wrk_seconds=8 log_events=1000000 idle_count=10000 activation_runs=9
  rebuild_runs=3
fi

say() { printf '%s bench: %s\n' "$(date +%T)" "$*" >&2; }
die() {
  say "FAILED: $*"
  exit 1
}

# ---------------------------------------------------------------- tools (Debian packages only)
need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v cmake >/dev/null 2>&1 || need+=(cmake build-essential)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  [ "$(id -u)" -eq 0 ] || die "run as root (or install these Debian packages): ${need[*]}"
  # The nginx package would start a system nginx on port 80: forbid service starts meanwhile
  # (Docker images already have this policy; keep theirs).
  own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    own_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; } ||
    { [ $own_policy = 1 ] && rm -f /usr/sbin/policy-rc.d; die "apt-get install ${need[*]}"; }
  [ $own_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
fi
NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)

# ---------------------------------------------------------------- build
build=$root/build-bench
mkdir -p "$build"
say "building Release in build-bench/ (log: build-bench/bench-build.log)"
{
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCRS_BUILD_TESTS=OFF &&
    cmake --build "$build" -j"$(nproc)" --target cleanroomsd make_log activation_bench journal_bench
} >"$build/bench-build.log" 2>&1 || {
  tail -30 "$build/bench-build.log" >&2
  die "build"
}
CRS=$build/cleanroomsd

# ---------------------------------------------------------------- processes and scratch
scratch=$(mktemp -d "$build/run.XXXXXX")
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$scratch"
}
# Runs a command in the background and waits for it, so a signal to this script is handled at
# once (bash defers traps while a foreground child runs) and the child is stopped with the rest.
#   run_bg OUTFILE COMMAND ARGS...   (stdout and stderr to OUTFILE; returns the command's status)
run_bg() {
  local out=$1 p rc=0
  shift
  "$@" >"$out" 2>&1 &
  p=$!
  pids+=("$p")
  wait "$p" || rc=$?
  forget "$p"
  return $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
forget() {  # drop a pid from the cleanup list
  local keep=() p
  for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  pids=("${keep[@]}")
}
stop() {
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  forget "$1"
}
wait_http() {  # URL PID
  local i
  for i in $(seq 1 300); do
    curl -s -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
# field KEY LINE: the value of KEY=... in a RESULT line
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
calc() { python3 -c "print($1)"; }

server_pid='' server_port=''
start_server() {  # DATA_DIR [flags...]
  local dir=$1
  shift
  server_port=$(free_port)
  "$CRS" serve --listen "127.0.0.1:$server_port" --data-dir "$dir" --log-level warn "$@" \
    >>"$scratch/server.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  wait_http "http://127.0.0.1:$server_port/health" "$server_pid" ||
    { tail -20 "$scratch/server.log" >&2; die "cleanroomsd did not become ready"; }
}

AUTH_PREFIX='AWS4-HMAC-SHA256 Credential='
AUTH_SUFFIX='/20260101/us-east-1/cleanrooms/aws4_request, SignedHeaders=host, Signature=0000000000000000000000000000000000000000000000000000000000000000'
api() {  # METHOD PATH ACCOUNT [BODY] -> body on stdout, status in $scratch/status
  curl -s -o "$scratch/body" -w '%{http_code}' -X "$1" "http://127.0.0.1:$server_port$2" \
    -H "Authorization: $AUTH_PREFIX$3$AUTH_SUFFIX" -H 'Content-Type: application/json' \
    ${4:+--data "$4"} >"$scratch/status"
  cat "$scratch/body"
}
status() { cat "$scratch/status"; }
create_body() {  # NAME MEMBER_ACCOUNT
  printf '{"members":[{"accountId":"%s","memberAbilities":["CAN_QUERY"],"displayName":"querier"}],"name":"%s","description":"bench","creatorMemberAbilities":["CAN_RECEIVE_RESULTS"],"creatorDisplayName":"creator","queryLogStatus":"DISABLED"}' "$2" "$1"
}
json_get() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d$1)"; }

wrk_line=''
run_wrk() {  # SCRIPT URL: sets wrk_line to the RESULT line
  run_bg "$scratch/wrk.out" wrk -t2 -c64 -d"${wrk_seconds}s" --latency -s "$1" "$2" || true
  grep '^non-2xx' "$scratch/wrk.out" >&2 || true
  wrk_line=$(grep '^RESULT' "$scratch/wrk.out") || { cat "$scratch/wrk.out" >&2; die "wrk $2 printed no result"; }
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
load_start=$(loadavg)
say "load average at start: $load_start"

# ================================================================ 1. durable appends
say "1/6 journal vs raw RocksDB, ${journal_seconds} s per case"
run_bg "$scratch/journal.out" "$build/bench/journal_bench" --seconds "$journal_seconds" \
  --writers 1,16,64 --dir "$scratch/journal" || { cat "$scratch/journal.out" >&2; die journal_bench; }
cat "$scratch/journal.out" >&2
declare -A J R JR
for w in 1 16 64; do
  line=$(grep "^RESULT appends writers=$w " "$scratch/journal.out")
  J[$w]=$(field journal_per_s "$line")
  R[$w]=$(field raw_per_s "$line")
  JR[$w]=$(field journal_requests_per_batch "$line")
done
append_bytes=$(field bytes_per_append "$line")
append_events=$(field events_per_append "$line")

# ================================================================ 2. reads vs nginx
say "2/6 GetCollaboration / ListCollaborations vs nginx, ${wrk_seconds} s each"
start_server "$scratch/read-data"
body=$(api POST /collaborations 111111111111 "$(create_body bench-read 222222222222)")
[ "$(status)" = 200 ] || die "CreateCollaboration answered $(status): $body"
cid=$(json_get "['collaboration']['id']" <<<"$body")
for i in 1 2 3 4; do
  api POST /collaborations 111111111111 "$(create_body "bench-read-$i" 222222222222)" >/dev/null
  [ "$(status)" = 200 ] || die "CreateCollaboration answered $(status)"
done
mkdir -p "$scratch/www"
api GET "/collaborations/$cid" 111111111111 >"$scratch/www/get.json"
[ "$(status)" = 200 ] || die "GetCollaboration answered $(status)"
api GET /collaborations 111111111111 >"$scratch/www/list.json"
[ "$(status)" = 200 ] || die "ListCollaborations answered $(status)"
list_n=$(json_get "['collaborationList'].__len__()" <"$scratch/www/list.json")
get_bytes=$(stat -c %s "$scratch/www/get.json")
list_bytes=$(stat -c %s "$scratch/www/list.json")


# nginx as the current user: prefix, pid, logs and temp paths all in the scratch directory.
ngx=$scratch/nginx
mkdir -p "$ngx/logs" "$ngx/tmp"
nginx_port=$(free_port)
user_line=''
[ "$(id -u)" -eq 0 ] && user_line="user $(id -un) $(id -gn);"
cat >"$ngx/nginx.conf" <<EOF
$user_line
daemon off;
worker_processes 2;
pid $ngx/nginx.pid;
error_log $ngx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 60s;
  client_body_temp_path $ngx/tmp/body;
  proxy_temp_path $ngx/tmp/proxy;
  fastcgi_temp_path $ngx/tmp/fastcgi;
  uwsgi_temp_path $ngx/tmp/uwsgi;
  scgi_temp_path $ngx/tmp/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $scratch/www;
    default_type application/json;
    location / { }
  }
}
EOF
"$NGINX" -p "$ngx" -e "$ngx/logs/error.log" -c "$ngx/nginx.conf" >>"$ngx/logs/stdout.log" 2>&1 &
nginx_pid=$!
pids+=("$nginx_pid")
wait_http "http://127.0.0.1:$nginx_port/get.json" "$nginx_pid" ||
  { cat "$ngx/logs/"* >&2; die "nginx did not start"; }
[ "$(curl -s "http://127.0.0.1:$nginx_port/get.json" | wc -c)" = "$get_bytes" ] ||
  die "nginx serves a different size"
# Each figure right before its ceiling (both processes idle while the other is measured), so
# the load of the machine drifts as little as possible between the two.
run_wrk bench/read_report.lua "http://127.0.0.1:$server_port/collaborations/$cid"
get_line=$wrk_line
run_wrk bench/read_report.lua "http://127.0.0.1:$nginx_port/get.json"
ngx_get_line=$wrk_line
run_wrk bench/read_report.lua "http://127.0.0.1:$server_port/collaborations"
list_line=$wrk_line
run_wrk bench/read_report.lua "http://127.0.0.1:$nginx_port/list.json"
ngx_list_line=$wrk_line
stop "$server_pid"
stop "$nginx_pid"

# ================================================================ 3. durable creates
say "3/6 CreateCollaboration + CreateMembership (durable) vs the Python stand-in, ${wrk_seconds} s each"
start_server "$scratch/write-data"
# A few by hand first: each kind must answer 200, as the wrk script's requests will.
for i in 1 2 3; do
  creator=$(printf '9%011d' "$i") member=$(printf '8%011d' "$i")
  body=$(api POST /collaborations "$creator" "$(create_body "check-$i" "$member")")
  [ "$(status)" = 200 ] || die "CreateCollaboration answered $(status): $body"
  id=$(json_get "['collaboration']['id']" <<<"$body")
  body=$(api POST /memberships "$member" "{\"collaborationIdentifier\":\"$id\",\"queryLogStatus\":\"DISABLED\"}")
  [ "$(status)" = 200 ] || die "CreateMembership answered $(status): $body"
done
run_wrk bench/create_mix.lua "http://127.0.0.1:$server_port"
create_line=$wrk_line
stop "$server_pid"

py_port=$(free_port)
python3 bench/python_standin.py "$py_port" >>"$scratch/python.log" 2>&1 &
py_pid=$!
pids+=("$py_pid")
wait_http "http://127.0.0.1:$py_port/health" "$py_pid" || die "the Python stand-in did not start"
run_wrk bench/create_mix.lua "http://127.0.0.1:$py_port"
py_line=$wrk_line
stop "$py_pid"

# ================================================================ 4. rebuild
say "4/6 make_log $log_events events, rebuild-projections, raw read of the same log"
run_bg "$scratch/make_log.out" "$build/bench/make_log" "$scratch/log" "$log_events" ||
  { cat "$scratch/make_log.out" >&2; die make_log; }
cat "$scratch/make_log.out" >&2
# The machine's speed swings by up to 2x from one minute to the next (other tenants), and noise
# only ever adds time: the rebuild and its ceilings each run $rebuild_runs times, interleaved,
# and the best of each counts. Every rebuild works on a fresh copy of the same log.
rebuild_rates=() rebuild_best=0 read_raw='' read_dec='' raw_best=0 dec_best=0
rebuild_rate=0 rebuild_wall=0 rebuild_events=0
for ((run = 1; run <= rebuild_runs; run++)); do
  run_bg "$scratch/read.out" "$build/bench/journal_bench" --read-log "$scratch/log" --decode ||
    { cat "$scratch/read.out" >&2; die "journal_bench --read-log"; }
  cat "$scratch/read.out" >&2
  line=$(grep '^RESULT read_raw' "$scratch/read.out")
  if (($(calc "int($(field entries_per_s "$line") > $raw_best)"))); then
    read_raw=$line raw_best=$(field entries_per_s "$line")
  fi
  line=$(grep '^RESULT read_decode' "$scratch/read.out")
  if (($(calc "int($(field entries_per_s "$line") > $dec_best)"))); then
    read_dec=$line dec_best=$(field entries_per_s "$line")
  fi
  rm -rf "$scratch/log.run" && cp -r "$scratch/log" "$scratch/log.run"
  t0=$(date +%s.%N)
  run_bg "$scratch/rebuild.out" "$CRS" rebuild-projections --data-dir "$scratch/log.run" ||
    { cat "$scratch/rebuild.out" >&2; die rebuild-projections; }
  t1=$(date +%s.%N)
  cat "$scratch/rebuild.out" >&2
  rate=$(sed -n 's/.*(\([0-9]*\) events\/s).*/\1/p' "$scratch/rebuild.out")
  [ -n "$rate" ] || die "rebuild-projections printed no events/s"
  rebuild_rates+=("$rate")
  if ((rate > rebuild_best)); then
    rebuild_best=$rate rebuild_rate=$rate rebuild_wall=$(calc "$t1 - $t0")
    rebuild_events=$(sed -n 's/.* from \([0-9]*\) events in .*/\1/p' "$scratch/rebuild.out")
  fi
  rm -rf "$scratch/log.run"
done
rm -rf "$scratch/log"

# ================================================================ 5. activation
say "5/6 activation of a 10,000-event collaboration"
run_bg "$scratch/act.out" "$build/bench/activation_bench" --events 10000 --runs "$activation_runs" \
  --dir "$scratch/act" || { cat "$scratch/act.out" >&2; die activation_bench; }
cat "$scratch/act.out" >&2
act_ms() { awk -v c="$1" 'index($0, c) == 1 { print $(NF-2) }' "$scratch/act.out"; }
act_full=$(act_ms 'full replay (no snapshot)')
act_behind=$(act_ms 'snapshot 99 behind head')
act_head=$(act_ms 'snapshot at head')
# Ceiling of the full replay: iterating the same 10,000 log entries without decoding.
run_bg "$scratch/actread.out" "$build/bench/journal_bench" --read-log "$scratch/act" --runs 15 ||
  { cat "$scratch/actread.out" >&2; die "journal_bench --read-log (activation)"; }
act_read_s=$(field seconds "$(grep '^RESULT read_raw' "$scratch/actread.out")")
act_read_ms=$(calc "round($act_read_s * 1000, 3)")
rm -rf "$scratch/act"

# ================================================================ 6. memory
say "6/6 resident memory of $idle_count idle collaborations"
has_max_resident=0
"$CRS" serve --help 2>&1 | grep -q -- '--max-resident-actors' && has_max_resident=1
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# Sets mem_mb (growth scaled to 10,000), mem_ok, mem_bad, mem_before, mem_after (MB). Runs in
# this shell (no $(...)), so the cleanup trap knows the server it starts.
measure_rss() {  # LABEL [serve flags...]
  local label=$1 before after line
  shift
  start_server "$scratch/mem-$label" "$@"
  sleep 1
  before=$(rss_kb "$server_pid")
  run_bg "$scratch/create_many.out" node bench/create_many.mjs "http://127.0.0.1:$server_port" \
    "$idle_count" 64 || { cat "$scratch/create_many.out" >&2; die "create_many"; }
  grep '^non-2xx' "$scratch/create_many.out" >&2 || true
  line=$(grep '^RESULT' "$scratch/create_many.out")
  sleep 2
  after=$(rss_kb "$server_pid")
  stop "$server_pid"
  rm -rf "$scratch/mem-$label"
  mem_mb=$(calc "round(($after - $before) / 1024 * 10000 / $idle_count, 1)")
  mem_ok=$(field created "$line") mem_bad=$(field non2xx "$line")
  mem_before=$(calc "round($before / 1024, 1)") mem_after=$(calc "round($after / 1024, 1)")
}
if [ $has_max_resident = 1 ]; then
  measure_rss all --max-resident-actors 1000000
  mem_all=$mem_mb mem_all_ok=$mem_ok mem_all_bad=$mem_bad mem_all_b=$mem_before mem_all_a=$mem_after
  measure_rss passivated --max-resident-actors 100
  mem_pas=$mem_mb mem_pas_ok=$mem_ok mem_pas_bad=$mem_bad mem_pas_b=$mem_before mem_pas_a=$mem_after
else
  measure_rss all
  mem_all=$mem_mb mem_all_ok=$mem_ok mem_all_bad=$mem_bad mem_all_b=$mem_before mem_all_a=$mem_after
fi
load_end=$(loadavg)

# ================================================================ the table
ratio() { calc "'%.2f' % ($1 / $2) if $2 else 'n/a'"; }
int() { calc "format(int(round($1)), ',')"; }
ms() { calc "'%.2f' % ($1 / 1000)"; }
verdict() { calc "'yes' if $1 else '**no**'"; }

gr=$(field rps "$get_line") ngr=$(field rps "$ngx_get_line")
lr=$(field rps "$list_line") nlr=$(field rps "$ngx_list_line")
cr=$(field rps "$create_line") pr=$(field rps "$py_line")
write_ceiling=$(calc "min(${R[64]}, $ngr)")
write_ceiling_name=$(calc "'raw RocksDB at 64' if ${R[64]} <= $ngr else 'nginx (GetCollaboration size)'")
reb_raw=$(field entries_per_s "$read_raw") reb_dec=$(field entries_per_s "$read_dec")
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
# The results file itself does not count: a second run would otherwise always say "uncommitted".
dirty=$(git -C "$root" status --porcelain -- . ':!bench/results' 2>/dev/null | grep -q . &&
  echo ' (working tree with uncommitted changes)' || true)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
dev=$(df --output=source "$build" | tail -1)
disk="$dev ($(findmnt -n -o FSTYPE --target "$build" 2>/dev/null || echo '?'))"
bdev=$(basename "$dev")
[ -r "/sys/block/$bdev/queue/rotational" ] && disk="$disk, rotational=$(cat "/sys/block/$bdev/queue/rotational") (as reported by the kernel)"

out=$scratch/table.md
{
  echo "### Benchmarks ($([ $quick = 1 ] && echo 'quick run: shortened cases, figures indicative only' || echo 'full run'))"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), commit $commit$dirty; $(nproc) cores, $cpu; data on $disk."
  echo "Load average (1/5/15 min) at start $load_start, at end $load_end: other work on the machine makes figures noisy."
  echo
  echo "| figure | value | ceiling (same run) | ratio | target | met |"
  echo "|---|---:|---|---:|---|---|"
  for w in 1 16 64; do
    tgt='—' met='—'
    if [ "$w" = 64 ]; then
      tgt='≥ 0.50 of raw'
      met=$(verdict "${J[$w]} >= 0.5 * ${R[$w]}")
    fi
    echo "| durable appends/s, journal, $w closed-loop writer(s) (${JR[$w]} requests per batch) | $(int "${J[$w]}") | raw RocksDB synced WriteBatch, same bytes, $w writer(s): $(int "${R[$w]}") | $(ratio "${J[$w]}" "${R[$w]}") | $tgt | $met |"
  done
  echo "| GetCollaboration req/s, 64 keep-alive connections | $(int "$gr") | nginx, static file of the same $get_bytes bytes: $(int "$ngr") | $(ratio "$gr" "$ngr") | ≥ 0.50 of nginx | $(verdict "$gr >= 0.5 * $ngr") |"
  echo "| GetCollaboration latency p50 / p99 | $(ms "$(field p50_us "$get_line")") / $(ms "$(field p99_us "$get_line")") ms | nginx: $(ms "$(field p50_us "$ngx_get_line")") / $(ms "$(field p99_us "$ngx_get_line")") ms | — | p99 < 5 ms | $(verdict "$(field p99_us "$get_line") < 5000") |"
  echo "| ListCollaborations req/s ($list_n collaborations listed), 64 connections | $(int "$lr") | nginx, static file of the same $list_bytes bytes: $(int "$nlr") | $(ratio "$lr" "$nlr") | ≥ 0.50 of nginx | $(verdict "$lr >= 0.5 * $nlr") |"
  echo "| ListCollaborations latency p50 / p99 | $(ms "$(field p50_us "$list_line")") / $(ms "$(field p99_us "$list_line")") ms | nginx: $(ms "$(field p50_us "$ngx_list_line")") / $(ms "$(field p99_us "$ngx_list_line")") ms | — | p99 < 5 ms | $(verdict "$(field p99_us "$list_line") < 5000") |"
  echo "| CreateCollaboration + CreateMembership req/s, durable, 64 connections ($(field created "$create_line") + $(field joined "$create_line") created, non-2xx: $(field non2xx "$create_line"), socket errors: $(field socket_errors "$create_line")) | $(int "$cr") | lower of the two ceilings above, $write_ceiling_name: $(int "$write_ceiling") | $(ratio "$cr" "$write_ceiling") | ≥ 0.25 | $(verdict "$cr >= 0.25 * $write_ceiling") |"
  echo "| the same creates, latency p50 / p99 | $(ms "$(field p50_us "$create_line")") / $(ms "$(field p99_us "$create_line")") ms | — | — | — | — |"
  echo "| the same creates vs a Python stand-in | $(int "$cr") | Python stdlib HTTP server answering without doing any work (an upper bound for a Python emulator; moto is not in Debian), same wrk script: $(int "$pr") (non-2xx $(field non2xx "$py_line")) | $(ratio "$cr" "$pr")x | ≥ 100x | $(verdict "$cr >= 100 * $pr") |"
  echo "| rebuild-projections events/s ($(int "$rebuild_events") events; best of ${rebuild_runs} run(s): $(for r in "${rebuild_rates[@]}"; do int "$r"; done | paste -sd/ | sed "s|/| / |g"); $(calc "round($rebuild_wall, 1)") s wall incl. open and writing the rows) | $(int "$rebuild_rate") | raw iteration of the same log column family (best of ${rebuild_runs}): $(int "$reb_raw") entries/s (reading + decoding every event: $(int "$reb_dec")/s) | $(ratio "$rebuild_rate" "$reb_raw") | ≥ 500,000 events/s | $(verdict "$rebuild_rate >= 500000") |"
  echo "| activation of a 10,000-event collaboration, no snapshot (full replay; warm caches, median of $activation_runs) | $act_full ms | raw iteration of the same 10,000 log entries (median of 15): $act_read_ms ms | $(ratio "$act_read_ms" "$act_full") | — | — |"
  echo "| activation, snapshot 99 events behind the head (worst case of --snapshot-every 100) | $act_behind ms | snapshot at the head (decode only): $act_head ms | $(ratio "$act_head" "$act_behind") | — | — |"
  if [ $has_max_resident = 1 ]; then
    echo "| resident memory per 10,000 idle collaborations, all resident (--max-resident-actors 1000000; VmRSS $mem_all_b → $mem_all_a MB over $mem_all_ok creates, non-2xx $mem_all_bad) | $mem_all MB | — | — | — | — |"
    echo "| the same, --max-resident-actors 100 (passivated; VmRSS $mem_pas_b → $mem_pas_a MB over $mem_pas_ok creates, non-2xx $mem_pas_bad) | $mem_pas MB | all resident: $mem_all MB | $(ratio "$mem_pas" "$mem_all") | — | — |"
  else
    echo "| resident memory per 10,000 idle collaborations (VmRSS $mem_all_b → $mem_all_a MB over $mem_all_ok creates, non-2xx $mem_all_bad) | $mem_all MB | — | — | — | — |"
    echo "| the same with passivation | not measured | this build's \`serve --help\` has no --max-resident-actors | — | — | — |"
  fi
  echo
  echo "Ratios are value ÷ ceiling for rates and ceiling ÷ value for times, so 1.00 is the ceiling"
  echo "either way (memory: passivated ÷ resident). One append = one CreateCollaboration's WriteBatch:"
  echo "$append_events events + their projection rows, $append_bytes bytes. wrk -t2 -c64 -d${wrk_seconds}s;"
  echo "the server runs with its defaults (2 HTTP threads, synced log), nginx with 2 workers, all on"
  echo "the same $(nproc) cores as wrk."
} >"$out"
mkdir -p "$root/bench/results"
cp "$out" "$root/bench/results/latest.md"
echo
cat "$out"
