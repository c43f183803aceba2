#!/usr/bin/env bash
# Restart check, in two halves around a server restart on the same data directory:
#   restart.sh capture DIR   create state, then save the answers to a fixed set of reads in DIR
#   restart.sh verify DIR    repeat the same reads and diff them with what was saved
#   restart.sh reads DIR OUT only the reads (state from an earlier capture), answers into OUT
# Between the two, the caller stops the server with SIGTERM and starts it again. Bodies must be
# byte-identical (x-amzn-RequestId is a header and is not compared); a nextToken issued before the
# restart must still be accepted after it. Needs curl and jq.
set -euo pipefail

ENDPOINT=${CLEANROOMSD_ENDPOINT:-http://127.0.0.1:8080}
mode=${1:?usage: restart.sh capture|verify DIR}
dir=${2:?usage: restart.sh capture|verify DIR}

auth() { echo "Authorization: AWS4-HMAC-SHA256 Credential=$1/20240101/us-east-1/cleanrooms/aws4_request, SignedHeaders=host, Signature=0000000000000000000000000000000000000000000000000000000000000000"; }

# req ACCOUNT METHOD PATH [JSON] : prints "<status>\n<body>"
req() {
  local acct=$1 method=$2 path=$3 data=${4-}
  local args=(-sS --max-time 10 -o - -w '\n%{http_code}' -X "$method" -H "$(auth "$acct")")
  [ -n "$data" ] && args+=(-H 'Content-Type: application/json' --data-binary "$data")
  local res
  res=$(curl "${args[@]}" "$ENDPOINT$path")
  printf '%s\n%s\n' "${res##*$'\n'}" "${res%$'\n'*}"
}

# ok ACCOUNT METHOD PATH [JSON] : the body of a 2xx answer, or fail
ok() {
  local res
  res=$(req "$@")
  local status=${res%%$'\n'*}
  if [[ $status != 2* ]]; then
    echo "restart: $2 $3 answered $status: ${res#*$'\n'}" >&2
    exit 1
  fi
  printf '%s' "${res#*$'\n'}"
}

account() { printf '%d%05d%06d' $((RANDOM % 9 + 1)) $((RANDOM % 100000)) $(((RANDOM * 32768 + RANDOM) % 1000000)); }

# The fixed set of reads; each answer (status line + body) goes to its own file.
snapshot() {
  local out=$1
  # shellcheck disable=SC1091
  source "$dir/state.env"
  mkdir -p "$out"
  local n=0 bad=0
  # save EXPECTED-STATUS ACCOUNT METHOD PATH
  save() {
    local want=$1 file
    shift
    n=$((n + 1))
    file="$out/$(printf '%02d' $n).txt"
    req "$@" >"$file"
    if [ "$(head -n 1 "$file")" != "$want" ]; then
      echo "restart: $2 $3 answered $(head -n 1 "$file"), expected $want: $(tail -n +2 "$file" | head -c 300)" >&2
      bad=$((bad + 1))
    fi
  }
  save 200 "$A" GET "/collaborations/$CID"
  save 200 "$B" GET "/collaborations/$CID"
  save 403 "$C" GET "/collaborations/$CID"
  save 200 "$A" GET "/collaborations/$CID/members"
  save 200 "$A" GET "/collaborations/$CID/members?maxResults=1"
  save 200 "$A" GET "/collaborations/$CID/members?maxResults=1&nextToken=$TOKEN"
  save 200 "$A" GET "/collaborations"
  save 200 "$B" GET "/collaborations"
  save 200 "$B" GET "/collaborations?memberStatus=ACTIVE"
  save 200 "$A" GET "/memberships"
  save 200 "$B" GET "/memberships"
  save 200 "$C" GET "/memberships?status=REMOVED"
  save 200 "$A" GET "/memberships/$MA"
  save 200 "$B" GET "/memberships/$MB"
  save 200 "$C" GET "/memberships/$MC"
  save 200 "$A" GET "/memberships/$MDEL"
  save 200 "$A" GET "/tags/$(jq -rn --arg a "$CARN" '$a|@uri')"
  save 200 "$B" GET "/tags/$(jq -rn --arg a "$MBARN" '$a|@uri')"
  save 403 "$A" GET "/collaborations/$DELETED"
  save 200 "$A" GET "/collaborations?maxResults=1"
  save 200 "$A" GET "/collaborations?maxResults=1&nextToken=$CTOKEN"
  save 200 "$B" GET "/configuredTables/$CT"
  save 200 "$B" GET "/configuredTables"
  save 200 "$B" GET "/configuredTables/$CT/analysisRule/LIST"
  save 404 "$A" GET "/configuredTables/$CT"
  save 200 "$B" GET "/memberships/$MB/configuredTableAssociations"
  save 200 "$B" GET "/memberships/$MB/configuredTableAssociations/$CTA"
  save 200 "$B" GET "/memberships/$MB/configuredTableAssociations/$CTA/analysisRule/LIST"
  save 200 "$A" GET "/collaborations/$CID/schemas"
  save 200 "$A" GET "/collaborations/$CID/schemas/Restart%20Orders"
  save 200 "$A" GET "/collaborations/$CID/schemas/restart%20orders/analysisRule/LIST"
  save 200 "$B" GET "/tags/$(jq -rn --arg a "$CTARN" '$a|@uri')"
  save 200 "$B" GET "/memberships/$MB/protectedQueries/$PQ"
  save 200 "$A" GET "/memberships/$MA/protectedQueries/$PQ"
  save 200 "$B" GET "/memberships/$MB/protectedQueries"
  save 200 "$B" GET "/memberships/$MB/protectedQueries?status=FAILED"
  save 404 "$C" GET "/memberships/$MC/protectedQueries/$PQ"
  [ "$bad" -eq 0 ] || { echo "restart: $bad unexpected answers" >&2; exit 1; }
}

case $mode in
capture)
  mkdir -p "$dir"
  A=$(account) B=$(account) C=$(account)
  cid=$(ok "$A" POST /collaborations "$(jq -nc --arg b "$B" --arg c "$C" '{
    name: "restart", description: "survives a restart", creatorDisplayName: "Alpha",
    creatorMemberAbilities: ["CAN_RECEIVE_RESULTS"], queryLogStatus: "DISABLED", tags: {team: "durable"},
    members: [{accountId: $b, displayName: "Bravo", memberAbilities: ["CAN_QUERY"]},
              {accountId: $c, displayName: "Charlie", memberAbilities: []}]}')" | jq -r .collaboration.id)
  carn=$(ok "$A" GET "/collaborations/$cid" | jq -r .collaboration.arn)
  join() { ok "$1" POST /memberships "{\"collaborationIdentifier\":\"$2\",\"queryLogStatus\":\"DISABLED\"$3}" | jq -r .membership.id; }
  ma=$(join "$A" "$cid" "")
  mb=$(join "$B" "$cid" ',"tags":{"owner":"bravo"}')
  mc=$(join "$C" "$cid" "")
  ok "$B" PATCH "/memberships/$mb" '{"queryLogStatus":"DISABLED"}' >/dev/null
  ok "$A" PATCH "/collaborations/$cid" '{"name":"restart-renamed"}' >/dev/null
  ok "$A" DELETE "/collaborations/$cid/member/$C" >/dev/null
  mbarn=$(ok "$B" GET "/memberships/$mb" | jq -r .membership.arn)
  token=$(ok "$A" GET "/collaborations/$cid/members?maxResults=1" | jq -r '.nextToken // empty')
  # a second collaboration, deleted: its membership stays as COLLABORATION_DELETED
  del=$(ok "$A" POST /collaborations '{"name":"gone","description":"deleted before the restart","creatorDisplayName":"Alpha",
    "creatorMemberAbilities":[],"members":[],"queryLogStatus":"DISABLED"}' | jq -r .collaboration.id)
  mdel=$(join "$A" "$del" "")
  ok "$A" DELETE "/collaborations/$del" >/dev/null
  ok "$A" POST /collaborations '{"name":"third","description":"for paging","creatorDisplayName":"Alpha",
    "creatorMemberAbilities":[],"members":[],"queryLogStatus":"DISABLED"}' >/dev/null
  ctoken=$(ok "$A" GET "/collaborations?maxResults=1" | jq -r '.nextToken // empty')
  if [ -z "$token" ] || [ -z "$ctoken" ]; then
    echo "restart: a list of several items with maxResults=1 returned no nextToken" >&2
    exit 1
  fi
  # a configured table (not in the catalog: accepted with its allowed columns), its rule and
  # an association with a rule of its own, so the schema reads below span both aggregates
  ct=$(ok "$B" POST /configuredTables '{"name":"orders","analysisMethod":"DIRECT_QUERY",
    "tableReference":{"glue":{"databaseName":"restart","tableName":"orders"}},
    "allowedColumns":["customer_id","amount"],"tags":{"kind":"table"}}' | jq -r .configuredTable.id)
  ctarn=$(ok "$B" GET "/configuredTables/$ct" | jq -r .configuredTable.arn)
  ok "$B" POST "/configuredTables/$ct/analysisRule" '{"analysisRuleType":"LIST",
    "analysisRulePolicy":{"v1":{"list":{"joinColumns":["customer_id"],"listColumns":["amount"]}}}}' >/dev/null
  cta=$(ok "$B" POST "/memberships/$mb/configuredTableAssociations" "{\"name\":\"Restart Orders\",
    \"configuredTableIdentifier\":\"$ct\",\"roleArn\":\"arn:aws:iam::$B:role/cleanrooms-read\"}" |
    jq -r .configuredTableAssociation.id)
  ok "$B" POST "/memberships/$mb/configuredTableAssociations/$cta/analysisRule" "{\"analysisRuleType\":\"LIST\",
    \"analysisRulePolicy\":{\"v1\":{\"list\":{\"allowedResultReceivers\":[\"$A\"]}}}}" >/dev/null
  # a protected query by B, results to A; the table is not in the catalog, so the runner records
  # FAILED (DATA_UNAVAILABLE): a finished query whose reads must survive the restart
  pq=$(ok "$B" POST "/memberships/$mb/protectedQueries" "{\"type\":\"SQL\",
    \"sqlParameters\":{\"queryString\":\"SELECT o.amount FROM \\\"Restart Orders\\\" o JOIN \\\"Restart Orders\\\" p ON o.customer_id = p.customer_id\"},
    \"resultConfiguration\":{\"outputConfiguration\":{\"member\":{\"accountId\":\"$A\"}}}}" | jq -r .protectedQuery.id)
  for _ in $(seq 1 100); do
    st=$(ok "$B" GET "/memberships/$mb/protectedQueries/$pq" | jq -r .protectedQuery.status)
    [ "$st" = FAILED ] && break
    sleep 0.1
  done
  if [ "$st" != FAILED ]; then
    echo "restart: the protected query is $st, expected FAILED (its table is not in the catalog)" >&2
    exit 1
  fi
  enc() { jq -rn --arg v "$1" '$v|@uri'; }
  cat >"$dir/state.env" <<EOF
A=$A
B=$B
C=$C
CID=$cid
CARN='$carn'
MA=$ma
MB=$mb
MC=$mc
MBARN='$mbarn'
MDEL=$mdel
DELETED=$del
CT=$ct
CTARN='$ctarn'
CTA=$cta
PQ=$pq
TOKEN='$(enc "$token")'
CTOKEN='$(enc "$ctoken")'
EOF
  snapshot "$dir/before"
  echo "restart: captured $(ls "$dir/before" | wc -l) answers"
  ;;
verify)
  snapshot "$dir/after"
  if diff -r "$dir/before" "$dir/after"; then
    echo "restart: $(ls "$dir/after" | wc -l) answers identical after the restart"
  else
    echo "restart: answers differ after the restart (see the diff above)" >&2
    exit 1
  fi
  # and the restarted server still takes writes
  source "$dir/state.env"
  ok "$A" POST /collaborations '{"name":"after","description":"written after the restart","creatorDisplayName":"Alpha",
    "creatorMemberAbilities":[],"members":[],"queryLogStatus":"DISABLED"}' | jq -e '.collaboration.id' >/dev/null
  echo "restart: writes accepted after the restart"
  ;;
reads)
  snapshot "${3:?usage: restart.sh reads DIR OUT}"
  ;;
*)
  echo "usage: restart.sh capture|verify DIR | reads DIR OUT" >&2
  exit 2
  ;;
esac
