// Rows of configured tables and of associations (SPEC.md 8-11, Appendix A): every API shape is
// parsed and checked member by member, the internal schema rows follow the visibility rule of
// SPEC.md 11, and diffs delete what a state no longer has.
#include <cmath>
#include <set>

#include <boost/json.hpp>

#include "../actors/given_when_then.hpp"
#include "actors/configured_table/state.hpp"
#include "projections/collaboration_rows.hpp"
#include "projections/configured_table_rows.hpp"
#include "projections/keys.hpp"
#include "projections/responses.hpp"

using namespace crs;
using namespace crs::testing;
namespace keys = crs::projections::keys;
namespace json = boost::json;

namespace {

const std::string ctid = "c0ffee00-0000-4000-8000-00000000c7a1";
const std::string region = "us-east-1";
const std::string owner = provider;  // the data provider owns the table
const std::string role_arn = "arn:aws:iam::333333333333:role/cleanrooms-read";
const std::string table_arn = "arn:aws:cleanrooms:us-east-1:333333333333:configuredtable/" + ctid;
constexpr time_ms t_create = 1'650'000'000'500;  // .5 s: epoch seconds keep the fraction

json::object parse(std::string_view s) {
  return json::parse(s).as_object();
}

std::string S(const json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
}

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

// Every required member is present, nothing outside required+optional appears, no nulls.
void check_shape(const json::object& o, std::set<std::string> required,
                 std::set<std::string> optional) {
  for (const auto& r : required) {
    INFO("required member " << r << " in " << json::serialize(o));
    CHECK(o.contains(r));
  }
  for (const auto& kv : o) {
    const std::string k(kv.key());
    INFO("unexpected member " << k << " in " << json::serialize(o));
    CHECK((required.count(k) + optional.count(k)) == 1);
  }
  CHECK_FALSE(has_null(o));
}

void check_time(const json::value& v, time_ms ms) {
  INFO("timestamp " << json::serialize(v) << " expected ms " << ms);
  REQUIRE(v.is_number());
  CHECK(std::abs(v.to_number<double>() - static_cast<double>(ms) / 1000.0) < 1e-6);
}

std::vector<std::string> strings(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& x : v.as_array()) out.push_back(S(x));
  return out;
}

using names = std::vector<std::string>;

const std::set<std::string> table_required{"id",
                                           "arn",
                                           "name",
                                           "tableReference",
                                           "createTime",
                                           "updateTime",
                                           "analysisRuleTypes",
                                           "analysisMethod",
                                           "allowedColumns"};
const std::set<std::string> table_optional{"description", "selectedAnalysisMethods"};
const std::set<std::string> table_summary_required{
    "id", "arn", "name", "createTime", "updateTime", "analysisRuleTypes", "analysisMethod"};
const std::set<std::string> table_summary_optional{"selectedAnalysisMethods"};
const std::set<std::string> table_rule_required{
    "configuredTableId", "configuredTableArn", "policy", "type", "createTime", "updateTime"};
const std::set<std::string> association_required{
    "arn",     "id",   "configuredTableId", "configuredTableArn", "membershipId", "membershipArn",
    "roleArn", "name", "createTime",        "updateTime"};
const std::set<std::string> association_optional{"description", "analysisRuleTypes"};
const std::set<std::string> association_summary_required{"configuredTableId",
                                                         "membershipId",
                                                         "membershipArn",
                                                         "name",
                                                         "createTime",
                                                         "updateTime",
                                                         "id",
                                                         "arn"};
const std::set<std::string> association_summary_optional{"analysisRuleTypes"};
const std::set<std::string> association_rule_required{"membershipIdentifier",
                                                      "configuredTableAssociationId",
                                                      "configuredTableAssociationArn",
                                                      "policy",
                                                      "type",
                                                      "createTime",
                                                      "updateTime"};

events::configured_table_created table_created() {
  events::configured_table_created e;
  e.configured_table_id = ctid;
  e.region = region;
  e.owner = owner;
  e.name = "orders table";
  e.reference = glue_table_reference{std::nullopt, "sales", "orders"};
  e.allowed_columns = {"id", "email", "amount"};
  e.method = analysis_method::direct_query;
  return e;
}

configured_table::state table(const events::configured_table_created& e = table_created()) {
  configured_table::state s;
  s.id = ctid;
  configured_table::apply(s, e, t_create);
  return s;
}

aggregation_rule aggregation() {
  aggregation_rule r;
  r.aggregate_columns = {{{"amount"}, aggregate_function::sum}};
  r.join_columns = {"email"};
  r.dimension_columns = {"id"};
  r.scalar_functions = {scalar_function::round};
  r.output_constraints = {{"email", 100}};
  return r;
}

// The JSON after the "<owner>|" header of a ct/ row.
json::object table_row(const projections::row_set& rows) {
  const auto& raw = rows.at(keys::configured_table(region, ctid));
  const auto bar = raw.find('|');
  REQUIRE(bar != std::string::npos);
  CHECK(raw.substr(0, bar) == owner);
  return parse(std::string_view(raw).substr(bar + 1));
}

std::string summary_key(const configured_table::state& s) {
  return keys::account_table(region, owner, s.create_time, ctid);
}

bool erased(const std::vector<events::view_write>& d, const std::string& key) {
  for (const auto& w : d)
    if (w.key == key) return w.erase;
  return false;
}

bool put(const std::vector<events::view_write>& d, const std::string& key) {
  for (const auto& w : d)
    if (w.key == key) return !w.erase;
  return false;
}

}  // namespace

TEST_CASE("a configured table without a rule: exactly its five rows, Appendix A shapes") {
  const auto s = table();
  const auto rows = projections::rows(s);
  std::set<std::string> got;
  for (const auto& kv : rows) got.insert(kv.first);
  CHECK(got == std::set<std::string>{
                   keys::configured_table(region, ctid), summary_key(s), keys::table_source(ctid),
                   keys::table_quota(region, owner, ctid), keys::tags(table_arn)});

  SECTION("ConfiguredTable: required members, optionals omitted, [] rule types") {
    auto t = table_row(rows);
    check_shape(t, table_required, table_optional);
    CHECK(S(t.at("id")) == ctid);
    CHECK(S(t.at("arn")) == table_arn);
    CHECK(S(t.at("name")) == "orders table");
    CHECK_FALSE(t.contains("description"));
    CHECK_FALSE(t.contains("selectedAnalysisMethods"));
    CHECK(t.at("analysisRuleTypes").as_array().empty());
    CHECK(S(t.at("analysisMethod")) == "DIRECT_QUERY");
    CHECK(strings(t.at("allowedColumns")) == names{"id", "email", "amount"});
    check_time(t.at("createTime"), t_create);
    check_time(t.at("updateTime"), t_create);
    CHECK(t.at("createTime").is_double());  // epoch seconds, not milliseconds
    const auto& ref = t.at("tableReference").as_object();
    REQUIRE(ref.size() == 1);
    const auto& glue = ref.at("glue").as_object();
    CHECK(S(glue.at("databaseName")) == "sales");
    CHECK(S(glue.at("tableName")) == "orders");
    CHECK_FALSE(glue.contains("region"));
  }
  SECTION("ConfiguredTableSummary: the subset, no allowedColumns or reference") {
    auto t = parse(rows.at(summary_key(s)));
    check_shape(t, table_summary_required, table_summary_optional);
    CHECK(S(t.at("id")) == ctid);
    CHECK(S(t.at("arn")) == table_arn);
    CHECK(t.at("analysisRuleTypes").as_array().empty());
    check_time(t.at("createTime"), t_create);
  }
  SECTION("tags row of the table ARN, quota row empty") {
    CHECK(rows.at(keys::tags(table_arn)) == "{}");
    CHECK(rows.at(keys::table_quota(region, owner, ctid)).empty());
  }
  SECTION("the schema source row keeps integer milliseconds and no rule") {
    auto src = parse(rows.at(keys::table_source(ctid)));
    CHECK(S(src.at("id")) == ctid);
    CHECK(S(src.at("arn")) == table_arn);
    CHECK(S(src.at("owner")) == owner);
    CHECK(S(src.at("region")) == region);
    CHECK(strings(src.at("allowedColumns")) == names{"id", "email", "amount"});
    CHECK(src.at("updateTime").is_int64());
    CHECK(src.at("updateTime").as_int64() == t_create);
    CHECK_FALSE(src.contains("rule"));
    CHECK_FALSE(has_null(src));
  }
  SECTION("a second table of the same owner sorts by inverted create time") {
    CHECK(keys::account_table(region, owner, t_create + 1, "x") < summary_key(s));
  }
}

TEST_CASE("a configured table with description, MULTIPLE methods, tags and an aggregation rule") {
  auto e = table_created();
  e.description = "orders, hashed";
  e.method = analysis_method::multiple;
  e.selected_methods = std::vector<selected_analysis_method>{selected_analysis_method::direct_query,
                                                             selected_analysis_method::direct_job};
  auto s = table(e);
  configured_table::apply(s, events::tags_changed{table_arn, {{"team", "data"}}, {}}, t_create);
  constexpr time_ms t_rule = t_create + 60'250;
  configured_table::apply(s, events::analysis_rule_created{aggregation()}, t_rule);
  const auto rows = projections::rows(s);

  SECTION("ConfiguredTable carries the optionals and [AGGREGATION]") {
    auto t = table_row(rows);
    check_shape(t, table_required, table_optional);
    CHECK(S(t.at("description")) == "orders, hashed");
    CHECK(S(t.at("analysisMethod")) == "MULTIPLE");
    CHECK(strings(t.at("selectedAnalysisMethods")) == names{"DIRECT_QUERY", "DIRECT_JOB"});
    CHECK(strings(t.at("analysisRuleTypes")) == names{"AGGREGATION"});
    check_time(t.at("createTime"), t_create);
    check_time(t.at("updateTime"), t_rule);  // SPEC.md 9: creating the rule touches the table
  }
  SECTION("ConfiguredTableSummary: [AGGREGATION] and the selected methods, no description") {
    auto t = parse(rows.at(summary_key(s)));
    check_shape(t, table_summary_required, table_summary_optional);
    CHECK(strings(t.at("analysisRuleTypes")) == names{"AGGREGATION"});
    CHECK(strings(t.at("selectedAnalysisMethods")) == names{"DIRECT_QUERY", "DIRECT_JOB"});
  }
  SECTION("ConfiguredTableAnalysisRule under ctr/<id>/AGGREGATION") {
    REQUIRE(rows.count(keys::table_rule(ctid, "AGGREGATION")) == 1);
    auto r = parse(rows.at(keys::table_rule(ctid, "AGGREGATION")));
    check_shape(r, table_rule_required, {});
    CHECK(S(r.at("configuredTableId")) == ctid);
    CHECK(S(r.at("configuredTableArn")) == table_arn);
    CHECK(S(r.at("type")) == "AGGREGATION");
    check_time(r.at("createTime"), t_rule);
    check_time(r.at("updateTime"), t_rule);
    const auto& policy = r.at("policy").as_object();
    REQUIRE(policy.size() == 1);
    const auto& v1 = policy.at("v1").as_object();
    REQUIRE(v1.size() == 1);
    const auto& body = v1.at("aggregation").as_object();
    check_shape(body,
                {"aggregateColumns", "joinColumns", "dimensionColumns", "scalarFunctions",
                 "outputConstraints"},
                {"joinRequired", "allowedJoinOperators", "additionalAnalyses"});
    CHECK_FALSE(body.contains("joinRequired"));  // false: omitted
    CHECK_FALSE(body.contains("allowedJoinOperators"));
    CHECK_FALSE(body.contains("additionalAnalyses"));
    const auto& agg = body.at("aggregateColumns").as_array().at(0).as_object();
    CHECK(strings(agg.at("columnNames")) == names{"amount"});
    CHECK(S(agg.at("function")) == "SUM");
    CHECK(strings(body.at("joinColumns")) == names{"email"});
    CHECK(strings(body.at("dimensionColumns")) == names{"id"});
    CHECK(strings(body.at("scalarFunctions")) == names{"ROUND"});
    const auto& oc = body.at("outputConstraints").as_array().at(0).as_object();
    CHECK(S(oc.at("columnName")) == "email");
    CHECK(oc.at("minimum").to_number<int>() == 100);
    CHECK(S(oc.at("type")) == "COUNT_DISTINCT");
  }
  SECTION("no row of another rule type") {
    CHECK(rows.count(keys::table_rule(ctid, "LIST")) == 0);
    CHECK(rows.count(keys::table_rule(ctid, "CUSTOM")) == 0);
  }
  SECTION("tags row") {
    CHECK(parse(rows.at(keys::tags(table_arn))) == json::object{{"team", "data"}});
  }
  SECTION("the schema source row carries the rule's facts") {
    auto src = parse(rows.at(keys::table_source(ctid)));
    CHECK(strings(src.at("selectedAnalysisMethods")) == names{"DIRECT_QUERY", "DIRECT_JOB"});
    const auto& rule = src.at("rule").as_object();
    CHECK(S(rule.at("type")) == "AGGREGATION");
    CHECK(rule.at("createTime").as_int64() == t_rule);
    CHECK(rule.at("updateTime").as_int64() == t_rule);
    CHECK(rule.at("policy").as_object().contains("aggregateColumns"));
    CHECK(rule.at("differentialPrivacy").as_bool() == false);
    CHECK(rule.at("noAllowedAnalyses").as_bool() == false);
    CHECK(rule.at("providersMissing").as_bool() == false);
    CHECK(rule.at("additionalRequired").as_bool() == false);
  }
}

TEST_CASE("list and custom rules render their bodies with only the members that were set") {
  SECTION("LIST") {
    auto s = table();
    list_rule r;
    r.join_columns = {"email"};
    r.allowed_join_operators = std::vector<join_operator>{join_operator::or_op};
    r.list_columns = {"id"};
    r.additional = additional_analyses::not_allowed;
    configured_table::apply(s, events::analysis_rule_created{r}, t_create + 1000);
    auto rows = projections::rows(s);
    REQUIRE(rows.count(keys::table_rule(ctid, "LIST")) == 1);
    auto rule = parse(rows.at(keys::table_rule(ctid, "LIST")));
    CHECK(S(rule.at("type")) == "LIST");
    const auto& body = rule.at("policy").at("v1").at("list").as_object();
    check_shape(body, {"joinColumns", "listColumns"},
                {"allowedJoinOperators", "additionalAnalyses"});
    CHECK(strings(body.at("allowedJoinOperators")) == names{"OR"});
    CHECK(S(body.at("additionalAnalyses")) == "NOT_ALLOWED");
    CHECK(strings(table_row(rows).at("analysisRuleTypes")) == names{"LIST"});
  }
  SECTION("CUSTOM with differential privacy") {
    auto s = table();
    custom_rule r;
    r.allowed_analyses = {"ANY_QUERY"};
    r.allowed_analysis_providers = std::vector<std::string>{querier};
    r.differential_privacy_columns = std::vector<std::string>{"id"};
    configured_table::apply(s, events::analysis_rule_created{r}, t_create + 1000);
    auto rows = projections::rows(s);
    auto rule = parse(rows.at(keys::table_rule(ctid, "CUSTOM")));
    const auto& body = rule.at("policy").at("v1").at("custom").as_object();
    check_shape(body, {"allowedAnalyses"},
                {"allowedAnalysisProviders", "additionalAnalyses", "disallowedOutputColumns",
                 "differentialPrivacy"});
    CHECK(strings(body.at("allowedAnalyses")) == names{"ANY_QUERY"});
    CHECK(strings(body.at("allowedAnalysisProviders")) == names{querier});
    CHECK_FALSE(body.contains("disallowedOutputColumns"));
    CHECK(json::serialize(body.at("differentialPrivacy")) == R"({"columns":[{"name":"id"}]})");
    auto src = parse(rows.at(keys::table_source(ctid)));
    CHECK(src.at("rule").at("differentialPrivacy").as_bool());
  }
  SECTION("CUSTOM with no allowed analyses and additional analyses REQUIRED: the source facts") {
    auto s = table();
    custom_rule r;
    r.additional = additional_analyses::required;
    configured_table::apply(s, events::analysis_rule_created{r}, t_create + 1000);
    auto src = parse(projections::rows(s).at(keys::table_source(ctid)));
    const auto& rule = src.at("rule").as_object();
    CHECK(rule.at("noAllowedAnalyses").as_bool());
    CHECK(rule.at("additionalRequired").as_bool());
    CHECK(rule.at("differentialPrivacy").as_bool() == false);
    CHECK(S(parse(projections::rows(s).at(keys::table_rule(ctid, "CUSTOM")))
                .at("policy")
                .at("v1")
                .at("custom")
                .at("allowedAnalyses")) == "[]");
  }
}

TEST_CASE("other table references render their union member with optionals omitted") {
  SECTION("athena") {
    auto e = table_created();
    athena_table_reference a;
    a.work_group = "primary";
    a.database_name = "sales";
    a.table_name = "orders";
    a.output_location = "s3://out/";
    e.reference = a;
    auto ref = table_row(projections::rows(table(e))).at("tableReference").as_object();
    REQUIRE(ref.size() == 1);
    const auto& athena = ref.at("athena").as_object();
    check_shape(athena, {"workGroup", "databaseName", "tableName"},
                {"region", "outputLocation", "catalogName"});
    CHECK(S(athena.at("outputLocation")) == "s3://out/");
    CHECK_FALSE(athena.contains("catalogName"));
  }
  SECTION("snowflake") {
    auto e = table_created();
    snowflake_table_reference sf;
    sf.secret_arn = "arn:aws:secretsmanager:us-east-1:333333333333:secret:sf";
    sf.account_identifier = "acct";
    sf.database_name = "db";
    sf.schema_name = "public";
    sf.table_name = "orders";
    sf.table_schema = {{"id", "NUMBER"}};
    e.reference = sf;
    auto ref = table_row(projections::rows(table(e))).at("tableReference").as_object();
    const auto& s = ref.at("snowflake").as_object();
    check_shape(s,
                {"secretArn", "accountIdentifier", "databaseName", "tableName", "schemaName",
                 "tableSchema"},
                {});
    CHECK(json::serialize(s.at("tableSchema")) ==
          R"({"v1":[{"columnName":"id","columnType":"NUMBER"}]})");
  }
}

TEST_CASE("configured table diffs: a rule deletion removes ctr/, a table deletion every row") {
  auto s = table();
  constexpr time_ms t_rule = t_create + 5'000;
  configured_table::apply(s, events::analysis_rule_created{aggregation()}, t_rule);
  const auto with_rule = projections::rows(s);
  REQUIRE(with_rule.count(keys::table_rule(ctid, "AGGREGATION")) == 1);

  SECTION("rule updated: ctr/ rewritten with the new updateTime, createTime kept") {
    auto r = aggregation();
    r.additional = additional_analyses::allowed;
    configured_table::apply(s, events::analysis_rule_updated{r}, t_rule + 7'000);
    auto rule = parse(projections::rows(s).at(keys::table_rule(ctid, "AGGREGATION")));
    check_time(rule.at("createTime"), t_rule);
    check_time(rule.at("updateTime"), t_rule + 7'000);
    CHECK(S(rule.at("policy").at("v1").at("aggregation").at("additionalAnalyses")) == "ALLOWED");
    const auto d = projections::diff(with_rule, projections::rows(s));
    CHECK(put(d, keys::table_rule(ctid, "AGGREGATION")));
  }
  SECTION("rule deleted") {
    configured_table::apply(s, events::analysis_rule_deleted{analysis_rule_type::aggregation},
                            t_rule + 9'000);
    const auto after = projections::rows(s);
    CHECK(after.count(keys::table_rule(ctid, "AGGREGATION")) == 0);
    CHECK(table_row(after).at("analysisRuleTypes").as_array().empty());
    check_time(table_row(after).at("updateTime"), t_rule + 9'000);  // SPEC.md 9: touched
    CHECK(parse(after.at(summary_key(s))).at("analysisRuleTypes").as_array().empty());
    CHECK_FALSE(parse(after.at(keys::table_source(ctid))).contains("rule"));
    const auto d = projections::diff(with_rule, after);
    CHECK(erased(d, keys::table_rule(ctid, "AGGREGATION")));
    CHECK(put(d, keys::configured_table(region, ctid)));
    CHECK(put(d, summary_key(s)));
    CHECK(put(d, keys::table_source(ctid)));
    std::size_t erases = 0;
    for (const auto& w : d) erases += w.erase;
    CHECK(erases == 1);  // nothing else goes
  }
  SECTION("table updated: selectedAnalysisMethods cleared by an empty list") {
    auto e = table_created();
    e.method = analysis_method::multiple;
    e.selected_methods =
        std::vector<selected_analysis_method>{selected_analysis_method::direct_job};
    auto m = table(e);
    REQUIRE(table_row(projections::rows(m)).contains("selectedAnalysisMethods"));
    events::configured_table_updated u;
    u.method = analysis_method::direct_query;
    u.selected_methods = std::vector<selected_analysis_method>{};
    u.name = "renamed";
    u.description = "now described";
    configured_table::apply(m, u, t_create + 3'000);
    auto t = table_row(projections::rows(m));
    check_shape(t, table_required, table_optional);
    CHECK_FALSE(t.contains("selectedAnalysisMethods"));
    CHECK(S(t.at("analysisMethod")) == "DIRECT_QUERY");
    CHECK(S(t.at("name")) == "renamed");
    CHECK(S(t.at("description")) == "now described");
    check_time(t.at("createTime"), t_create);
    check_time(t.at("updateTime"), t_create + 3'000);
    CHECK_FALSE(parse(projections::rows(m).at(summary_key(m))).contains("selectedAnalysisMethods"));
  }
  SECTION("table deleted: no rows at all, and the diff erases every one") {
    configured_table::apply(s, events::configured_table_deleted{}, t_rule + 10'000);
    const auto after = projections::rows(s);
    CHECK(after.empty());
    const auto d = projections::diff(with_rule, after);
    CHECK(d.size() == with_rule.size());
    for (const auto& w : d) CHECK(w.erase);
    CHECK(erased(d, keys::tags(table_arn)));
    CHECK(erased(d, keys::table_quota(region, owner, ctid)));
  }
}

TEST_CASE("configured table responses: the bodies of its commands once durable") {
  auto s = table();
  decide_context ctx;
  ctx.caller = owner;
  ctx.region = region;
  const auto rows = projections::rows(s);
  SECTION("create and update answer {configuredTable}") {
    for (const configured_table::command& c :
         {configured_table::command{configured_table::create_configured_table{}},
          configured_table::command{configured_table::update_configured_table{}}}) {
      auto body = parse(projections::response_for(s, c, ctx));
      REQUIRE(body.size() == 1);
      CHECK(body.at("configuredTable").as_object() == table_row(rows));
    }
  }
  SECTION("rule create and update answer {analysisRule}, equal to the ctr/ row") {
    configured_table::apply(s, events::analysis_rule_created{aggregation()}, t_create + 1000);
    const auto with_rule = projections::rows(s);
    for (const configured_table::command& c :
         {configured_table::command{configured_table::create_analysis_rule{}},
          configured_table::command{configured_table::update_analysis_rule{}}}) {
      auto body = parse(projections::response_for(s, c, ctx));
      REQUIRE(body.size() == 1);
      CHECK(body.at("analysisRule").as_object() ==
            parse(with_rule.at(keys::table_rule(ctid, "AGGREGATION"))));
    }
  }
  SECTION("deletes answer 204, tags {}, the association check nothing") {
    CHECK(projections::response_for(s, configured_table::delete_configured_table{}, ctx).empty());
    CHECK(projections::response_for(s, configured_table::delete_analysis_rule{}, ctx).empty());
    CHECK(projections::response_for(s, configured_table::check_association{}, ctx).empty());
    CHECK(projections::response_for(s, configured_table::tag_resource{table_arn, {}}, ctx) == "{}");
    CHECK(projections::response_for(s, configured_table::untag_resource{table_arn, {}}, ctx) ==
          "{}");
  }
}

// ---- associations, in the collaboration stream ----

namespace {

struct associated {
  scenario s = created();
  std::string querier_mid;
  std::string mid;  // the provider's membership
  std::string ctaid;
  time_ms created_at = 0;

  associated() {
    auto q = s.as(querier);
    REQUIRE(s.when(join_cmd(), q).ok());
    querier_mid = q.fresh_id;
    auto p = s.as(provider);
    REQUIRE(s.when(join_cmd(), p).ok());
    mid = p.fresh_id;
    auto a = s.as(provider);
    collaboration::create_association c{mid,          ctid,     "Orders",
                                        std::nullopt, role_arn, {{"team", "data"}}};
    REQUIRE(s.when(c, a).ok());
    ctaid = a.fresh_id;
    created_at = a.now;
  }
  std::string arn() const {
    return "arn:aws:cleanrooms:us-east-1:333333333333:membership/" + mid +
           "/configuredtableassociation/" + ctaid;
  }
  std::string listing_key() const { return keys::membership_association(mid, created_at, ctaid); }
  std::string schema_listing_key() const { return keys::schema_listing(cid, created_at, ctaid); }
  collaboration::create_association_rule rule(std::vector<std::string> receivers) const {
    collaboration::create_association_rule r;
    r.membership_id = mid;
    r.association_id = ctaid;
    r.type = r.policy_type = analysis_rule_type::aggregation;
    r.policy.allowed_result_receivers = std::move(receivers);
    return r;
  }
};

}  // namespace

TEST_CASE("association rows: ta/, tal/, tar/, x/ct/, schema rows and tags") {
  associated w;
  const auto rows = projections::rows(w.s.state);

  SECTION("ConfiguredTableAssociation under ta/<mid>/<ctaid>, the IAM ARN form (Q1)") {
    auto a = parse(rows.at(keys::association(w.mid, w.ctaid)));
    check_shape(a, association_required, association_optional);
    CHECK(S(a.at("id")) == w.ctaid);
    CHECK(S(a.at("arn")) == w.arn());
    CHECK(S(a.at("configuredTableId")) == ctid);
    CHECK(S(a.at("configuredTableArn")) == table_arn);
    CHECK(S(a.at("membershipId")) == w.mid);
    CHECK(S(a.at("membershipArn")) ==
          "arn:aws:cleanrooms:us-east-1:333333333333:membership/" + w.mid);
    CHECK(S(a.at("roleArn")) == role_arn);
    CHECK(S(a.at("name")) == "Orders");  // case preserved (Q12)
    CHECK_FALSE(a.contains("description"));
    if (a.contains("analysisRuleTypes")) CHECK(a.at("analysisRuleTypes").as_array().empty());
    check_time(a.at("createTime"), w.created_at);
    check_time(a.at("updateTime"), w.created_at);
  }
  SECTION("ConfiguredTableAssociationSummary under tal/<mid>/<inv>/<ctaid>") {
    REQUIRE(rows.count(w.listing_key()) == 1);
    auto a = parse(rows.at(w.listing_key()));
    check_shape(a, association_summary_required, association_summary_optional);
    CHECK(S(a.at("id")) == w.ctaid);
    CHECK(S(a.at("arn")) == w.arn());
    CHECK(S(a.at("name")) == "Orders");
    CHECK(S(a.at("membershipArn")) ==
          "arn:aws:cleanrooms:us-east-1:333333333333:membership/" + w.mid);
    check_time(a.at("createTime"), w.created_at);
  }
  SECTION("the table link, the schema rows and the tags") {
    CHECK(rows.at(keys::table_link(ctid, w.ctaid)).empty());
    REQUIRE(rows.count(keys::schema(cid, "orders")) == 1);
    CHECK(keys::schema(cid, "ORDERS") == keys::schema(cid, "orders"));
    CHECK(rows.at(w.schema_listing_key()) == "orders");
    CHECK(parse(rows.at(keys::tags(w.arn()))) == json::object{{"team", "data"}});
    auto src = parse(rows.at(keys::schema(cid, "orders")));
    CHECK(S(src.at("name")) == "Orders");
    CHECK(S(src.at("associationId")) == w.ctaid);
    CHECK(S(src.at("associationArn")) == w.arn());
    CHECK(S(src.at("configuredTableId")) == ctid);
    CHECK(S(src.at("account")) == provider);
    CHECK(S(src.at("collaborationId")) == cid);
    CHECK(S(src.at("collaborationArn")) ==
          "arn:aws:cleanrooms:us-east-1:111111111111:collaboration/" + cid);
    CHECK(src.at("createTime").as_int64() == w.created_at);
    // The creator receives results without querying: it is the one other receiver.
    CHECK(strings(src.at("otherReceivers")) == names{creator});
    CHECK(src.at("rules").as_object().empty());
    CHECK_FALSE(src.contains("description"));
  }
  SECTION("no association rule yet: no tar/ row") {
    for (const auto& kv : rows) CHECK(kv.first.rfind("tar/", 0) != 0);
  }
}

TEST_CASE("association rules: tar/ rows, analysisRuleTypes, and their deletion") {
  associated w;
  const auto before = projections::rows(w.s.state);
  auto ctx = w.s.as(provider);
  REQUIRE(w.s.when(w.rule({querier}), ctx).ok());
  const auto rows = projections::rows(w.s.state);
  const auto tar = keys::association_rule(w.mid, w.ctaid, "AGGREGATION");
  REQUIRE(rows.count(tar) == 1);

  SECTION("ConfiguredTableAssociationAnalysisRule") {
    auto r = parse(rows.at(tar));
    check_shape(r, association_rule_required, {});
    CHECK(S(r.at("membershipIdentifier")) == w.mid);
    CHECK(S(r.at("configuredTableAssociationId")) == w.ctaid);
    CHECK(S(r.at("configuredTableAssociationArn")) == w.arn());
    CHECK(S(r.at("type")) == "AGGREGATION");
    CHECK(json::serialize(r.at("policy")) ==
          R"({"v1":{"aggregation":{"allowedResultReceivers":["222222222222"]}}})");
    check_time(r.at("createTime"), ctx.now);
    check_time(r.at("updateTime"), ctx.now);
  }
  SECTION("ta/ and tal/ list the association rule's type") {
    CHECK(strings(parse(rows.at(keys::association(w.mid, w.ctaid))).at("analysisRuleTypes")) ==
          names{"AGGREGATION"});
    CHECK(strings(parse(rows.at(w.listing_key())).at("analysisRuleTypes")) == names{"AGGREGATION"});
  }
  SECTION("the schema source carries the rule for the status derivation") {
    auto src = parse(rows.at(keys::schema(cid, "orders")));
    const auto& rule = src.at("rules").at("AGGREGATION").as_object();
    CHECK(strings(rule.at("policy").at("allowedResultReceivers")) == names{querier});
    CHECK(rule.at("updateTime").as_int64() == ctx.now);
  }
  SECTION("deleting the rule erases tar/ and nothing else") {
    collaboration::delete_association_rule del{w.mid, w.ctaid, analysis_rule_type::aggregation};
    REQUIRE(w.s.when(del, provider).ok());
    const auto after = projections::rows(w.s.state);
    CHECK(after.count(tar) == 0);
    const auto d = projections::diff(rows, after);
    CHECK(erased(d, tar));
    std::size_t erases = 0;
    for (const auto& v : d) erases += v.erase;
    CHECK(erases == 1);
    CHECK(after == before);  // back to the rows before the rule
  }
}

TEST_CASE("schema rows need an ACTIVE membership in a live collaboration; ta/ and x/ct/ stay") {
  associated w;
  const auto rows = projections::rows(w.s.state);
  REQUIRE(rows.count(keys::schema(cid, "orders")) == 1);
  REQUIRE(rows.count(w.schema_listing_key()) == 1);

  auto check_gone_but_linked = [&](const projections::row_set& after) {
    CHECK(after.count(keys::schema(cid, "orders")) == 0);
    CHECK(after.count(w.schema_listing_key()) == 0);
    CHECK(after.count(keys::association(w.mid, w.ctaid)) == 1);
    CHECK(after.count(w.listing_key()) == 1);
    CHECK(after.count(keys::table_link(ctid, w.ctaid)) == 1);
    const auto d = projections::diff(rows, after);
    CHECK(erased(d, keys::schema(cid, "orders")));
    CHECK(erased(d, w.schema_listing_key()));
    CHECK_FALSE(erased(d, keys::table_link(ctid, w.ctaid)));
    CHECK_FALSE(erased(d, keys::association(w.mid, w.ctaid)));
  };

  SECTION("DeleteMember: the membership is REMOVED") {
    REQUIRE(w.s.when(collaboration::delete_member{provider}, creator).ok());
    REQUIRE(w.s.state.membership(w.mid)->status == membership_status::removed);
    check_gone_but_linked(projections::rows(w.s.state));
  }
  SECTION("DeleteCollaboration: memberships COLLABORATION_DELETED") {
    REQUIRE(w.s.when(collaboration::delete_collaboration{}, creator).ok());
    check_gone_but_linked(projections::rows(w.s.state));
  }
  SECTION("DeleteConfiguredTableAssociation: every association row goes") {
    REQUIRE(w.s.when(collaboration::delete_association{w.mid, w.ctaid}, provider).ok());
    const auto after = projections::rows(w.s.state);
    CHECK(after.count(keys::association(w.mid, w.ctaid)) == 0);
    CHECK(after.count(w.listing_key()) == 0);
    CHECK(after.count(keys::table_link(ctid, w.ctaid)) == 0);
    CHECK(after.count(keys::schema(cid, "orders")) == 0);
    CHECK(after.count(w.schema_listing_key()) == 0);
    CHECK(after.count(keys::tags(w.arn())) == 0);
  }
  SECTION("another member leaving changes the other receivers, not the visibility") {
    REQUIRE(w.s.when(collaboration::delete_member{querier}, creator).ok());
    const auto after = projections::rows(w.s.state);
    REQUIRE(after.count(keys::schema(cid, "orders")) == 1);
    auto src = parse(after.at(keys::schema(cid, "orders")));
    CHECK(strings(src.at("otherReceivers")) == names{creator});
  }
}

TEST_CASE("UpdateConfiguredTableAssociation: description appears, updateTime moves") {
  associated w;
  auto ctx = w.s.as(provider);
  collaboration::update_association u{w.mid, w.ctaid, std::string("daily orders"), std::nullopt};
  REQUIRE(w.s.when(u, ctx).ok());
  const auto rows = projections::rows(w.s.state);
  auto a = parse(rows.at(keys::association(w.mid, w.ctaid)));
  check_shape(a, association_required, association_optional);
  CHECK(S(a.at("description")) == "daily orders");
  check_time(a.at("createTime"), w.created_at);
  check_time(a.at("updateTime"), ctx.now);
  auto src = parse(rows.at(keys::schema(cid, "orders")));
  CHECK(S(src.at("description")) == "daily orders");
  CHECK(src.at("updateTime").as_int64() == ctx.now);
  // The summary has no description member.
  CHECK_FALSE(parse(rows.at(w.listing_key())).contains("description"));
}

TEST_CASE("collaboration responses of the association commands") {
  associated w;
  SECTION("create answers {configuredTableAssociation} for the fresh id") {
    auto ctx = w.s.as(provider);
    ctx.fresh_id = w.ctaid;  // the id the create used
    collaboration::create_association c{w.mid, ctid, "Orders", std::nullopt, role_arn, {}};
    auto body = parse(projections::response_for(w.s.state, c, ctx));
    REQUIRE(body.size() == 1);
    CHECK(body.at("configuredTableAssociation").as_object() ==
          parse(projections::rows(w.s.state).at(keys::association(w.mid, w.ctaid))));
  }
  SECTION("update answers the updated association") {
    auto ctx = w.s.as(provider);
    collaboration::update_association u{w.mid, w.ctaid, std::nullopt,
                                        std::string("arn:aws:iam::333333333333:role/other-role")};
    REQUIRE(w.s.when(u, ctx).ok());
    auto body = parse(projections::response_for(w.s.state, u, ctx));
    CHECK(S(body.at("configuredTableAssociation").at("roleArn")) ==
          "arn:aws:iam::333333333333:role/other-role");
  }
  SECTION("rule create and update answer {analysisRule}") {
    auto ctx = w.s.as(provider);
    auto create = w.rule({querier});
    REQUIRE(w.s.when(create, ctx).ok());
    const auto tar = keys::association_rule(w.mid, w.ctaid, "AGGREGATION");
    auto body = parse(projections::response_for(w.s.state, create, ctx));
    REQUIRE(body.size() == 1);
    CHECK(body.at("analysisRule").as_object() == parse(projections::rows(w.s.state).at(tar)));
    collaboration::update_association_rule upd;
    upd.membership_id = w.mid;
    upd.association_id = w.ctaid;
    upd.type = upd.policy_type = analysis_rule_type::aggregation;
    upd.policy.allowed_result_receivers = std::vector<std::string>{querier, creator};
    auto uctx = w.s.as(provider);
    REQUIRE(w.s.when(upd, uctx).ok());
    auto ubody = parse(projections::response_for(w.s.state, upd, uctx));
    CHECK(strings(ubody.at("analysisRule")
                      .at("policy")
                      .at("v1")
                      .at("aggregation")
                      .at("allowedResultReceivers")) == names{querier, creator});
    check_time(ubody.at("analysisRule").at("createTime"), ctx.now);
    check_time(ubody.at("analysisRule").at("updateTime"), uctx.now);
  }
  SECTION("deletes answer 204") {
    auto ctx = w.s.as(provider);
    CHECK(projections::response_for(w.s.state,
                                    collaboration::delete_association_rule{
                                        w.mid, w.ctaid, analysis_rule_type::aggregation},
                                    ctx)
              .empty());
    CHECK(
        projections::response_for(w.s.state, collaboration::delete_association{w.mid, w.ctaid}, ctx)
            .empty());
  }
}
