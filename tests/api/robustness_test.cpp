// Seeded random inputs through every parser and matcher (run under ASan/UBSan to be useful):
// nothing may crash, throw or accept what it should not.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "api/pagination.hpp"
#include "api/router.hpp"
#include "api/sigv4.hpp"
#include "api/validate.hpp"

using namespace crs::api;

namespace {

std::string random_bytes(std::mt19937& rng, std::size_t max_len, bool ascii_bias) {
  static const std::string alphabet =
      "abcdef0123456789-_:/.%+=&?{}[]\",AWS4-HMAC-SHA256 Credential=SignedHeaders=Signature= "
      "\t\r\n";
  std::uniform_int_distribution<std::size_t> len(0, max_len);
  std::string s(len(rng), '\0');
  for (auto& c : s) {
    if (ascii_bias && rng() % 4 != 0)
      c = alphabet[rng() % alphabet.size()];
    else
      c = static_cast<char>(rng() & 0xff);
  }
  return s;
}

}  // namespace

TEST_CASE("random inputs never crash the parsers and matchers") {
  std::mt19937 rng(20240101);
  router r;
  r.add("GET", "/collaborations/{id}/analysistemplates/{arn}", 1);
  r.add("GET", "/tags/{arn+}", 2);
  token_codec codec("k");
  const pattern all[] = {pattern::none,
                         pattern::uuid,
                         pattern::digits,
                         pattern::nonblank_line,
                         pattern::nonblank_text,
                         pattern::s3_bucket,
                         pattern::key_prefix,
                         pattern::role_arn,
                         pattern::cleanrooms_arn,
                         pattern::column,
                         pattern::alias,
                         pattern::line,
                         pattern::text,
                         pattern::glue_database,
                         pattern::athena_table,
                         pattern::athena_work_group,
                         pattern::athena_catalog,
                         pattern::s3_uri,
                         pattern::snowflake_name,
                         pattern::snowflake_account,
                         pattern::secret_arn,
                         pattern::analysis_ref,
                         pattern::additional_analysis_arn};
  std::size_t accepted_tokens = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string s = random_bytes(rng, 200, i % 2 == 0);
    for (auto p : all) (void)matches(p, s);
    (void)code_points(s);
    (void)r.match("GET", "/" + s);
    (void)r.match("GET", "/tags/" + s);
    (void)split_target(s);
    (void)parse_query(s);
    (void)percent_decode(s);
    (void)parse_authorization(s);
    (void)parse_authorization("AWS4-HMAC-SHA256 " + s);
    if (codec.decode(s, "op", "me", "")) ++accepted_tokens;
    std::string message;
    (void)parse_body(s, message);
    (void)parse_body("{\"a\":" + s + "}", message);
    validator v;
    (void)v.check(s, "field", string_rule{1, 100, pattern::nonblank_line});
    (void)v.query_int(s, "maxResults", 1, 100);
  }
  CHECK(accepted_tokens == 0);
}
