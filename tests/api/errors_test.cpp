#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include "api/errors.hpp"
#include "api/uuid.hpp"

using namespace crs::api;

namespace {

std::string header(const http_response& r, const std::string& name) {
  for (const auto& h : r.headers)
    if (h.first == name) return h.second;
  return "<absent>";
}

boost::json::object body(const http_response& r) {
  return boost::json::parse(r.body).as_object();
}

}  // namespace

TEST_CASE("validation errors: reason, fieldList and the AWS summary") {
  auto one = render(validation_error({{"name",
                                       "Value null at 'name' failed to satisfy constraint: "
                                       "Member must not be null"}}),
                    "rid-1");
  CHECK(one.status == 400);
  CHECK(header(one, "x-amzn-ErrorType") == "ValidationException");
  CHECK(header(one, "x-amzn-RequestId") == "rid-1");
  CHECK(header(one, "Content-Type") == "application/json");
  auto b = body(one);
  CHECK(b.at("message").as_string() ==
        "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member "
        "must not be null");
  CHECK(b.at("reason").as_string() == "FIELD_VALIDATION_FAILED");
  CHECK(b.at("fieldList").as_array().size() == 1);
  CHECK(b.at("fieldList").as_array()[0].as_object().at("name").as_string() == "name");
  CHECK_FALSE(b.contains("__type"));

  auto two = validation_error({{"a", "m1"}, {"b", "m2"}});
  CHECK(two.message == "2 validation errors detected: m1; m2");

  auto semantic = body(render(validation_error("bad rule", "INVALID_CONFIGURATION"), "r"));
  CHECK(semantic.at("reason").as_string() == "INVALID_CONFIGURATION");
  CHECK_FALSE(semantic.contains("fieldList"));
  CHECK(semantic.at("message").as_string() == "bad rule");
}

TEST_CASE("every modeled exception has its status, header and members") {
  auto denied = render(access_denied("no"), "r");
  CHECK(denied.status == 403);
  CHECK(header(denied, "x-amzn-ErrorType") == "AccessDeniedException");
  CHECK(body(denied).at("reason").as_string() == "INSUFFICIENT_PERMISSIONS");

  auto missing = render(not_found("gone", "id-1", "MEMBERSHIP"), "r");
  CHECK(missing.status == 404);
  CHECK(header(missing, "x-amzn-ErrorType") == "ResourceNotFoundException");
  CHECK(body(missing).at("resourceId").as_string() == "id-1");
  CHECK(body(missing).at("resourceType").as_string() == "MEMBERSHIP");
  CHECK(body(missing).at("message").as_string() == "gone");

  auto clash = body(render(conflict("dup", "id-2", "CONFIGURED_TABLE", "ALREADY_EXISTS"), "r"));
  CHECK(clash.at("reason").as_string() == "ALREADY_EXISTS");
  CHECK(clash.at("resourceId").as_string() == "id-2");
  CHECK(render(conflict("x", "", "", ""), "r").status == 409);
  CHECK(body(render(conflict("x", "", "", ""), "r")).size() == 1);

  auto quota = render(quota_exceeded("too many", "Members invited per collaboration", 5), "r");
  CHECK(quota.status == 402);
  CHECK(header(quota, "x-amzn-ErrorType") == "ServiceQuotaExceededException");
  CHECK(body(quota).at("quotaValue").is_double());
  CHECK(body(quota).at("quotaValue").as_double() == 5.0);
  CHECK(body(quota).at("quotaName").as_string() == "Members invited per collaboration");

  CHECK(render(internal_error("boom"), "r").status == 500);
  CHECK(header(render(internal_error("boom"), "r"), "x-amzn-ErrorType") ==
        "InternalServerException");
  CHECK(render(unknown_operation("?"), "r").status == 404);
  CHECK(header(render(unknown_operation("?"), "r"), "x-amzn-ErrorType") ==
        "UnknownOperationException");
  CHECK(render(payload_too_large("big"), "r").status == 413);
  CHECK(header(render(payload_too_large("big"), "r"), "x-amzn-ErrorType") ==
        "PayloadTooLargeException");
}

TEST_CASE("render_json: 200 with a JSON body, 204 with nothing") {
  auto ok = render_json(200, R"({"a":1})", "rid");
  CHECK(ok.status == 200);
  CHECK(ok.body == R"({"a":1})");
  CHECK(header(ok, "Content-Type") == "application/json");
  CHECK(header(ok, "x-amzn-RequestId") == "rid");
  CHECK(render_json(200, "", "rid").body == "{}");

  auto none = render_json(204, "ignored", "rid");
  CHECK(none.status == 204);
  CHECK(none.body.empty());
  CHECK(header(none, "Content-Type") == "<absent>");
  CHECK(header(none, "x-amzn-RequestId") == "rid");
}

TEST_CASE("random_uuid_v4 is a lower-case version-4 UUID") {
  auto a = random_uuid_v4();
  auto b = random_uuid_v4();
  CHECK(a != b);
  REQUIRE(a.size() == 36);
  CHECK(a[14] == '4');
  CHECK(std::string("89ab").find(a[19]) != std::string::npos);
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23)
      CHECK(a[i] == '-');
    else
      CHECK(std::string("0123456789abcdef").find(a[i]) != std::string::npos);
  }
}
