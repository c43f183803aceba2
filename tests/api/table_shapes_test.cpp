// The configured-table shapes: parse (api/operations/table_shapes) then render
// (projections/table_json) gives back what the client sent, and every kind of field error
// carries its full member path.
#include <catch2/catch.hpp>

#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/operations/table_shapes.hpp"
#include "projections/table_json.hpp"

using namespace crs;
using namespace crs::api;
using crs::projections::json_writer;

namespace {

boost::json::object obj(const std::string& json) {
  return boost::json::parse(json).as_object();
}

// Names of the recorded errors, in order.
std::vector<std::string> names(const validator& v) {
  std::vector<std::string> out;
  for (const auto& e : v.errors()) out.push_back(e.name);
  return out;
}

std::string message_of(const validator& v, const std::string& name) {
  for (const auto& e : v.errors())
    if (e.name == name) return e.message;
  return "<no error at " + name + ">";
}

// Parses {"p": <policy>} and renders it back.
std::string policy_round_trip(const std::string& policy_json) {
  auto body = obj(R"({"p":)" + policy_json + "}");
  validator v;
  auto p = shapes::analysis_policy(v, body, "p", "p", true);
  for (const auto& e : v.errors()) UNSCOPED_INFO(e.name + ": " + e.message);
  REQUIRE(v.ok());
  REQUIRE(p);
  json_writer w;
  projections::write_policy(w, *p);
  return w.take();
}

std::string reference_round_trip(const std::string& ref_json) {
  auto body = obj(R"({"tableReference":)" + ref_json + "}");
  validator v;
  auto r = shapes::table_ref(v, body, "tableReference", "tableReference", true);
  for (const auto& e : v.errors()) UNSCOPED_INFO(e.name + ": " + e.message);
  REQUIRE(v.ok());
  REQUIRE(r);
  json_writer w;
  projections::write_table_reference(w, *r);
  return w.take();
}

bool same_json(std::string_view a, std::string_view b) {
  return boost::json::parse(a) == boost::json::parse(b);  // objects compare unordered
}

// Parse errors of {"analysisRulePolicy": <policy>}.
validator policy_errors(const std::string& policy_json) {
  auto body = obj(R"({"analysisRulePolicy":)" + policy_json + "}");
  validator v;
  CHECK_FALSE(shapes::analysis_policy(v, body, "analysisRulePolicy", "analysisRulePolicy", true));
  CHECK_FALSE(v.ok());
  return v;
}

validator reference_errors(const std::string& ref_json) {
  auto body = obj(R"({"tableReference":)" + ref_json + "}");
  validator v;
  CHECK_FALSE(shapes::table_ref(v, body, "tableReference", "tableReference", true));
  CHECK_FALSE(v.ok());
  return v;
}

const std::string aggregation_full = R"({"v1":{"aggregation":{
  "aggregateColumns":[{"columnNames":["spend","visits"],"function":"SUM"},
                      {"columnNames":["user_id"],"function":"COUNT_DISTINCT"}],
  "joinColumns":["hashed_email"],
  "joinRequired":"QUERY_RUNNER",
  "allowedJoinOperators":["OR","AND"],
  "dimensionColumns":["region","age band"],
  "scalarFunctions":["ABS","TO_TIMESTAMP","UPPER"],
  "outputConstraints":[{"columnName":"user_id","minimum":100,"type":"COUNT_DISTINCT"}],
  "additionalAnalyses":"NOT_ALLOWED"}}})";

const std::string aggregation_minimal = R"({"v1":{"aggregation":{
  "aggregateColumns":[{"columnNames":["spend"],"function":"AVG"}],
  "joinColumns":[],"dimensionColumns":[],"scalarFunctions":[],
  "outputConstraints":[{"columnName":"spend","minimum":2,"type":"COUNT_DISTINCT"}]}}})";

const std::string list_full = R"({"v1":{"list":{
  "joinColumns":["hashed_email","phone-e164"],"allowedJoinOperators":["AND"],
  "listColumns":["segment"],"additionalAnalyses":"ALLOWED"}}})";

const std::string list_minimal = R"({"v1":{"list":{"joinColumns":["id"],"listColumns":[]}}})";

const std::string custom_full = R"({"v1":{"custom":{
  "allowedAnalyses":["ANY_QUERY","ANY_JOB"],
  "allowedAnalysisProviders":["111122223333","444455556666"],
  "additionalAnalyses":"REQUIRED",
  "disallowedOutputColumns":["ssn"],
  "differentialPrivacy":{"columns":[{"name":"user_id"}]}}}})";

const std::string custom_templates = R"({"v1":{"custom":{"allowedAnalyses":[
  "arn:aws:cleanrooms:us-east-1:111122223333:membership/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/analysistemplate/5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"]}}})";

const std::string custom_minimal = R"({"v1":{"custom":{"allowedAnalyses":[]}}})";

}  // namespace

// ---- round trips ---------------------------------------------------------------------------

TEST_CASE("table shapes: every policy kind renders back as accepted") {
  for (const auto* json : {&aggregation_full, &aggregation_minimal, &list_full, &list_minimal,
                           &custom_full, &custom_templates, &custom_minimal}) {
    INFO(*json);
    CHECK(same_json(policy_round_trip(*json), *json));
  }
}

TEST_CASE("table shapes: required lists are written even when empty") {
  const auto out = policy_round_trip(aggregation_minimal);
  CHECK(out.find(R"("joinColumns":[])") != std::string::npos);
  CHECK(out.find(R"("dimensionColumns":[])") != std::string::npos);
  CHECK(out.find(R"("scalarFunctions":[])") != std::string::npos);
  CHECK(out.find("joinRequired") == std::string::npos);
  CHECK(out.find("additionalAnalyses") == std::string::npos);
  CHECK(policy_round_trip(list_minimal).find(R"("listColumns":[])") != std::string::npos);
  CHECK(policy_round_trip(custom_minimal) == R"({"v1":{"custom":{"allowedAnalyses":[]}}})");
}

TEST_CASE("table shapes: every table reference kind renders back as accepted") {
  const std::string refs[] = {
      R"({"glue":{"tableName":"Sales 2024-q1","databaseName":"sales_db-prod"}})",
      R"({"glue":{"region":"eu-west-1","tableName":"t","databaseName":"d"}})",
      R"({"athena":{"workGroup":"primary","databaseName":"db","tableName":"events_2024"}})",
      R"({"athena":{"region":"us-east-2","workGroup":"wg.team-a","outputLocation":"s3://my-bucket/athena/results/",
          "databaseName":"db-1","tableName":"t","catalogName":"AwsDataCatalog"}})",
      R"json({"snowflake":{"secretArn":"arn:aws:secretsmanager:us-east-1:111122223333:secret:sf-AbCdEf",
          "accountIdentifier":"xy12345.us-east-1","databaseName":"SALES","tableName":"Orders Ümlaut",
          "schemaName":"PUBLIC","tableSchema":{"v1":[{"columnName":"id","columnType":"NUMBER(38,0)"},
          {"columnName":"email","columnType":"VARCHAR"}]}}})json"};
  for (const auto& ref : refs) {
    INFO(ref);
    CHECK(same_json(reference_round_trip(ref), ref));
  }
}

TEST_CASE("table shapes: association policies and the consolidated policy") {
  const std::string policies[] = {
      R"({"v1":{"list":{}}})",
      R"({"v1":{"aggregation":{"allowedResultReceivers":["111122223333"]}}})",
      R"({"v1":{"custom":{"allowedResultReceivers":["111122223333","444455556666"],
          "allowedAdditionalAnalyses":[
          "arn:aws:cleanrooms:us-east-1:111122223333:membership/m-1/configuredaudiencemodelassociation/a-2",
          "arn:aws:cleanrooms-ml:us-east-1:*:membership/*/configured-model-algorithm-association/*"]}}})"};
  const analysis_rule_type types[] = {analysis_rule_type::list, analysis_rule_type::aggregation,
                                      analysis_rule_type::custom};
  for (int i = 0; i < 3; ++i) {
    INFO(policies[i]);
    auto body = obj(R"({"p":)" + policies[i] + "}");
    validator v;
    auto p = shapes::association_policy(v, body, "p", "p", true);
    for (const auto& e : v.errors()) UNSCOPED_INFO(e.name + ": " + e.message);
    REQUIRE(p);
    CHECK(p->first == types[i]);
    json_writer w;
    projections::write_association_policy(w, p->first, p->second);
    CHECK(same_json(w.str(), policies[i]));
  }

  // Consolidated: the table rule's members plus the association's, under one union member.
  auto body = obj(R"({"p":)" + custom_full + "}");
  validator v;
  auto table_rule = shapes::analysis_policy(v, body, "p", "p", true);
  REQUIRE(table_rule);
  association_rule_policy assoc;
  assoc.allowed_result_receivers = std::vector<std::string>{"111122223333"};
  json_writer w;
  projections::write_consolidated_policy(w, *table_rule, assoc);
  CHECK(same_json(w.str(), R"({"v1":{"custom":{
      "allowedAnalyses":["ANY_QUERY","ANY_JOB"],
      "allowedAnalysisProviders":["111122223333","444455556666"],
      "additionalAnalyses":"REQUIRED","disallowedOutputColumns":["ssn"],
      "differentialPrivacy":{"columns":[{"name":"user_id"}]},
      "allowedResultReceivers":["111122223333"]}}})"));
  json_writer w2;
  projections::write_consolidated_policy(w2, *table_rule, association_rule_policy{});
  CHECK(same_json(w2.str(), custom_full));
  CHECK(projections::union_member(analysis_rule_type::aggregation) == "aggregation");
}

TEST_CASE("table shapes: parsed values") {
  auto body = obj(R"({"p":)" + aggregation_full + "}");
  validator v;
  auto p = shapes::analysis_policy(v, body, "p", "p", true);
  REQUIRE(p);
  REQUIRE(type_of(*p) == analysis_rule_type::aggregation);
  const auto& a = std::get<aggregation_rule>(*p);
  CHECK(a.join_required);
  CHECK(a.output_constraints.at(0).minimum == 100);
  CHECK(a.dimension_columns.at(1) == "age band");
  REQUIRE(a.allowed_join_operators);
  CHECK(a.allowed_join_operators->at(0) == join_operator::or_op);
  CHECK(a.scalar_functions.at(1) == scalar_function::to_timestamp);

  // Absent and null optional policies are not errors.
  validator v2;
  auto empty = obj(R"({"q":null})");
  CHECK_FALSE(shapes::analysis_policy(v2, empty, "p", "p", false));
  CHECK_FALSE(shapes::analysis_policy(v2, empty, "q", "q", false));
  CHECK_FALSE(shapes::table_ref(v2, empty, "t", "t", false));
  CHECK(v2.ok());

  // column_list: min items and the per-item length bound.
  validator v3;
  auto cols = obj(R"({"c":["a","abcd"]})");
  CHECK(shapes::column_list(v3, cols, "c", "c", true, 1));
  CHECK_FALSE(shapes::column_list(v3, cols, "c", "c", true, 3));
  CHECK_FALSE(shapes::column_list(v3, cols, "c", "c", true, 0, 3));
  CHECK(names(v3) == std::vector<std::string>{"c", "c.1"});
}

// ---- field errors --------------------------------------------------------------------------

TEST_CASE("table shapes: missing required members") {
  auto v = policy_errors(R"({"v1":{"aggregation":{"aggregateColumns":[{"columnNames":["a"]}],
      "joinColumns":[],"dimensionColumns":[],"scalarFunctions":[]}}})");
  CHECK(names(v) ==
        std::vector<std::string>{"analysisRulePolicy.v1.aggregation.aggregateColumns.0.function",
                                 "analysisRulePolicy.v1.aggregation.outputConstraints"});
  CHECK(message_of(v, "analysisRulePolicy.v1.aggregation.outputConstraints") ==
        "Value null at 'analysisRulePolicy.v1.aggregation.outputConstraints' failed to satisfy "
        "constraint: Member must not be null");

  auto c = policy_errors(R"({"v1":{"custom":{"differentialPrivacy":{"columns":[{}]}}}})");
  CHECK(names(c) == std::vector<std::string>{
                        "analysisRulePolicy.v1.custom.allowedAnalyses",
                        "analysisRulePolicy.v1.custom.differentialPrivacy.columns.0.name"});

  auto s = reference_errors(
      R"({"snowflake":{"secretArn":"arn:aws:secretsmanager:us-east-1:111122223333:secret:x",
      "databaseName":"D","tableName":"T","schemaName":"S","tableSchema":{"v1":[{"columnName":"a"}]}}})");
  CHECK(names(s) ==
        std::vector<std::string>{"tableReference.snowflake.accountIdentifier",
                                 "tableReference.snowflake.tableSchema.v1.0.columnType"});

  auto a = reference_errors(R"({"athena":{"databaseName":"d"}})");
  CHECK(names(a) == std::vector<std::string>{"tableReference.athena.workGroup",
                                             "tableReference.athena.tableName"});

  validator absent;
  auto empty = obj("{}");
  CHECK_FALSE(shapes::table_ref(absent, empty, "tableReference", "tableReference", true));
  CHECK(names(absent) == std::vector<std::string>{"tableReference"});
}

TEST_CASE("table shapes: wrong JSON types") {
  auto v = policy_errors(R"({"v1":{"aggregation":{
      "aggregateColumns":["spend"],"joinColumns":"id","dimensionColumns":[7],
      "scalarFunctions":[],"joinRequired":true,
      "outputConstraints":[{"columnName":"id","minimum":"5","type":"COUNT_DISTINCT"}]}}})");
  const std::string p = "analysisRulePolicy.v1.aggregation.";
  CHECK(names(v) == std::vector<std::string>{p + "aggregateColumns.0", p + "joinColumns",
                                             p + "joinRequired", p + "dimensionColumns.0",
                                             p + "outputConstraints.0.minimum"});
  CHECK(message_of(v, p + "joinColumns") ==
        "Value '\"id\"' at '" + p +
            "joinColumns' failed to satisfy constraint: Member must be a list");
  CHECK(message_of(v, p + "aggregateColumns.0").find("Member must be a structure") !=
        std::string::npos);
  CHECK(message_of(v, p + "dimensionColumns.0").find("Member must be a string") !=
        std::string::npos);
  CHECK(message_of(v, p + "outputConstraints.0.minimum").find("Member must be an integer") !=
        std::string::npos);

  auto u = policy_errors(R"({"v1":{"list":"yes"}})");
  CHECK(names(u) == std::vector<std::string>{"analysisRulePolicy.v1.list"});
  auto r = reference_errors(R"({"glue":[]})");
  CHECK(names(r) == std::vector<std::string>{"tableReference.glue"});
  auto fractional = policy_errors(R"({"v1":{"aggregation":{
      "aggregateColumns":[{"columnNames":["a"],"function":"SUM"}],"joinColumns":[],
      "dimensionColumns":[],"scalarFunctions":[],
      "outputConstraints":[{"columnName":"a","minimum":2.5,"type":"COUNT_DISTINCT"}]}}})");
  CHECK(names(fractional) ==
        std::vector<std::string>{"analysisRulePolicy.v1.aggregation.outputConstraints.0.minimum"});
}

TEST_CASE("table shapes: patterns, lengths and enums") {
  auto v = policy_errors(R"({"v1":{"aggregation":{
      "aggregateColumns":[{"columnNames":["spend","Visits"],"function":"MEDIAN"}],
      "joinColumns":["a--b"],"dimensionColumns":[""],
      "scalarFunctions":["ABS","abs","NOW"],"allowedJoinOperators":["AND","OR","AND"],
      "outputConstraints":[{"columnName":"id","minimum":10,"type":"COUNT"}],
      "additionalAnalyses":"SOMETIMES"}}})");
  const std::string p = "analysisRulePolicy.v1.aggregation.";
  CHECK(names(v) == std::vector<std::string>{
                        p + "aggregateColumns.0.columnNames.1", p + "aggregateColumns.0.function",
                        p + "joinColumns.0", p + "allowedJoinOperators", p + "dimensionColumns.0",
                        p + "scalarFunctions.1", p + "scalarFunctions.2",
                        p + "outputConstraints.0.type", p + "additionalAnalyses"});
  CHECK(message_of(v, p + "aggregateColumns.0.columnNames.1") ==
        "Value 'Visits' at '" + p +
            "aggregateColumns.0.columnNames.1' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: [a-z0-9_](([a-z0-9_ ]+-)*([a-z0-9_ ]+))?");
  CHECK(message_of(v, p + "aggregateColumns.0.function") ==
        "Value 'MEDIAN' at '" + p +
            "aggregateColumns.0.function' failed to satisfy constraint: Member must satisfy enum "
            "value set: [SUM, SUM_DISTINCT, COUNT, COUNT_DISTINCT, AVG]");
  CHECK(message_of(v, p + "dimensionColumns.0").find("length greater than or equal to 1") !=
        std::string::npos);
  CHECK(message_of(v, p + "allowedJoinOperators").find("length less than or equal to 2") !=
        std::string::npos);

  auto c = policy_errors(R"({"v1":{"custom":{
      "allowedAnalyses":["ANY_QUERY","any_query","arn:aws:cleanrooms:us-east-1:111122223333:membership/m/analysistemplates/t"],
      "allowedAnalysisProviders":["11112222333"],"disallowedOutputColumns":["a b-"]}}})");
  const std::string cp = "analysisRulePolicy.v1.custom.";
  CHECK(names(c) == std::vector<std::string>{cp + "allowedAnalyses.1", cp + "allowedAnalyses.2",
                                             cp + "allowedAnalysisProviders.0",
                                             cp + "disallowedOutputColumns.0"});

  auto g = reference_errors(
      R"({"glue":{"region":"mars-north-1","tableName":"-t","databaseName":"d b"}})");
  CHECK(names(g) == std::vector<std::string>{"tableReference.glue.region",
                                             "tableReference.glue.tableName",
                                             "tableReference.glue.databaseName"});
  auto a = reference_errors(R"({"athena":{"workGroup":"w g","outputLocation":"https://b/x",
      "databaseName":"d","tableName":"t-1","catalogName":""}})");
  CHECK(names(a) == std::vector<std::string>{
                        "tableReference.athena.workGroup", "tableReference.athena.outputLocation",
                        "tableReference.athena.tableName", "tableReference.athena.catalogName"});
  auto s = reference_errors(R"({"snowflake":{"secretArn":"arn:aws:kms:us-east-1:111122223333:key/x",
      "accountIdentifier":"ab","databaseName":"D;","tableName":"T","schemaName":"S\u2028",
      "tableSchema":{"v1":[{"columnName":"ID","columnType":"a\nb"}]}}})");
  CHECK(names(s) ==
        std::vector<std::string>{
            "tableReference.snowflake.secretArn", "tableReference.snowflake.accountIdentifier",
            "tableReference.snowflake.databaseName", "tableReference.snowflake.schemaName",
            "tableReference.snowflake.tableSchema.v1.0.columnName",
            "tableReference.snowflake.tableSchema.v1.0.columnType"});

  auto body = obj(R"({"p":{"v1":{"custom":{"allowedResultReceivers":["x"],
      "allowedAdditionalAnalyses":["arn:aws:cleanrooms:us-east-1:111122223333:membership/m/analysistemplate/t"]}}}})");
  validator av;
  CHECK_FALSE(shapes::association_policy(av, body, "p", "p", true));
  CHECK(names(av) == std::vector<std::string>{"p.v1.custom.allowedResultReceivers.0",
                                              "p.v1.custom.allowedAdditionalAnalyses.0"});
}

TEST_CASE("table shapes: unions need exactly one member") {
  auto none = policy_errors(R"({"v1":{}})");
  CHECK(names(none) == std::vector<std::string>{"analysisRulePolicy.v1"});
  CHECK(message_of(none, "analysisRulePolicy.v1").find("ConfiguredTableAnalysisRulePolicyV1") !=
        std::string::npos);
  CHECK(message_of(none, "analysisRulePolicy.v1").find("none is set") != std::string::npos);

  auto two = policy_errors(R"({"v1":{"list":{"joinColumns":["a"],"listColumns":[]},
      "custom":{"allowedAnalyses":[]}}})");
  CHECK(names(two) == std::vector<std::string>{"analysisRulePolicy.v1"});
  CHECK(message_of(two, "analysisRulePolicy.v1").find("2 are set: list, custom") !=
        std::string::npos);

  // A null member counts as absent; unknown members are ignored.
  auto outer = policy_errors(R"({"v1":null,"v2":{}})");
  CHECK(names(outer) == std::vector<std::string>{"analysisRulePolicy"});
  CHECK(message_of(outer, "analysisRulePolicy").find("ConfiguredTableAnalysisRulePolicy ") !=
        std::string::npos);

  CHECK(names(reference_errors("{}")) == std::vector<std::string>{"tableReference"});
  auto both = reference_errors(R"({"glue":{"tableName":"t","databaseName":"d"},
      "athena":{"workGroup":"w","databaseName":"d","tableName":"t"}})");
  CHECK(names(both) == std::vector<std::string>{"tableReference"});
  CHECK(message_of(both, "tableReference").find("TableReference") != std::string::npos);

  auto schema = reference_errors(
      R"({"snowflake":{"secretArn":"arn:aws:secretsmanager:us-east-1:111122223333:secret:x",
      "accountIdentifier":"abc","databaseName":"D","tableName":"T","schemaName":"S","tableSchema":{}}})");
  CHECK(names(schema) == std::vector<std::string>{"tableReference.snowflake.tableSchema"});

  auto body = obj(R"({"p":{"v1":{"list":{},"aggregation":{}}}})");
  validator av;
  CHECK_FALSE(shapes::association_policy(av, body, "p", "p", true));
  CHECK(names(av) == std::vector<std::string>{"p.v1"});
}

TEST_CASE("table shapes: idMappingTable is refused on configured tables") {
  auto v =
      policy_errors(R"({"v1":{"idMappingTable":{"joinColumns":["a","b"],"queryConstraints":[]}}})");
  CHECK(names(v) == std::vector<std::string>{"analysisRulePolicy.v1.idMappingTable"});
  CHECK(message_of(v, "analysisRulePolicy.v1.idMappingTable")
            .find("one of list, aggregation, custom") != std::string::npos);
  auto with_list = policy_errors(
      R"({"v1":{"idMappingTable":{},"list":{"joinColumns":["a"],"listColumns":[]}}})");
  CHECK(names(with_list) == std::vector<std::string>{"analysisRulePolicy.v1.idMappingTable"});
}

TEST_CASE("table shapes: numeric ranges and list bounds") {
  auto with_minimum = [](const std::string& minimum) {
    return R"({"v1":{"aggregation":{"aggregateColumns":[{"columnNames":["a"],"function":"SUM"}],
        "joinColumns":[],"dimensionColumns":[],"scalarFunctions":[],
        "outputConstraints":[{"columnName":"a","minimum":)" +
           minimum + R"(,"type":"COUNT_DISTINCT"}]}}})";
  };
  const std::string mp = "analysisRulePolicy.v1.aggregation.outputConstraints.0.minimum";
  for (const char* bad : {"1", "100001", "-5", "0", "99999999999999999999", "1e300"}) {
    INFO(bad);
    auto v = policy_errors(with_minimum(bad));
    CHECK(names(v) == std::vector<std::string>{mp});
  }
  CHECK(message_of(policy_errors(with_minimum("1")), mp) ==
        "Value '1' at '" + mp +
            "' failed to satisfy constraint: Member must have value greater than or equal to 2");
  CHECK(message_of(policy_errors(with_minimum("100001")), mp) ==
        "Value '100001' at '" + mp +
            "' failed to satisfy constraint: Member must have value less than or equal to 100000");
  CHECK(same_json(policy_round_trip(with_minimum("100000")), with_minimum("100000")));
  CHECK(policy_round_trip(with_minimum("2.0")).find(R"("minimum":2,)") != std::string::npos);

  auto dp = policy_errors(
      R"({"v1":{"custom":{"allowedAnalyses":["ANY_QUERY"],"allowedAnalysisProviders":["111122223333"],
      "differentialPrivacy":{"columns":[{"name":"a"},{"name":"b"}]}}}})");
  CHECK(names(dp) ==
        std::vector<std::string>{"analysisRulePolicy.v1.custom.differentialPrivacy.columns"});
  CHECK(message_of(dp, "analysisRulePolicy.v1.custom.differentialPrivacy.columns")
            .find("length less than or equal to 1") != std::string::npos);
  auto dp0 = policy_errors(
      R"({"v1":{"custom":{"allowedAnalyses":[],"differentialPrivacy":{"columns":[]}}}})");
  CHECK(names(dp0) ==
        std::vector<std::string>{"analysisRulePolicy.v1.custom.differentialPrivacy.columns"});

  auto empty_lists = policy_errors(R"({"v1":{"aggregation":{"aggregateColumns":[],
      "joinColumns":[],"dimensionColumns":[],"scalarFunctions":[],"outputConstraints":[]}}})");
  CHECK(names(empty_lists) ==
        std::vector<std::string>{"analysisRulePolicy.v1.aggregation.aggregateColumns",
                                 "analysisRulePolicy.v1.aggregation.outputConstraints"});
  CHECK(names(policy_errors(R"({"v1":{"list":{"joinColumns":[],"listColumns":[]}}})")) ==
        std::vector<std::string>{"analysisRulePolicy.v1.list.joinColumns"});
  CHECK(
      names(policy_errors(
          R"({"v1":{"aggregation":{"aggregateColumns":[{"columnNames":[],"function":"SUM"}],
            "joinColumns":[],"dimensionColumns":[],"scalarFunctions":[],
            "outputConstraints":[{"columnName":"a","minimum":2,"type":"COUNT_DISTINCT"}]}}})")) ==
      std::vector<std::string>{"analysisRulePolicy.v1.aggregation.aggregateColumns.0.columnNames"});

  // Snowflake tableSchema.v1: 1..250 columns.
  auto snowflake = [](std::size_t columns) {
    std::string list;
    for (std::size_t i = 0; i < columns; ++i)
      list += (i ? "," : "") + std::string(R"({"columnName":"c)") + std::to_string(i) +
              R"(","columnType":"INT"})";
    return R"({"snowflake":{"secretArn":"arn:aws:secretsmanager:us-east-1:111122223333:secret:x",
        "accountIdentifier":"abc","databaseName":"D","tableName":"T","schemaName":"S",
        "tableSchema":{"v1":[)" +
           list + "]}}}";
  };
  CHECK(same_json(reference_round_trip(snowflake(250)), snowflake(250)));
  CHECK(names(reference_errors(snowflake(251))) ==
        std::vector<std::string>{"tableReference.snowflake.tableSchema.v1"});
  CHECK(names(reference_errors(snowflake(0))) ==
        std::vector<std::string>{"tableReference.snowflake.tableSchema.v1"});

  // allowedAdditionalAnalyses: 0..25 items.
  std::string arns;
  for (int i = 0; i < 26; ++i)
    arns += (i ? "," : "") +
            std::string(R"("arn:aws:cleanrooms:us-east-1:*:membership/m/)"
                        R"(configuredaudiencemodelassociation/a)") +
            std::to_string(i) + "\"";
  auto body = obj(R"({"p":{"v1":{"list":{"allowedAdditionalAnalyses":[)" + arns + "]}}}}");
  validator av;
  CHECK_FALSE(shapes::association_policy(av, body, "p", "p", true));
  CHECK(names(av) == std::vector<std::string>{"p.v1.list.allowedAdditionalAnalyses"});
}

// ---- hostile input -------------------------------------------------------------------------

TEST_CASE("table shapes: hostile input stays bounded") {
  // Deep nesting where the shapes expect strings and structures: one error each, no recursion.
  std::string deep = "1";
  for (int i = 0; i < 50; ++i) deep = "[" + deep + "]";
  std::string message;
  auto body = parse_body(R"({"analysisRulePolicy":{"v1":{"custom":{"allowedAnalyses":)" + deep +
                             R"(,"differentialPrivacy":{"columns":[)" + deep + "]}}}}}",
                         message);
  REQUIRE(body);
  validator v;
  CHECK_FALSE(shapes::analysis_policy(v, *body, "analysisRulePolicy", "analysisRulePolicy", true));
  CHECK(names(v) ==
        std::vector<std::string>{"analysisRulePolicy.v1.custom.allowedAnalyses.0",
                                 "analysisRulePolicy.v1.custom.differentialPrivacy.columns.0"});

  // Beyond the body parser's depth cap, the request never reaches the shapes.
  const std::string deeper = std::string(100000, '[') + "1" + std::string(100000, ']');
  CHECK_FALSE(parse_body(R"({"tableReference":)" + deeper + "}", message));

  // ~1 MiB of valid columns: accepted and rendered back.
  std::string columns;
  const std::size_t n = 200000;
  for (std::size_t i = 0; i < n; ++i) columns += i ? ",\"a\"" : "\"a\"";
  const std::string big =
      R"({"v1":{"list":{"joinColumns":[)" + columns + R"(],"listColumns":[]}}})";
  CHECK(big.size() < 1024 * 1024);
  CHECK(same_json(policy_round_trip(big), big));

  // ~1 MiB of invalid items: the errors per list are capped, not one per item.
  std::string bad_items;
  for (std::size_t i = 0; i < 100000; ++i) bad_items += i ? ",1" : "1";
  const std::string hostile = R"({"v1":{"aggregation":{"aggregateColumns":[)" + bad_items +
                              R"(],"joinColumns":[)" + bad_items + R"(],"dimensionColumns":[],
      "scalarFunctions":[)" + bad_items +
                              R"(],"outputConstraints":[)" + bad_items + "]}}}";
  auto hv = policy_errors(hostile);
  CHECK(hostile.size() < 1024 * 1024);
  CHECK(hv.errors().size() <= 4 * 26);
  CHECK(message_of(hv, "analysisRulePolicy.v1.aggregation.joinColumns")
            .find("too many invalid items") != std::string::npos);

  // Long and odd strings in every string member: rejected by length or pattern, echoed bounded.
  const std::string long_value(100000, 'x');
  auto r =
      reference_errors(R"({"snowflake":{"secretArn":")" + long_value +
                       R"(","accountIdentifier":")" + long_value + R"(","databaseName":"\u0000",
      "tableName":"\ud83d\ude00","schemaName":")" +
                       long_value + R"(","tableSchema":{"v1":[{"columnName":")" + long_value +
                       R"(","columnType":")" + long_value + R"("}]}}})");
  for (const auto& e : r.errors()) CHECK(e.message.size() < 400);
  CHECK(r.errors().size() == 7);
}
