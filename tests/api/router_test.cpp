#include <catch2/catch.hpp>

#include "api/router.hpp"

using namespace crs::api;

namespace {

router sample_router() {
  router r;
  r.add("GET", "/collaborations", 1);
  r.add("GET", "/collaborations/{collaborationIdentifier}", 2);
  r.add("GET", "/collaborations/{collaborationIdentifier}/members", 3);
  r.add("GET", "/collaborations/{collaborationIdentifier}/analysistemplates/{analysisTemplateArn}",
        4);
  r.add("GET", "/tags/{resourceArn}", 5);
  r.add("DELETE", "/collaborations/{collaborationIdentifier}", 6);
  r.add("POST", "/tags/{resourceArn}", 7);
  return r;
}

}  // namespace

TEST_CASE("router matches templates and decodes labels") {
  auto r = sample_router();
  auto m = r.match("GET", "/collaborations");
  REQUIRE(m);
  CHECK(m->operation == 1);
  CHECK(m->labels.empty());

  m = r.match("GET", "/collaborations/abc");
  REQUIRE(m);
  CHECK(m->operation == 2);
  CHECK(m->labels == std::vector<std::string>{"abc"});

  m = r.match("GET", "/collaborations/abc/members");
  REQUIRE(m);
  CHECK(m->operation == 3);

  m = r.match("DELETE", "/collaborations/abc");
  REQUIRE(m);
  CHECK(m->operation == 6);
}

TEST_CASE("router keeps %2F and %3A inside one label") {
  auto r = sample_router();
  auto m = r.match("GET",
                   "/collaborations/c1/analysistemplates/"
                   "arn%3Aaws%3Acleanrooms%3Aus-east-1%3A111122223333%3Amembership%2Fm1%2F"
                   "analysistemplate%2Ft1");
  REQUIRE(m);
  CHECK(m->operation == 4);
  REQUIRE(m->labels.size() == 2);
  CHECK(m->labels[0] == "c1");
  CHECK(m->labels[1] ==
        "arn:aws:cleanrooms:us-east-1:111122223333:membership/m1/analysistemplate/t1");

  m = r.match("GET", "/tags/arn%3Aaws%3Acleanrooms%3Aus-east-1%3A111122223333%3Acollaboration%2Fx");
  REQUIRE(m);
  CHECK(m->operation == 5);
  CHECK(m->labels[0] == "arn:aws:cleanrooms:us-east-1:111122223333:collaboration/x");
}

TEST_CASE("router matches empty labels, rejects bad escapes, literal and method mismatches") {
  auto r = sample_router();
  // An empty label matches with an empty value: the operation answers 400 for the missing member.
  auto empty = r.match("GET", "/collaborations//members");
  REQUIRE(empty);
  CHECK(empty->labels.at(0).empty());
  // A malformed escape still finds the route, which names the label in its 400.
  for (auto bad : {"/collaborations/%ZZ", "/collaborations/abc%2", "/collaborations/%"}) {
    auto m = r.match("GET", bad);
    REQUIRE(m);
    CHECK(m->bad_label == "collaborationIdentifier");
  }
  CHECK(r.match("GET", "/collaborations/abc")->bad_label.empty());
  CHECK_FALSE(r.match("GET", "/collaborations/abc/memberz"));
  CHECK_FALSE(r.match("GET", "/Collaborations"));
  CHECK_FALSE(r.match("PUT", "/collaborations"));
  CHECK_FALSE(r.match("get", "/collaborations"));
  CHECK(r.match("GET", "/collaborations/"));  // trailing slash = an empty label
  CHECK_FALSE(r.match("GET", "collaborations"));
  CHECK_FALSE(r.match("GET", ""));
  // An un-encoded '/' splits the label, so a raw ARN does not match a plain label...
  CHECK_FALSE(r.match("GET", "/tags/arn:aws:cleanrooms:us-east-1:111122223333:collaboration/x"));
  // Decoding happens after matching: odd but well-formed escapes still match (validation of the
  // label's value is the operation's job).
  CHECK(r.match("GET", "/collaborations/%00x"));
  // Encoded slashes and dots stay inside their label: they cannot climb to another route.
  auto climb = r.match("GET", "/collaborations/..%2F..%2Fmemberships%2Fx/members");
  REQUIRE(climb);
  CHECK(climb->labels.at(0) == "../../memberships/x");
}

TEST_CASE("router prefers literal segments and supports greedy labels") {
  router r;
  r.add("GET", "/a/{x}", 1);
  r.add("GET", "/a/b", 2);
  r.add("GET", "/tags/{resourceArn+}", 3);
  CHECK(r.match("GET", "/a/b")->operation == 2);
  CHECK(r.match("GET", "/a/c")->operation == 1);
  auto m = r.match("GET", "/tags/arn:aws:cleanrooms:us-east-1:111122223333:collaboration/x");
  REQUIRE(m);
  CHECK(m->operation == 3);
  CHECK(m->labels[0] == "arn:aws:cleanrooms:us-east-1:111122223333:collaboration/x");
  m = r.match("GET", "/tags/arn%3Aaws%2Fx");
  REQUIRE(m);
  CHECK(m->labels[0] == "arn:aws/x");
  CHECK(r.match("GET", "/tags/"));  // an empty greedy label matches too: the operation says 400
}

TEST_CASE("split_target separates path and query") {
  auto [p1, q1] = split_target("/collaborations?maxResults=5&nextToken=abc");
  CHECK(p1 == "/collaborations");
  CHECK(q1 == "maxResults=5&nextToken=abc");
  auto [p2, q2] = split_target("/collaborations");
  CHECK(p2 == "/collaborations");
  CHECK(q2.empty());
  auto [p3, q3] = split_target("/x?");
  CHECK(p3 == "/x");
  CHECK(q3.empty());
  auto [p4, q4] = split_target("http://localhost:8080/x?a=1");
  CHECK(p4 == "/x");
  CHECK(q4 == "a=1");
}

TEST_CASE("parse_query keeps repeated keys, decodes '+' and escapes") {
  auto q = parse_query("tagKeys=a&tagKeys=b%20c&maxResults=5&x=1+2&flag&&empty=");
  REQUIRE(q);
  auto range = q->equal_range("tagKeys");
  std::vector<std::string> keys;
  for (auto it = range.first; it != range.second; ++it) keys.push_back(it->second);
  CHECK(keys == std::vector<std::string>{"a", "b c"});
  CHECK(q->find("maxResults")->second == "5");
  CHECK(q->find("x")->second == "1 2");
  CHECK(q->find("flag")->second.empty());
  CHECK(q->find("empty")->second.empty());
  CHECK(q->size() == 6);

  CHECK(parse_query("")->empty());
  CHECK_FALSE(parse_query("a=%"));
  CHECK_FALSE(parse_query("a=%4"));
  CHECK_FALSE(parse_query("a=%GG"));
  CHECK_FALSE(parse_query("ok=1&b%=2"));
  CHECK(parse_query("nextToken=a%2Bb")->find("nextToken")->second == "a+b");
}

TEST_CASE("percent_decode is strict") {
  CHECK(percent_decode("a%3Ab%2fc") == std::optional<std::string>("a:b/c"));
  CHECK(percent_decode("a+b") == std::optional<std::string>("a+b"));
  CHECK(percent_decode("") == std::optional<std::string>(""));
  CHECK_FALSE(percent_decode("%"));
  CHECK_FALSE(percent_decode("%a"));
  CHECK_FALSE(percent_decode("%xy"));
}
