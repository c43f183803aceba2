// Schemas derived on read (SPEC.md 11, 20): the rows of a collaboration and of a configured
// table written to a real store, a CSV catalog on disk, and the Schema, SchemaSummary and
// AnalysisRule shapes read back through schema_view.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include <boost/json.hpp>

#include "../actors/given_when_then.hpp"
#include "../events/store_helpers.hpp"
#include "../events/temp_dir.hpp"
#include "actors/configured_table/state.hpp"
#include "catalog/catalog.hpp"
#include "projections/collaboration_rows.hpp"
#include "projections/configured_table_rows.hpp"
#include "projections/keys.hpp"
#include "projections/schema_view.hpp"

using namespace crs;
using namespace crs::testing;
namespace keys = crs::projections::keys;
namespace json = boost::json;
using lookup = projections::schema_view::rule_lookup;

namespace {

const std::string ctid = "c0ffee00-0000-4000-8000-00000000beef";
const std::string region = "us-east-1";
const std::string role_arn = "arn:aws:iam::333333333333:role/cleanrooms-read";
const std::string template_arn =
    "arn:aws:cleanrooms:us-east-1:222222222222:membership/0b8a5f4e-1c2d/analysistemplate/"
    "a1b2c3d4-5e6f";
const std::string audience_arn =
    "arn:aws:cleanrooms:us-east-1:222222222222:membership/m1/configuredaudiencemodelassociation/c1";
constexpr time_ms t_table = 1'600'000'000'250;

using names = std::vector<std::string>;

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

void check_shape(const json::object& o, const std::set<std::string>& required,
                 const std::set<std::string>& optional) {
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

// [[name, type], ...] of a Column list.
std::vector<std::pair<std::string, std::string>> columns(const json::value& v) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& c : v.as_array()) {
    check_shape(c.as_object(), {"name", "type"}, {});
    out.emplace_back(S(c.at("name")), S(c.at("type")));
  }
  return out;
}
using cols = std::vector<std::pair<std::string, std::string>>;

const std::set<std::string> schema_required{
    "columns",          "partitionKeys", "analysisRuleTypes",
    "creatorAccountId", "name",          "collaborationId",
    "collaborationArn", "description",   "createTime",
    "updateTime",       "type",          "schemaStatusDetails"};
const std::set<std::string> schema_optional{"analysisMethod", "selectedAnalysisMethods",
                                            "resourceArn", "schemaTypeProperties"};
const std::set<std::string> summary_required{"name",
                                             "type",
                                             "creatorAccountId",
                                             "createTime",
                                             "updateTime",
                                             "collaborationId",
                                             "collaborationArn",
                                             "analysisRuleTypes"};
const std::set<std::string> summary_optional{"analysisMethod", "resourceArn",
                                             "selectedAnalysisMethods"};
const std::set<std::string> rule_required{"collaborationId", "type",       "name",
                                          "createTime",      "updateTime", "policy"};
const std::set<std::string> rule_optional{"collaborationPolicy", "consolidatedPolicy"};

aggregation_rule aggregation() {
  aggregation_rule r;
  r.aggregate_columns = {{{"amount"}, aggregate_function::sum}};
  r.join_columns = {"email"};
  r.dimension_columns = {"id"};
  r.scalar_functions = {scalar_function::round};
  r.output_constraints = {{"email", 100}};
  return r;
}

list_rule list() {
  list_rule r;
  r.join_columns = {"email"};
  r.list_columns = {"id"};
  return r;
}

// One collaboration (creator, querier, provider), the provider's configured table associated
// as "Orders", a catalog directory, and a real store holding both streams' rows.
struct world {
  test::temp_dir tmp;
  std::filesystem::path catalog_dir{tmp.sub("catalog")};
  std::unique_ptr<events::event_store> store;
  std::unique_ptr<catalog::local_catalog> catalog;
  scenario s;
  configured_table::state table;
  std::string mid;
  std::string ctaid;
  time_ms association_time = 0;

  // other_receiver: the creator receives results without querying (standard_create); without
  // it nobody but the querier receives, so a plain rule is READY.
  explicit world(bool other_receiver = true) {
    store = test::open_store(tmp.sub("store"));
    REQUIRE(store);
    write("sales/orders.csv", "id,email,amount,dt\n1,a@example.com,2.50,2024-01-01\n");
    write("sales/orders.schema.json",
          R"j({"columns":[{"name":"amount","type":"decimal(10,2)"},{"name":"id","type":"bigint"},)j"
          R"j({"name":"email","type":"string"}],"partitionKeys":[{"name":"dt","type":"date"}]})j");
    write("sales/users.csv", "User_ID,score,city\n1,2.5,Paris\n2,3,Lyon\n");
    write("sales/broken.csv", "a,,b\n1,2,3\n");
    catalog = std::make_unique<catalog::local_catalog>(catalog_dir);

    auto create = standard_create();
    if (!other_receiver) create.creator_abilities = {};
    auto cctx = s.as(creator);
    cctx.fresh_id = cid;
    REQUIRE(s.when(create, cctx).ok());
    REQUIRE(s.when(join_cmd(), querier).ok());
    auto p = s.as(provider);
    REQUIRE(s.when(join_cmd(), p).ok());
    mid = p.fresh_id;
    auto a = s.as(provider);
    REQUIRE(
        s.when(collaboration::create_association{mid, ctid, "Orders", std::nullopt, role_arn, {}},
               a)
            .ok());
    ctaid = a.fresh_id;
    association_time = a.now;

    events::configured_table_created t;
    t.configured_table_id = ctid;
    t.region = region;
    t.owner = provider;
    t.name = "orders table";
    t.reference = glue_table_reference{std::nullopt, "sales", "orders"};
    t.allowed_columns = {"id", "dt", "amount"};
    table.id = ctid;
    configured_table::apply(table, t, t_table);
    sync();
  }

  void write(const std::string& relative, const std::string& content) const {
    const auto path = catalog_dir / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
  }

  // The views family holds exactly the rows of both states (as a rebuild would write them).
  void sync() {
    auto all = projections::rows(s.state);
    for (auto& kv : projections::rows(table)) all.insert(kv);
    REQUIRE(store->replace_views(all).ok());
  }

  void table_event(const events::event_payload& e, time_ms at) {
    configured_table::apply(table, e, at);
    sync();
  }
  void rule(const analysis_rule_policy& p, time_ms at) {
    table_event(events::analysis_rule_created{p}, at);
  }
  void reference(table_reference r, std::vector<std::string> allowed) {
    events::configured_table_updated u;
    u.reference = std::move(r);
    u.allowed_columns = std::move(allowed);
    table_event(u, table.update_time + 1);
  }
  void collaboration_cmd(const collaboration::command& c, const std::string& who) {
    REQUIRE(s.when(c, who).ok());
    sync();
  }
  // An association-level rule by the provider; `create` false = update.
  void association_rule(analysis_rule_type type, std::vector<std::string> receivers,
                        std::optional<std::vector<std::string>> additional = std::nullopt,
                        bool create = true) {
    association_rule_policy p;
    p.allowed_result_receivers = std::move(receivers);
    p.allowed_additional_analyses = std::move(additional);
    if (create)
      collaboration_cmd(collaboration::create_association_rule{mid, ctaid, type, type, p},
                        provider);
    else
      collaboration_cmd(collaboration::update_association_rule{mid, ctaid, type, type, p},
                        provider);
  }

  projections::schema_view view() const { return projections::schema_view(*store, *catalog); }
  json::object schema(std::string_view name = "Orders") const {
    auto got = view().schema(cid, name);
    REQUIRE(got);
    return parse(*got);
  }
  json::object status() const {
    const auto sc = schema();
    const auto& details = sc.at("schemaStatusDetails").as_array();
    REQUIRE(details.size() == 1);
    auto d = details.at(0).as_object();
    check_shape(d, {"status", "analysisType"}, {"reasons", "analysisRuleType", "configurations"});
    CHECK(S(d.at("analysisType")) == "DIRECT_ANALYSIS");
    return d;
  }
  std::string association_arn() const {
    return "arn:aws:cleanrooms:us-east-1:333333333333:membership/" + mid +
           "/configuredtableassociation/" + ctaid;
  }
};

std::vector<std::string> reason_codes(const json::object& detail) {
  std::vector<std::string> out;
  if (!detail.contains("reasons")) return out;
  for (const auto& r : detail.at("reasons").as_array()) {
    check_shape(r.as_object(), {"code", "message"}, {});
    CHECK_FALSE(S(r.at("message")).empty());
    out.push_back(S(r.at("code")));
  }
  return out;
}

}  // namespace

TEST_CASE("schema: the Schema shape of SPEC.md 20.1") {
  world w;
  auto s = w.schema();
  check_shape(s, schema_required, schema_optional);
  CHECK(S(s.at("name")) == "Orders");
  CHECK(S(s.at("type")) == "TABLE");
  CHECK(S(s.at("creatorAccountId")) == provider);  // the data provider, not the creator
  CHECK(S(s.at("collaborationId")) == cid);
  CHECK(S(s.at("collaborationArn")) ==
        "arn:aws:cleanrooms:us-east-1:111111111111:collaboration/" + cid);
  CHECK(S(s.at("resourceArn")) == w.association_arn());
  CHECK(S(s.at("description")) == "");  // required: "" when the association has none
  CHECK(S(s.at("analysisMethod")) == "DIRECT_QUERY");
  CHECK_FALSE(s.contains("selectedAnalysisMethods"));
  CHECK_FALSE(s.contains("schemaTypeProperties"));
  CHECK(s.at("analysisRuleTypes").as_array().empty());
  check_time(s.at("createTime"), w.association_time);
  check_time(s.at("updateTime"), w.association_time);  // newer than the table
  CHECK(s.at("createTime").is_double());
}

TEST_CASE("schema columns: catalog columns within allowedColumns, catalog order, keys apart") {
  world w;
  SECTION("a sidecar gives types and partition keys; order is the sidecar's") {
    auto s = w.schema();
    CHECK(columns(s.at("columns")) == cols{{"amount", "decimal(10,2)"}, {"id", "bigint"}});
    CHECK(columns(s.at("partitionKeys")) == cols{{"dt", "date"}});
  }
  SECTION("inferred types, lower-cased names, no partition keys") {
    w.reference(glue_table_reference{std::nullopt, "sales", "users"}, {"city", "user_id"});
    auto s = w.schema();
    CHECK(columns(s.at("columns")) == cols{{"user_id", "bigint"}, {"city", "string"}});
    CHECK(s.at("partitionKeys").as_array().empty());
  }
  SECTION("an athena reference reads the same layout") {
    athena_table_reference a;
    a.work_group = "primary";
    a.database_name = "sales";
    a.table_name = "users";
    w.reference(a, {"score"});
    CHECK(columns(w.schema().at("columns")) == cols{{"score", "double"}});
  }
  SECTION("a snowflake reference: its tableSchema types, the rest inferred") {
    w.write("analytics/public/people.csv", "ID,Nickname,age\n7,bo,41\n");
    snowflake_table_reference sf;
    sf.secret_arn = "arn:aws:secretsmanager:us-east-1:333333333333:secret:sf";
    sf.account_identifier = "acct";
    sf.database_name = "analytics";
    sf.schema_name = "public";
    sf.table_name = "people";
    sf.table_schema = {{"id", "NUMBER(38,0)"}, {"nickname", "VARCHAR"}};
    w.reference(sf, {"age", "nickname", "id"});
    auto s = w.schema();
    CHECK(columns(s.at("columns")) ==
          cols{{"id", "NUMBER(38,0)"}, {"nickname", "VARCHAR"}, {"age", "bigint"}});
    CHECK(s.at("partitionKeys").as_array().empty());
  }
  SECTION("a table the catalog lacks: allowedColumns in their order, as string") {
    w.reference(glue_table_reference{std::nullopt, "sales", "missing"}, {"zeta", "alpha"});
    auto s = w.schema();
    CHECK(columns(s.at("columns")) == cols{{"zeta", "string"}, {"alpha", "string"}});
    CHECK(s.at("partitionKeys").as_array().empty());
  }
  SECTION("a broken catalog table reads like a missing one") {
    w.reference(glue_table_reference{std::nullopt, "sales", "broken"}, {"a", "b"});
    CHECK(columns(w.schema().at("columns")) == cols{{"a", "string"}, {"b", "string"}});
  }
  SECTION("a new sidecar is seen on the next read") {
    w.write("sales/orders.schema.json",
            R"j({"columns":[{"name":"id","type":"int"},{"name":"email","type":"varchar(64)"},)j"
            R"j({"name":"amount","type":"double"},{"name":"dt","type":"date"}]})j");
    auto s = w.schema();
    CHECK(columns(s.at("columns")) == cols{{"id", "int"}, {"amount", "double"}, {"dt", "date"}});
    CHECK(s.at("partitionKeys").as_array().empty());
  }
}

TEST_CASE("schema lookup: names ignore case, unknown names and collaborations find nothing") {
  world w;
  for (const char* name : {"Orders", "orders", "ORDERS", "oRdErS"}) {
    auto got = w.view().schema(cid, name);
    REQUIRE(got);
    CHECK(S(parse(*got).at("name")) == "Orders");
  }
  CHECK_FALSE(w.view().schema(cid, "order"));
  CHECK_FALSE(w.view().schema(cid, "Orders "));
  CHECK_FALSE(w.view().schema("0b8a5f4e-1c2d-4e3f-8a9b-000000000000", "Orders"));
  CHECK_FALSE(w.view().summary(cid, "nope"));
}

TEST_CASE("schema description and updateTime follow the association, table and rules") {
  world w;
  const time_ms a = w.association_time;
  SECTION("description: the association's once set") {
    w.collaboration_cmd(
        collaboration::update_association{w.mid, w.ctaid, std::string("daily orders"), {}},
        provider);
    CHECK(S(w.schema().at("description")) == "daily orders");
  }
  SECTION("updateTime: the latest of association, table, rule and association rule") {
    w.rule(aggregation(), a + 5'500);  // the table's updateTime moves too
    check_time(w.schema().at("updateTime"), a + 5'500);
    w.table_event(events::analysis_rule_updated{aggregation()}, a + 9'250);  // only the rule
    REQUIRE(w.table.update_time == a + 5'500);
    check_time(w.schema().at("updateTime"), a + 9'250);
    w.s.clock = a + 20'000;
    w.association_rule(analysis_rule_type::aggregation, {querier, creator});  // at a + 21 s
    check_time(w.schema().at("updateTime"), a + 21'000);
    w.collaboration_cmd(collaboration::update_association{w.mid, w.ctaid, {}, role_arn},
                        provider);  // at a + 22 s
    check_time(w.schema().at("updateTime"), a + 22'000);
    events::configured_table_updated u;
    u.name = "renamed";
    w.table_event(u, a + 30'125);
    check_time(w.schema().at("updateTime"), a + 30'125);
    check_time(w.schema().at("createTime"), a);  // always the association's
  }
}

TEST_CASE("schema status details (SPEC.md 20.2)") {
  SECTION("no rule: NOT_READY, ANALYSIS_RULE_MISSING, no analysisRuleType") {
    world w(false);
    auto d = w.status();
    CHECK(S(d.at("status")) == "NOT_READY");
    CHECK(reason_codes(d) == names{"ANALYSIS_RULE_MISSING"});
    CHECK_FALSE(d.contains("analysisRuleType"));
    CHECK_FALSE(d.contains("configurations"));
  }
  SECTION("an aggregation rule and no other receiver: READY") {
    world w(false);
    w.rule(aggregation(), w.association_time + 1'000);
    auto d = w.status();
    CHECK(S(d.at("status")) == "READY");
    CHECK(S(d.at("analysisRuleType")) == "AGGREGATION");
    CHECK_FALSE(d.contains("reasons"));
    CHECK_FALSE(d.contains("configurations"));
    CHECK(strings(w.schema().at("analysisRuleTypes")) == names{"AGGREGATION"});
  }
  SECTION("a list rule: READY with LIST") {
    world w(false);
    w.rule(list(), w.association_time + 1'000);
    auto d = w.status();
    CHECK(S(d.at("status")) == "READY");
    CHECK(S(d.at("analysisRuleType")) == "LIST");
  }
  SECTION("custom with no allowed analyses: ANALYSIS_TEMPLATES_NOT_CONFIGURED") {
    world w(false);
    w.rule(custom_rule{}, w.association_time + 1'000);
    auto d = w.status();
    CHECK(S(d.at("status")) == "NOT_READY");
    CHECK(S(d.at("analysisRuleType")) == "CUSTOM");
    CHECK(reason_codes(d) == names{"ANALYSIS_TEMPLATES_NOT_CONFIGURED"});
  }
  SECTION("custom with a template: READY") {
    world w(false);
    custom_rule r;
    r.allowed_analyses = {template_arn};
    w.rule(r, w.association_time + 1'000);
    CHECK(S(w.status().at("status")) == "READY");
  }
  SECTION("custom in provider mode without providers: ANALYSIS_PROVIDERS_NOT_CONFIGURED") {
    world w(false);
    custom_rule r;
    r.allowed_analyses = {"ANY_QUERY"};
    w.rule(r, w.association_time + 1'000);
    CHECK(reason_codes(w.status()) == names{"ANALYSIS_PROVIDERS_NOT_CONFIGURED"});
    r.allowed_analysis_providers = std::vector<std::string>{querier};
    w.table_event(events::analysis_rule_updated{r}, w.association_time + 2'000);
    CHECK(S(w.status().at("status")) == "READY");
  }
  SECTION("custom with differential privacy: the configuration and its missing policy") {
    world w(false);
    custom_rule r;
    r.allowed_analyses = {template_arn};
    r.differential_privacy_columns = std::vector<std::string>{"id"};
    w.rule(r, w.association_time + 1'000);
    auto d = w.status();
    CHECK(S(d.at("status")) == "NOT_READY");
    CHECK(strings(d.at("configurations")) == names{"DIFFERENTIAL_PRIVACY"});
    CHECK(reason_codes(d) == names{"DIFFERENTIAL_PRIVACY_POLICY_NOT_CONFIGURED"});
  }
  SECTION("additionalAnalyses REQUIRED: ADDITIONAL_ANALYSES_NOT_CONFIGURED") {
    world w(false);
    auto r = aggregation();
    r.additional = additional_analyses::required;
    w.rule(r, w.association_time + 1'000);
    auto d = w.status();
    CHECK(S(d.at("status")) == "NOT_READY");
    CHECK(reason_codes(d) == names{"ADDITIONAL_ANALYSES_NOT_CONFIGURED"});
  }
  SECTION("additionalAnalyses ALLOWED is no obstacle") {
    world w(false);
    auto r = aggregation();
    r.additional = additional_analyses::allowed;
    w.rule(r, w.association_time + 1'000);
    CHECK(S(w.status().at("status")) == "READY");
  }
  SECTION("a receiver other than the querier needs the association's rule listing it") {
    world w;  // the creator receives results without querying
    w.rule(aggregation(), w.association_time + 1'000);
    auto d = w.status();
    CHECK(S(d.at("status")) == "NOT_READY");
    CHECK(S(d.at("analysisRuleType")) == "AGGREGATION");
    CHECK(reason_codes(d) == names{"COLLABORATION_ANALYSIS_RULE_NOT_CONFIGURED"});

    // A rule of another type does not count, but the association has rules: the receivers are
    // what is missing (SPEC.md 20.2 keeps COLLABORATION_ANALYSIS_RULE_NOT_CONFIGURED for none).
    w.association_rule(analysis_rule_type::list, {querier, creator});
    CHECK(reason_codes(w.status()) == names{"RESULT_RECEIVERS_NOT_CONFIGURED"});

    w.association_rule(analysis_rule_type::aggregation, {querier});
    CHECK(reason_codes(w.status()) == names{"RESULT_RECEIVERS_NOT_CONFIGURED"});

    w.association_rule(analysis_rule_type::aggregation, {querier, creator}, std::nullopt, false);
    d = w.status();
    CHECK(S(d.at("status")) == "READY");
    CHECK_FALSE(d.contains("reasons"));
  }
  SECTION("every applicable reason at once") {
    world w;
    custom_rule r;
    r.additional = additional_analyses::required;
    r.differential_privacy_columns = std::vector<std::string>{"id"};
    w.rule(r, w.association_time + 1'000);
    auto d = w.status();
    CHECK(S(d.at("status")) == "NOT_READY");
    auto codes = reason_codes(d);
    CHECK(std::set<std::string>(codes.begin(), codes.end()) ==
          std::set<std::string>{
              "ANALYSIS_TEMPLATES_NOT_CONFIGURED", "DIFFERENTIAL_PRIVACY_POLICY_NOT_CONFIGURED",
              "ADDITIONAL_ANALYSES_NOT_CONFIGURED", "COLLABORATION_ANALYSIS_RULE_NOT_CONFIGURED"});
    CHECK(codes.size() == 4);
    CHECK(strings(d.at("configurations")) == names{"DIFFERENTIAL_PRIVACY"});
  }
  SECTION("deleting the rule goes back to ANALYSIS_RULE_MISSING") {
    world w(false);
    w.rule(aggregation(), w.association_time + 1'000);
    w.table_event(events::analysis_rule_deleted{analysis_rule_type::aggregation},
                  w.association_time + 2'000);
    CHECK(reason_codes(w.status()) == names{"ANALYSIS_RULE_MISSING"});
    CHECK(w.schema().at("analysisRuleTypes").as_array().empty());
  }
}

TEST_CASE("schema summary: the SchemaSummary subset, found through the listing row") {
  world w;
  auto e = events::configured_table_updated{};
  e.method = analysis_method::multiple;
  e.selected_methods =
      std::vector<selected_analysis_method>{selected_analysis_method::direct_query};
  w.table_event(e, w.association_time + 500);
  w.rule(aggregation(), w.association_time + 1'000);

  std::vector<std::string> listed;
  w.store->scan_views(keys::schemas_prefix(cid), "", [&](std::string_view, std::string_view v) {
    listed.emplace_back(v);
    return true;
  });
  REQUIRE(listed == names{"orders"});
  auto got = w.view().summary(cid, listed.front());
  REQUIRE(got);
  auto s = parse(*got);
  check_shape(s, summary_required, summary_optional);
  CHECK(S(s.at("name")) == "Orders");
  CHECK(S(s.at("type")) == "TABLE");
  CHECK(S(s.at("creatorAccountId")) == provider);
  CHECK(S(s.at("collaborationId")) == cid);
  CHECK(S(s.at("resourceArn")) == w.association_arn());
  CHECK(S(s.at("analysisMethod")) == "MULTIPLE");
  CHECK(strings(s.at("selectedAnalysisMethods")) == names{"DIRECT_QUERY"});
  CHECK(strings(s.at("analysisRuleTypes")) == names{"AGGREGATION"});
  check_time(s.at("createTime"), w.association_time);
  check_time(s.at("updateTime"), w.association_time + 1'000);
  // The full schema agrees on the common members.
  auto full = w.schema();
  for (const auto& kv : s) CHECK(full.at(kv.key()) == kv.value());
}

TEST_CASE("schemas disappear with the membership or the collaboration") {
  world w;
  w.rule(aggregation(), w.association_time + 1'000);
  REQUIRE(w.view().schema(cid, "Orders"));
  std::string out;
  auto gone = [&] {
    CHECK_FALSE(w.view().schema(cid, "Orders"));
    CHECK_FALSE(w.view().summary(cid, "orders"));
    CHECK(w.view().analysis_rule(cid, "Orders", "AGGREGATION", out) == lookup::no_schema);
    // The association itself is still there for its owner.
    CHECK(w.store->get_view(keys::association(w.mid, w.ctaid)));
  };
  SECTION("DeleteMember") {
    w.collaboration_cmd(collaboration::delete_member{provider}, creator);
    gone();
  }
  SECTION("DeleteCollaboration") {
    w.collaboration_cmd(collaboration::delete_collaboration{}, creator);
    gone();
  }
}

TEST_CASE("schema analysis rule (SPEC.md 20.3)") {
  world w;
  const time_ms t_rule = w.association_time + 1'250;
  std::string out;

  SECTION("no rule, no schema, other types, ID_MAPPING_TABLE") {
    CHECK(w.view().analysis_rule(cid, "Orders", "AGGREGATION", out) == lookup::no_rule);
    CHECK(w.view().analysis_rule(cid, "nope", "AGGREGATION", out) == lookup::no_schema);
    w.rule(aggregation(), t_rule);
    CHECK(w.view().analysis_rule(cid, "Orders", "LIST", out) == lookup::no_rule);
    CHECK(w.view().analysis_rule(cid, "Orders", "CUSTOM", out) == lookup::no_rule);
    CHECK(w.view().analysis_rule(cid, "Orders", "ID_MAPPING_TABLE", out) == lookup::no_rule);
    CHECK(w.view().analysis_rule(cid, "nope", "AGGREGATION", out) == lookup::no_schema);
  }
  SECTION("found: the table's policy wrapped as v1.aggregation, the rule's times") {
    w.rule(aggregation(), t_rule);
    REQUIRE(w.view().analysis_rule(cid, "ORDERS", "AGGREGATION", out) == lookup::found);
    auto r = parse(out);
    check_shape(r, rule_required, rule_optional);
    CHECK(S(r.at("collaborationId")) == cid);
    CHECK(S(r.at("type")) == "AGGREGATION");
    CHECK(S(r.at("name")) == "Orders");
    check_time(r.at("createTime"), t_rule);
    check_time(r.at("updateTime"), t_rule);
    CHECK_FALSE(r.contains("collaborationPolicy"));
    CHECK_FALSE(r.contains("consolidatedPolicy"));
    auto ctr = parse(*w.store->get_view(keys::table_rule(ctid, "AGGREGATION")));
    CHECK(r.at("policy") == ctr.at("policy"));  // verbatim, same union member
    const auto& v1 = r.at("policy").at("v1").as_object();
    REQUIRE(v1.size() == 1);
    CHECK(v1.contains("aggregation"));

    // An update of the rule shows at once.
    auto changed = aggregation();
    changed.dimension_columns = {"id", "dt"};
    w.table_event(events::analysis_rule_updated{changed}, t_rule + 4'000);
    REQUIRE(w.view().analysis_rule(cid, "Orders", "AGGREGATION", out) == lookup::found);
    auto u = parse(out);
    CHECK(strings(u.at("policy").at("v1").at("aggregation").at("dimensionColumns")) ==
          names{"id", "dt"});
    check_time(u.at("createTime"), t_rule);
    check_time(u.at("updateTime"), t_rule + 4'000);
  }
  SECTION("custom: v1.custom") {
    custom_rule c;
    c.allowed_analyses = {template_arn};
    c.disallowed_output_columns = std::vector<std::string>{"email"};
    w.rule(c, t_rule);
    REQUIRE(w.view().analysis_rule(cid, "Orders", "CUSTOM", out) == lookup::found);
    auto r = parse(out);
    CHECK(json::serialize(r.at("policy")) == R"({"v1":{"custom":{"allowedAnalyses":[")" +
                                                 template_arn +
                                                 R"("],"disallowedOutputColumns":["email"]}}})");
  }
  SECTION("an association rule of the same type: collaborationPolicy and consolidatedPolicy") {
    w.rule(aggregation(), t_rule);
    w.s.clock = t_rule + 10'000;
    w.association_rule(analysis_rule_type::aggregation, {querier, creator},
                       std::vector<std::string>{audience_arn});  // at t_rule + 11 s
    REQUIRE(w.view().analysis_rule(cid, "Orders", "AGGREGATION", out) == lookup::found);
    auto r = parse(out);
    check_shape(r, rule_required, rule_optional);
    check_time(r.at("createTime"), t_rule);
    check_time(r.at("updateTime"), t_rule + 11'000);
    CHECK(json::serialize(r.at("collaborationPolicy")) ==
          R"({"v1":{"aggregation":{"allowedResultReceivers":["222222222222","111111111111"],)"
          R"("allowedAdditionalAnalyses":[")" +
              audience_arn + R"("]}}})");
    const auto& consolidated = r.at("consolidatedPolicy").as_object();
    REQUIRE(consolidated.size() == 1);
    const auto& v1 = consolidated.at("v1").as_object();
    REQUIRE(v1.size() == 1);
    auto expected = r.at("policy").at("v1").at("aggregation").as_object();
    expected["allowedResultReceivers"] = json::array{querier, creator};
    expected["allowedAdditionalAnalyses"] = json::array{audience_arn};
    CHECK(v1.at("aggregation").as_object() == expected);
    check_shape(v1.at("aggregation").as_object(),
                {"aggregateColumns", "joinColumns", "dimensionColumns", "scalarFunctions",
                 "outputConstraints"},
                {"joinRequired", "allowedJoinOperators", "additionalAnalyses",
                 "allowedResultReceivers", "allowedAdditionalAnalyses"});
  }
  SECTION("an association rule with receivers only: consolidated adds only those") {
    w.rule(list(), t_rule);
    w.association_rule(analysis_rule_type::list, {creator});
    REQUIRE(w.view().analysis_rule(cid, "Orders", "LIST", out) == lookup::found);
    auto r = parse(out);
    const auto& merged = r.at("consolidatedPolicy").at("v1").at("list").as_object();
    CHECK(strings(merged.at("allowedResultReceivers")) == names{creator});
    CHECK_FALSE(merged.contains("allowedAdditionalAnalyses"));
    CHECK(strings(merged.at("joinColumns")) == names{"email"});
    CHECK(strings(merged.at("listColumns")) == names{"id"});
  }
  SECTION("an association rule of another type adds nothing") {
    w.rule(aggregation(), t_rule);
    w.association_rule(analysis_rule_type::list, {creator});
    REQUIRE(w.view().analysis_rule(cid, "Orders", "AGGREGATION", out) == lookup::found);
    auto r = parse(out);
    CHECK_FALSE(r.contains("collaborationPolicy"));
    CHECK_FALSE(r.contains("consolidatedPolicy"));
    check_time(r.at("updateTime"), t_rule);
  }
}
