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

# --- configured tables, analysis rules, associations and schemas -----------------------------
# This CLI's model (2.9.19) has the original table operations: create/get/list/update/delete
# configured-table, -analysis-rule (AGGREGATION and LIST only), -association, and list-schemas,
# get-schema, batch-get-schema, get-schema-analysis-rule. It has no tag commands. With
# CLEANROOMSD_DATA_DIR set, the table is a CSV in the server's catalog and the schema shows the
# inferred column types; without it the server accepts the unknown catalog table as is.
echo "cli smoke: configured tables and schemas"
C=$(account)
D=$(account)
db="cli_$(date +%s)_$RANDOM"
if [ -n "${CLEANROOMSD_DATA_DIR:-}" ]; then
  mkdir -p "$CLEANROOMSD_DATA_DIR/catalog/$db"
  printf 'id,amount,region,secret\n1,2.5,eu,x\n2,4,us,y\n' >"$CLEANROOMSD_DATA_DIR/catalog/$db/orders.csv"
fi

cr "$C" create-collaboration --name cli-tables --description "tables by the AWS CLI" \
  --creator-display-name Charlie --creator-member-abilities CAN_QUERY CAN_RECEIVE_RESULTS \
  --members "[{\"accountId\":\"$D\",\"displayName\":\"Delta\",\"memberAbilities\":[]}]" --query-log-status DISABLED
expect_ok "create-collaboration (tables)" ".collaboration.id | test(\"$uuid\")"
tcid=$(jq -r '.collaboration.id' <<<"${out:-null}")
cr "$C" create-membership --collaboration-identifier "$tcid" --query-log-status DISABLED
expect_ok "create-membership (querier)" ".membership.status == \"ACTIVE\""
cmid=$(jq -r '.membership.id' <<<"${out:-null}")
cr "$D" create-membership --collaboration-identifier "$tcid" --query-log-status DISABLED
expect_ok "create-membership (provider)" ".membership.status == \"ACTIVE\""
dmid=$(jq -r '.membership.id' <<<"${out:-null}")

cr "$D" create-configured-table --name "cli orders" --description "orders via the CLI" \
  --table-reference "{\"glue\":{\"databaseName\":\"$db\",\"tableName\":\"orders\"}}" \
  --allowed-columns id amount region --analysis-method DIRECT_QUERY
expect_ok "create-configured-table" ".configuredTable | (.id | test(\"$uuid\"))
  and .arn == \"arn:aws:cleanrooms:us-east-1:$D:configuredtable/\" + .id and .name == \"cli orders\"
  and .tableReference.glue == {\"databaseName\":\"$db\",\"tableName\":\"orders\"}
  and .allowedColumns == [\"id\",\"amount\",\"region\"] and .analysisRuleTypes == [] and .analysisMethod == \"DIRECT_QUERY\"
  and (.createTime | test(\"$iso\"))"
ctid=$(jq -r '.configuredTable.id' <<<"${out:-null}")

cr "$D" get-configured-table --configured-table-identifier "$ctid"
expect_ok "get-configured-table" ".configuredTable.id == \"$ctid\" and .configuredTable.description == \"orders via the CLI\""
cr "$C" get-configured-table --configured-table-identifier "$ctid"
expect_error "get-configured-table of another account" ResourceNotFoundException
cr "$D" list-configured-tables
expect_ok "list-configured-tables" "[.configuredTableSummaries[] | [.id, .name, .analysisMethod]] == [[\"$ctid\",\"cli orders\",\"DIRECT_QUERY\"]]"
cr "$D" update-configured-table --configured-table-identifier "$ctid" --name "cli orders v2"
expect_ok "update-configured-table" ".configuredTable.name == \"cli orders v2\" and .configuredTable.allowedColumns == [\"id\",\"amount\",\"region\"]"

if [ -n "${CLEANROOMSD_DATA_DIR:-}" ]; then
  cr "$D" create-configured-table --name bad --table-reference "{\"glue\":{\"databaseName\":\"$db\",\"tableName\":\"orders\"}}" \
    --allowed-columns id no_such_column --analysis-method DIRECT_QUERY
  expect_error "create-configured-table with a column the catalog lacks" ValidationException
fi

policy='{"v1":{"aggregation":{"aggregateColumns":[{"columnNames":["amount"],"function":"SUM"}],"joinColumns":["id"],
  "dimensionColumns":["region"],"scalarFunctions":["ROUND"],"outputConstraints":[{"columnName":"id","minimum":2,"type":"COUNT_DISTINCT"}]}}}'
cr "$D" create-configured-table-analysis-rule --configured-table-identifier "$ctid" \
  --analysis-rule-type AGGREGATION --analysis-rule-policy "$policy"
expect_ok "create-configured-table-analysis-rule" ".analysisRule | .type == \"AGGREGATION\" and .configuredTableId == \"$ctid\"
  and .policy.v1.aggregation.outputConstraints[0].minimum == 2 and .policy.v1.aggregation.dimensionColumns == [\"region\"]"
cr "$D" create-configured-table-analysis-rule --configured-table-identifier "$ctid" \
  --analysis-rule-type AGGREGATION --analysis-rule-policy "$policy"
expect_error "second analysis rule" ConflictException
cr "$D" get-configured-table-analysis-rule --configured-table-identifier "$ctid" --analysis-rule-type AGGREGATION
expect_ok "get-configured-table-analysis-rule" ".analysisRule.policy.v1.aggregation.aggregateColumns == [{\"columnNames\":[\"amount\"],\"function\":\"SUM\"}]"
cr "$D" update-configured-table-analysis-rule --configured-table-identifier "$ctid" --analysis-rule-type AGGREGATION \
  --analysis-rule-policy "${policy/\"minimum\":2/\"minimum\":5}"
expect_ok "update-configured-table-analysis-rule" ".analysisRule.policy.v1.aggregation.outputConstraints[0].minimum == 5"
cr "$D" get-configured-table --configured-table-identifier "$ctid"
expect_ok "the table lists its rule type" ".configuredTable.analysisRuleTypes == [\"AGGREGATION\"]"

cr "$D" create-configured-table-association --membership-identifier "$dmid" --configured-table-identifier "$ctid" \
  --name Orders --description "D's orders" --role-arn arn:aws:iam::123456789012:role/cleanrooms-cli
expect_ok "create-configured-table-association" ".configuredTableAssociation | (.id | test(\"$uuid\"))
  and .arn == \"arn:aws:cleanrooms:us-east-1:$D:membership/$dmid/configuredtableassociation/\" + .id
  and .name == \"Orders\" and .configuredTableId == \"$ctid\" and .membershipId == \"$dmid\""
ctaid=$(jq -r '.configuredTableAssociation.id' <<<"${out:-null}")
cr "$D" get-configured-table-association --membership-identifier "$dmid" --configured-table-association-identifier "$ctaid"
expect_ok "get-configured-table-association" ".configuredTableAssociation.id == \"$ctaid\" and .configuredTableAssociation.description == \"D's orders\""
cr "$D" list-configured-table-associations --membership-identifier "$dmid"
expect_ok "list-configured-table-associations" "[.configuredTableAssociationSummaries[].id] == [\"$ctaid\"]"
cr "$D" update-configured-table-association --membership-identifier "$dmid" --configured-table-association-identifier "$ctaid" \
  --description "renamed by the CLI"
expect_ok "update-configured-table-association" ".configuredTableAssociation.description == \"renamed by the CLI\""
cr "$C" create-configured-table-association --membership-identifier "$cmid" --configured-table-identifier "$ctid" \
  --name borrowed --role-arn arn:aws:iam::123456789012:role/cleanrooms-cli
expect_error "associating another account's table" ResourceNotFoundException

cr "$C" list-schemas --collaboration-identifier "$tcid"
expect_ok "list-schemas" "[.schemaSummaries[] | [.name, .type, .creatorAccountId, .analysisRuleTypes]] == [[\"Orders\",\"TABLE\",\"$D\",[\"AGGREGATION\"]]]"
cr "$C" get-schema --collaboration-identifier "$tcid" --name Orders
# with the CSV in the catalog, the types are inferred from it (bigint, double, string)
cols='[{"name":"id","type":"bigint"},{"name":"amount","type":"double"},{"name":"region","type":"string"}]'
expect_ok "get-schema (columns from the catalog)" ".schema | .name == \"Orders\" and .description == \"renamed by the CLI\"
  and ([.columns[].name] == [\"id\",\"amount\",\"region\"]) and .partitionKeys == [] and .analysisMethod == \"DIRECT_QUERY\"
  and .collaborationId == \"$tcid\"${CLEANROOMSD_DATA_DIR:+ and .columns == $cols}"
cr "$C" get-schema --collaboration-identifier "$tcid" --name "no such table"
expect_error "get-schema of a missing name (a space in the path)" ResourceNotFoundException
cr "$C" batch-get-schema --collaboration-identifier "$tcid" --names Orders missing
expect_ok "batch-get-schema" "[.schemas[].name] == [\"Orders\"] and [.errors[] | [.name, .code]] == [[\"missing\",\"ResourceNotFoundException\"]]"
cr "$C" get-schema-analysis-rule --collaboration-identifier "$tcid" --name Orders --type AGGREGATION
expect_ok "get-schema-analysis-rule" ".analysisRule | .name == \"Orders\" and .type == \"AGGREGATION\"
  and .policy.v1.aggregation.outputConstraints[0].minimum == 5"
cr "$C" get-schema-analysis-rule --collaboration-identifier "$tcid" --name Orders --type LIST
expect_error "get-schema-analysis-rule of a type the table lacks" ResourceNotFoundException
cr "$C" list-schemas --collaboration-identifier "$tcid" --schema-type BOGUS
expect_error "list-schemas --schema-type BOGUS" ValidationException

cr "$D" delete-configured-table --configured-table-identifier "$ctid"
expect_error "delete-configured-table while associated" ConflictException
cr "$D" delete-membership --membership-identifier "$dmid"
expect_error "delete-membership while it has an association" ConflictException
cr "$D" delete-configured-table-association --membership-identifier "$dmid" --configured-table-association-identifier "$ctaid"
expect_ok "delete-configured-table-association" "true"
[ -z "$out" ] && pass "delete-configured-table-association prints nothing" || fail "delete-configured-table-association printed: $out"
cr "$C" list-schemas --collaboration-identifier "$tcid"
expect_ok "list-schemas after the association is gone" ".schemaSummaries == []"
cr "$D" delete-configured-table-analysis-rule --configured-table-identifier "$ctid" --analysis-rule-type AGGREGATION
expect_ok "delete-configured-table-analysis-rule" "true"
cr "$D" delete-configured-table --configured-table-identifier "$ctid"
expect_ok "delete-configured-table" "true"
cr "$D" get-configured-table --configured-table-identifier "$ctid"
expect_error "get-configured-table after delete" ResourceNotFoundException
cr "$D" list-configured-tables
expect_ok "list-configured-tables after delete" ".configuredTableSummaries == []"
cr "$D" delete-membership --membership-identifier "$dmid"
expect_ok "delete-membership (provider)" "true"
cr "$C" delete-collaboration --collaboration-identifier "$tcid"
expect_ok "delete-collaboration (tables)" "true"

# --- protected queries (needs the server's data directory: catalog in, results out) -----------
# E queries F's sales per region; F's rule keeps regions of >= 2 distinct buyers: ap (users 4,5:
# 1+2+3) and eu (users 1,2: 10+5) stay, us (user 3 alone) is suppressed.
if [ -n "${CLEANROOMSD_DATA_DIR:-}" ]; then
  echo "cli smoke: protected queries"
  E=$(account)
  F=$(account)
  printf 'user_id,region,amount\n1,eu,10\n2,eu,5\n3,us,7\n4,ap,1\n5,ap,2\n4,ap,3\n' >"$CLEANROOMSD_DATA_DIR/catalog/$db/sales.csv"
  cr "$E" create-collaboration --name cli-queries --description "queries by the AWS CLI" --creator-display-name Echo \
    --creator-member-abilities CAN_QUERY CAN_RECEIVE_RESULTS --query-log-status DISABLED \
    --members "[{\"accountId\":\"$F\",\"displayName\":\"Foxtrot\",\"memberAbilities\":[]}]"
  qcid=$(jq -r '.collaboration.id' <<<"${out:-null}")
  cr "$E" create-membership --collaboration-identifier "$qcid" --query-log-status DISABLED
  emid=$(jq -r '.membership.id' <<<"${out:-null}")
  cr "$F" create-membership --collaboration-identifier "$qcid" --query-log-status DISABLED
  fmid=$(jq -r '.membership.id' <<<"${out:-null}")
  cr "$F" create-configured-table --name "cli sales" --analysis-method DIRECT_QUERY --allowed-columns user_id region amount \
    --table-reference "{\"glue\":{\"databaseName\":\"$db\",\"tableName\":\"sales\"}}"
  sctid=$(jq -r '.configuredTable.id' <<<"${out:-null}")
  cr "$F" create-configured-table-analysis-rule --configured-table-identifier "$sctid" --analysis-rule-type AGGREGATION \
    --analysis-rule-policy '{"v1":{"aggregation":{"aggregateColumns":[{"columnNames":["amount"],"function":"SUM"},
      {"columnNames":["user_id"],"function":"COUNT_DISTINCT"}],"joinColumns":["user_id"],"dimensionColumns":["region"],
      "scalarFunctions":[],"outputConstraints":[{"columnName":"user_id","minimum":2,"type":"COUNT_DISTINCT"}]}}}'
  cr "$F" create-configured-table-association --membership-identifier "$fmid" --configured-table-identifier "$sctid" \
    --name sales --role-arn arn:aws:iam::123456789012:role/cleanrooms-cli
  expect_ok "set-up: F's sales table with an AGGREGATION rule, associated" ".configuredTableAssociation.name == \"sales\""
  results='{"outputConfiguration":{"s3":{"resultFormat":"CSV","bucket":"cli-results","keyPrefix":"smoke/"}}}'
  cr "$E" start-protected-query --membership-identifier "$emid" --type SQL --result-configuration "$results" \
    --sql-parameters '{"queryString":"SELECT region, SUM(amount) AS total, COUNT(DISTINCT user_id) AS buyers FROM sales GROUP BY region ORDER BY region"}'
  expect_ok "start-protected-query" ".protectedQuery | .status == \"SUBMITTED\" and .membershipId == \"$emid\" and (.id | test(\"$uuid\"))"
  pqid=$(jq -r '.protectedQuery.id' <<<"${out:-null}")
  for _ in $(seq 1 100); do # at most ~10 s
    cr "$E" get-protected-query --membership-identifier "$emid" --protected-query-identifier "$pqid"
    case $(jq -r '.protectedQuery.status' <<<"${out:-null}") in SUBMITTED | STARTED) sleep 0.1 ;; *) break ;; esac
  done
  expect_ok "get-protected-query: SUCCESS with the S3 location" ".protectedQuery | .status == \"SUCCESS\"
    and .result.output.s3.location == \"s3://cli-results/smoke/$pqid/result.csv\" and (.statistics.totalDurationInMillis >= 0)"
  file="${CLEANROOMSD_RESULTS_DIR:-$CLEANROOMSD_DATA_DIR/results}/cli-results/smoke/$pqid/result.csv"
  if [ "$(cat "$file" 2>&1)" = "$(printf 'region,total,buyers\nap,6,2\neu,15,2')" ]; then
    pass "the result file holds exactly the regions of >= 2 buyers"
  else
    fail "result file $file: $(cat "$file" 2>&1)"
  fi
  cr "$E" start-protected-query --membership-identifier "$emid" --type SQL --result-configuration "$results" \
    --sql-parameters '{"queryString":"SELECT user_id, SUM(amount) AS total FROM sales GROUP BY user_id"}'
  expect_error "start-protected-query outputting the join column" ValidationException
  why=$(grep -o "AGGREGATION rule of table 'sales' does not allow column 'user_id' in the output.*join column.*" <<<"$err")
  [ -n "$why" ] && pass "the refusal says why: $why" || fail "the refusal does not say why: $err"
  cr "$E" list-protected-queries --membership-identifier "$emid"
  expect_ok "list-protected-queries: only the query that ran" "[.protectedQueries[] | [.id, .status]] == [[\"$pqid\",\"SUCCESS\"]]"
fi


echo "cli smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
