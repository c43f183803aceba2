#!/usr/bin/env bash
# Replay equals what the API said: a scripted collaboration lifecycle is driven through the HTTP
# API (curl), and after every write the answers of GetCollaboration (as the creator), ListMembers,
# GetMembership and ListTagsForResource are saved with the write's x-amzn-RequestId. Then, with
# the server still running, `cleanroomsd events --json` maps each request id to its positions,
# and `cleanroomsd replay --until POS` at every step (and just before the next one) must give
# back exactly those answers. Also checks `replay --at` between two steps, `replay --diff` naming
# the request in between, and the refusals of bad input. Needs curl and node (for JSON).
# Usage: CLEANROOMSD_ENDPOINT=http://127.0.0.1:8080 CLEANROOMSD_DATA_DIR=./data \
#          bash tests/acceptance/replay.sh
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ENDPOINT=${CLEANROOMSD_ENDPOINT:-http://127.0.0.1:8080}
DATA=${CLEANROOMSD_DATA_DIR:?set CLEANROOMSD_DATA_DIR to the running server\'s --data-dir}
BIN=${CLEANROOMSD_BIN:-$root/build/cleanroomsd}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "  ok   $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL $1" >&2; }

account() { printf '%d%05d%06d' $((RANDOM % 9 + 1)) $((RANDOM % 100000)) $(((RANDOM * 32768 + RANDOM) % 1000000)); }
auth() { echo "Authorization: AWS4-HMAC-SHA256 Credential=$1/20260101/us-east-1/cleanrooms/aws4_request, SignedHeaders=host, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"; }
now_ms() { node -e 'console.log(Date.now())'; }

# The JSON work, in one node program: `node $js COMMAND ARGS...`
js=$scratch/replay-check.mjs
cat >"$js" <<'EOF'
import fs from 'node:fs';
import assert from 'node:assert/strict';
const [cmd, ...args] = process.argv.slice(2);
const read = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
const readIf = (f) => (fs.existsSync(f) && fs.statSync(f).size ? read(f) : undefined);
const status = (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim() : '');

if (cmd === 'get') {
  // get FILE DOTTED.PATH: a string field of a JSON file
  let v = read(args[0]);
  for (const k of args[1].split('.')) v = v?.[k];
  if (v === undefined) process.exit(1);
  console.log(typeof v === 'string' ? v : JSON.stringify(v));
} else if (cmd === 'positions') {
  // positions EVENTS.jsonl: "<requestId> <first position> <last position>" per request
  const seen = new Map();
  for (const line of fs.readFileSync(args[0], 'utf8').split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line);
    for (const k of ['position', 'stream', 'version', 'type', 'time', 'account', 'requestId', 'payload'])
      assert.ok(k in e, `event line without ${k}: ${line}`);
    const r = seen.get(e.requestId) ?? { first: e.position, last: e.position };
    r.last = e.position;
    seen.set(e.requestId, r);
  }
  for (const [rid, r] of seen) console.log(`${rid} ${r.first} ${r.last}`);
} else if (cmd === 'compare') {
  // compare STEP-DIR REPLAY.json [REQUEST-ID]: the replay is what the API answered at that step
  const [dir, replayFile, rid] = args;
  const replay = read(replayFile);
  assert.equal(replay.collaborations.length, 1, 'one collaboration replayed');
  const c = replay.collaborations[0];
  if (status(`${dir}/collaboration.status`) === '200') {
    assert.equal(c.deleted, undefined, 'not deleted');
    assert.deepStrictEqual(c.collaboration, read(`${dir}/collaboration.body`).collaboration, 'GetCollaboration');
    assert.deepStrictEqual(c.members, read(`${dir}/members.body`).memberSummaries, 'ListMembers');
    const arn = c.collaboration.arn;
    assert.deepStrictEqual(c.tags[arn], read(`${dir}/tags.body`).tags, 'ListTagsForResource (collaboration)');
  } else {
    assert.equal(status(`${dir}/collaboration.status`), '403', 'the API hides a deleted collaboration');
    assert.equal(c.deleted, true, 'replay says deleted');
  }
  if (status(`${dir}/membership.status`) === '200') {
    const m = read(`${dir}/membership.body`).membership;
    assert.deepStrictEqual(c.memberships.find((x) => x.id === m.id), m, 'GetMembership');
    if (status(`${dir}/mtags.status`) === '200')
      assert.deepStrictEqual(c.tags[m.arn], read(`${dir}/mtags.body`).tags, 'ListTagsForResource (membership)');
  } else if (status(`${dir}/membership.status`) !== '') {
    const mid = status(`${dir}/membership.id`);
    assert.equal(c.memberships.find((x) => x.id === mid), undefined, 'a deleted membership is gone');
  }
  if (rid) assert.equal(c.lastEvent.requestId, rid, 'lastEvent names the request');
} else if (cmd === 'diff-json') {
  // diff-json DIFF.json REQUEST-ID: the request's events and some changed rows are listed
  const d = read(args[0]);
  assert.equal(d.collaborations.length, 1);
  const c = d.collaborations[0];
  assert.ok(c.events.length > 0 && c.events.every((e) => e.requestId === args[1]), 'events of that request only');
  assert.ok(c.rows.length > 0, 'rows changed');
  for (const r of c.rows) assert.ok('old' in r || 'new' in r, `row ${r.key} has a value`);
} else {
  console.error(`unknown command ${cmd}`);
  process.exit(2);
}
EOF

# req ACCOUNT METHOD PATH [JSON] OUT-PREFIX: body -> PREFIX.body, status -> PREFIX.status,
# request id -> PREFIX.rid
req() {
  local acct=$1 method=$2 path=$3 data=$4 out=$5
  local args=(-sS --max-time 10 -D "$out.headers" -o "$out.body" -w '%{http_code}' -X "$method" -H "$(auth "$acct")")
  [ -n "$data" ] && args+=(-H 'Content-Type: application/json' --data-binary "$data")
  curl "${args[@]}" "$ENDPOINT$path" >"$out.status" 2>"$out.err"
  tr -d '\r' <"$out.headers" | sed -n 's/^[Xx]-[Aa]mzn-[Rr]equest[Ii]d: *//p' | tail -n 1 >"$out.rid"
}

A=$(account)
B=$(account)
C=$(account)
cid=
carn=
mid=
marn=
steps=()

# Saves, after a write, what the API answers then.
observe() {
  local dir=$1
  req "$A" GET "/collaborations/$cid" "" "$dir/collaboration"
  req "$A" GET "/collaborations/$cid/members" "" "$dir/members"
  req "$A" GET "/tags/$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "$carn")" "" "$dir/tags"
  if [ -n "$mid" ]; then
    echo "$mid" >"$dir/membership.id"
    req "$B" GET "/memberships/$mid" "" "$dir/membership"
    req "$B" GET "/tags/$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "$marn")" "" "$dir/mtags"
  fi
}

# step NAME EXPECTED-STATUS ACCOUNT METHOD PATH [JSON]: one write, then what the API says
step() {
  local name=$1 want=$2
  shift 2
  local n=${#steps[@]}
  local dir=$scratch/step$n
  mkdir -p "$dir"
  req "$1" "$2" "$3" "${4-}" "$dir/write"
  if [ "$(cat "$dir/write.status")" != "$want" ]; then
    fail "$name: $2 $3 answered $(cat "$dir/write.status"): $(head -c 300 "$dir/write.body")"
    echo "replay: $passed passed, $failed failed (the lifecycle stopped)"
    exit 1
  fi
  if [ -z "$cid" ]; then
    cid=$(node "$js" get "$dir/write.body" collaboration.id)
    carn=$(node "$js" get "$dir/write.body" collaboration.arn)
  fi
  observe "$dir"
  echo "$name" >"$dir/name"
  steps+=("$dir")
  last_step=$dir
  pass "$name ($(cat "$dir/write.rid"))"
}

echo "replay: lifecycle against $ENDPOINT as $A (creator), $B and $C; data in $DATA"
urlenc() { node -e 'console.log(encodeURIComponent(process.argv[1]))' "$1"; }
step "create collaboration" 200 "$A" POST /collaborations "{\"name\":\"replay\",\"description\":\"replay check\",
  \"creatorDisplayName\":\"Alpha\",\"creatorMemberAbilities\":[\"CAN_QUERY\",\"CAN_RECEIVE_RESULTS\"],
  \"members\":[{\"accountId\":\"$B\",\"displayName\":\"Bravo\",\"memberAbilities\":[]},
               {\"accountId\":\"$C\",\"displayName\":\"Charlie\",\"memberAbilities\":[]}],
  \"queryLogStatus\":\"ENABLED\",\"tags\":{\"team\":\"a\"}}"
step "B joins" 200 "$B" POST /memberships "{\"collaborationIdentifier\":\"$cid\",\"queryLogStatus\":\"DISABLED\"}"
mid=$(node "$js" get "$last_step/write.body" membership.id)
marn=$(node "$js" get "$last_step/write.body" membership.arn)
observe "$last_step" # again, now that the membership is known
step "B updates its membership" 200 "$B" PATCH "/memberships/$mid" '{"queryLogStatus":"ENABLED"}'
step "A renames the collaboration" 200 "$A" PATCH "/collaborations/$cid" '{"name":"replay renamed"}'
s_before_rename=${steps[${#steps[@]} - 2]}
s_rename=$last_step
sleep 0.1
t_between_ms=$(now_ms) # strictly between the rename and the next step
sleep 0.1
step "A tags the collaboration" 200 "$A" POST "/tags/$(urlenc "$carn")" '{"tags":{"env":"test","owner":"alpha"}}'
s_after_rename=$last_step
step "A untags the collaboration" 200 "$A" DELETE "/tags/$(urlenc "$carn")?tagKeys=team"
step "B tags its membership" 200 "$B" POST "/tags/$(urlenc "$marn")" '{"tags":{"mine":"yes"}}'
step "A removes C" 204 "$A" DELETE "/collaborations/$cid/member/$C"
step "A changes the description" 200 "$A" PATCH "/collaborations/$cid" '{"description":"second thoughts"}'
step "A deletes the collaboration" 204 "$A" DELETE "/collaborations/$cid"
step "B deletes its membership" 204 "$B" DELETE "/memberships/$mid"

# ---------------------------------------------------------------------------- replay == API
# The server is still running: the tools read a read-only view of its store.
if "$BIN" events --data-dir "$DATA" --json --collaboration "$cid" >"$scratch/events.jsonl" 2>"$scratch/events.err"; then
  pass "events --json --collaboration ($(wc -l <"$scratch/events.jsonl") events)"
else
  fail "events --json: $(cat "$scratch/events.err")"
fi
node "$js" positions "$scratch/events.jsonl" >"$scratch/positions" || fail "events --json lines are complete"

first_of() { awk -v r="$1" '$1 == r { print $2 }' "$scratch/positions"; }
last_of() { awk -v r="$1" '$1 == r { print $3 }' "$scratch/positions"; }

prev_dir=
for dir in "${steps[@]}"; do
  name=$(cat "$dir/name")
  rid=$(cat "$dir/write.rid")
  pos=$(last_of "$rid")
  if [ -z "$pos" ]; then
    fail "$name: request $rid has no event in the log"
    prev_dir=$dir
    continue
  fi
  echo "$pos" >"$dir/position"
  if "$BIN" replay --data-dir "$DATA" --until "$pos" --collaboration "$cid" >"$dir/replay.json" 2>"$dir/replay.err" &&
    out=$(node "$js" compare "$dir" "$dir/replay.json" "$rid" 2>&1); then
    pass "replay --until $pos equals the API after: $name"
  else
    fail "replay --until $pos vs the API after $name: $(cat "$dir/replay.err") ${out:-}"
  fi
  # Just before this request's first event, the state is the previous step's.
  if [ -n "$prev_dir" ]; then
    before=$(($(first_of "$rid") - 1))
    if "$BIN" replay --data-dir "$DATA" --until "$before" --collaboration "$cid" >"$dir/before.json" 2>"$dir/before.err" &&
      out=$(node "$js" compare "$prev_dir" "$dir/before.json" 2>&1); then
      pass "replay --until $before (just before: $name) equals the API after the step before"
    else
      fail "replay --until $before (just before $name): $(cat "$dir/before.err") ${out:-}"
    fi
  fi
  prev_dir=$dir
done

# --at: a time between the rename and the tagging after it, as epoch seconds and ISO.
at_s=$(node -e 'console.log((process.argv[1] / 1000).toFixed(3))' "$t_between_ms")
at_iso=$(node -e 'console.log(new Date(+process.argv[1]).toISOString())' "$t_between_ms")
for at in "$at_s" "$at_iso"; do
  if "$BIN" replay --data-dir "$DATA" --at "$at" --collaboration "$cid" >"$scratch/at.json" 2>"$scratch/at.err" &&
    out=$(node "$js" compare "$s_rename" "$scratch/at.json" "$(cat "$s_rename/write.rid")" 2>&1); then
    pass "replay --at $at equals the API after the rename"
  else
    fail "replay --at $at: $(cat "$scratch/at.err") ${out:-}"
  fi
done
# Without --collaboration the same collaboration is among all those replayed.
if "$BIN" replay --data-dir "$DATA" --at "$at_iso" >"$scratch/at-all.json" 2>"$scratch/at-all.err" &&
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const c = r.collaborations.find((x) => x.collaboration.id === process.argv[2]);
    if (!c || c.collaboration.name !== "replay renamed") process.exit(1);' "$scratch/at-all.json" "$cid"; then
  pass "replay --at (every collaboration) includes it, renamed"
else
  fail "replay --at without --collaboration: $(cat "$scratch/at-all.err")"
fi

# --diff between the steps around the rename names the rename's request, text and JSON.
p_before=$(cat "$s_before_rename/position")
p_rename=$(cat "$s_rename/position")
rid_rename=$(cat "$s_rename/write.rid")
if "$BIN" replay --data-dir "$DATA" --diff "$p_before" "$p_rename" --collaboration "$cid" >"$scratch/diff.txt" 2>"$scratch/diff.err" &&
  grep -q "CollaborationUpdated by=$A req=$rid_rename name=\"replay renamed\"" "$scratch/diff.txt" &&
  grep -q "^  - c/$cid: .*\"name\":\"replay\"" "$scratch/diff.txt" &&
  grep -q "^  + c/$cid: .*\"name\":\"replay renamed\"" "$scratch/diff.txt"; then
  pass "replay --diff $p_before $p_rename names request $rid_rename and the changed rows"
else
  fail "replay --diff $p_before $p_rename: $(cat "$scratch/diff.err")"
  cat "$scratch/diff.txt" >&2
fi
if "$BIN" replay --data-dir "$DATA" --diff "$p_before" "$p_rename" --collaboration "$cid" --json >"$scratch/diff.json" 2>"$scratch/diff.err" &&
  out=$(node "$js" diff-json "$scratch/diff.json" "$rid_rename" 2>&1); then
  pass "replay --diff --json names the request"
else
  fail "replay --diff --json: $(cat "$scratch/diff.err") ${out:-}"
fi

# The human-readable history shows the rename with its request id.
if "$BIN" events --data-dir "$DATA" --collaboration "$cid" >"$scratch/events.txt" 2>&1 &&
  grep -q "^$p_rename .* collaboration-$cid v[0-9]* CollaborationUpdated by=$A req=$rid_rename name=\"replay renamed\"$" "$scratch/events.txt"; then
  pass "events (text) shows the rename with its request id"
else
  fail "events (text): $(head -c 500 "$scratch/events.txt")"
fi
# --since keeps the events recorded from then on: the tagging onwards, not the rename.
if "$BIN" events --data-dir "$DATA" --collaboration "$cid" --since "$at_iso" >"$scratch/since.txt" 2>&1 &&
  ! grep -q "req=$rid_rename" "$scratch/since.txt" && grep -q "req=$(cat "$s_after_rename/write.rid")" "$scratch/since.txt"; then
  pass "events --since $at_iso"
else
  fail "events --since: $(head -c 500 "$scratch/since.txt")"
fi

# ------------------------------------------------------------------------- configured tables
# A configured table's own stream: replay shows it as its owner saw it, --diff names its rule.
ct_body=$(curl -sS -X POST -H "$(auth "$B")" -H 'Content-Type: application/json' "$ENDPOINT/configuredTables" \
  --data-binary '{"name":"replayed","analysisMethod":"DIRECT_QUERY","allowedColumns":["id","v"],
    "tableReference":{"glue":{"databaseName":"replay","tableName":"t"}}}')
ct=$(node -e 'console.log(JSON.parse(process.argv[1]).configuredTable.id)' "$ct_body")
curl -sS -o /dev/null -X POST -H "$(auth "$B")" -H 'Content-Type: application/json' "$ENDPOINT/configuredTables/$ct/analysisRule" \
  --data-binary '{"analysisRuleType":"LIST","analysisRulePolicy":{"v1":{"list":{"joinColumns":["id"],"listColumns":["v"]}}}}'
"$BIN" events --data-dir "$DATA" --json --stream "configured-table-$ct" >"$scratch/ct.jsonl" 2>"$scratch/ct.err"
ct_created=$(head -n 1 "$scratch/ct.jsonl" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).position))')
ct_ruled=$(tail -n 1 "$scratch/ct.jsonl" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).position))')
if "$BIN" replay --data-dir "$DATA" --until "$ct_created" >"$scratch/ct-at.json" 2>"$scratch/ct-at.err" &&
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const t = r.configuredTables.find((x) => x.configuredTable.id === process.argv[2]);
    if (!t || t.configuredTable.name !== "replayed" || t.analysisRule ||
        t.configuredTable.analysisRuleTypes.length !== 0) process.exit(1);' "$scratch/ct-at.json" "$ct"; then
  pass "replay --until $ct_created shows the configured table before its rule"
else
  fail "replay of a configured table: $(cat "$scratch/ct-at.err") $(head -c 300 "$scratch/ct-at.json")"
fi
if "$BIN" replay --data-dir "$DATA" --diff "$ct_created" "$ct_ruled" >"$scratch/ct-diff.txt" 2>&1 &&
  grep -q "^configured table $ct: 1 event" "$scratch/ct-diff.txt" &&
  grep -q "ConfiguredTableAnalysisRuleCreated by=$B .* type=LIST" "$scratch/ct-diff.txt" &&
  grep -q "^  + ctr/$ct/LIST: " "$scratch/ct-diff.txt"; then
  pass "replay --diff names the configured table's rule and its new row"
else
  fail "replay --diff of a configured table: $(head -c 500 "$scratch/ct-diff.txt")"
fi

# ----------------------------------------------------------------------------------- bad input
# expect_exit WANT DESCRIPTION COMMAND...: the exit status (any non-zero for "fail"), one line on stderr
expect_exit() {
  local want=$1 what=$2
  shift 2
  "$@" >"$scratch/bad.out" 2>"$scratch/bad.err"
  local rc=$?
  local lines
  lines=$(wc -l <"$scratch/bad.err")
  if { [ "$want" = fail ] && [ $rc -ne 0 ] && [ $rc -lt 128 ]; } || [ "$rc" = "$want" ]; then
    if [ "$rc" -ne 0 ] && [ "$lines" -ne 1 ]; then
      fail "$what: $lines lines on stderr: $(cat "$scratch/bad.err")"
    else
      pass "$what (exit $rc)"
    fi
  else
    fail "$what: exit $rc, expected $want: $(cat "$scratch/bad.err")"
  fi
}
last=$("$BIN" events --data-dir "$DATA" --json | tail -n 1 | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).position))')
unknown=$(node -e 'console.log(require("crypto").randomUUID())')
expect_exit 1 "replay --until past the end" "$BIN" replay --data-dir "$DATA" --until $((last + 1000000))
expect_exit 1 "replay of an unknown collaboration" "$BIN" replay --data-dir "$DATA" --until 1 --collaboration "$unknown"
expect_exit 1 "events of an unknown collaboration" "$BIN" events --data-dir "$DATA" --collaboration "$unknown"
expect_exit 1 "replay of a missing data dir" "$BIN" replay --data-dir "$scratch/nowhere" --until 1
expect_exit 1 "events of a missing data dir" "$BIN" events --data-dir "$scratch/nowhere"
expect_exit 1 "a directory that is not a store" "$BIN" events --data-dir "$scratch"
expect_exit 2 "both --collaboration and --stream" "$BIN" events --data-dir "$DATA" --collaboration "$cid" --stream "collaboration-$cid"
expect_exit 2 "a bad --since" "$BIN" events --data-dir "$DATA" --since "half past ten"
expect_exit 2 "a bad --at" "$BIN" replay --data-dir "$DATA" --at "2026-13-45T99:00Z"
expect_exit 2 "a bad --until" "$BIN" replay --data-dir "$DATA" --until -3
expect_exit 2 "--until and --at together" "$BIN" replay --data-dir "$DATA" --until 1 --at "$at_iso"
expect_exit 2 "a bad collaboration id" "$BIN" replay --data-dir "$DATA" --until 1 --collaboration "not-an-id"
expect_exit 0 "events --from past the end" "$BIN" events --data-dir "$DATA" --from $((last + 1000000))
[ -s "$scratch/bad.out" ] && fail "events --from past the end printed something" || pass "events --from past the end prints nothing"

echo "replay: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
