#include <catch2/catch.hpp>

#include "api/credentials.hpp"

using namespace crs::api;

TEST_CASE("credentials: the AWS shared-credentials format, one identity per profile") {
  auto s = credential_store::parse(R"(# the teams of this server
[team-a]
aws_access_key_id = AKIAAAAAAAAAAAAAAAAA
aws_secret_access_key=secret/with+slashes=
aws_account_id = 111111111111
region = eu-west-1

; the CLI's config spelling is accepted too
[profile team-b]
aws_access_key_id = 222222222222
aws_secret_access_key = s2
aws_account_id = 222222222222
)");
  REQUIRE(s);
  CHECK(s->size() == 2);
  auto a = s->find("AKIAAAAAAAAAAAAAAAAA");
  REQUIRE(a);
  CHECK(a->profile == "team-a");
  CHECK(a->secret_access_key == "secret/with+slashes=");
  CHECK(a->account_id == "111111111111");
  REQUIRE(s->find("222222222222"));
  CHECK(s->find("222222222222")->profile == "team-b");
  CHECK_FALSE(s->find("AKIA"));
  CHECK_FALSE(s->find(""));
}

TEST_CASE("credentials: a file that cannot be trusted is refused with the reason") {
  auto refused = [](std::string_view text) {
    auto s = credential_store::parse(text);
    REQUIRE_FALSE(s);
    return s.error().message;
  };
  CHECK(refused("") == "the credentials file holds no profile");
  CHECK(refused("aws_access_key_id = A\n").find("before the first [profile]") != std::string::npos);
  CHECK(refused("[a\n").find("line 1") != std::string::npos);
  CHECK(refused("[a]\njunk\n").find("line 2") != std::string::npos);
  CHECK(refused("[a]\naws_access_key_id = K\naws_secret_access_key = S\n").find("profile [a]") !=
        std::string::npos);
  CHECK(refused("[a]\naws_access_key_id = K\naws_secret_access_key = S\naws_account_id = 12\n")
            .find("12 digits") != std::string::npos);
  CHECK(refused("[a]\naws_access_key_id = K/1\naws_secret_access_key = S\naws_account_id = "
                "111111111111\n")
            .find("not a valid key id") != std::string::npos);
  auto dup = refused(
      "[a]\naws_access_key_id = K\naws_secret_access_key = S1\naws_account_id = 111111111111\n"
      "[b]\naws_access_key_id = K\naws_secret_access_key = S2\naws_account_id = 222222222222\n");
  CHECK(dup.find("already used by profile [a]") != std::string::npos);
  // Error messages never echo a secret.
  CHECK(dup.find("S1") == std::string::npos);
  CHECK(dup.find("S2") == std::string::npos);
  CHECK(refused(std::string(max_credentials_bytes + 1, '#')).find("larger than") !=
        std::string::npos);
}
