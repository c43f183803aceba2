// Value types of the Clean Rooms domain shared by commands, events, state and projections.
// Pure C++: no CAF, no RocksDB, no JSON. Ordered containers only, so that nothing reaching an
// event or a response depends on hash-map iteration order.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crs {

using account_id = std::string;  // exactly 12 digits
using time_ms = std::int64_t;    // epoch milliseconds; the API renders epoch seconds
using tag_map = std::map<std::string, std::string>;

enum class member_ability : std::uint8_t { can_query, can_receive_results, can_run_job };
enum class ml_ability : std::uint8_t { can_receive_model_output, can_receive_inference_output };
enum class log_status : std::uint8_t { enabled, disabled };
enum class analytics_engine : std::uint8_t { spark, clean_rooms_sql };
enum class member_status : std::uint8_t { invited, active, left, removed };
enum class membership_status : std::uint8_t { active, removed, collaboration_deleted };
enum class auto_approved_change_type : std::uint8_t {
  add_member,
  grant_receive_results_ability,
  revoke_receive_results_ability
};
enum class result_format : std::uint8_t { csv, parquet };

// The cost dimensions of section 19 of SPEC.md, in the order the API nests them.
enum class payment_dimension : std::uint8_t {
  query_compute,
  job_compute,
  model_training,
  model_inference,
  synthetic_data_generation
};
inline constexpr int payment_dimension_count = 5;

// A payment configuration as written by a client: each dimension absent, false or true.
// `machine_learning_sent` remembers an empty `machineLearning: {}` so it can be echoed.
struct payment_config {
  std::optional<bool> dims[payment_dimension_count];
  bool machine_learning_sent = false;

  std::optional<bool>& at(payment_dimension d) { return dims[static_cast<int>(d)]; }
  const std::optional<bool>& at(payment_dimension d) const { return dims[static_cast<int>(d)]; }
  friend bool operator==(const payment_config& a, const payment_config& b) {
    for (int i = 0; i < payment_dimension_count; ++i)
      if (a.dims[i] != b.dims[i]) return false;
    return a.machine_learning_sent == b.machine_learning_sent;
  }
};

struct data_encryption_metadata {
  bool allow_cleartext = false;
  bool allow_duplicates = false;
  bool allow_joins_on_columns_with_different_names = false;
  bool preserve_nulls = false;
  friend bool operator==(const data_encryption_metadata& a, const data_encryption_metadata& b) {
    return a.allow_cleartext == b.allow_cleartext && a.allow_duplicates == b.allow_duplicates &&
           a.allow_joins_on_columns_with_different_names ==
               b.allow_joins_on_columns_with_different_names &&
           a.preserve_nulls == b.preserve_nulls;
  }
};

// MembershipProtectedQueryResultConfiguration (its union has one member today: s3).
struct query_result_config {
  result_format format = result_format::csv;
  std::string bucket;
  std::optional<std::string> key_prefix;
  std::optional<bool> single_file_output;
  std::optional<std::string> role_arn;
  friend bool operator==(const query_result_config& a, const query_result_config& b) {
    return a.format == b.format && a.bucket == b.bucket && a.key_prefix == b.key_prefix &&
           a.single_file_output == b.single_file_output && a.role_arn == b.role_arn;
  }
};

// MembershipProtectedJobResultConfiguration (union member s3; roleArn required).
struct job_result_config {
  std::string bucket;
  std::optional<std::string> key_prefix;
  std::string role_arn;
  friend bool operator==(const job_result_config& a, const job_result_config& b) {
    return a.bucket == b.bucket && a.key_prefix == b.key_prefix && a.role_arn == b.role_arn;
  }
};

// A member as the creator specifies it (MemberSpecification), also used for the creator itself.
struct member_spec {
  account_id account;
  std::string display_name;
  std::vector<member_ability> abilities;
  std::optional<std::vector<ml_ability>> ml_abilities;
  std::optional<payment_config> payment;
  friend bool operator==(const member_spec& a, const member_spec& b) {
    return a.account == b.account && a.display_name == b.display_name &&
           a.abilities == b.abilities && a.ml_abilities == b.ml_abilities && a.payment == b.payment;
  }
};

// Wire names of the enums (the exact strings of the AWS model).
std::string_view to_string(member_ability v);
std::string_view to_string(ml_ability v);
std::string_view to_string(log_status v);
std::string_view to_string(analytics_engine v);
std::string_view to_string(member_status v);
std::string_view to_string(membership_status v);
std::string_view to_string(auto_approved_change_type v);
std::string_view to_string(result_format v);
std::string_view to_string(payment_dimension v);

// Parsers return nullopt for anything that is not exactly a model value.
std::optional<member_ability> parse_member_ability(std::string_view s);
std::optional<ml_ability> parse_ml_ability(std::string_view s);
std::optional<log_status> parse_log_status(std::string_view s);
std::optional<analytics_engine> parse_analytics_engine(std::string_view s);
std::optional<member_status> parse_member_status(std::string_view s);
std::optional<membership_status> parse_membership_status(std::string_view s);
std::optional<auto_approved_change_type> parse_auto_approved_change_type(std::string_view s);
std::optional<result_format> parse_result_format(std::string_view s);

// The 33 regions of SupportedS3Region.
bool is_supported_s3_region(std::string_view s);

}  // namespace crs
