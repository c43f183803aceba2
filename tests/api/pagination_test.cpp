#include <catch2/catch.hpp>

#include "api/pagination.hpp"

using namespace crs::api;

TEST_CASE("pagination tokens round-trip and are bound to op, caller and filter") {
  token_codec codec("secret-1");
  const std::string cursor("col\x00lab\xff/42", 12);
  auto token = codec.encode("ListCollaborations", "111122223333", "memberStatus=ACTIVE", cursor);
  CHECK_FALSE(token.empty());
  CHECK(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
      std::string::npos);

  auto back = codec.decode(token, "ListCollaborations", "111122223333", "memberStatus=ACTIVE");
  REQUIRE(back);
  CHECK(*back == cursor);

  CHECK_FALSE(codec.decode(token, "ListMemberships", "111122223333", "memberStatus=ACTIVE"));
  CHECK_FALSE(codec.decode(token, "ListCollaborations", "444455556666", "memberStatus=ACTIVE"));
  CHECK_FALSE(codec.decode(token, "ListCollaborations", "111122223333", "memberStatus=INVITED"));
  CHECK_FALSE(codec.decode(token, "ListCollaborations", "111122223333", ""));
  CHECK_FALSE(token_codec("secret-2")
                  .decode(token, "ListCollaborations", "111122223333", "memberStatus=ACTIVE"));

  // Length-prefixing keeps field boundaries: ("ab","c") and ("a","bc") differ.
  auto t2 = codec.encode("ab", "c", "", "x");
  CHECK_FALSE(codec.decode(t2, "a", "bc", ""));
  CHECK(codec.decode(t2, "ab", "c", "") == std::optional<std::string>("x"));

  auto empty_cursor = codec.encode("op", "me", "", "");
  CHECK(codec.decode(empty_cursor, "op", "me", "") == std::optional<std::string>(""));
}

TEST_CASE("pagination tokens are tamper-evident") {
  token_codec codec("secret");
  auto token = codec.encode("ListMembers", "111122223333", "", "cursor-value");
  for (std::size_t i = 0; i < token.size(); ++i) {
    std::string t = token;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    CHECK_FALSE(codec.decode(t, "ListMembers", "111122223333", ""));
  }
  CHECK_FALSE(codec.decode(token + "A", "ListMembers", "111122223333", ""));
  CHECK_FALSE(codec.decode(token.substr(0, token.size() - 1), "ListMembers", "111122223333", ""));
}

TEST_CASE("garbage tokens are rejected") {
  token_codec codec("secret");
  for (const char* t : {"", "x", "====", "abc=", "not a token", "%%%%", "AAAA", "+/+/"})
    CHECK_FALSE(codec.decode(t, "op", "me", ""));
  CHECK_FALSE(codec.decode(std::string(10241, 'A'), "op", "me", ""));
  CHECK_FALSE(codec.decode(std::string(10240, 'A'), "op", "me", ""));
}
