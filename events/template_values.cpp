#include "events/template_values.hpp"

#include <array>

#include "events/enum_names.hpp"

namespace crs {
namespace {

constexpr std::array<std::string_view, 2> format_names{"SQL", "PYSPARK_1_0"};
constexpr std::array<std::string_view, parameter_type_count> parameter_names{
    "SMALLINT", "INTEGER",       "BIGINT",        "DECIMAL", "REAL",      "DOUBLE_PRECISION",
    "BOOLEAN",  "CHAR",          "VARCHAR",       "DATE",    "TIMESTAMP", "TIMESTAMPTZ",
    "TIME",     "TIMETZ",        "VARBYTE",       "BINARY",  "BYTE",      "CHARACTER",
    "DOUBLE",   "FLOAT",         "INT",           "LONG",    "NUMERIC",   "SHORT",
    "STRING",   "TIMESTAMP_LTZ", "TIMESTAMP_NTZ", "TINYINT"};
constexpr std::array<std::string_view, 4> change_type_names{
    "ADD_MEMBER", "GRANT_RECEIVE_RESULTS_ABILITY", "REVOKE_RECEIVE_RESULTS_ABILITY",
    "EDIT_AUTO_APPROVED_CHANGE_TYPES"};
constexpr std::array<std::string_view, 5> request_status_names{"PENDING", "APPROVED", "CANCELLED",
                                                               "DENIED", "COMMITTED"};
constexpr std::array<std::string_view, 3> approval_names{"APPROVED", "DENIED", "PENDING"};
constexpr std::array<std::string_view, 4> action_names{"APPROVE", "DENY", "CANCEL", "COMMIT"};

}  // namespace

std::string_view to_string(analysis_format v) {
  return format_names[static_cast<int>(v)];
}
std::string_view to_string(parameter_type v) {
  return parameter_names[static_cast<int>(v)];
}
std::string_view to_string(change_type v) {
  return change_type_names[static_cast<int>(v)];
}
std::string_view to_string(change_request_status v) {
  return request_status_names[static_cast<int>(v)];
}
std::string_view to_string(approval_status v) {
  return approval_names[static_cast<int>(v)];
}
std::string_view to_string(change_request_action v) {
  return action_names[static_cast<int>(v)];
}

std::optional<analysis_format> parse_analysis_format(std::string_view s) {
  return parse_in<analysis_format>(format_names, s);
}
std::optional<parameter_type> parse_parameter_type(std::string_view s) {
  return parse_in<parameter_type>(parameter_names, s);
}
std::optional<change_type> parse_change_type(std::string_view s) {
  return parse_in<change_type>(change_type_names, s);
}
std::optional<change_request_status> parse_change_request_status(std::string_view s) {
  return parse_in<change_request_status>(request_status_names, s);
}
std::optional<approval_status> parse_approval_status(std::string_view s) {
  return parse_in<approval_status>(approval_names, s);
}
std::optional<change_request_action> parse_change_request_action(std::string_view s) {
  return parse_in<change_request_action>(action_names, s);
}

}  // namespace crs
