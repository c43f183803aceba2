#!/usr/bin/env bash
# A full disk, injected through the server's token-guarded /admin/faults: every write fails with
# 500 InternalServerException and a clear log line, reads keep answering exactly as before,
# nothing is corrupted (verify), and writes work again once space "returns".
# Needs CLEANROOMSD_ENDPOINT, CLEANROOMSD_DATA_DIR (the running server's), curl, jq.
set -euo pipefail
ENDPOINT=${CLEANROOMSD_ENDPOINT:?}
DATA=${CLEANROOMSD_DATA_DIR:?}
LOG=${CLEANROOMSD_SERVER_LOG:-}
BIN=${CLEANROOMSD_BIN:-build/cleanroomsd}
sig=$(printf '0%.0s' {1..64})
fails=0
check() { if eval "$2"; then echo "  ok   $1"; else echo "  FAIL $1" >&2; fails=$((fails + 1)); fi; }
account() { printf '%d%05d%06d' $((RANDOM % 9 + 1)) $((RANDOM % 100000)) $(((RANDOM * 32768 + RANDOM) % 1000000)); }
auth() { echo "Authorization: AWS4-HMAC-SHA256 Credential=$1/20260101/us-east-1/cleanrooms/aws4_request, SignedHeaders=host, Signature=$sig"; }
# call ACCOUNT METHOD PATH [JSON] -> "<status> <x-amzn-ErrorType>\n<body>"
call() {
  local args=(-sS --max-time 20 -D - -X "$2" -H "$(auth "$1")")
  [ -n "${4-}" ] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
  curl "${args[@]}" "$ENDPOINT$3" | tr -d '\r' | awk '
    NR==1 {status=$2} tolower($1)=="x-amzn-errortype:" {type=$2}
    body {print; next} /^$/ {body=1; print status " " type}'
}
admin() {
  local token port host
  token=$(jq -r .token "$DATA/cleanroomsd-admin.json")
  curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -X POST -H "x-cleanroomsd-admin-token: ${2:-$token}" \
    -H 'Content-Type: application/json' --data-binary "$1" "$ENDPOINT/admin/faults"
}

A=$(account) B=$(account)
cid=$(call "$A" POST /collaborations "{\"name\":\"disk\",\"description\":\"full disk\",\"creatorDisplayName\":\"A\",
  \"creatorMemberAbilities\":[],\"queryLogStatus\":\"DISABLED\",
  \"members\":[{\"accountId\":\"$B\",\"displayName\":\"B\",\"memberAbilities\":[\"CAN_QUERY\"]}]}" | tail -n +2 | jq -r .collaboration.id)
mid=$(call "$B" POST /memberships "{\"collaborationIdentifier\":\"$cid\",\"queryLogStatus\":\"DISABLED\"}" | tail -n +2 | jq -r .membership.id)
reads() {
  call "$A" GET "/collaborations/$cid"
  call "$A" GET "/collaborations/$cid/members"
  call "$B" GET "/memberships/$mid"
  call "$A" GET "/collaborations"
}
before=$(reads)
positions_before=$("$BIN" events --data-dir "$DATA" --json | wc -l)

echo "disk full: on"
check "a wrong admin token is refused" '[ "$(admin "{\"diskFull\":true}" "$(printf 'f%.0s' {1..64})")" = 403 ]'
check "the fault is switched on" '[ "$(admin "{\"diskFull\":true}")" = 200 ]'

# 40 concurrent writes of several kinds: every one must fail as a server fault, none may hang.
write() {
  case $(($1 % 4)) in
    0) call "$A" PATCH "/collaborations/$cid" "{\"name\":\"never-$1\"}" ;;
    1) call "$B" PATCH "/memberships/$mid" '{"queryLogStatus":"DISABLED"}' ;;
    2) call "$(account)" POST /collaborations '{"name":"n","description":"d","creatorDisplayName":"x",
         "creatorMemberAbilities":[],"queryLogStatus":"DISABLED","members":[]}' ;;
    3) call "$A" DELETE "/collaborations/$cid/member/$B" ;;
  esac | head -n 1
}
results=$(for i in $(seq 1 40); do write "$i" & done; wait)
sort <<<"$results" | uniq -c
check "40 concurrent writes all answered 500 InternalServerException" \
  '[ "$(grep -c "^500 InternalServerException$" <<<"$results")" = 40 ]'
check "reads answer exactly as before" '[ "$(reads)" = "$before" ]'
check "nothing reached the log" '[ "$("$BIN" events --data-dir "$DATA" --json | wc -l)" = "$positions_before" ]'
if [ -n "$LOG" ]; then
  check "the server log names the failure" 'grep -q "append failed: .*No space left on device" "$LOG"'
fi

echo "disk full: off"
check "the fault is switched off" '[ "$(admin "{\"diskFull\":false}")" = 200 ]'
check "writes succeed again" \
  '[ "$(call "$A" PATCH "/collaborations/$cid" "{\"name\":\"after\"}" | head -n 1)" = "200 " ]'
check "the write is visible" \
  '[ "$(call "$A" GET "/collaborations/$cid" | tail -n +2 | jq -r .collaboration.name)" = after ]'
check "verify passes" '"$BIN" verify --data-dir "$DATA" >/dev/null'
echo "disk full: $fails failed"
[ "$fails" -eq 0 ]
