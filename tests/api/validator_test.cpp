#include <catch2/catch.hpp>

#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/validate.hpp"

using namespace crs::api;

namespace {

boost::json::object obj(const std::string& json) {
  return boost::json::parse(json).as_object();
}

}  // namespace

TEST_CASE("validator: AWS-style messages and member paths") {
  auto body = obj(R"({"members":[{"accountId":"abc"}],"name":"  ","flag":"yes"})");
  validator v;
  const auto& member = body.at("members").as_array().at(0).as_object();
  CHECK_FALSE(v.str(member, "accountId", "members.0.accountId", account_rule, true));
  CHECK_FALSE(v.str(body, "name", "name", name_rule, true));
  CHECK_FALSE(v.str(body, "description", "description", description_rule, true));
  CHECK_FALSE(v.boolean(body, "flag", "flag", true));
  REQUIRE(v.errors().size() == 4);
  CHECK(v.errors()[0].name == "members.0.accountId");
  CHECK(v.errors()[0].message ==
        "Value 'abc' at 'members.0.accountId' failed to satisfy constraint: Member must have "
        "length greater than or equal to 12");
  CHECK(v.errors()[1].name == "name");
  CHECK(v.errors()[1].message.find("Member must satisfy regular expression pattern: ") !=
        std::string::npos);
  CHECK(v.errors()[2].message ==
        "Value null at 'description' failed to satisfy constraint: Member must not be null");
  CHECK(v.errors()[3].message ==
        "Value '\"yes\"' at 'flag' failed to satisfy constraint: Member must be a boolean");

  auto e = v.to_error();
  CHECK(e.status == 400);
  CHECK(e.type == "ValidationException");
  CHECK(e.message.rfind("4 validation errors detected: Value 'abc' at", 0) == 0);
  CHECK(e.fields.at("fieldList").as_array().size() == 4);
}

TEST_CASE("validator: optional members, nulls, lengths and type errors") {
  auto body = obj(R"({"a":null,"b":"x","c":123,"d":")" + std::string(101, 'n') + R"("})");
  validator v;
  CHECK_FALSE(v.str(body, "a", "a", name_rule, false));  // null = absent, optional: no error
  CHECK_FALSE(v.str(body, "zz", "zz", name_rule, false));
  CHECK(v.ok());
  CHECK(v.str(body, "b", "b", name_rule, true) == std::optional<std::string>("x"));
  CHECK_FALSE(v.str(body, "c", "c", name_rule, true));
  CHECK_FALSE(v.str(body, "d", "d", name_rule, true));
  REQUIRE(v.errors().size() == 2);
  CHECK(v.errors()[0].message ==
        "Value '123' at 'c' failed to satisfy constraint: Member must be "
        "a string");
  // Echoed values are cut at 64 code points.
  CHECK(v.errors()[1].message == "Value '" + std::string(64, 'n') +
                                     "...' at 'd' failed to satisfy constraint: Member must have "
                                     "length less than or equal to 100");
}

TEST_CASE("validator: lengths are counted in code points") {
  validator v;
  std::string hundred_e_acute;
  for (int i = 0; i < 100; ++i) hundred_e_acute += "\xc3\xa9";
  CHECK(v.check(hundred_e_acute, "name", name_rule));  // 200 bytes, 100 code points
  CHECK_FALSE(v.check(hundred_e_acute + "x", "name", name_rule));
  CHECK_FALSE(v.check("a\xff", "name", string_rule{}));  // invalid UTF-8 never passes
  CHECK(v.errors().size() == 2);
}

TEST_CASE("validator: objects, arrays, enums") {
  auto body = obj(R"({"o":{"k":1},"notobj":[1],"list":[1,2,3],"empty":[],"status":"ENABLED",
                     "bad":"MAYBE","abilities":["CAN_QUERY",7,"NOPE"]})");
  validator v;
  CHECK(v.object(body, "o", "o", true) != nullptr);
  CHECK(v.object(body, "notobj", "notobj", true) == nullptr);
  CHECK(v.array(body, "list", "list", 1, 3, true) != nullptr);
  CHECK(v.array(body, "list", "list", 1, 2, true) == nullptr);
  CHECK(v.array(body, "empty", "empty", 1, 10, true) == nullptr);
  CHECK(v.array(body, "missing", "missing", 1, 10, false) == nullptr);
  auto ok = v.enumeration<crs::log_status>(body, "status", "status", crs::parse_log_status,
                                           "ENABLED, DISABLED", true);
  CHECK(ok == crs::log_status::enabled);
  auto bad = v.enumeration<crs::log_status>(body, "bad", "bad", crs::parse_log_status,
                                            "ENABLED, DISABLED", true);
  CHECK_FALSE(bad);
  const auto& abilities = body.at("abilities").as_array();
  CHECK(v.enum_item<crs::member_ability>(abilities[0], "abilities.0", crs::parse_member_ability,
                                         "CAN_QUERY, CAN_RECEIVE_RESULTS, CAN_RUN_JOB"));
  CHECK_FALSE(v.enum_item<crs::member_ability>(abilities[1], "abilities.1",
                                               crs::parse_member_ability, "CAN_QUERY"));
  CHECK_FALSE(v.enum_item<crs::member_ability>(abilities[2], "abilities.2",
                                               crs::parse_member_ability, "CAN_QUERY"));
  REQUIRE(v.errors().size() == 6);
  CHECK(v.errors()[0].message ==
        "Value '[1]' at 'notobj' failed to satisfy constraint: Member must be an object");
  CHECK(v.errors()[1].message ==
        "Value '[1,2,3]' at 'list' failed to satisfy constraint: Member must have length less "
        "than or equal to 2");
  CHECK(v.errors()[2].message ==
        "Value '[]' at 'empty' failed to satisfy constraint: Member must have length greater "
        "than or equal to 1");
  CHECK(v.errors()[3].message ==
        "Value 'MAYBE' at 'bad' failed to satisfy constraint: Member must satisfy enum value "
        "set: [ENABLED, DISABLED]");
  CHECK(v.errors()[4].name == "abilities.1");
  CHECK(v.errors()[5].name == "abilities.2");
}

TEST_CASE("validator: tags") {
  validator v;
  auto t = v.tags(obj(R"({"tags":{"env":"prod","empty":""}})"), "tags", "tags", false);
  REQUIRE(t);
  CHECK(t->size() == 2);
  CHECK(t->at("env") == "prod");
  CHECK(v.ok());

  CHECK_FALSE(v.tags(obj("{}"), "tags", "tags", false));  // absent, optional: nullopt, no error
  CHECK(v.ok());
  CHECK(v.tags(obj(R"({"tags":{}})"), "tags", "tags", true)->empty());

  CHECK_FALSE(v.tags(obj(R"({"tags":{"aws:x":"1"}})"), "tags", "tags", false));
  CHECK_FALSE(v.tags(obj(R"({"tags":{"AWS:x":"1"}})"), "tags", "tags", false));
  CHECK_FALSE(v.tags(obj(R"({"tags":{"":"1"}})"), "tags", "tags", false));
  CHECK_FALSE(v.tags(obj(R"({"tags":{"k":1}})"), "tags", "tags", false));
  CHECK_FALSE(v.tags(obj(R"({"tags":["k"]})"), "tags", "tags", false));
  CHECK(v.errors().size() == 5);
  CHECK(v.errors()[3].name == "tags.k");

  validator w;
  boost::json::object big, many;
  big[std::string(129, 'k')] = "v";
  big["long"] = std::string(257, 'v');
  CHECK_FALSE(w.tags(boost::json::object{{"tags", big}}, "tags", "tags", false));
  CHECK(w.errors().size() == 2);
  big.erase(std::string(129, 'k'));
  big["long"] = std::string(256, 'v');
  big[std::string(128, 'k')] = "v";
  CHECK(w.tags(boost::json::object{{"tags", big}}, "tags", "tags", false));

  for (int i = 0; i < 201; ++i) many["k" + std::to_string(i)] = "v";
  validator x;
  CHECK_FALSE(x.tags(boost::json::object{{"tags", many}}, "tags", "tags", false));
  CHECK(x.errors().size() == 1);
  many.erase("k0");
  CHECK(x.tags(boost::json::object{{"tags", many}}, "tags", "tags", false)->size() == 200);
}

TEST_CASE("validator: query_int") {
  validator v;
  CHECK(v.query_int("50", "maxResults", 1, 100) == 50);
  CHECK(v.query_int("1", "maxResults", 1, 100) == 1);
  CHECK(v.query_int("0100", "maxResults", 1, 100) == 100);
  CHECK(v.ok());
  CHECK_FALSE(v.query_int("0", "maxResults", 1, 100));
  CHECK_FALSE(v.query_int("101", "maxResults", 1, 100));
  CHECK_FALSE(v.query_int("-1", "maxResults", 1, 100));
  CHECK_FALSE(v.query_int("+1", "maxResults", 1, 100));
  CHECK_FALSE(v.query_int("", "maxResults", 1, 100));
  CHECK_FALSE(v.query_int("1e2", "maxResults", 1, 100));
  CHECK_FALSE(v.query_int(" 5", "maxResults", 1, 100));
  CHECK_FALSE(v.query_int("99999999999999999999999999", "maxResults", 1, 100));
  CHECK_FALSE(v.query_int("9223372036854775808", "maxResults", 1, INT64_MAX));
  CHECK(v.query_int("9223372036854775807", "x", 1, INT64_MAX) == INT64_MAX);
  REQUIRE(v.errors().size() == 9);
  CHECK(v.errors()[0].message ==
        "Value '0' at 'maxResults' failed to satisfy constraint: Member "
        "must have value greater than or equal to 1");
  CHECK(v.errors()[1].message ==
        "Value '101' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 100");
  CHECK(v.errors()[2].message ==
        "Value '-1' at 'maxResults' failed to satisfy constraint: Member "
        "must be an integer");
}

TEST_CASE("parse_body: objects only, depth bounded, never throws") {
  std::string msg;
  auto empty = parse_body("", msg);
  REQUIRE(empty);
  CHECK(empty->empty());
  CHECK(parse_body(" \r\n", msg));
  auto ok = parse_body(R"({"name":"x","n":[1,{"a":null}]})", msg);
  REQUIRE(ok);
  CHECK(ok->at("name").as_string() == "x");

  CHECK_FALSE(parse_body("[]", msg));
  CHECK_FALSE(msg.empty());
  CHECK_FALSE(parse_body("null", msg));
  CHECK_FALSE(parse_body("\"s\"", msg));
  CHECK_FALSE(parse_body("{", msg));
  CHECK_FALSE(parse_body("{\"a\":1} x", msg));
  CHECK_FALSE(parse_body("{\"a\":\"\xff\"}", msg));  // invalid UTF-8

  std::string bomb(10000, '[');
  msg.clear();
  CHECK_FALSE(parse_body(bomb, msg));
  CHECK_FALSE(msg.empty());
  std::string obj_bomb;
  for (int i = 0; i < 10000; ++i) obj_bomb += "{\"a\":";
  CHECK_FALSE(parse_body(obj_bomb, msg));

  std::string deep_ok = "{\"a\":" + std::string(62, '[') + std::string(62, ']') + "}";
  CHECK(parse_body(deep_ok, msg));
  std::string too_deep = "{\"a\":" + std::string(64, '[') + std::string(64, ']') + "}";
  CHECK_FALSE(parse_body(too_deep, msg));
}
