// Value types of analysis templates and collaboration change requests (SPEC.md 13, 14 and
// Appendix A). Pure C++ like events/values.hpp; optionals stay optional so a template reads back
// exactly as it was accepted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "events/values.hpp"

namespace crs {

enum class analysis_format : std::uint8_t { sql, pyspark_1_0 };
// ParameterType, in the model's order.
enum class parameter_type : std::uint8_t {
  smallint,
  integer,
  bigint,
  decimal,
  real,
  double_precision,
  boolean,
  char_type,
  varchar,
  date,
  timestamp,
  timestamptz,
  time,
  timetz,
  varbyte,
  binary,
  byte,
  character,
  double_type,
  float_type,
  int_type,
  long_type,
  numeric,
  short_type,
  string,
  timestamp_ltz,
  timestamp_ntz,
  tinyint
};
inline constexpr int parameter_type_count = 28;

struct analysis_parameter {
  std::string name;
  parameter_type type = parameter_type::varchar;
  std::optional<std::string> default_value;
  friend bool operator==(const analysis_parameter& a, const analysis_parameter& b) {
    return a.name == b.name && a.type == b.type && a.default_value == b.default_value;
  }
};

struct s3_location {
  std::string bucket;
  std::string key;
  friend bool operator==(const s3_location& a, const s3_location& b) {
    return a.bucket == b.bucket && a.key == b.key;
  }
};

// AnalysisSource.artifacts (PYSPARK_1_0).
struct template_artifacts {
  s3_location entry_point;
  std::optional<std::vector<s3_location>> additional_artifacts;
  std::string role_arn;
  friend bool operator==(const template_artifacts& a, const template_artifacts& b) {
    return a.entry_point == b.entry_point && a.additional_artifacts == b.additional_artifacts &&
           a.role_arn == b.role_arn;
  }
};

// AnalysisSource: exactly one of `text` (SQL) or `artifacts` (PySpark).
using analysis_source = std::variant<std::string, template_artifacts>;

enum class change_type : std::uint8_t {
  add_member,
  grant_receive_results_ability,
  revoke_receive_results_ability,
  edit_auto_approved_change_types
};
enum class change_request_status : std::uint8_t { pending, approved, cancelled, denied, committed };
enum class approval_status : std::uint8_t { approved, denied, pending };  // model order
enum class change_request_action : std::uint8_t { approve, deny, cancel, commit };

// MemberChangeSpecification.
struct member_change {
  account_id account;
  std::vector<member_ability> abilities;
  std::optional<std::string> display_name;
  friend bool operator==(const member_change& a, const member_change& b) {
    return a.account == b.account && a.abilities == b.abilities && a.display_name == b.display_name;
  }
};

// CollaborationChangeSpecification.
struct collaboration_change {
  std::optional<std::vector<auto_approved_change_type>> auto_approved;
  friend bool operator==(const collaboration_change& a, const collaboration_change& b) {
    return a.auto_approved == b.auto_approved;
  }
};

// One change of a request: its specification (MEMBER -> member_change, COLLABORATION ->
// collaboration_change) and the change types computed when the request was created.
struct change {
  std::variant<member_change, collaboration_change> spec;
  std::vector<change_type> types;
  friend bool operator==(const change& a, const change& b) {
    return a.spec == b.spec && a.types == b.types;
  }
};

std::string_view to_string(analysis_format v);
std::string_view to_string(parameter_type v);
std::string_view to_string(change_type v);
std::string_view to_string(change_request_status v);
std::string_view to_string(approval_status v);
std::string_view to_string(change_request_action v);

std::optional<analysis_format> parse_analysis_format(std::string_view s);
std::optional<parameter_type> parse_parameter_type(std::string_view s);
std::optional<change_type> parse_change_type(std::string_view s);
std::optional<change_request_status> parse_change_request_status(std::string_view s);
std::optional<approval_status> parse_approval_status(std::string_view s);
std::optional<change_request_action> parse_change_request_action(std::string_view s);

}  // namespace crs
