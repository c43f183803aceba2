#include "events/values.hpp"

#include <algorithm>
#include <array>

#include "events/enum_names.hpp"

namespace crs {
namespace {

constexpr std::array<std::string_view, 3> member_ability_names{"CAN_QUERY", "CAN_RECEIVE_RESULTS",
                                                               "CAN_RUN_JOB"};
constexpr std::array<std::string_view, 2> ml_ability_names{"CAN_RECEIVE_MODEL_OUTPUT",
                                                           "CAN_RECEIVE_INFERENCE_OUTPUT"};
constexpr std::array<std::string_view, 2> log_status_names{"ENABLED", "DISABLED"};
constexpr std::array<std::string_view, 2> engine_names{"SPARK", "CLEAN_ROOMS_SQL"};
constexpr std::array<std::string_view, 4> member_status_names{"INVITED", "ACTIVE", "LEFT",
                                                              "REMOVED"};
constexpr std::array<std::string_view, 3> membership_status_names{"ACTIVE", "REMOVED",
                                                                  "COLLABORATION_DELETED"};
constexpr std::array<std::string_view, 3> auto_approved_names{
    "ADD_MEMBER", "GRANT_RECEIVE_RESULTS_ABILITY", "REVOKE_RECEIVE_RESULTS_ABILITY"};
constexpr std::array<std::string_view, 2> result_format_names{"CSV", "PARQUET"};
constexpr std::array<std::string_view, 5> dimension_names{
    "queryCompute", "jobCompute", "modelTraining", "modelInference", "syntheticDataGeneration"};
constexpr std::array<std::string_view, 33> s3_regions{
    "us-west-1",      "us-west-2",      "us-east-1",      "us-east-2",      "af-south-1",
    "ap-east-1",      "ap-east-2",      "ap-south-2",     "ap-southeast-1", "ap-southeast-2",
    "ap-southeast-3", "ap-southeast-5", "ap-southeast-4", "ap-southeast-7", "ap-south-1",
    "ap-northeast-3", "ap-northeast-1", "ap-northeast-2", "ca-central-1",   "ca-west-1",
    "eu-south-1",     "eu-west-3",      "eu-south-2",     "eu-central-2",   "eu-central-1",
    "eu-north-1",     "eu-west-1",      "eu-west-2",      "me-south-1",     "me-central-1",
    "il-central-1",   "sa-east-1",      "mx-central-1"};

}  // namespace

std::string_view to_string(member_ability v) {
  return member_ability_names[static_cast<int>(v)];
}
std::string_view to_string(ml_ability v) {
  return ml_ability_names[static_cast<int>(v)];
}
std::string_view to_string(log_status v) {
  return log_status_names[static_cast<int>(v)];
}
std::string_view to_string(analytics_engine v) {
  return engine_names[static_cast<int>(v)];
}
std::string_view to_string(member_status v) {
  return member_status_names[static_cast<int>(v)];
}
std::string_view to_string(membership_status v) {
  return membership_status_names[static_cast<int>(v)];
}
std::string_view to_string(auto_approved_change_type v) {
  return auto_approved_names[static_cast<int>(v)];
}
std::string_view to_string(result_format v) {
  return result_format_names[static_cast<int>(v)];
}
std::string_view to_string(payment_dimension v) {
  return dimension_names[static_cast<int>(v)];
}

std::optional<member_ability> parse_member_ability(std::string_view s) {
  return parse_in<member_ability>(member_ability_names, s);
}
std::optional<ml_ability> parse_ml_ability(std::string_view s) {
  return parse_in<ml_ability>(ml_ability_names, s);
}
std::optional<log_status> parse_log_status(std::string_view s) {
  return parse_in<log_status>(log_status_names, s);
}
std::optional<analytics_engine> parse_analytics_engine(std::string_view s) {
  return parse_in<analytics_engine>(engine_names, s);
}
std::optional<member_status> parse_member_status(std::string_view s) {
  return parse_in<member_status>(member_status_names, s);
}
std::optional<membership_status> parse_membership_status(std::string_view s) {
  return parse_in<membership_status>(membership_status_names, s);
}
std::optional<auto_approved_change_type> parse_auto_approved_change_type(std::string_view s) {
  return parse_in<auto_approved_change_type>(auto_approved_names, s);
}
std::optional<result_format> parse_result_format(std::string_view s) {
  return parse_in<result_format>(result_format_names, s);
}
bool is_supported_s3_region(std::string_view s) {
  return std::find(s3_regions.begin(), s3_regions.end(), s) != s3_regions.end();
}

}  // namespace crs
