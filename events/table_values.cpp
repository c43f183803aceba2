#include "events/table_values.hpp"

#include <array>

#include "events/enum_names.hpp"

namespace crs {
namespace {

constexpr std::array<std::string_view, 3> method_names{"DIRECT_QUERY", "DIRECT_JOB", "MULTIPLE"};
constexpr std::array<std::string_view, 2> selected_names{"DIRECT_QUERY", "DIRECT_JOB"};
constexpr std::array<std::string_view, 3> rule_type_names{"AGGREGATION", "LIST", "CUSTOM"};
constexpr std::array<std::string_view, 5> function_names{"SUM", "SUM_DISTINCT", "COUNT",
                                                         "COUNT_DISTINCT", "AVG"};
constexpr std::array<std::string_view, 2> join_operator_names{"OR", "AND"};
constexpr std::array<std::string_view, 3> additional_names{"ALLOWED", "REQUIRED", "NOT_ALLOWED"};
constexpr std::array<std::string_view, scalar_function_count> scalar_names{
    "ABS",     "CAST",      "CEILING",      "COALESCE", "CONVERT",   "CURRENT_DATE",
    "DATEADD", "EXTRACT",   "FLOOR",        "GETDATE",  "LN",        "LOG",
    "LOWER",   "ROUND",     "RTRIM",        "SQRT",     "SUBSTRING", "TO_CHAR",
    "TO_DATE", "TO_NUMBER", "TO_TIMESTAMP", "TRIM",     "TRUNC",     "UPPER"};

}  // namespace

std::string_view to_string(analysis_method v) {
  return method_names[static_cast<int>(v)];
}
std::string_view to_string(selected_analysis_method v) {
  return selected_names[static_cast<int>(v)];
}
std::string_view to_string(analysis_rule_type v) {
  return rule_type_names[static_cast<int>(v)];
}
std::string_view to_string(aggregate_function v) {
  return function_names[static_cast<int>(v)];
}
std::string_view to_string(join_operator v) {
  return join_operator_names[static_cast<int>(v)];
}
std::string_view to_string(additional_analyses v) {
  return additional_names[static_cast<int>(v)];
}
std::string_view to_string(scalar_function v) {
  return scalar_names[static_cast<int>(v)];
}

std::optional<analysis_method> parse_analysis_method(std::string_view s) {
  return parse_in<analysis_method>(method_names, s);
}
std::optional<selected_analysis_method> parse_selected_analysis_method(std::string_view s) {
  return parse_in<selected_analysis_method>(selected_names, s);
}
std::optional<analysis_rule_type> parse_analysis_rule_type(std::string_view s) {
  return parse_in<analysis_rule_type>(rule_type_names, s);
}
std::optional<aggregate_function> parse_aggregate_function(std::string_view s) {
  return parse_in<aggregate_function>(function_names, s);
}
std::optional<join_operator> parse_join_operator(std::string_view s) {
  return parse_in<join_operator>(join_operator_names, s);
}
std::optional<additional_analyses> parse_additional_analyses(std::string_view s) {
  return parse_in<additional_analyses>(additional_names, s);
}
std::optional<scalar_function> parse_scalar_function(std::string_view s) {
  return parse_in<scalar_function>(scalar_names, s);
}

std::string_view reference_kind(const table_reference& r) {
  static constexpr std::array<std::string_view, 3> kinds{"glue", "snowflake", "athena"};
  return kinds[r.index()];
}

}  // namespace crs
