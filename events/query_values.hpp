// Value types of protected queries (SPEC.md 12, 16.3). Pure C++ like events/values.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "events/values.hpp"

namespace crs {

// ProtectedQueryStatus, in the model's order.
enum class query_status : std::uint8_t {
  submitted,
  started,
  cancelled,
  cancelling,
  failed,
  success,
  timed_out
};
inline constexpr int query_status_count = 7;

// SUCCESS, FAILED, CANCELLED and TIMED_OUT never change again (SPEC.md 16.3).
constexpr bool is_terminal(query_status s) {
  return s == query_status::success || s == query_status::failed || s == query_status::cancelled ||
         s == query_status::timed_out;
}

// ProtectedQuerySQLParameters: exactly one of query_string / analysis_template_arn (the decider
// checks); `parameters` only with a template.
struct query_sql_parameters {
  std::optional<std::string> query_string;
  std::optional<std::string> analysis_template_arn;
  std::optional<std::map<std::string, std::string>> parameters;
  friend bool operator==(const query_sql_parameters& a, const query_sql_parameters& b) {
    return a.query_string == b.query_string && a.analysis_template_arn == b.analysis_template_arn &&
           a.parameters == b.parameters;
  }
};

// ProtectedQueryS3OutputConfiguration.
struct query_s3_output {
  result_format format = result_format::csv;
  std::string bucket;
  std::optional<std::string> key_prefix;
  std::optional<bool> single_file_output;
  friend bool operator==(const query_s3_output& a, const query_s3_output& b) {
    return a.format == b.format && a.bucket == b.bucket && a.key_prefix == b.key_prefix &&
           a.single_file_output == b.single_file_output;
  }
};

// ProtectedQueryMemberOutputConfiguration.
struct query_member_output {
  account_id account;
  friend bool operator==(const query_member_output& a, const query_member_output& b) {
    return a.account == b.account;
  }
};

using query_location = std::variant<query_s3_output, query_member_output>;

// ProtectedQueryOutputConfiguration: s3 | member | distribute {locations}. Without
// `distribute` there is exactly one location.
struct query_output {
  bool distribute = false;
  std::vector<query_location> locations;
  friend bool operator==(const query_output& a, const query_output& b) {
    return a.distribute == b.distribute && a.locations == b.locations;
  }
};

// ComputeConfiguration.worker: type CR.1X | CR.4X, number 2..400.
struct query_compute {
  std::string worker_type;
  std::int32_t number = 0;
  friend bool operator==(const query_compute& a, const query_compute& b) {
    return a.worker_type == b.worker_type && a.number == b.number;
  }
};

std::string_view to_string(query_status v);
std::optional<query_status> parse_query_status(std::string_view s);

}  // namespace crs
