// AWS-shaped errors: status code, x-amzn-ErrorType header, JSON body with `message` plus the
// exception's own members (SPEC.md 2.4).
#pragma once

#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "api/http.hpp"

namespace crs::api {

struct field_error {
  std::string name;     // member path as the client named it, e.g. "members.1.accountId"
  std::string message;  // why
};

struct aws_error {
  unsigned status = 400;
  std::string type;  // exception shape name, e.g. "ValidationException"
  std::string message;
  boost::json::object fields;  // extra members (reason, fieldList, resourceId, ...)
};

aws_error validation_error(const std::vector<field_error>& fields,
                           std::string reason = "FIELD_VALIDATION_FAILED");
aws_error validation_error(std::string message, std::string reason);  // no fieldList
aws_error access_denied(std::string message);  // reason INSUFFICIENT_PERMISSIONS
aws_error not_found(std::string message, std::string resource_id, std::string resource_type);
aws_error conflict(std::string message, std::string resource_id, std::string resource_type,
                   std::string reason);
aws_error quota_exceeded(std::string message, std::string quota_name, double quota_value);
aws_error internal_error(std::string message);
aws_error unknown_operation(std::string message);  // 404 UnknownOperationException
aws_error payload_too_large(std::string message);  // 413 (protocol level)

// The full HTTP response, with Content-Type, x-amzn-ErrorType and x-amzn-RequestId headers.
http_response render(const aws_error& error, const std::string& request_id);
// A 200/204 JSON response with x-amzn-RequestId (an empty body for 204).
http_response render_json(unsigned status, std::string body, const std::string& request_id);

}  // namespace crs::api
