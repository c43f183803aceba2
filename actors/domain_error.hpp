// What a decider answers instead of events: the modeled AWS exception, chosen in the domain
// (SPEC.md 3.3 decides 403 versus 404) and rendered by api/.
#pragma once

#include <string>

namespace crs {

enum class error_kind { validation, access_denied, not_found, conflict, quota_exceeded, internal };

struct domain_error {
  error_kind kind = error_kind::internal;
  std::string message;
  std::string reason;         // ValidationException / ConflictException reason
  std::string resource_id;    // not found / conflict
  std::string resource_type;  // COLLABORATION | MEMBERSHIP | CONFIGURED_TABLE | ...
  std::string quota_name;
  double quota_value = 0;
};

inline domain_error invalid_configuration(std::string message) {
  return {error_kind::validation, std::move(message), "INVALID_CONFIGURATION", {}, {}, {}, 0};
}
inline domain_error access_denied(std::string message) {
  return {error_kind::access_denied, std::move(message), "INSUFFICIENT_PERMISSIONS", {}, {}, {}, 0};
}
inline domain_error not_found(std::string message, std::string id, std::string type) {
  return {error_kind::not_found, std::move(message), {}, std::move(id), std::move(type), {}, 0};
}
inline domain_error conflict(std::string message, std::string id, std::string type,
                             std::string reason) {
  return {error_kind::conflict,
          std::move(message),
          std::move(reason),
          std::move(id),
          std::move(type),
          {},
          0};
}
inline domain_error quota_exceeded(std::string name, double value) {
  return {
      error_kind::quota_exceeded, "Quota exceeded: " + name, {}, {}, {}, std::move(name), value};
}
inline domain_error internal_error(std::string message) {
  return {error_kind::internal, std::move(message), {}, {}, {}, {}, 0};
}

}  // namespace crs
