#include "projections/table_json.hpp"

#include <string>
#include <variant>

namespace crs::projections {
namespace {

void strings(json_writer& w, std::string_view key, const std::vector<std::string>& items) {
  w.key(key).begin_array();
  for (const auto& s : items) w.string(s);
  w.end_array();
}

void optional_strings(json_writer& w, std::string_view key,
                      const std::optional<std::vector<std::string>>& items) {
  if (items) strings(w, key, *items);
}

template <class E>
void enums(json_writer& w, std::string_view key, const std::vector<E>& items) {
  w.key(key).begin_array();
  for (auto e : items) w.string(to_string(e));
  w.end_array();
}

void optional_string(json_writer& w, std::string_view key, const std::optional<std::string>& v) {
  if (v) w.key(key).string(*v);
}

void additional(json_writer& w, const std::optional<additional_analyses>& a) {
  if (a) w.key("additionalAnalyses").string(to_string(*a));
}

void join_operators(json_writer& w, const std::optional<std::vector<join_operator>>& ops) {
  if (ops) enums(w, "allowedJoinOperators", *ops);
}

// The members of AnalysisRuleAggregation / List / Custom, in the model's order, into an object
// the caller has opened (so ConsolidatedPolicy can append the association's members).
void members(json_writer& w, const aggregation_rule& r) {
  w.key("aggregateColumns").begin_array();
  for (const auto& c : r.aggregate_columns) {
    w.begin_object();
    strings(w, "columnNames", c.column_names);
    w.key("function").string(to_string(c.function));
    w.end_object();
  }
  w.end_array();
  strings(w, "joinColumns", r.join_columns);
  if (r.join_required) w.key("joinRequired").string("QUERY_RUNNER");
  join_operators(w, r.allowed_join_operators);
  strings(w, "dimensionColumns", r.dimension_columns);
  enums(w, "scalarFunctions", r.scalar_functions);
  w.key("outputConstraints").begin_array();
  for (const auto& c : r.output_constraints) {
    w.begin_object();
    w.key("columnName").string(c.column_name);
    w.key("minimum").raw(std::to_string(c.minimum));
    w.key("type").string("COUNT_DISTINCT");  // AggregationType's only value
    w.end_object();
  }
  w.end_array();
  additional(w, r.additional);
}

void members(json_writer& w, const list_rule& r) {
  strings(w, "joinColumns", r.join_columns);
  join_operators(w, r.allowed_join_operators);
  strings(w, "listColumns", r.list_columns);
  additional(w, r.additional);
}

void members(json_writer& w, const custom_rule& r) {
  strings(w, "allowedAnalyses", r.allowed_analyses);
  optional_strings(w, "allowedAnalysisProviders", r.allowed_analysis_providers);
  additional(w, r.additional);
  optional_strings(w, "disallowedOutputColumns", r.disallowed_output_columns);
  if (r.differential_privacy_columns) {
    w.key("differentialPrivacy").begin_object().key("columns").begin_array();
    for (const auto& name : *r.differential_privacy_columns)
      w.begin_object().key("name").string(name).end_object();
    w.end_array().end_object();
  }
}

void policy_members(json_writer& w, const analysis_rule_policy& p) {
  std::visit([&](const auto& rule) { members(w, rule); }, p);
}

void association_members(json_writer& w, const association_rule_policy& p) {
  optional_strings(w, "allowedResultReceivers", p.allowed_result_receivers);
  optional_strings(w, "allowedAdditionalAnalyses", p.allowed_additional_analyses);
}

void reference(json_writer& w, const glue_table_reference& r) {
  optional_string(w, "region", r.region);
  w.key("tableName").string(r.table_name);
  w.key("databaseName").string(r.database_name);
}

void reference(json_writer& w, const snowflake_table_reference& r) {
  w.key("secretArn").string(r.secret_arn);
  w.key("accountIdentifier").string(r.account_identifier);
  w.key("databaseName").string(r.database_name);
  w.key("tableName").string(r.table_name);
  w.key("schemaName").string(r.schema_name);
  w.key("tableSchema").begin_object().key("v1").begin_array();
  for (const auto& c : r.table_schema) {
    w.begin_object();
    w.key("columnName").string(c.name);
    w.key("columnType").string(c.type);
    w.end_object();
  }
  w.end_array().end_object();
}

void reference(json_writer& w, const athena_table_reference& r) {
  optional_string(w, "region", r.region);
  w.key("workGroup").string(r.work_group);
  optional_string(w, "outputLocation", r.output_location);
  w.key("databaseName").string(r.database_name);
  w.key("tableName").string(r.table_name);
  optional_string(w, "catalogName", r.catalog_name);
}

}  // namespace

void write_table_reference(json_writer& w, const table_reference& r) {
  w.begin_object().key(reference_kind(r)).begin_object();
  std::visit([&](const auto& ref) { reference(w, ref); }, r);
  w.end_object().end_object();
}

void write_policy_body(json_writer& w, const analysis_rule_policy& p) {
  w.begin_object();
  policy_members(w, p);
  w.end_object();
}

void write_policy(json_writer& w, const analysis_rule_policy& p) {
  w.begin_object().key("v1").begin_object().key(union_member(type_of(p)));
  write_policy_body(w, p);
  w.end_object().end_object();
}

void write_association_policy_body(json_writer& w, const association_rule_policy& p) {
  w.begin_object();
  association_members(w, p);
  w.end_object();
}

void write_association_policy(json_writer& w, analysis_rule_type t,
                              const association_rule_policy& p) {
  w.begin_object().key("v1").begin_object().key(union_member(t));
  write_association_policy_body(w, p);
  w.end_object().end_object();
}

void write_consolidated_policy(json_writer& w, const analysis_rule_policy& table_rule,
                               const association_rule_policy& association_rule) {
  w.begin_object().key("v1").begin_object().key(union_member(type_of(table_rule)));
  w.begin_object();
  policy_members(w, table_rule);
  association_members(w, association_rule);
  w.end_object();
  w.end_object().end_object();
}

std::string_view union_member(analysis_rule_type t) {
  static constexpr std::string_view names[] = {"aggregation", "list", "custom"};
  return names[static_cast<int>(t)];
}

}  // namespace crs::projections
