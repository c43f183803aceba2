#!/usr/bin/env bash
# Smoke test with Debian's AWS CLI (2.9.19, whose cleanrooms model is the original 34-operation
# API): two accounts go through create / invite / join / rename / delete. Needs jq.
# Usage: CLEANROOMSD_ENDPOINT=http://127.0.0.1:8080 bash tests/acceptance/cli_smoke.sh
set -uo pipefail

ENDPOINT=${CLEANROOMSD_ENDPOINT:-http://127.0.0.1:8080}
AWS=/usr/bin/aws # Debian's CLI, never whatever `aws` on PATH is

# Nothing from this machine's AWS set-up may leak in.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
: >"$scratch/config"
: >"$scratch/credentials"
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_CLEANROOMS AWS_CA_BUNDLE AWS_ROLE_ARN
export AWS_CONFIG_FILE="$scratch/config" AWS_SHARED_CREDENTIALS_FILE="$scratch/credentials"
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 AWS_PAGER="" AWS_MAX_ATTEMPTS=1 AWS_RETRY_MODE=standard
export AWS_EC2_METADATA_DISABLED=true AWS_CLI_AUTO_PROMPT=off HOME="$scratch"

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "  ok   $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL $1" >&2; }

account() { printf '%d%05d%06d' $((RANDOM % 9 + 1)) $((RANDOM % 100000)) $(((RANDOM * 32768 + RANDOM) % 1000000)); }
A=$(account)
B=$(account)

# cr ACCOUNT cleanrooms-subcommand args... : stdout -> $out, stderr -> $err, exit code -> $rc
cr() {
  local acct=$1
  shift
  out=$(AWS_ACCESS_KEY_ID=$acct AWS_SECRET_ACCESS_KEY=x "$AWS" --endpoint-url "$ENDPOINT" --output json \
    cleanrooms "$@" 2>"$scratch/stderr")
  rc=$?
  err=$(cat "$scratch/stderr")
}

# expect_ok DESCRIPTION JQ-FILTER : the last call succeeded and its output satisfies the filter
expect_ok() {
  if [ "$rc" -ne 0 ]; then
    fail "$1 (exit $rc: $err)"
  elif jq -e "$2" <<<"${out:-null}" >/dev/null 2>&1; then
    pass "$1"
  else
    fail "$1: output does not satisfy $2"
    echo "$out" >&2
  fi
}

# expect_error DESCRIPTION EXCEPTION : the last call failed with that modeled exception
expect_error() {
  if [ "$rc" -ne 0 ] && grep -q "($2)" <<<"$err"; then
    pass "$1"
  else
    fail "$1: expected $2, got exit $rc: $err $out"
  fi
}

uuid='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
iso='^[0-9]{4}-[0-9]{2}-[0-9]{2}T'

echo "cli smoke: $("$AWS" --version 2>&1) against $ENDPOINT as $A and $B"

cr "$A" create-collaboration --name cli-smoke --description "made by the AWS CLI" \
  --creator-display-name Alpha --creator-member-abilities CAN_QUERY CAN_RECEIVE_RESULTS \
  --members "[{\"accountId\":\"$B\",\"displayName\":\"Bravo\",\"memberAbilities\":[]}]" \
  --query-log-status DISABLED
expect_ok "create-collaboration" ".collaboration | (.id | test(\"$uuid\")) and .arn == \"arn:aws:cleanrooms:us-east-1:$A:collaboration/\" + .id
  and .name == \"cli-smoke\" and .creatorAccountId == \"$A\" and .memberStatus == \"INVITED\" and (.membershipId | not)
  and (.createTime | test(\"$iso\")) and .queryLogStatus == \"DISABLED\""
cid=$(jq -r '.collaboration.id' <<<"${out:-null}")

cr "$A" get-collaboration --collaboration-identifier "$cid"
expect_ok "get-collaboration (creator)" ".collaboration.id == \"$cid\" and .collaboration.creatorDisplayName == \"Alpha\""
cr "$B" get-collaboration --collaboration-identifier "$cid"
expect_ok "get-collaboration (invitee)" ".collaboration.id == \"$cid\" and .collaboration.memberStatus == \"INVITED\""

cr "$B" list-collaborations
expect_ok "list-collaborations (invitee)" "[.collaborationList[].id] == [\"$cid\"]"
cr "$B" list-collaborations --member-status ACTIVE
expect_ok "list-collaborations --member-status ACTIVE" ".collaborationList == []"

cr "$A" list-members --collaboration-identifier "$cid"
expect_ok "list-members" "[.memberSummaries[] | [.accountId, .status, .displayName]] == [[\"$A\",\"INVITED\",\"Alpha\"],[\"$B\",\"INVITED\",\"Bravo\"]]"

cr "$B" create-membership --collaboration-identifier "$cid" --query-log-status DISABLED
expect_ok "create-membership" ".membership | .status == \"ACTIVE\" and .collaborationId == \"$cid\"
  and .arn == \"arn:aws:cleanrooms:us-east-1:$B:membership/\" + .id and .memberAbilities == []
  and .collaborationCreatorAccountId == \"$A\""
mid=$(jq -r '.membership.id' <<<"${out:-null}")

cr "$B" get-membership --membership-identifier "$mid"
expect_ok "get-membership" ".membership.id == \"$mid\" and .membership.collaborationName == \"cli-smoke\""
cr "$A" get-membership --membership-identifier "$mid"
expect_error "get-membership of another account" ResourceNotFoundException

cr "$B" list-memberships
expect_ok "list-memberships" "[.membershipSummaries[].id] == [\"$mid\"]"
cr "$A" list-memberships
expect_ok "list-memberships shows only one's own" ".membershipSummaries == []"

cr "$B" update-membership --membership-identifier "$mid" --query-log-status DISABLED
expect_ok "update-membership" ".membership.id == \"$mid\" and .membership.queryLogStatus == \"DISABLED\""

cr "$A" update-collaboration --collaboration-identifier "$cid" --name cli-smoke-renamed
expect_ok "update-collaboration" ".collaboration.name == \"cli-smoke-renamed\" and .collaboration.description == \"made by the AWS CLI\""
cr "$B" get-membership --membership-identifier "$mid"
expect_ok "the new name reaches the member's membership" ".membership.collaborationName == \"cli-smoke-renamed\""
cr "$B" update-collaboration --collaboration-identifier "$cid" --name hijacked
expect_error "update-collaboration by a member" AccessDeniedException

cr "$B" get-collaboration --collaboration-identifier "$cid"
expect_ok "get-collaboration after joining" ".collaboration.memberStatus == \"ACTIVE\" and .collaboration.membershipId == \"$mid\""

cr "$A" list-members --collaboration-identifier "$cid"
expect_ok "list-members after joining" "[.memberSummaries[] | [.accountId, .status]] == [[\"$A\",\"INVITED\"],[\"$B\",\"ACTIVE\"]]"

# validation happens on the server (this CLI does not check maxima or patterns)
cr "$A" get-collaboration --collaboration-identifier "${cid^^}"
expect_error "upper-case identifier" ValidationException
cr "$A" list-collaborations --max-results 101
expect_error "max-results 101" ValidationException

# the CLI pages on its own: three more collaborations, listed one per page
for i in 1 2 3; do
  cr "$A" create-collaboration --name "page-$i" --description p --creator-display-name Alpha \
    --creator-member-abilities '[]' --members '[]' --query-log-status DISABLED
  [ "$rc" -eq 0 ] || fail "create-collaboration page-$i ($err)"
done
cr "$A" list-collaborations --page-size 1
expect_ok "list-collaborations --page-size 1 (4 items, no duplicates)" \
  "(.collaborationList | length) == 4 and ([.collaborationList[].id] | unique | length) == 4"

cr "$A" delete-collaboration --collaboration-identifier "$cid"
expect_ok "delete-collaboration" "true"
[ -z "$out" ] && pass "delete-collaboration prints nothing" || fail "delete-collaboration printed: $out"
cr "$A" get-collaboration --collaboration-identifier "$cid"
expect_error "get-collaboration after delete" AccessDeniedException
cr "$A" delete-collaboration --collaboration-identifier "$cid"
expect_error "second delete-collaboration" AccessDeniedException
cr "$B" get-membership --membership-identifier "$mid"
expect_ok "membership after delete" ".membership.status == \"COLLABORATION_DELETED\""
cr "$B" delete-membership --membership-identifier "$mid"
expect_ok "delete-membership" "true"
cr "$B" list-memberships
expect_ok "list-memberships after delete-membership" ".membershipSummaries == []"

echo "cli smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
