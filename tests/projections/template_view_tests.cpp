// Analysis templates as read (SPEC.md 13, 17.4): the template rows of a collaboration, the
// shapes they hold, and `validations` computed on read against the schemas' current rules —
// first the pure heuristics, then through a real store where a rule change shows at once.
#include <cmath>
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
#include "projections/template_rows.hpp"
#include "projections/template_view.hpp"

using namespace crs;
using namespace crs::testing;
namespace keys = crs::projections::keys;
namespace json = boost::json;
using projections::dp_status;
using projections::referenced_table;
using facts = projections::schema_view::rule_facts;

namespace {

const std::string role_arn = "arn:aws:iam::333333333333:role/cleanrooms-read";
const std::string job_role = "arn:aws:iam::222222222222:role/cleanrooms-jobs";
const std::string dp_sql = "SELECT region, COUNT(DISTINCT id) FROM orders GROUP BY region";

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

// Appendix A, from the model.
const std::set<std::string> template_required{
    "id",   "arn",        "collaborationId", "collaborationArn", "membershipId", "membershipArn",
    "name", "createTime", "updateTime",      "schema",           "format",       "source"};
const std::set<std::string> collaboration_template_required{
    "id",   "arn",        "collaborationId", "collaborationArn", "creatorAccountId",
    "name", "createTime", "updateTime",      "schema",           "format"};
const std::set<std::string> template_optional{"description",
                                              "sourceMetadata",
                                              "analysisParameters",
                                              "validations",
                                              "errorMessageConfiguration",
                                              "syntheticDataParameters"};
const std::set<std::string> summary_required{"arn",          "createTime",       "id",
                                             "name",         "updateTime",       "membershipArn",
                                             "membershipId", "collaborationArn", "collaborationId"};
const std::set<std::string> collaboration_summary_required{"arn",
                                                           "createTime",
                                                           "id",
                                                           "name",
                                                           "updateTime",
                                                           "collaborationArn",
                                                           "collaborationId",
                                                           "creatorAccountId"};
const std::set<std::string> summary_optional{"description", "isSyntheticData"};

facts dp(std::string column) {
  facts f;
  f.type = "CUSTOM";
  f.differential_privacy = true;
  f.identifier_column = std::move(column);
  return f;
}

facts plain(std::string type) {
  facts f;
  f.type = std::move(type);
  return f;
}

std::vector<referenced_table> one_dp_table() {
  return {{"orders", dp("id")}};
}

projections::dp_validation validate(std::string_view text,
                                    const std::vector<referenced_table>& tables = one_dp_table()) {
  auto v = projections::validate_differential_privacy(text, tables);
  REQUIRE(v);
  return *v;
}

// One reason, whose message contains `fragment`.
void check_invalid(std::string_view text, const std::string& fragment) {
  INFO(text);
  auto v = validate(text);
  CHECK(v.status == dp_status::invalid);
  REQUIRE(v.reasons.size() == 1);
  CHECK_THAT(v.reasons[0], Catch::Contains(fragment));
}

custom_rule dp_rule(std::string column) {
  custom_rule r;
  r.allowed_analyses = {"ANY_QUERY"};
  r.allowed_analysis_providers = std::vector<std::string>{querier};
  r.differential_privacy_columns = std::vector<std::string>{std::move(column)};
  return r;
}

// A collaboration everyone joined; the provider's configured table is associated as "orders";
// the querier publishes templates. A real store holds both streams' rows.
struct world {
  test::temp_dir tmp;
  std::unique_ptr<events::event_store> store;
  catalog::local_catalog catalog{tmp.sub("catalog")};
  scenario s;
  configured_table::state table;
  std::vector<configured_table::state> more_tables;
  std::string querier_mid, provider_mid;

  world() {
    store = test::open_store(tmp.sub("store"));
    REQUIRE(store);
    auto cctx = s.as(creator);
    cctx.fresh_id = cid;
    REQUIRE(s.when(standard_create(), cctx).ok());
    REQUIRE(s.when(join_cmd(), creator).ok());
    auto q = s.as(querier);
    REQUIRE(s.when(join_cmd(), q).ok());
    querier_mid = q.fresh_id;
    auto p = s.as(provider);
    REQUIRE(s.when(join_cmd(), p).ok());
    provider_mid = p.fresh_id;
    events::configured_table_created t;
    t.configured_table_id = "c0ffee00-0000-4000-8000-00000000beef";
    t.region = "us-east-1";
    t.owner = provider;
    t.name = "orders table";
    t.reference = glue_table_reference{std::nullopt, "sales", "orders"};
    t.allowed_columns = {"id", "region", "amount"};
    table.id = t.configured_table_id;
    configured_table::apply(table, t, 1'600'000'000'000);
    REQUIRE(s.when(
                 collaboration::create_association{
                     provider_mid, table.id, "orders", std::nullopt, role_arn, {}},
                 provider)
                .ok());
    sync();
  }

  void sync() {
    auto all = projections::rows(s.state);
    for (auto& kv : projections::rows(table)) all.insert(kv);
    for (const auto& t : more_tables)
      for (auto& kv : projections::rows(t)) all.insert(kv);
    REQUIRE(store->replace_views(all).ok());
  }
  // Another configured table of the provider with a DP rule on `column`, associated as `name`.
  void associate_dp_table(const std::string& id, const std::string& name,
                          const std::string& column) {
    configured_table::state t;
    t.id = id;
    events::configured_table_created c;
    c.configured_table_id = id;
    c.region = "us-east-1";
    c.owner = provider;
    c.name = name + " table";
    c.reference = glue_table_reference{std::nullopt, "sales", name};
    c.allowed_columns = {column, "amount"};
    configured_table::apply(t, c, 1'600'000'000'000);
    configured_table::apply(t, events::analysis_rule_created{dp_rule(column)}, 1'600'000'001'000);
    more_tables.push_back(std::move(t));
    cmd(collaboration::create_association{provider_mid, id, name, std::nullopt, role_arn, {}},
        provider);
  }
  void rule(const events::event_payload& e) {
    configured_table::apply(table, e, table.update_time + 1000);
    sync();
  }
  void cmd(const collaboration::command& c, const std::string& who) {
    REQUIRE(s.when(c, who).ok());
    sync();
  }
  // Publishes a SQL template as the querier; returns its id.
  std::string publish(const std::string& name, const std::string& text,
                      std::optional<std::vector<std::string>> tables = std::nullopt) {
    collaboration::create_analysis_template c;
    c.membership_id = querier_mid;
    c.name = name;
    c.source = text;
    c.referenced_tables = std::move(tables);
    auto ctx = s.as(querier);
    REQUIRE(s.when(c, ctx).ok());
    sync();
    return ctx.fresh_id;
  }
  std::optional<std::string> row(const std::string& key) const { return store->get_view(key); }
  // GetAnalysisTemplate as served: the row plus validations.
  json::object read(const std::string& tid) const {
    auto r = row(keys::analysis_template(querier_mid, tid));
    REQUIRE(r);
    projections::schema_view schemas(*store, catalog);
    return parse(projections::template_view(schemas).with_validations(*r));
  }
  json::object read_collaboration(const std::string& tid) const {
    auto r = row(keys::collaboration_template(cid, tid));
    REQUIRE(r);
    projections::schema_view schemas(*store, catalog);
    return parse(projections::template_view(schemas).with_validations(*r));
  }
};

// The single validation entry, checked for shape; its status.
std::string status_of(const json::object& t) {
  const auto& list = t.at("validations").as_array();
  REQUIRE(list.size() == 1);
  const auto& v = list[0].as_object();
  check_shape(v, {"type", "status"}, {"reasons"});
  CHECK(S(v.at("type")) == "DIFFERENTIAL_PRIVACY");
  if (v.contains("reasons"))
    for (const auto& r : v.at("reasons").as_array()) check_shape(r.as_object(), {"message"}, {});
  return S(v.at("status"));
}

}  // namespace

// ---- the heuristics (pure) ---------------------------------------------------------------------

TEST_CASE("DP validation is omitted when no referenced table has a differential privacy rule") {
  CHECK_FALSE(projections::validate_differential_privacy(dp_sql, {}));
  CHECK_FALSE(projections::validate_differential_privacy(
      dp_sql, {{"orders", plain("CUSTOM")}, {"users", plain("AGGREGATION")}}));
  SECTION("even when another referenced table is unknown or has no rule") {
    CHECK_FALSE(projections::validate_differential_privacy(
        dp_sql, {{"orders", plain("LIST")}, {"missing", std::nullopt}, {"bare", facts{}}}));
  }
}

TEST_CASE("DP validation: VALID for an aggregating query on DP tables sharing an identifier") {
  auto v = validate(dp_sql);
  CHECK(v.status == dp_status::valid);
  CHECK(v.reasons.empty());
  SECTION("two DP tables with the same identifier column, and a plain one") {
    auto w = validate("SELECT COUNT(*) FROM orders JOIN users ON orders.id = users.id",
                      {{"orders", dp("id")}, {"users", dp("id")}, {"regions", plain("LIST")}});
    CHECK(w.status == dp_status::valid);
  }
  SECTION("aggregates anywhere in the outermost SELECT list count, in any case") {
    CHECK(validate("select round(avg(amount), 2) from orders").status == dp_status::valid);
    CHECK(validate("SELECT STDDEV(amount) FROM orders").status == dp_status::valid);
    CHECK(validate("SELECT SUM(amount) FROM orders").status == dp_status::valid);
  }
  SECTION("a common table expression may be plain; the outermost SELECT aggregates") {
    CHECK(validate("WITH x AS (SELECT id, amount FROM orders) SELECT COUNT(id) FROM x").status ==
          dp_status::valid);
  }
  SECTION("COUNT(*) and products are no SELECT *") {
    CHECK(validate("SELECT COUNT(*), SUM(a * b) FROM orders").status == dp_status::valid);
  }
}

TEST_CASE("DP validation: UNABLE_TO_VALIDATE when a referenced table is unknown or has no rule") {
  SECTION("not a schema of the collaboration") {
    auto v = validate(dp_sql, {{"orders", dp("id")}, {"later", std::nullopt}});
    CHECK(v.status == dp_status::unable_to_validate);
    REQUIRE(v.reasons.size() == 1);
    CHECK_THAT(v.reasons[0], Catch::Contains("later"));
  }
  SECTION("a schema without an analysis rule") {
    auto v = validate(dp_sql, {{"bare", facts{}}, {"orders", dp("id")}});
    CHECK(v.status == dp_status::unable_to_validate);
    REQUIRE(v.reasons.size() == 1);
    CHECK_THAT(v.reasons[0], Catch::Contains("bare"));
  }
  SECTION("it wins over INVALID: the structure is not judged") {
    auto v = validate("SELECT * FROM orders", {{"orders", dp("id")}, {"later", std::nullopt}});
    CHECK(v.status == dp_status::unable_to_validate);
    CHECK(v.reasons.size() == 1);
  }
}

TEST_CASE("DP validation: INVALID, one reason per violation (SPEC.md 17.4)") {
  SECTION("(a) the outermost SELECT has no aggregate") {
    check_invalid("SELECT id, region FROM orders", "aggregate");
    check_invalid("SELECT x FROM (SELECT COUNT(*) AS x FROM orders) sub", "aggregate");
    check_invalid("SELECT COUNT(*) FROM orders UNION ALL SELECT id FROM orders", "aggregate");
    check_invalid("WITH x AS (SELECT COUNT(*) AS n FROM orders) SELECT n FROM x", "aggregate");
    check_invalid("-- nothing to select", "aggregate");
  }
  SECTION("(b) SELECT *") {
    check_invalid("SELECT COUNT(*) FROM (SELECT * FROM orders) sub", "SELECT *");
    check_invalid("SELECT o.*, COUNT(*) FROM orders o GROUP BY o.id", "SELECT *");
    check_invalid("SELECT DISTINCT *, COUNT(1) FROM orders", "SELECT *");
  }
  SECTION("(c) a window function") {
    check_invalid("SELECT COUNT(*) OVER (PARTITION BY region) FROM orders", "OVER");
    check_invalid("SELECT SUM(amount) over(order by id) FROM orders", "OVER");
  }
  SECTION("(d) text over 8 KB") {
    const std::string padded = dp_sql + " -- " + std::string(8 * 1024, 'x');
    check_invalid(padded, "8 KB");
    CHECK(validate(std::string(dp_sql + " --").append(8 * 1024 - dp_sql.size() - 3, 'x')).status ==
          dp_status::valid);
  }
  SECTION("(e) DP tables name different identifier columns") {
    auto v = validate("SELECT COUNT(*) FROM orders JOIN users ON orders.id = users.user_id",
                      {{"orders", dp("id")}, {"users", dp("user_id")}});
    CHECK(v.status == dp_status::invalid);
    REQUIRE(v.reasons.size() == 1);
    CHECK_THAT(v.reasons[0], Catch::Contains("orders uses id"));
    CHECK_THAT(v.reasons[0], Catch::Contains("users uses user_id"));
  }
  SECTION("several violations, several reasons") {
    auto v = validate("SELECT *, ROW_NUMBER() OVER (ORDER BY id) FROM orders");
    CHECK(v.status == dp_status::invalid);
    CHECK(v.reasons.size() == 3);
  }
  SECTION("literals and comments are not read as SQL") {
    CHECK(validate("SELECT COUNT(*) FROM orders WHERE note <> 'SELECT * OVER (' /* OVER ( */")
              .status == dp_status::valid);
  }
}

TEST_CASE("validations_json renders the AnalysisTemplateValidationStatusDetail list") {
  projections::dp_validation ok;
  CHECK(projections::validations_json(ok) ==
        R"([{"type":"DIFFERENTIAL_PRIVACY","status":"VALID"}])");
  projections::dp_validation bad{dp_status::invalid, {"a", "b"}};
  CHECK(projections::validations_json(bad) ==
        R"([{"type":"DIFFERENTIAL_PRIVACY","status":"INVALID","reasons":[{"message":"a"},)"
        R"({"message":"b"}]}])");
  projections::dp_validation unable{dp_status::unable_to_validate, {"x"}};
  CHECK(parse(R"({"v":)" + projections::validations_json(unable) + "}")
            .at("v")
            .as_array()[0]
            .as_object()
            .at("status") == "UNABLE_TO_VALIDATE");
}

TEST_CASE("sha256_hex: FIPS 180-4 test vectors") {
  CHECK(projections::sha256_hex("") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(projections::sha256_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(projections::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(projections::sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// ---- rows and shapes ---------------------------------------------------------------------------

TEST_CASE("template rows: the owner's rows always, the collaboration's while ACTIVE") {
  world w;
  const auto tid = w.publish("counts", dp_sql);
  const auto& rec = w.s.state.templates.at(tid);
  CHECK(w.row(keys::analysis_template(w.querier_mid, tid)));
  CHECK(w.row(keys::membership_template(w.querier_mid, rec.create_time, tid)));
  CHECK(w.row(keys::collaboration_template(cid, tid)));
  CHECK(w.row(keys::collaboration_template_listing(cid, rec.create_time, tid)));

  SECTION("a removed member's templates leave the collaboration's view, not the owner's") {
    w.cmd(collaboration::delete_member{querier}, creator);
    CHECK(w.row(keys::analysis_template(w.querier_mid, tid)));
    CHECK(w.row(keys::membership_template(w.querier_mid, rec.create_time, tid)));
    CHECK_FALSE(w.row(keys::collaboration_template(cid, tid)));
    CHECK_FALSE(w.row(keys::collaboration_template_listing(cid, rec.create_time, tid)));
  }
  SECTION("a deleted collaboration lists none") {
    w.cmd(collaboration::delete_collaboration{}, creator);
    CHECK(w.row(keys::analysis_template(w.querier_mid, tid)));
    CHECK_FALSE(w.row(keys::collaboration_template(cid, tid)));
  }
  SECTION("a deleted template leaves no row") {
    const auto created = rec.create_time;
    w.cmd(collaboration::delete_analysis_template{w.querier_mid, tid}, querier);
    CHECK_FALSE(w.row(keys::analysis_template(w.querier_mid, tid)));
    CHECK_FALSE(w.row(keys::membership_template(w.querier_mid, created, tid)));
    CHECK_FALSE(w.row(keys::collaboration_template(cid, tid)));
    CHECK_FALSE(w.row(keys::collaboration_template_listing(cid, created, tid)));
  }
}

TEST_CASE("template rows: the four shapes of Appendix A") {
  world w;
  collaboration::create_analysis_template c;
  c.membership_id = w.querier_mid;
  c.name = "by region";
  c.description = "counts per region";
  c.source = std::string("SELECT COUNT(*) FROM orders WHERE region = :r");
  c.parameters = std::vector<analysis_parameter>{{"r", parameter_type::varchar, "eu"}};
  auto ctx = w.s.as(querier);
  REQUIRE(w.s.when(c, ctx).ok());
  w.sync();
  const auto tid = ctx.fresh_id;
  const auto& rec = w.s.state.templates.at(tid);
  const std::string arn = "arn:aws:cleanrooms:us-east-1:" + querier + ":membership/" +
                          w.querier_mid + "/analysistemplate/" + tid;

  auto t = parse(*w.row(keys::analysis_template(w.querier_mid, tid)));
  check_shape(t, template_required, template_optional);
  CHECK(S(t.at("id")) == tid);
  CHECK(S(t.at("arn")) == arn);
  CHECK(S(t.at("collaborationId")) == cid);
  CHECK(S(t.at("collaborationArn")) ==
        "arn:aws:cleanrooms:us-east-1:" + creator + ":collaboration/" + cid);
  CHECK(S(t.at("membershipId")) == w.querier_mid);
  CHECK(S(t.at("membershipArn")) ==
        "arn:aws:cleanrooms:us-east-1:" + querier + ":membership/" + w.querier_mid);
  CHECK(S(t.at("name")) == "by region");
  CHECK(S(t.at("description")) == "counts per region");
  CHECK(S(t.at("format")) == "SQL");
  CHECK(json::serialize(t.at("schema")) == R"({"referencedTables":["orders"]})");
  CHECK(json::serialize(t.at("source")) ==
        R"({"text":"SELECT COUNT(*) FROM orders WHERE region = :r"})");
  CHECK(json::serialize(t.at("analysisParameters")) ==
        R"([{"name":"r","type":"VARCHAR","defaultValue":"eu"}])");
  CHECK_FALSE(t.contains("validations"));  // computed on read, never stored
  CHECK(t.at("createTime").is_double());
  CHECK(std::abs(t.at("createTime").as_double() - rec.create_time / 1000.0) < 1e-6);

  auto ct = parse(*w.row(keys::collaboration_template(cid, tid)));
  auto collaboration_optional = template_optional;
  collaboration_optional.insert("source");  // optional in this shape; always sent [decision]
  check_shape(ct, collaboration_template_required, collaboration_optional);
  CHECK(ct.contains("source"));
  CHECK(S(ct.at("creatorAccountId")) == querier);
  CHECK(S(ct.at("arn")) == arn);
  CHECK(json::serialize(ct.at("source")) == json::serialize(t.at("source")));
  // the head the API's ARN lookup relies on (api/operations/templates.cpp)
  CHECK(w.row(keys::collaboration_template(cid, tid))
            ->rfind("{\"id\":\"" + tid + "\",\"arn\":\"" + arn + "\",", 0) == 0);

  auto sum = parse(*w.row(keys::membership_template(w.querier_mid, rec.create_time, tid)));
  check_shape(sum, summary_required, summary_optional);
  CHECK(S(sum.at("description")) == "counts per region");
  auto csum = parse(*w.row(keys::collaboration_template_listing(cid, rec.create_time, tid)));
  check_shape(csum, collaboration_summary_required, summary_optional);
  CHECK(S(csum.at("creatorAccountId")) == querier);

  SECTION("the Create/Update body wraps the same template") {
    CHECK(projections::template_response(w.s.state, c, ctx) ==
          "{\"analysisTemplate\":" + *w.row(keys::analysis_template(w.querier_mid, tid)) + "}");
    CHECK(projections::template_response(
              w.s.state, collaboration::delete_analysis_template{w.querier_mid, tid}, ctx) == "");
  }
}

TEST_CASE("template rows: a PySpark template with artifact hashes") {
  world w;
  collaboration::create_analysis_template c;
  c.membership_id = w.querier_mid;
  c.name = "job";
  c.format = analysis_format::pyspark_1_0;
  template_artifacts a;
  a.entry_point = {"jobs-bucket", "scripts/main.py"};
  a.additional_artifacts = std::vector<s3_location>{{"jobs-bucket", "lib/util.zip"}};
  a.role_arn = job_role;
  c.source = a;
  c.detailed_errors = true;
  auto ctx = w.s.as(querier);
  REQUIRE(w.s.when(c, ctx).ok());
  w.sync();
  auto t = w.read(ctx.fresh_id);
  check_shape(t, template_required, template_optional);
  CHECK(S(t.at("format")) == "PYSPARK_1_0");
  CHECK(
      json::serialize(t.at("source")) ==
      R"({"artifacts":{"entryPoint":{"location":{"bucket":"jobs-bucket","key":"scripts/main.py"}},)"
      R"("additionalArtifacts":[{"location":{"bucket":"jobs-bucket","key":"lib/util.zip"}}],)"
      R"("roleArn":")" +
          job_role + R"("}})");
  const auto& meta = t.at("sourceMetadata").at("artifacts").as_object();
  CHECK(S(meta.at("entryPointHash").at("sha256")) ==
        projections::sha256_hex("s3://jobs-bucket/scripts/main.py"));
  CHECK(S(meta.at("additionalArtifactHashes").as_array().at(0).at("sha256")) ==
        projections::sha256_hex("s3://jobs-bucket/lib/util.zip"));
  CHECK(json::serialize(t.at("errorMessageConfiguration")) == R"({"type":"DETAILED"})");
  CHECK(json::serialize(t.at("schema")) == R"({"referencedTables":[]})");
  CHECK_FALSE(t.contains("analysisParameters"));
  CHECK_FALSE(t.contains("validations"));  // PySpark is never DP-validated
}

// ---- validations on read, through the store ------------------------------------------------

TEST_CASE("schema_view::facts reads a schema's rule type and DP identifier column") {
  world w;
  projections::schema_view schemas(*w.store, w.catalog);
  CHECK_FALSE(schemas.facts(cid, "nothing"));
  auto none = schemas.facts(cid, "ORDERS");  // schema names ignore case
  REQUIRE(none);
  CHECK_FALSE(none->type);
  w.rule(events::analysis_rule_created{dp_rule("id")});
  auto f = schemas.facts(cid, "orders");
  REQUIRE(f);
  CHECK(f->type == std::optional<std::string>("CUSTOM"));
  CHECK(f->differential_privacy);
  CHECK(f->identifier_column == "id");
}

TEST_CASE("validations are re-evaluated on every read as the table's rule changes") {
  world w;
  const auto tid = w.publish("counts", dp_sql);
  const auto star = w.publish("star", "SELECT * FROM orders");

  SECTION("without a rule there is no DP table: validations omitted") {
    CHECK_FALSE(w.read(tid).contains("validations"));
    CHECK_FALSE(w.read_collaboration(tid).contains("validations"));
  }
  SECTION("a CUSTOM rule without DP: omitted") {
    auto r = dp_rule("id");
    r.differential_privacy_columns.reset();
    w.rule(events::analysis_rule_created{r});
    CHECK_FALSE(w.read(tid).contains("validations"));
  }
  SECTION("a CUSTOM rule with DP: VALID, and INVALID for SELECT *") {
    w.rule(events::analysis_rule_created{dp_rule("id")});
    auto t = w.read(tid);
    check_shape(t, template_required, template_optional);
    CHECK(status_of(t) == "VALID");
    CHECK(status_of(w.read_collaboration(tid)) == "VALID");
    auto s = w.read(star);
    CHECK(status_of(s) == "INVALID");
    CHECK(s.at("validations").as_array()[0].as_object().at("reasons").as_array().size() == 2);

    SECTION("the rule loses DP: the validations go") {
      auto r = dp_rule("id");
      r.differential_privacy_columns.reset();
      w.rule(events::analysis_rule_updated{r});
      CHECK_FALSE(w.read(tid).contains("validations"));
    }
    SECTION("the rule is deleted: nothing left to validate against") {
      w.rule(events::analysis_rule_deleted{analysis_rule_type::custom});
      CHECK_FALSE(w.read(tid).contains("validations"));
    }
  }
  SECTION("a DP table next to one not associated yet: UNABLE_TO_VALIDATE until it is") {
    w.rule(events::analysis_rule_created{dp_rule("id")});
    const auto both =
        w.publish("both", "SELECT COUNT(*) FROM orders JOIN later ON orders.id = later.id");
    CHECK(status_of(w.read(both)) == "UNABLE_TO_VALIDATE");
    SECTION("associated with the same identifier column: VALID") {
      w.associate_dp_table("c0ffee00-0000-4000-8000-00000000feed", "later", "id");
      CHECK(status_of(w.read(both)) == "VALID");
    }
    SECTION("associated with another identifier column: INVALID (e)") {
      w.associate_dp_table("c0ffee00-0000-4000-8000-00000000feed", "later", "user_id");
      auto t = w.read(both);
      CHECK(status_of(t) == "INVALID");
      CHECK_THAT(S(t.at("validations").as_array()[0].at("reasons").as_array()[0].at("message")),
                 Catch::Contains("user_id"));
    }
  }
  SECTION("the association leaves: the template's table is no schema any more") {
    w.rule(events::analysis_rule_created{dp_rule("id")});
    const auto ctaid = w.s.state.associations.begin()->first;
    w.cmd(collaboration::delete_association{w.provider_mid, ctaid}, provider);
    CHECK_FALSE(w.read(tid).contains("validations"));  // no known table has DP now
  }
  SECTION("a row that is not a template comes back unchanged") {
    projections::schema_view schemas(*w.store, w.catalog);
    projections::template_view view(schemas);
    CHECK(view.with_validations("not json") == "not json");
    CHECK(view.with_validations(R"({"format":"SQL"})") == R"({"format":"SQL"})");
  }
}
