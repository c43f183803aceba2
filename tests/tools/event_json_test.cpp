// projections/event_json: every event type as JSON (whole payload, optionals omitted when absent,
// never null) and as one line.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "../events/samples.hpp"
#include "projections/event_json.hpp"

using namespace crs;
using namespace crs::events;
using namespace std::string_literals;
namespace json = boost::json;

namespace {

bool has_null(const json::value& v) {
  if (v.is_null()) return true;
  if (v.is_object())
    for (const auto& kv : v.as_object())
      if (has_null(kv.value())) return true;
  if (v.is_array())
    for (const auto& x : v.as_array())
      if (has_null(x)) return true;
  return false;
}

std::string S(const json::value& v) {
  return std::string(v.as_string());
}

std::vector<std::string> strings(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& x : v.as_array()) out.push_back(S(x));
  return out;
}

recorded_event record(const event_payload& p) {
  return {test::sample_envelope(p), p};
}

json::object payload_of(const event_payload& p) {
  const auto text = projections::event_json(record(p));
  const auto v = json::parse(text);
  REQUIRE_FALSE(has_null(v));
  return v.as_object().at("payload").as_object();
}

const event_payload& sample(const std::string& name) {
  static const auto all = test::all_samples();
  for (const auto& s : all)
    if (s.name == name) return s.payload;
  FAIL("no sample " << name);
  throw;  // unreachable
}

}  // namespace

TEST_CASE("every sample renders as one JSON object with the whole envelope") {
  for (const auto& s : test::all_samples()) {
    INFO(s.name);
    const auto text = projections::event_json(record(s.payload));
    CHECK(text.find('\n') == std::string::npos);
    const auto v = json::parse(text);
    CHECK_FALSE(has_null(v));
    const auto& o = v.as_object();
    CHECK(o.at("position").to_number<std::uint64_t>() == 0x0102030405060708ull);
    CHECK(S(o.at("stream")) == "collaboration-3f2b8c1e");
    CHECK(o.at("version").to_number<std::uint64_t>() == 42);
    CHECK(S(o.at("type")) == type_name(s.payload));
    CHECK(o.at("time").is_double());
    CHECK(o.at("time").as_double() == Approx(1767225600.123).epsilon(1e-12));
    CHECK(text.find("\"time\":1767225600.123,") != std::string::npos);  // exact ms, like the API
    CHECK(S(o.at("account")) == "111122223333");
    CHECK(S(o.at("requestId")) == "req-\xc3\xa9-1");
    CHECK(o.at("payload").is_object());
    CHECK(o.size() == 8);
  }
}

TEST_CASE("CollaborationCreated: every field, enums as the API's strings") {
  auto p = payload_of(sample("CollaborationCreated/full"));
  CHECK(S(p.at("collaborationId")) == "3f2b8c1e-0000-4000-8000-000000000001");
  CHECK(S(p.at("region")) == "eu-west-1");
  CHECK(S(p.at("name")) == "Sales \xc3\xa9t\xc3\xa9 2026");
  CHECK(p.at("description").as_string() == "line1\nline2 with a \0 NUL"s);
  CHECK(S(p.at("creatorAccountId")) == "111122223333");
  CHECK(S(p.at("creatorDisplayName")) == "Creator");
  const auto& enc = p.at("dataEncryptionMetadata").as_object();
  CHECK(enc.at("allowCleartext").as_bool());
  CHECK_FALSE(enc.at("allowDuplicates").as_bool());
  CHECK(enc.at("allowJoinsOnColumnsWithDifferentNames").as_bool());
  CHECK(enc.at("preserveNulls").as_bool());
  CHECK(S(p.at("queryLogStatus")) == "ENABLED");
  CHECK(S(p.at("jobLogStatus")) == "DISABLED");
  CHECK(S(p.at("analyticsEngine")) == "CLEAN_ROOMS_SQL");
  CHECK(strings(p.at("autoApprovedChangeTypes")) ==
        std::vector<std::string>{"REVOKE_RECEIVE_RESULTS_ABILITY", "ADD_MEMBER"});
  CHECK(strings(p.at("allowedResultRegions")) ==
        std::vector<std::string>{"us-east-1", "eu-west-1", "ap-south-1"});
  CHECK(p.at("isMetricsEnabled").as_bool());
  CHECK(p.size() == 13);

  SECTION("absent optionals are omitted") {
    auto bare = payload_of(sample("CollaborationCreated/bare"));
    for (const char* k : {"dataEncryptionMetadata", "jobLogStatus", "analyticsEngine",
                          "autoApprovedChangeTypes", "allowedResultRegions", "isMetricsEnabled"})
      CHECK_FALSE(bare.contains(k));
    CHECK(S(bare.at("queryLogStatus")) == "DISABLED");
    CHECK(bare.size() == 7);
  }
  SECTION("present but empty or false optionals are kept") {
    auto d = payload_of(sample("CollaborationCreated/defaults"));
    CHECK(d.at("autoApprovedChangeTypes").as_array().empty());
    CHECK(d.at("allowedResultRegions").as_array().empty());
    CHECK_FALSE(d.at("isMetricsEnabled").as_bool());
    CHECK(S(d.at("analyticsEngine")) == "SPARK");
    CHECK(d.contains("dataEncryptionMetadata"));
  }
}

TEST_CASE("MemberInvited: the member specification with its payment as written") {
  auto p = payload_of(sample("MemberInvited/full"));
  REQUIRE(p.size() == 1);
  const auto& m = p.at("member").as_object();
  CHECK(S(m.at("accountId")) == "444455556666");
  CHECK(S(m.at("displayName")) == "Analyst");
  CHECK(strings(m.at("memberAbilities")) == std::vector<std::string>{"CAN_RUN_JOB", "CAN_QUERY"});
  CHECK(strings(m.at("mlMemberAbilities").at("customMLMemberAbilities")) ==
        std::vector<std::string>{"CAN_RECEIVE_INFERENCE_OUTPUT", "CAN_RECEIVE_MODEL_OUTPUT"});
  const auto& pay = m.at("paymentConfiguration").as_object();
  CHECK(pay.at("queryCompute").at("isResponsible").as_bool());
  CHECK_FALSE(pay.at("jobCompute").at("isResponsible").as_bool());
  const auto& ml = pay.at("machineLearning").as_object();
  CHECK_FALSE(ml.contains("modelTraining"));  // absent in the event: not defaulted
  CHECK(ml.at("modelInference").at("isResponsible").as_bool());
  CHECK_FALSE(ml.at("syntheticDataGeneration").at("isResponsible").as_bool());

  auto bare = payload_of(sample("MemberInvited/bare")).at("member").as_object();
  CHECK_FALSE(bare.contains("mlMemberAbilities"));
  CHECK_FALSE(bare.contains("paymentConfiguration"));
  CHECK(bare.at("memberAbilities").as_array().empty());

  auto empties = payload_of(sample("MemberInvited/empties")).at("member").as_object();
  CHECK(empties.at("mlMemberAbilities").at("customMLMemberAbilities").as_array().empty());
  CHECK(empties.at("paymentConfiguration").as_object().empty());
}

TEST_CASE("PaymentAssigned, MemberLeft, MemberRemoved") {
  auto p = payload_of(sample("PaymentAssigned/full"));
  CHECK(S(p.at("dimension")) == "syntheticDataGeneration");
  CHECK(S(p.at("accountId")) == "444455556666");
  CHECK(p.at("accepted").as_bool());
  CHECK_FALSE(payload_of(sample("PaymentAssigned/bare")).at("accepted").as_bool());
  CHECK(S(payload_of(sample("MemberLeft")).at("accountId")) == "444455556666");
  CHECK(S(payload_of(sample("MemberRemoved")).at("accountId")) == "777788889999");
}

TEST_CASE("MembershipCreated: result configurations and payment") {
  auto p = payload_of(sample("MembershipCreated/full"));
  CHECK(S(p.at("membershipId")) == "m-1");
  CHECK(S(p.at("accountId")) == "444455556666");
  CHECK(S(p.at("region")) == "us-west-2");
  CHECK(S(p.at("queryLogStatus")) == "ENABLED");
  CHECK(S(p.at("jobLogStatus")) == "DISABLED");
  const auto& r = p.at("defaultResultConfiguration").as_object();
  const auto& s3 = r.at("outputConfiguration").at("s3").as_object();
  CHECK(S(s3.at("resultFormat")) == "PARQUET");
  CHECK(S(s3.at("bucket")) == "results-bucket");
  CHECK(S(s3.at("keyPrefix")) == "prefix/");
  CHECK(s3.at("singleFileOutput").as_bool());
  CHECK(S(r.at("roleArn")) == "arn:aws:iam::111122223333:role/results");
  const auto& j = p.at("defaultJobResultConfiguration").as_object();
  CHECK(S(j.at("outputConfiguration").at("s3").at("bucket")) == "jobs");
  CHECK(S(j.at("outputConfiguration").at("s3").at("keyPrefix")) == "k/");
  CHECK(S(j.at("roleArn")) == "arn:aws:iam::1:role/j");
  CHECK(p.at("paymentConfiguration").at("queryCompute").at("isResponsible").as_bool());
  CHECK(p.at("isMetricsEnabled").as_bool());

  auto bare = payload_of(sample("MembershipCreated/bare"));
  for (const char* k : {"jobLogStatus", "defaultResultConfiguration",
                        "defaultJobResultConfiguration", "isMetricsEnabled"})
    CHECK_FALSE(bare.contains(k));
  CHECK(bare.at("paymentConfiguration").as_object().empty());

  auto partial = payload_of(sample("MembershipCreated/partial"));
  const auto& ps3 =
      partial.at("defaultResultConfiguration").at("outputConfiguration").at("s3").as_object();
  CHECK_FALSE(ps3.contains("keyPrefix"));
  CHECK_FALSE(ps3.contains("singleFileOutput"));
  CHECK_FALSE(partial.at("defaultResultConfiguration").as_object().contains("roleArn"));
  CHECK_FALSE(partial.at("defaultJobResultConfiguration")
                  .at("outputConfiguration")
                  .at("s3")
                  .as_object()
                  .contains("keyPrefix"));
}

TEST_CASE("MembershipUpdated, MembershipStatusChanged, MembershipDeleted") {
  auto p = payload_of(sample("MembershipUpdated/full"));
  CHECK(S(p.at("membershipId")) == "m-1");
  CHECK(S(p.at("queryLogStatus")) == "DISABLED");
  CHECK(S(p.at("jobLogStatus")) == "ENABLED");
  CHECK(p.contains("defaultResultConfiguration"));
  CHECK(S(p.at("defaultJobResultConfiguration").at("roleArn")) == "r");
  auto bare = payload_of(sample("MembershipUpdated/bare"));
  CHECK(bare.size() == 1);  // only the id: nothing changed is nothing rendered
  CHECK(S(payload_of(sample("MembershipStatusChanged/collaboration_deleted")).at("status")) ==
        "COLLABORATION_DELETED");
  auto del = payload_of(sample("MembershipDeleted"));
  CHECK(S(del.at("membershipId")) == "m-1");
  CHECK(S(del.at("accountId")) == "444455556666");
}

TEST_CASE("CollaborationUpdated, CollaborationDeleted, TagsChanged") {
  auto p = payload_of(sample("CollaborationUpdated/full"));
  CHECK(S(p.at("name")) == "New name");
  CHECK(S(p.at("description")) == "New description");
  CHECK(S(p.at("analyticsEngine")) == "CLEAN_ROOMS_SQL");
  CHECK(payload_of(sample("CollaborationUpdated/bare")).empty());
  auto empty = payload_of(sample("CollaborationUpdated/empty"));
  CHECK(S(empty.at("name")).empty());  // present and empty is not absent
  CHECK(payload_of(sample("CollaborationDeleted")).empty());

  auto t = payload_of(sample("TagsChanged/full"));
  CHECK(S(t.at("resourceArn")) == "arn:aws:cleanrooms:us-east-1:111122223333:collaboration/c");
  const auto& set = t.at("set").as_object();
  CHECK(S(set.at("env")) == "prod");
  CHECK(S(set.at("empty")).empty());
  CHECK(set.at("\xe2\x9c\x93").as_string() == "nul\0inside"s);
  CHECK(strings(t.at("removed")) == std::vector<std::string>{"zeta", "alpha", "mid"});
  auto bare = payload_of(sample("TagsChanged/bare"));
  CHECK(bare.at("set").as_object().empty());
  CHECK(bare.at("removed").as_array().empty());
}

// table_json renders the references and policies (and has its own tests): here only that they are
// rendered under the API's member names.
TEST_CASE("ConfiguredTableCreated and ConfiguredTableUpdated") {
  auto p = payload_of(sample("ConfiguredTableCreated/full"));
  CHECK(S(p.at("configuredTableId")) == "ct-1");
  CHECK(S(p.at("region")) == "us-east-1");
  CHECK(S(p.at("accountId")) == "111122223333");
  CHECK(S(p.at("name")) == "orders \xc3\xa9");
  CHECK(S(p.at("description")) == "all the orders");
  CHECK(p.at("tableReference").is_object());
  CHECK(strings(p.at("allowedColumns")) == std::vector<std::string>{"order_id", "email", "amount"});
  CHECK(S(p.at("analysisMethod")) == "MULTIPLE");
  CHECK(strings(p.at("selectedAnalysisMethods")) ==
        std::vector<std::string>{"DIRECT_JOB", "DIRECT_QUERY"});
  CHECK(p.size() == 9);

  auto bare = payload_of(sample("ConfiguredTableCreated/bare"));
  CHECK_FALSE(bare.contains("description"));
  CHECK_FALSE(bare.contains("selectedAnalysisMethods"));
  CHECK(bare.contains("tableReference"));
  CHECK(bare.at("allowedColumns").as_array().empty());
  CHECK(S(bare.at("analysisMethod")) == "DIRECT_QUERY");
  auto empties = payload_of(sample("ConfiguredTableCreated/empties"));
  CHECK(S(empties.at("description")).empty());
  CHECK(empties.at("selectedAnalysisMethods").as_array().empty());

  auto upd = payload_of(sample("ConfiguredTableUpdated/full"));
  CHECK(S(upd.at("name")) == "renamed");
  CHECK(S(upd.at("description")) == "new description");
  CHECK(upd.contains("tableReference"));
  CHECK(strings(upd.at("allowedColumns")) == std::vector<std::string>{"a", "b"});
  CHECK(S(upd.at("analysisMethod")) == "DIRECT_QUERY");
  CHECK(strings(upd.at("selectedAnalysisMethods")) == std::vector<std::string>{"DIRECT_QUERY"});
  CHECK(payload_of(sample("ConfiguredTableUpdated/bare")).empty());
  auto cleared = payload_of(sample("ConfiguredTableUpdated/empty"));
  CHECK(cleared.at("selectedAnalysisMethods").as_array().empty());  // cleared, not unchanged
  CHECK(cleared.at("allowedColumns").as_array().empty());
  CHECK(payload_of(sample("ConfiguredTableDeleted")).empty());
}

TEST_CASE("analysis rules: the type beside the policy") {
  for (const auto& [name, type] : std::vector<std::pair<std::string, std::string>>{
           {"ConfiguredTableAnalysisRuleCreated/aggregation", "AGGREGATION"},
           {"ConfiguredTableAnalysisRuleCreated/list", "LIST"},
           {"ConfiguredTableAnalysisRuleUpdated/custom", "CUSTOM"}}) {
    INFO(name);
    auto p = payload_of(sample(name));
    CHECK(S(p.at("analysisRuleType")) == type);
    CHECK(p.at("policy").is_object());
    CHECK(p.size() == 2);
  }
  auto del = payload_of(sample("ConfiguredTableAnalysisRuleDeleted/list"));
  CHECK(S(del.at("analysisRuleType")) == "LIST");
  CHECK(del.size() == 1);
}

TEST_CASE("associations and their analysis rules") {
  auto p = payload_of(sample("ConfiguredTableAssociationCreated/full"));
  CHECK(S(p.at("configuredTableAssociationId")) == "cta-1");
  CHECK(S(p.at("membershipId")) == "m-1");
  CHECK(S(p.at("configuredTableId")) == "ct-1");
  CHECK(S(p.at("accountId")) == "111122223333");
  CHECK(S(p.at("region")) == "us-east-1");
  CHECK(S(p.at("name")) == "orders");
  CHECK(S(p.at("description")) == "linked \xc3\xa9");
  CHECK(S(p.at("roleArn")) == "arn:aws:iam::111122223333:role/cr");
  CHECK(p.size() == 8);
  CHECK_FALSE(payload_of(sample("ConfiguredTableAssociationCreated/bare")).contains("description"));
  CHECK(
      S(payload_of(sample("ConfiguredTableAssociationCreated/empties")).at("description")).empty());

  auto upd = payload_of(sample("ConfiguredTableAssociationUpdated/full"));
  CHECK(S(upd.at("description")) == "d");
  CHECK(S(upd.at("roleArn")) == "arn:aws:iam::1:role/r");
  auto upd_bare = payload_of(sample("ConfiguredTableAssociationUpdated/bare"));
  CHECK(upd_bare.size() == 1);
  CHECK(S(upd_bare.at("configuredTableAssociationId")) == "cta-1");
  CHECK(S(payload_of(sample("ConfiguredTableAssociationDeleted"))
              .at("configuredTableAssociationId")) == "cta-1");

  auto rule = payload_of(sample("ConfiguredTableAssociationAnalysisRuleCreated/full"));
  CHECK(S(rule.at("configuredTableAssociationId")) == "cta-1");
  CHECK(S(rule.at("analysisRuleType")) == "CUSTOM");
  CHECK(rule.at("policy").is_object());
  CHECK(rule.size() == 3);
  CHECK(S(payload_of(sample("ConfiguredTableAssociationAnalysisRuleUpdated/full"))
              .at("analysisRuleType")) == "LIST");
  auto rule_del = payload_of(sample("ConfiguredTableAssociationAnalysisRuleDeleted/custom"));
  CHECK(S(rule_del.at("analysisRuleType")) == "CUSTOM");
  CHECK_FALSE(rule_del.contains("policy"));
  CHECK(rule_del.size() == 2);
}

TEST_CASE("the one-line form of the configured table and association events") {
  using projections::payload_summary;
  CHECK(payload_summary(sample("ConfiguredTableCreated/full")) ==
        "id=ct-1 region=us-east-1 owner=111122223333 name=\"orders \xc3\xa9\" "
        "reference=snowflake columns=3 method=MULTIPLE selectedMethods=DIRECT_JOB,DIRECT_QUERY");
  CHECK(payload_summary(sample("ConfiguredTableCreated/athena")) ==
        "id=ct-1 region=us-east-1 owner=111122223333 name=\"orders \xc3\xa9\" "
        "reference=athena columns=3 method=DIRECT_JOB");
  CHECK(payload_summary(sample("ConfiguredTableUpdated/full")) ==
        "name=\"renamed\" description=\"new description\" reference=glue columns=2 "
        "method=DIRECT_QUERY selectedMethods=DIRECT_QUERY");
  CHECK(payload_summary(sample("ConfiguredTableUpdated/empty")) ==
        "name=\"\" description=\"\" reference=athena columns=0 method=DIRECT_QUERY "
        "selectedMethods=none");
  CHECK(payload_summary(sample("ConfiguredTableUpdated/bare")).empty());
  CHECK(payload_summary(sample("ConfiguredTableDeleted")).empty());
  CHECK(payload_summary(sample("ConfiguredTableAnalysisRuleCreated/custom")) == "type=CUSTOM");
  CHECK(payload_summary(sample("ConfiguredTableAnalysisRuleUpdated/aggregation")) ==
        "type=AGGREGATION");
  CHECK(payload_summary(sample("ConfiguredTableAnalysisRuleDeleted/list")) == "type=LIST");
  CHECK(payload_summary(sample("ConfiguredTableAssociationCreated/full")) ==
        "association=cta-1 membership=m-1 configuredTable=ct-1 account=111122223333 "
        "region=us-east-1 name=\"orders\" description=\"linked \xc3\xa9\" "
        "roleArn=arn:aws:iam::111122223333:role/cr");
  CHECK(payload_summary(sample("ConfiguredTableAssociationUpdated/bare")) == "association=cta-1");
  CHECK(payload_summary(sample("ConfiguredTableAssociationUpdated/empty")) ==
        "association= description=\"\" roleArn=\"\"");
  CHECK(payload_summary(sample("ConfiguredTableAssociationDeleted")) == "association=cta-1");
  CHECK(payload_summary(sample("ConfiguredTableAssociationAnalysisRuleCreated/full")) ==
        "association=cta-1 type=CUSTOM receivers=444455556666,111122223333 "
        "additionalAnalyses=arn:aws:cleanrooms:us-east-1:1:configuredtableassociation/x,ANY");
  CHECK(payload_summary(sample("ConfiguredTableAssociationAnalysisRuleCreated/empty")) ==
        "association=cta-1 type=LIST receivers=none additionalAnalyses=none");
  CHECK(payload_summary(sample("ConfiguredTableAssociationAnalysisRuleCreated/half")) ==
        "association=cta-1 type=AGGREGATION receivers=444455556666");
  CHECK(payload_summary(sample("ConfiguredTableAssociationAnalysisRuleDeleted/custom")) ==
        "association=cta-1 type=CUSTOM");
}

TEST_CASE("the one-line form: envelope first, then the payload's key fields") {
  SECTION("every sample stays on one line and starts with the envelope") {
    for (const auto& s : test::all_samples()) {
      INFO(s.name);
      const auto line = projections::event_line(record(s.payload));
      CHECK(line.find('\n') == std::string::npos);
      const std::string head =
          "72623859790382856 2026-01-01T00:00:00.123Z collaboration-3f2b8c1e v42 " +
          std::string(type_name(s.payload)) + " by=111122223333 req=req-\xc3\xa9-1";
      CHECK(line.substr(0, head.size()) == head);
    }
  }
  using projections::payload_summary;
  CHECK(payload_summary(
            member_invited{{"222222222222",
                            "Bravo",
                            {member_ability::can_query, member_ability::can_receive_results},
                            {},
                            {}}}) ==
        "account=222222222222 displayName=\"Bravo\" abilities=CAN_QUERY,CAN_RECEIVE_RESULTS");
  CHECK(payload_summary(sample("MemberInvited/full")) ==
        "account=444455556666 displayName=\"Analyst\" abilities=CAN_RUN_JOB,CAN_QUERY "
        "mlAbilities=CAN_RECEIVE_INFERENCE_OUTPUT,CAN_RECEIVE_MODEL_OUTPUT "
        "payment=queryCompute:yes,jobCompute:no,modelInference:yes,syntheticDataGeneration:no");
  CHECK(payload_summary(sample("MemberInvited/bare")) ==
        "account= displayName=\"\" abilities=none");
  CHECK(payload_summary(sample("CollaborationCreated/full")) ==
        "id=3f2b8c1e-0000-4000-8000-000000000001 region=eu-west-1 name=\"Sales \xc3\xa9t\xc3\xa9 "
        "2026\" creator=111122223333 creatorDisplayName=\"Creator\" queryLog=ENABLED "
        "jobLog=DISABLED engine=CLEAN_ROOMS_SQL");
  CHECK(payload_summary(collaboration_updated{"x", {}, {}}) == "name=\"x\"");
  CHECK(payload_summary(sample("CollaborationUpdated/full")) ==
        "name=\"New name\" description=\"New description\" engine=CLEAN_ROOMS_SQL");
  CHECK(payload_summary(sample("CollaborationUpdated/bare")).empty());
  CHECK(payload_summary(sample("CollaborationDeleted")).empty());
  CHECK(payload_summary(sample("PaymentAssigned/full")) ==
        "dimension=syntheticDataGeneration account=444455556666 accepted=true");
  CHECK(payload_summary(sample("MembershipCreated/full")) ==
        "membership=m-1 account=444455556666 region=us-west-2 queryLog=ENABLED jobLog=DISABLED "
        "defaultResult=s3://results-bucket/prefix/ defaultJobResult=s3://jobs/k/ "
        "payment=queryCompute:yes,jobCompute:no,modelInference:yes,syntheticDataGeneration:no");
  CHECK(payload_summary(sample("MembershipCreated/bare")) ==
        "membership= account= region= queryLog=DISABLED payment=none");
  CHECK(payload_summary(sample("MembershipUpdated/bare")) == "membership=m-1");
  CHECK(payload_summary(sample("MembershipUpdated/full")) ==
        "membership=m-1 queryLog=DISABLED jobLog=ENABLED defaultResult=s3://results-bucket/prefix/ "
        "defaultJobResult=s3://j/p");
  CHECK(payload_summary(sample("MembershipStatusChanged/removed")) ==
        "membership=m-1 status=REMOVED");
  CHECK(payload_summary(sample("MembershipDeleted")) == "membership=m-1 account=444455556666");
  CHECK(payload_summary(sample("MemberLeft")) == "account=444455556666");
  CHECK(payload_summary(sample("MemberRemoved")) == "account=777788889999");
  CHECK(payload_summary(sample("TagsChanged/full")) ==
        "arn=arn:aws:cleanrooms:us-east-1:111122223333:collaboration/c set=empty=\"\",env=prod,"
        "\xe2\x9c\x93=\"nul\\u0000inside\" removed=zeta,alpha,mid");
  CHECK(payload_summary(tags_changed{"arn:x", {{"a b", "c=d"}}, {"k,2"}}) ==
        "arn=arn:x set=\"a b\"=\"c=d\" removed=\"k,2\"");
  CHECK(payload_summary(sample("TagsChanged/bare")) == "arn=");
  CHECK(payload_summary(collaboration_updated{"two\nlines", {}, {}}) == "name=\"two\\nlines\"");
}

TEST_CASE("analysis templates: source, parameters and the API's member names") {
  auto p = payload_of(sample("AnalysisTemplateCreated/full"));
  CHECK(S(p.at("analysisTemplateId")) == "at-1");
  CHECK(S(p.at("membershipId")) == "m-1");
  CHECK(S(p.at("accountId")) == "111122223333");
  CHECK(S(p.at("region")) == "us-east-1");
  CHECK(S(p.at("name")) == "spend \xc3\xa9");
  CHECK(S(p.at("description")) == "total spend per region");
  CHECK(S(p.at("format")) == "SQL");
  CHECK(S(p.at("source").at("text")) ==
        "SELECT region, SUM(amount) FROM orders\nWHERE day = :day GROUP BY region");
  CHECK(p.at("source").as_object().size() == 1);
  CHECK(strings(p.at("referencedTables")) == std::vector<std::string>{"orders", "customers"});
  const auto& params = p.at("analysisParameters").as_array();
  REQUIRE(params.size() == parameter_type_count);
  CHECK(S(params[0].at("name")) == "p0");
  CHECK(S(params[0].at("type")) == "SMALLINT");
  CHECK_FALSE(params[0].as_object().contains("defaultValue"));
  CHECK(S(params[1].at("defaultValue")) == "default 1");
  CHECK(S(params[2].at("defaultValue")).empty());  // present and empty is kept
  CHECK(S(params[5].at("type")) == "DOUBLE_PRECISION");
  CHECK(S(params[27].at("type")) == "TINYINT");
  CHECK(S(p.at("errorMessageConfiguration").at("type")) == "DETAILED");
  CHECK(p.size() == 11);

  auto bare = payload_of(sample("AnalysisTemplateCreated/bare"));
  for (const char* k : {"description", "analysisParameters", "errorMessageConfiguration"})
    CHECK_FALSE(bare.contains(k));
  CHECK(S(bare.at("source").at("text")).empty());
  CHECK(bare.at("referencedTables").as_array().empty());
  CHECK(payload_of(sample("AnalysisTemplateCreated/empties"))
            .at("analysisParameters")
            .as_array()
            .empty());

  auto py = payload_of(sample("AnalysisTemplateCreated/pyspark"));
  CHECK(S(py.at("format")) == "PYSPARK_1_0");
  const auto& a = py.at("source").at("artifacts").as_object();
  CHECK(S(a.at("entryPoint").at("location").at("bucket")) == "code-bucket");
  CHECK(S(a.at("entryPoint").at("location").at("key")) == "jobs/entry.py");
  const auto& more = a.at("additionalArtifacts").as_array();
  REQUIRE(more.size() == 2);
  CHECK(S(more[1].at("location").at("bucket")) == "other");
  CHECK(S(more[1].at("location").at("key")).empty());
  CHECK(S(a.at("roleArn")) == "arn:aws:iam::111122223333:role/pyspark");
  CHECK_FALSE(payload_of(sample("AnalysisTemplateCreated/pyspark_bare"))
                  .at("source")
                  .at("artifacts")
                  .as_object()
                  .contains("additionalArtifacts"));

  auto upd = payload_of(sample("AnalysisTemplateUpdated/full"));
  CHECK(S(upd.at("analysisTemplateId")) == "at-1");
  CHECK(S(upd.at("description")) == "new text");
  CHECK(payload_of(sample("AnalysisTemplateUpdated/bare")).size() == 1);
  CHECK(S(payload_of(sample("AnalysisTemplateDeleted")).at("analysisTemplateId")) == "at-1");
}

TEST_CASE("change requests: changes with their specifications, votes and transitions") {
  auto p = payload_of(sample("ChangeRequestCreated/full"));
  CHECK(S(p.at("changeRequestId")) == "cr-1");
  const auto& changes = p.at("changes").as_array();
  REQUIRE(changes.size() == 4);
  CHECK(S(changes[0].at("specificationType")) == "MEMBER");
  const auto& member = changes[0].at("specification").at("member").as_object();
  CHECK(S(member.at("accountId")) == "444455556666");
  CHECK(strings(member.at("memberAbilities")) ==
        std::vector<std::string>{"CAN_RECEIVE_RESULTS", "CAN_QUERY"});
  CHECK(S(member.at("displayName")) == "New member");
  CHECK(strings(changes[0].at("types")) ==
        std::vector<std::string>{"ADD_MEMBER", "GRANT_RECEIVE_RESULTS_ABILITY"});
  CHECK_FALSE(changes[1].at("specification").at("member").as_object().contains("displayName"));
  CHECK(S(changes[2].at("specificationType")) == "COLLABORATION");
  CHECK(strings(changes[2].at("specification").at("collaboration").at("autoApprovedChangeTypes")) ==
        std::vector<std::string>{"GRANT_RECEIVE_RESULTS_ABILITY", "ADD_MEMBER"});
  CHECK(strings(changes[2].at("types")) ==
        std::vector<std::string>{"EDIT_AUTO_APPROVED_CHANGE_TYPES"});
  CHECK(changes[3].at("specification").at("collaboration").as_object().empty());
  CHECK(changes[3].at("types").as_array().empty());
  CHECK(p.at("isAutoApproved").as_bool());
  CHECK(S(p.at("status")) == "APPROVED");
  CHECK(strings(p.at("approvers")) == std::vector<std::string>{"444455556666", "777788889999"});
  CHECK(p.size() == 5);

  auto empties = payload_of(sample("ChangeRequestCreated/empties")).at("changes").as_array();
  CHECK(S(empties[0].at("specification").at("member").at("displayName")).empty());
  CHECK(empties[1]
            .at("specification")
            .at("collaboration")
            .at("autoApprovedChangeTypes")
            .as_array()
            .empty());

  auto vote = payload_of(sample("ChangeRequestVoted/approve"));
  CHECK(S(vote.at("changeRequestId")) == "cr-1");
  CHECK(S(vote.at("accountId")) == "444455556666");
  CHECK(S(vote.at("vote")) == "APPROVE");
  CHECK(S(payload_of(sample("ChangeRequestVoted/deny")).at("vote")) == "DENY");
  for (const char* name : {"ChangeRequestApproved", "ChangeRequestDenied", "ChangeRequestCancelled",
                           "ChangeRequestCommitted"}) {
    INFO(name);
    auto t = payload_of(sample(name));
    CHECK(S(t.at("changeRequestId")) == "cr-1");
    CHECK(t.size() == 1);
  }
  auto abilities = payload_of(sample("MemberAbilitiesChanged/full"));
  CHECK(S(abilities.at("accountId")) == "444455556666");
  CHECK(strings(abilities.at("memberAbilities")) ==
        std::vector<std::string>{"CAN_RUN_JOB", "CAN_QUERY"});
  CHECK(strings(payload_of(sample("AutoApprovedChangeTypesChanged/full"))
                    .at("autoApprovedChangeTypes")) ==
        std::vector<std::string>{"REVOKE_RECEIVE_RESULTS_ABILITY", "ADD_MEMBER"});
  CHECK(payload_of(sample("AutoApprovedChangeTypesChanged/bare"))
            .at("autoApprovedChangeTypes")
            .as_array()
            .empty());
}

TEST_CASE("the one-line form of the template and change request events") {
  using projections::payload_summary;
  CHECK(payload_summary(sample("AnalysisTemplateCreated/full")) ==
        "template=at-1 membership=m-1 account=111122223333 region=us-east-1 "
        "name=\"spend \xc3\xa9\" description=\"total spend per region\" format=SQL "
        "sql=\"SELECT region, SUM(amount) FROM orders\\nWHERE day = :day GROU...\" "
        "referencedTables=orders,customers "
        "parameters=p0:SMALLINT,p1:INTEGER,p2:BIGINT,p3:DECIMAL,p4:REAL,p5:DOUBLE_PRECISION,"
        "p6:BOOLEAN,p7:CHAR,p8:VARCHAR,p9:DATE,p10:TIMESTAMP,p11:TIMESTAMPTZ,p12:TIME,"
        "p13:TIMETZ,p14:VARBYTE,p15:BINARY,p16:BYTE,p17:CHARACTER,p18:DOUBLE,p19:FLOAT,p20:INT,"
        "p21:LONG,p22:NUMERIC,p23:SHORT,p24:STRING,p25:TIMESTAMP_LTZ,p26:TIMESTAMP_NTZ,"
        "p27:TINYINT errors=DETAILED");
  CHECK(payload_summary(sample("AnalysisTemplateCreated/bare")) ==
        "template= membership= account= region= name=\"\" format=SQL sql=\"\" "
        "referencedTables=none");
  CHECK(payload_summary(sample("AnalysisTemplateCreated/empties")) ==
        "template= membership= account= region= name=\"\" description=\"\" format=SQL sql=\"\" "
        "referencedTables=none parameters=none");
  CHECK(payload_summary(sample("AnalysisTemplateCreated/pyspark")) ==
        "template=at-1 membership=m-1 account=111122223333 region=us-east-1 "
        "name=\"spend \xc3\xa9\" description=\"total spend per region\" format=PYSPARK_1_0 "
        "entryPoint=s3://code-bucket/jobs/entry.py additionalArtifacts=2 "
        "roleArn=arn:aws:iam::111122223333:role/pyspark referencedTables=orders,customers");
  CHECK(payload_summary(sample("AnalysisTemplateUpdated/full")) ==
        "template=at-1 description=\"new text\"");
  CHECK(payload_summary(sample("AnalysisTemplateDeleted")) == "template=at-1");
  CHECK(payload_summary(sample("ChangeRequestCreated/full")) ==
        "changeRequest=cr-1 changes=member:444455556666(ADD_MEMBER+GRANT_RECEIVE_RESULTS_ABILITY),"
        "member:777788889999(REVOKE_RECEIVE_RESULTS_ABILITY),"
        "collaboration(EDIT_AUTO_APPROVED_CHANGE_TYPES),collaboration() status=APPROVED "
        "autoApproved=true approvers=444455556666,777788889999");
  CHECK(payload_summary(sample("ChangeRequestCreated/bare")) ==
        "changeRequest= changes=none status=PENDING autoApproved=false approvers=none");
  CHECK(payload_summary(sample("ChangeRequestVoted/deny")) ==
        "changeRequest=cr-1 account=777788889999 vote=DENY");
  CHECK(payload_summary(sample("ChangeRequestCommitted")) == "changeRequest=cr-1");
  CHECK(payload_summary(sample("MemberAbilitiesChanged/full")) ==
        "account=444455556666 abilities=CAN_RUN_JOB,CAN_QUERY");
  CHECK(payload_summary(sample("MemberAbilitiesChanged/bare")) == "account= abilities=none");
  CHECK(payload_summary(sample("AutoApprovedChangeTypesChanged/full")) ==
        "types=REVOKE_RECEIVE_RESULTS_ABILITY,ADD_MEMBER");

  SECTION("SQL is cut at 60 characters, never inside one") {
    analysis_template_created t;
    t.source = std::string(59, 'a') + "\xc3\xa9\xc3\xa9";  // 61 characters, 63 bytes
    const auto line = payload_summary(t);
    CHECK(line.find("sql=\"" + std::string(59, 'a') + "\xc3\xa9...\"") != std::string::npos);
    t.source = std::string(58, 'a') + "\xc3\xa9\xc3\xa9";  // exactly 60: whole
    CHECK(payload_summary(t).find("sql=\"" + std::string(58, 'a') + "\xc3\xa9\xc3\xa9\" ") !=
          std::string::npos);
  }
}

TEST_CASE("protected queries: SQL, parameters, outputs and results under the API's names") {
  auto p = payload_of(sample("QueryStarted/sql"));
  CHECK(S(p.at("protectedQueryId")) == "q-1");
  CHECK(S(p.at("membershipId")) == "m-1");
  CHECK(S(p.at("accountId")) == "444455556666");
  const auto& sql = p.at("sqlParameters").as_object();
  CHECK(S(sql.at("queryString")) ==
        "SELECT region, COUNT(DISTINCT email) AS n\nFROM orders JOIN customers USING (email)\n"
        "WHERE name = 'Jos\xc3\xa9' GROUP BY region");
  CHECK(sql.size() == 1);
  const auto& out = p.at("resultConfiguration").at("outputConfiguration").as_object();
  REQUIRE(out.size() == 1);
  const auto& s3 = out.at("s3").as_object();
  CHECK(S(s3.at("resultFormat")) == "PARQUET");
  CHECK(S(s3.at("bucket")) == "results-bucket");
  CHECK(S(s3.at("keyPrefix")) == "queries/q-1/");
  CHECK(s3.at("singleFileOutput").as_bool());
  const auto& worker = p.at("computeConfiguration").at("worker").as_object();
  CHECK(S(worker.at("type")) == "CR.4X");
  CHECK(worker.at("number").to_number<int>() == 16);
  CHECK(strings(p.at("receiverAccountIds")) == std::vector<std::string>{"444455556666"});
  CHECK(strings(p.at("receiverMembershipIds")) == std::vector<std::string>{"m-1"});
  CHECK(strings(p.at("configuredTableAssociationIds")) ==
        std::vector<std::string>{"a-orders", "a-customers"});
  CHECK(p.size() == 9);

  auto t = payload_of(sample("QueryStarted/template"));
  const auto& tsql = t.at("sqlParameters").as_object();
  CHECK_FALSE(tsql.contains("queryString"));
  CHECK(S(tsql.at("analysisTemplateArn")) ==
        "arn:aws:cleanrooms:us-east-1:111122223333:membership/m-1/analysistemplate/at-1");
  const auto& params = tsql.at("parameters").as_object();
  CHECK(params.size() == 4);
  CHECK(S(params.at("day")) == "2026-01-01");
  CHECK(S(params.at("empty")).empty());
  CHECK(S(params.at("region name")) == "eu west, \"1\"");
  CHECK(S(params.at("\xc3\xa9")) == "x");
  CHECK(S(t.at("resultConfiguration").at("outputConfiguration").at("member").at("accountId")) ==
        "777788889999");
  CHECK_FALSE(t.contains("computeConfiguration"));
  CHECK(t.size() == 7);

  auto d = payload_of(sample("QueryStarted/distribute"));
  const auto& dist = d.at("resultConfiguration").at("outputConfiguration").as_object();
  REQUIRE(dist.size() == 1);
  const auto& locations = dist.at("distribute").at("locations").as_array();
  REQUIRE(locations.size() == 4);
  const auto& a = locations[0].at("s3").as_object();
  CHECK(S(a.at("resultFormat")) == "CSV");
  CHECK(S(a.at("bucket")) == "bucket-a");
  CHECK_FALSE(a.contains("keyPrefix"));
  CHECK_FALSE(a.at("singleFileOutput").as_bool());
  CHECK(S(locations[1].at("member").at("accountId")) == "444455556666");
  CHECK(S(locations[2].at("member").at("accountId")) == "111122223333");
  CHECK(locations[2].as_object().size() == 1);
  CHECK(S(locations[3].at("s3").at("keyPrefix")) == "p/");
  CHECK_FALSE(locations[3].at("s3").as_object().contains("singleFileOutput"));
  CHECK(strings(d.at("receiverMembershipIds")) == std::vector<std::string>{"m-1", "m-0"});

  auto r = payload_of(sample("QueryStarted/receivers"));
  CHECK_FALSE(r.contains("resultConfiguration"));
  CHECK_FALSE(r.contains("computeConfiguration"));

  auto bare = payload_of(sample("QueryStarted/bare"));
  CHECK(bare.at("sqlParameters").as_object().empty());
  CHECK(bare.at("receiverAccountIds").as_array().empty());
  CHECK(bare.at("receiverMembershipIds").as_array().empty());
  CHECK_FALSE(bare.contains("configuredTableAssociationIds"));  // as before it was recorded
  CHECK(bare.size() == 6);

  auto empties = payload_of(sample("QueryStarted/empties"));
  const auto& esql = empties.at("sqlParameters").as_object();
  CHECK(S(esql.at("queryString")).empty());
  CHECK(S(esql.at("analysisTemplateArn")).empty());
  CHECK(esql.at("parameters").as_object().empty());
  CHECK(empties.at("resultConfiguration")
            .at("outputConfiguration")
            .at("distribute")
            .at("locations")
            .as_array()
            .empty());
  CHECK(S(empties.at("computeConfiguration").at("worker").at("type")).empty());
  CHECK(empties.at("computeConfiguration").at("worker").at("number").to_number<int>() == 0);
  auto empty_s3 = payload_of(sample("QueryStarted/empty_s3"));
  const auto& es3 = empty_s3.at("resultConfiguration").at("outputConfiguration");
  CHECK(S(es3.at("s3").at("keyPrefix")).empty());
  CHECK_FALSE(es3.at("s3").at("singleFileOutput").as_bool());

  for (const char* name : {"QueryRunning", "QueryCancelRequested"}) {
    INFO(name);
    auto q = payload_of(sample(name));
    CHECK(S(q.at("protectedQueryId")) == "q-1");
    CHECK(q.size() == 1);
  }

  auto ok = payload_of(sample("QueryCompleted/success"));
  CHECK(S(ok.at("protectedQueryId")) == "q-1");
  CHECK(S(ok.at("status")) == "SUCCESS");
  CHECK(ok.at("statistics").at("totalDurationInMillis").to_number<std::int64_t>() == 1234);
  CHECK(S(ok.at("result").at("output").at("s3").at("location")) ==
        "s3://results-bucket/queries/q-1/result.parquet");
  CHECK(ok.at("resultRows").to_number<std::int64_t>() == (std::int64_t{1} << 40));
  CHECK_FALSE(ok.contains("error"));
  CHECK(ok.size() == 5);

  auto failed = payload_of(sample("QueryCompleted/failed"));
  CHECK(S(failed.at("status")) == "FAILED");
  CHECK(S(failed.at("error").at("code")) == "SQL_ERROR");
  CHECK(S(failed.at("error").at("message")) ==
        "column \"ssn\" is not allowed\nby the analysis rule");
  CHECK_FALSE(failed.contains("result"));
  auto timed_out = payload_of(sample("QueryCompleted/timed_out"));
  CHECK(S(timed_out.at("status")) == "TIMED_OUT");
  CHECK(timed_out.at("error").as_object().size() == 1);  // the code alone: no message recorded
  auto cancelled = payload_of(sample("QueryCompleted/cancelled"));
  CHECK(S(cancelled.at("status")) == "CANCELLED");
  CHECK(cancelled.size() == 4);
  auto done_empty = payload_of(sample("QueryCompleted/empties"));
  CHECK(S(done_empty.at("result").at("output").at("s3").at("location")).empty());
  CHECK(S(done_empty.at("error").at("code")).empty());
  CHECK(S(done_empty.at("error").at("message")).empty());
  CHECK(done_empty.at("statistics").at("totalDurationInMillis").to_number<std::int64_t>() == -1);
  auto done_bare = payload_of(sample("QueryCompleted/bare"));
  CHECK(S(done_bare.at("status")) == "SUCCESS");
  CHECK(done_bare.at("resultRows").to_number<std::int64_t>() == 0);
  CHECK(done_bare.size() == 4);
}

TEST_CASE("the one-line form of the protected query events") {
  using projections::payload_summary;
  CHECK(payload_summary(sample("QueryStarted/sql")) ==
        "query=q-1 membership=m-1 account=444455556666 "
        "sql=\"SELECT region, COUNT(DISTINCT email) AS n\\nFROM orders JOIN c...\" "
        "output=s3://results-bucket/queries/q-1/ compute=CR.4X:16 receivers=444455556666 "
        "associations=a-orders,a-customers");
  CHECK(payload_summary(sample("QueryStarted/template")) ==
        "query=q-2 membership=m-2 account=777788889999 "
        "template=arn:aws:cleanrooms:us-east-1:111122223333:membership/m-1/analysistemplate/at-1 "
        "parameters=day=2026-01-01,empty=\"\",\"region name\"=\"eu west, \\\"1\\\"\",\xc3\xa9=x "
        "output=member:777788889999 receivers=777788889999");
  CHECK(payload_summary(sample("QueryStarted/distribute")) ==
        "query=q-3 membership=m-1 account=444455556666 "
        "sql=\"SELECT region, COUNT(DISTINCT email) AS n\\nFROM orders JOIN c...\" "
        "output=distribute(s3://bucket-a/,member:444455556666,member:111122223333,"
        "s3://bucket-b/p/) compute=CR.1X:2 receivers=444455556666,111122223333 "
        "associations=a-orders,a-customers");
  CHECK(payload_summary(sample("QueryStarted/bare")) ==
        "query= membership= account= receivers=none");
  CHECK(payload_summary(sample("QueryStarted/empties")) ==
        "query= membership= account= sql=\"\" template=\"\" parameters=none output=distribute() "
        "compute=\"\":0 receivers=none");
  CHECK(payload_summary(sample("QueryRunning")) == "query=q-1");
  CHECK(payload_summary(sample("QueryCancelRequested")) == "query=q-1");
  CHECK(payload_summary(sample("QueryCompleted/success")) ==
        "query=q-1 status=SUCCESS durationMs=1234 rows=1099511627776 "
        "result=s3://results-bucket/queries/q-1/result.parquet");
  CHECK(payload_summary(sample("QueryCompleted/failed")) ==
        "query=q-2 status=FAILED durationMs=17 rows=0 errorCode=SQL_ERROR "
        "errorMessage=\"column \\\"ssn\\\" is not allowed\\nby the analysis rule\"");
  CHECK(payload_summary(sample("QueryCompleted/timed_out")) ==
        "query=q-4 status=TIMED_OUT durationMs=86400000 rows=0 errorCode=TIMED_OUT");
  CHECK(payload_summary(sample("QueryCompleted/bare")) ==
        "query= status=SUCCESS durationMs=0 rows=0");
}
