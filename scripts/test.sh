#!/usr/bin/env bash
# Installs what is missing, builds, and runs every suite: the C++ suites (ctest), then against a
# server on a free loopback port with a scratch data directory: the raw HTTP suites, the JS SDK
# acceptance suites, the AWS CLI smoke test and the restart check. Every step is time-bounded;
# the server is always stopped. The last line is "N passed, M failed", counting suites; the exit
# status is non-zero when any suite failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

passed=0
failed=0
report=()
record() { # NAME EXIT-STATUS
  if [ "$2" -eq 0 ]; then
    passed=$((passed + 1))
    report+=("PASS  $1")
  else
    failed=$((failed + 1))
    report+=("FAIL  $1 (exit $2)")
  fi
}
# suite NAME TIMEOUT-SECONDS COMMAND... : runs one suite, bounded in time, and records it
suite() {
  local name=$1 limit=$2
  shift 2
  echo
  echo "=== $name"
  timeout --kill-after=10 "$limit" "$@"
  local rc=$?
  [ $rc -eq 124 ] && echo "=== $name: timed out after ${limit}s" >&2
  record "$name" $rc
  return $rc
}

scratch=$(mktemp -d -t cleanroomsd-test.XXXXXX)
server_pid=
server_log=$scratch/server.log

stop_server() { # SIGTERM, then up to 20 s for a clean exit; returns the server's exit status
  [ -n "$server_pid" ] || return 0
  local pid=$server_pid rc
  server_pid=
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "server (pid $pid) still running 20 s after SIGTERM: killing it" >&2
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 1
  fi
  wait "$pid"
  rc=$?
  [ $rc -eq 0 ] || echo "server exited with status $rc after SIGTERM" >&2
  return $rc
}

finish() {
  stop_server >/dev/null 2>&1
  echo
  echo "=== summary"
  printf '%s\n' "${report[@]}"
  if [ "$failed" -gt 0 ]; then
    if [ -s "$server_log" ]; then
      echo "--- last lines of the server log ($server_log):"
      tail -n 30 "$server_log"
    fi
    echo "scratch directory kept: $scratch"
  else
    rm -rf "$scratch"
  fi
  echo "$passed passed, $failed failed"
}
trap finish EXIT
trap 'exit 130' INT TERM

# Nothing from this machine's AWS set-up may leak into the clients.
: >"$scratch/aws-config"
: >"$scratch/aws-credentials"
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_CLEANROOMS AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
export AWS_CONFIG_FILE=$scratch/aws-config AWS_SHARED_CREDENTIALS_FILE=$scratch/aws-credentials
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

suite install-deps 1800 bash scripts/install-deps.sh || exit 1
suite build 3600 bash -c 'cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build -j2'
built=$?

http_suites=(tests/http/*.test.mjs)
sdk_suites=(tests/acceptance/*.test.mjs)
if [ $built -ne 0 ]; then
  for s in ctest sim "${http_suites[@]}" "${sdk_suites[@]}" cli-smoke replay disk-full restart backup verify-live verify-stopped rebuild crash-short crash-term; do record "$s (not run: build failed)" 1; done
  exit 1
fi

suite format 120 bash scripts/check-format.sh
suite ctest 1200 ctest --test-dir build --output-on-failure --timeout 300
suite sanitizers 3600 bash scripts/sanitizers.sh
suite fuzz 600 bash scripts/fuzz.sh --seconds 20
suite sim 600 bash scripts/sim.sh

start_server() { # starts build/cleanroomsd on $port with $data and waits (30 s at most) for /health
  "$root/build/cleanroomsd" serve --listen "127.0.0.1:$port" --data-dir "$data" >>"$server_log" 2>&1 &
  server_pid=$!
  local deadline=$((SECONDS + 30))
  while [ $SECONDS -lt $deadline ]; do
    curl -fsS -o /dev/null --max-time 1 "$endpoint/health" 2>/dev/null && return 0
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "server exited before answering /health:" >&2
      tail -n 20 "$server_log" >&2
      server_pid=
      return 1
    fi
    sleep 0.2
  done
  echo "server did not answer /health within 30 s" >&2
  return 1
}

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
endpoint=http://127.0.0.1:$port
data=$scratch/data
mkdir -p "$data"
export CLEANROOMSD_ENDPOINT=$endpoint
export CLEANROOMSD_DATA_DIR=$data CLEANROOMSD_SERVER_LOG=$server_log

echo
echo "=== server on $endpoint, data in $data, log in $server_log"
if ! start_server; then
  for s in "${http_suites[@]}" "${sdk_suites[@]}" cli-smoke replay disk-full restart backup verify-live verify-stopped rebuild crash-short crash-term; do record "$s (not run: server did not start)" 1; done
  exit 1
fi

for f in "${http_suites[@]}" "${sdk_suites[@]}"; do
  suite "$f" 300 node --test --test-reporter=spec "$f"
done
suite cli-smoke 300 bash tests/acceptance/cli_smoke.sh
suite replay 300 bash tests/acceptance/replay.sh
suite disk-full 300 bash tests/acceptance/disk_full.sh

restart_check() {
  timeout 120 bash tests/acceptance/restart.sh capture "$scratch/restart" || return 1
  echo "restart: stopping the server with SIGTERM"
  stop_server || return 1
  echo "restart: starting it again on the same data directory"
  start_server || return 1
  timeout 120 bash tests/acceptance/restart.sh verify "$scratch/restart"
}
echo
echo "=== restart"
restart_check
record restart $?

# A backup taken from the running server serves the same answers as the server it came from.
backup_check() {
  local copy=$scratch/backup port2 pid2 rc=0
  timeout 120 bash tests/acceptance/restart.sh reads "$scratch/restart" "$scratch/reads-live" || return 1
  "$root/build/cleanroomsd" backup --data-dir "$data" --to "$copy" || return 1
  port2=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  "$root/build/cleanroomsd" serve --listen "127.0.0.1:$port2" --data-dir "$copy" >>"$scratch/backup.log" 2>&1 &
  pid2=$!
  for _ in $(seq 1 150); do
    curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port2/health" 2>/dev/null && break
    sleep 0.2
  done
  CLEANROOMSD_ENDPOINT=http://127.0.0.1:$port2 timeout 120 bash tests/acceptance/restart.sh reads "$scratch/restart" "$scratch/reads-backup" || rc=1
  if diff -r "$scratch/reads-live" "$scratch/reads-backup"; then
    echo "backup: $(ls "$scratch/reads-backup" | wc -l) answers from the restored copy equal the live server's"
  else
    echo "backup: the restored copy answers differently (diff above)" >&2
    rc=1
  fi
  kill -TERM "$pid2" 2>/dev/null
  wait "$pid2" || rc=1
  return $rc
}
echo
echo "=== backup"
backup_check
record backup $?

# The log every suite above wrote must verify, while the server runs and after it stopped.
suite verify-live 300 "$root/build/cleanroomsd" verify --data-dir "$data"
stop_server
suite verify-stopped 300 "$root/build/cleanroomsd" verify --data-dir "$data"
# A copy of that store with its views rebuilt from the log (table files ingested in one step)
# must verify too: with verify-stopped, the rebuilt rows equal the live ones.
suite rebuild 300 bash -c 'set -e
  cp -a "$1" "$2"
  "$3" rebuild-projections --data-dir "$2"
  if compgen -G "$2/views-rebuild*" >/dev/null; then echo "scratch files left behind" >&2; exit 1; fi
  "$3" verify --data-dir "$2"' rebuild "$data" "$scratch/rebuilt" "$root/build/cleanroomsd"
suite crash-short 600 bash tests/crash/run.sh --cycles 5 --strict-tools
suite crash-term 300 bash tests/crash/run.sh --cycles 2 --mode term --strict-tools

# SigV4: a second server that verifies every signature against a generated credentials file.
# The suites that use only SDK clients run again against it (every identity is a profile of the
# file, see tests/acceptance/identities.mjs), with the SigV4 suite (SDK, tampering, the CLI).
# It also runs --strict-rule-deletion, which sdk_queries checks (CLEANROOMSD_STRICT_RULE_DELETION).
sigv4_suites=(tests/acceptance/sigv4/*.test.mjs tests/acceptance/sdk_authz_matrix.test.mjs
  tests/acceptance/sdk_lifecycle.test.mjs tests/acceptance/sdk_errors.test.mjs
  tests/acceptance/sdk_tables.test.mjs tests/acceptance/sdk_templates.test.mjs
  tests/acceptance/sdk_queries.test.mjs)
sigv4_dir=$scratch/sigv4
mkdir -p "$sigv4_dir/data"
node tests/acceptance/identities.mjs 1000 >"$sigv4_dir/credentials"
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
endpoint=http://127.0.0.1:$port
data=$sigv4_dir/data
export CLEANROOMSD_ENDPOINT=$endpoint CLEANROOMSD_DATA_DIR=$data
export CLEANROOMSD_CREDENTIALS=$sigv4_dir/credentials CLEANROOMSD_STRICT_RULE_DELETION=1
echo
echo "=== sigv4 server on $endpoint, credentials in $sigv4_dir/credentials"
start_server() { # the sigv4 variant of the start_server above
  "$root/build/cleanroomsd" serve --listen "127.0.0.1:$port" --data-dir "$data" --auth sigv4 \
    --credentials "$sigv4_dir/credentials" --strict-rule-deletion >>"$server_log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 150); do
    curl -fsS -o /dev/null --max-time 1 "$endpoint/health" 2>/dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "the sigv4 server did not start:" >&2
  tail -n 20 "$server_log" >&2
  return 1
}
if start_server; then
  for f in "${sigv4_suites[@]}"; do
    suite "sigv4: $f" 300 node --test --test-reporter=spec "$f"
  done
  stop_server
  record "sigv4: clean shutdown" $?
else
  for f in "${sigv4_suites[@]}"; do record "sigv4: $f (not run: server did not start)" 1; done
fi

[ "$failed" -eq 0 ]
