// Value types of configured tables, their analysis rules and the association-level rules
// (SPEC.md sections 8-10, 17 and Appendix A). Pure C++ like events/values.hpp: ordered
// containers only, every optional member kept optional so a policy reads back exactly as the
// client wrote it (SPEC.md 9: "the stored policy is returned exactly as accepted").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "events/values.hpp"

namespace crs {

enum class analysis_method : std::uint8_t { direct_query, direct_job, multiple };
enum class selected_analysis_method : std::uint8_t { direct_query, direct_job };
// ConfiguredTableAnalysisRuleType and ConfiguredTableAssociationAnalysisRuleType. Its ordinal is
// the index of the policy variants below.
enum class analysis_rule_type : std::uint8_t { aggregation, list, custom };
inline constexpr int analysis_rule_type_count = 3;
enum class aggregate_function : std::uint8_t { sum, sum_distinct, count, count_distinct, avg };
enum class join_operator : std::uint8_t { or_op, and_op };  // model order: OR, AND
enum class additional_analyses : std::uint8_t { allowed, required, not_allowed };
// ScalarFunctions, in the model's order.
enum class scalar_function : std::uint8_t {
  abs,
  cast,
  ceiling,
  coalesce,
  convert,
  current_date,
  dateadd,
  extract,
  floor,
  getdate,
  ln,
  log,
  lower,
  round,
  rtrim,
  sqrt,
  substring,
  to_char,
  to_date,
  to_number,
  to_timestamp,
  trim,
  trunc,
  upper
};
inline constexpr int scalar_function_count = 24;

// ---- TableReference (a union: exactly one kind) ----

struct glue_table_reference {
  std::optional<std::string> region;
  std::string database_name;
  std::string table_name;
  friend bool operator==(const glue_table_reference& a, const glue_table_reference& b) {
    return a.region == b.region && a.database_name == b.database_name &&
           a.table_name == b.table_name;
  }
};

struct snowflake_column {
  std::string name;
  std::string type;
  friend bool operator==(const snowflake_column& a, const snowflake_column& b) {
    return a.name == b.name && a.type == b.type;
  }
};

struct snowflake_table_reference {
  std::string secret_arn;
  std::string account_identifier;
  std::string database_name;
  std::string table_name;
  std::string schema_name;
  std::vector<snowflake_column> table_schema;  // tableSchema.v1
  friend bool operator==(const snowflake_table_reference& a, const snowflake_table_reference& b) {
    return a.secret_arn == b.secret_arn && a.account_identifier == b.account_identifier &&
           a.database_name == b.database_name && a.table_name == b.table_name &&
           a.schema_name == b.schema_name && a.table_schema == b.table_schema;
  }
};

struct athena_table_reference {
  std::optional<std::string> region;
  std::string work_group;
  std::optional<std::string> output_location;
  std::string database_name;
  std::string table_name;
  std::optional<std::string> catalog_name;
  friend bool operator==(const athena_table_reference& a, const athena_table_reference& b) {
    return a.region == b.region && a.work_group == b.work_group &&
           a.output_location == b.output_location && a.database_name == b.database_name &&
           a.table_name == b.table_name && a.catalog_name == b.catalog_name;
  }
};

using table_reference =
    std::variant<glue_table_reference, snowflake_table_reference, athena_table_reference>;

// ---- ConfiguredTableAnalysisRulePolicy.v1 ----

struct aggregate_column {
  std::vector<std::string> column_names;
  aggregate_function function = aggregate_function::count;
  friend bool operator==(const aggregate_column& a, const aggregate_column& b) {
    return a.column_names == b.column_names && a.function == b.function;
  }
};

// AggregationConstraint; its `type` has one value today (COUNT_DISTINCT), so it is implied.
struct aggregation_constraint {
  std::string column_name;
  std::int32_t minimum = 2;
  friend bool operator==(const aggregation_constraint& a, const aggregation_constraint& b) {
    return a.column_name == b.column_name && a.minimum == b.minimum;
  }
};

struct aggregation_rule {
  std::vector<aggregate_column> aggregate_columns;
  std::vector<std::string> join_columns;
  bool join_required = false;  // joinRequired: QUERY_RUNNER (its only value) when true
  std::optional<std::vector<join_operator>> allowed_join_operators;
  std::vector<std::string> dimension_columns;
  std::vector<scalar_function> scalar_functions;
  std::vector<aggregation_constraint> output_constraints;
  std::optional<additional_analyses> additional;
  friend bool operator==(const aggregation_rule& a, const aggregation_rule& b) {
    return a.aggregate_columns == b.aggregate_columns && a.join_columns == b.join_columns &&
           a.join_required == b.join_required &&
           a.allowed_join_operators == b.allowed_join_operators &&
           a.dimension_columns == b.dimension_columns && a.scalar_functions == b.scalar_functions &&
           a.output_constraints == b.output_constraints && a.additional == b.additional;
  }
};

struct list_rule {
  std::vector<std::string> join_columns;
  std::optional<std::vector<join_operator>> allowed_join_operators;
  std::vector<std::string> list_columns;
  std::optional<additional_analyses> additional;
  friend bool operator==(const list_rule& a, const list_rule& b) {
    return a.join_columns == b.join_columns &&
           a.allowed_join_operators == b.allowed_join_operators &&
           a.list_columns == b.list_columns && a.additional == b.additional;
  }
};

struct custom_rule {
  std::vector<std::string> allowed_analyses;  // ANY_QUERY, ANY_JOB or analysis template ARNs
  std::optional<std::vector<std::string>> allowed_analysis_providers;
  std::optional<additional_analyses> additional;
  std::optional<std::vector<std::string>> disallowed_output_columns;
  // differentialPrivacy.columns[].name (the model allows exactly one); absent = no DP.
  std::optional<std::vector<std::string>> differential_privacy_columns;
  friend bool operator==(const custom_rule& a, const custom_rule& b) {
    return a.allowed_analyses == b.allowed_analyses &&
           a.allowed_analysis_providers == b.allowed_analysis_providers &&
           a.additional == b.additional &&
           a.disallowed_output_columns == b.disallowed_output_columns &&
           a.differential_privacy_columns == b.differential_privacy_columns;
  }
};

// Index == analysis_rule_type.
using analysis_rule_policy = std::variant<aggregation_rule, list_rule, custom_rule>;

inline analysis_rule_type type_of(const analysis_rule_policy& p) {
  return static_cast<analysis_rule_type>(p.index());
}

// ConfiguredTableAssociationAnalysisRule{Aggregation,List,Custom}: the same two members for
// every type, so one struct; the type travels beside it.
struct association_rule_policy {
  std::optional<std::vector<std::string>> allowed_result_receivers;
  std::optional<std::vector<std::string>> allowed_additional_analyses;
  friend bool operator==(const association_rule_policy& a, const association_rule_policy& b) {
    return a.allowed_result_receivers == b.allowed_result_receivers &&
           a.allowed_additional_analyses == b.allowed_additional_analyses;
  }
};

// Wire names (the exact strings of the AWS model).
std::string_view to_string(analysis_method v);
std::string_view to_string(selected_analysis_method v);
std::string_view to_string(analysis_rule_type v);
std::string_view to_string(aggregate_function v);
std::string_view to_string(join_operator v);
std::string_view to_string(additional_analyses v);
std::string_view to_string(scalar_function v);

std::optional<analysis_method> parse_analysis_method(std::string_view s);
std::optional<selected_analysis_method> parse_selected_analysis_method(std::string_view s);
std::optional<analysis_rule_type> parse_analysis_rule_type(std::string_view s);
std::optional<aggregate_function> parse_aggregate_function(std::string_view s);
std::optional<join_operator> parse_join_operator(std::string_view s);
std::optional<additional_analyses> parse_additional_analyses(std::string_view s);
std::optional<scalar_function> parse_scalar_function(std::string_view s);

// "glue" | "snowflake" | "athena": the TableReference union member.
std::string_view reference_kind(const table_reference& r);

}  // namespace crs
