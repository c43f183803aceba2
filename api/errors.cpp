#include "api/errors.hpp"

#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace crs::api {

namespace {

aws_error make(unsigned status, const char* type, std::string message) {
  aws_error e;
  e.status = status;
  e.type = type;
  e.message = std::move(message);
  return e;
}

}  // namespace

aws_error validation_error(const std::vector<field_error>& fields, std::string reason) {
  // AWS-style summary: "N validation error(s) detected: <m1>; <m2>". The per-field messages
  // already carry the "Value ... at '<path>' failed to satisfy constraint: ..." text.
  std::string message;
  if (fields.empty()) {
    message = "Request failed validation";
  } else {
    message =
        std::to_string(fields.size()) +
        (fields.size() == 1 ? " validation error detected: " : " validation errors detected: ");
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i) message += "; ";
      message += fields[i].message;
    }
  }
  aws_error e = make(400, "ValidationException", std::move(message));
  e.fields["reason"] = std::move(reason);
  if (!fields.empty()) {
    boost::json::array list;
    list.reserve(fields.size());
    for (const auto& f : fields) {
      boost::json::object item;
      item["name"] = f.name;
      item["message"] = f.message;
      list.emplace_back(std::move(item));
    }
    e.fields["fieldList"] = std::move(list);
  }
  return e;
}

aws_error validation_error(std::string message, std::string reason) {
  aws_error e = make(400, "ValidationException", std::move(message));
  e.fields["reason"] = std::move(reason);
  return e;
}

aws_error access_denied(std::string message) {
  aws_error e = make(403, "AccessDeniedException", std::move(message));
  e.fields["reason"] = "INSUFFICIENT_PERMISSIONS";
  return e;
}

aws_error not_found(std::string message, std::string resource_id, std::string resource_type) {
  aws_error e = make(404, "ResourceNotFoundException", std::move(message));
  e.fields["resourceId"] = std::move(resource_id);
  e.fields["resourceType"] = std::move(resource_type);
  return e;
}

aws_error conflict(std::string message, std::string resource_id, std::string resource_type,
                   std::string reason) {
  aws_error e = make(409, "ConflictException", std::move(message));
  // All three are optional members of the model: omit the empty ones rather than send "".
  if (!resource_id.empty()) e.fields["resourceId"] = std::move(resource_id);
  if (!resource_type.empty()) e.fields["resourceType"] = std::move(resource_type);
  if (!reason.empty()) e.fields["reason"] = std::move(reason);
  return e;
}

aws_error quota_exceeded(std::string message, std::string quota_name, double quota_value) {
  aws_error e = make(402, "ServiceQuotaExceededException", std::move(message));
  e.fields["quotaName"] = std::move(quota_name);
  e.fields["quotaValue"] = quota_value;  // a JSON double, as the model types it
  return e;
}

aws_error internal_error(std::string message) {
  return make(500, "InternalServerException", std::move(message));
}

aws_error unknown_operation(std::string message) {
  return make(404, "UnknownOperationException", std::move(message));
}

aws_error payload_too_large(std::string message) {
  // Not a modeled exception of Clean Rooms: a protocol-level answer of the front end. SDKs
  // surface the x-amzn-ErrorType name as the error code of a generic service exception.
  return make(413, "PayloadTooLargeException", std::move(message));
}

http_response render(const aws_error& error, const std::string& request_id) {
  boost::json::object body;
  body["message"] = error.message;
  for (const auto& kv : error.fields) body[kv.key()] = kv.value();
  http_response r;
  r.status = error.status;
  r.headers.emplace_back("Content-Type", "application/json");
  r.headers.emplace_back("x-amzn-ErrorType", error.type);
  r.headers.emplace_back("x-amzn-RequestId", request_id);
  r.body = boost::json::serialize(body);
  return r;
}

http_response render_json(unsigned status, std::string body, const std::string& request_id) {
  http_response r;
  r.status = status;
  r.headers.emplace_back("x-amzn-RequestId", request_id);
  if (status == 204) return r;  // no body, so no Content-Type either
  r.headers.emplace_back("Content-Type", "application/json");
  // An output shape with no members is still a JSON object on the wire (TagResource: "{}").
  r.body = body.empty() ? std::string("{}") : std::move(body);
  return r;
}

}  // namespace crs::api
