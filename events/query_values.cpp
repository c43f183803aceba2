#include "events/query_values.hpp"

#include <array>

#include "events/enum_names.hpp"

namespace crs {
namespace {

constexpr std::array<std::string_view, query_status_count> status_names{
    "SUBMITTED", "STARTED", "CANCELLED", "CANCELLING", "FAILED", "SUCCESS", "TIMED_OUT"};

}  // namespace

std::string_view to_string(query_status v) {
  return status_names[static_cast<int>(v)];
}
std::optional<query_status> parse_query_status(std::string_view s) {
  return parse_in<query_status>(status_names, s);
}

}  // namespace crs
