#include <catch2/catch.hpp>

#include "api/validate.hpp"

using namespace crs::api;

TEST_CASE("uuid pattern: lower-case hex 8-4-4-4-12, whole value") {
  CHECK(matches(pattern::uuid, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"));
  CHECK_FALSE(matches(pattern::uuid, "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"));
  CHECK_FALSE(matches(pattern::uuid, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4dx"));
  CHECK_FALSE(matches(pattern::uuid, " 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"));
  CHECK_FALSE(matches(pattern::uuid, "0a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d"));
  CHECK_FALSE(matches(pattern::uuid, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4"));
  CHECK_FALSE(matches(pattern::uuid, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3g4d"));
  CHECK_FALSE(matches(pattern::uuid, "0a1b2c3d_4e5f-4a6b-8c7d-9e0f1a2b3c4d"));
  CHECK_FALSE(matches(pattern::uuid, ""));
}

TEST_CASE("digits pattern and the account rule") {
  CHECK(matches(pattern::digits, "111122223333"));
  CHECK(matches(pattern::digits, "0"));
  CHECK_FALSE(matches(pattern::digits, ""));
  CHECK_FALSE(matches(pattern::digits, "11112222333a"));
  CHECK_FALSE(matches(pattern::digits, "-1"));
  CHECK_FALSE(matches(pattern::digits, "\xd9\xa1"));  // ARABIC-INDIC DIGIT ONE is not \d

  validator v;
  CHECK(v.check("111122223333", "accountId", account_rule));
  CHECK_FALSE(v.check("11112222333", "accountId", account_rule));    // 11 digits
  CHECK_FALSE(v.check("1111222233334", "accountId", account_rule));  // 13 digits
  CHECK_FALSE(v.check("11112222333x", "accountId", account_rule));
  CHECK(v.errors().size() == 3);
}

TEST_CASE("nonblank_line: printable, TAB, not all whitespace, no CR/LF") {
  CHECK(matches(pattern::nonblank_line, "My collaboration"));
  CHECK(matches(pattern::nonblank_line, "\tx\t"));
  CHECK(matches(pattern::nonblank_line, "caf\xc3\xa9"));       // é
  CHECK(matches(pattern::nonblank_line, "\xf0\x9f\x98\x80"));  // U+1F600 (supplementary)
  CHECK(matches(pattern::nonblank_line, "\xef\xbf\xbd"));      // U+FFFD
  CHECK(matches(pattern::nonblank_line, "\xc2\xa0"));          // NBSP is not Java \s
  CHECK_FALSE(matches(pattern::nonblank_line, ""));
  CHECK_FALSE(matches(pattern::nonblank_line, "   "));
  CHECK_FALSE(matches(pattern::nonblank_line, " \t "));
  CHECK_FALSE(matches(pattern::nonblank_line, "a\rb"));
  CHECK_FALSE(matches(pattern::nonblank_line, "a\nb"));
  CHECK_FALSE(matches(pattern::nonblank_line, "a\x01"));
  CHECK(matches(pattern::nonblank_line,
                "\x7f"
                "a"));                                           // DEL is in U+0020..U+D7FF
  CHECK_FALSE(matches(pattern::nonblank_line, "\xef\xbf\xbe"));  // U+FFFE
  CHECK_FALSE(matches(pattern::nonblank_line, "\xed\xa0\x80"));  // a UTF-8 encoded surrogate
  CHECK_FALSE(matches(pattern::nonblank_line, "\xc3"));          // truncated sequence
  CHECK_FALSE(matches(pattern::nonblank_line, "\xc0\xaf"));      // overlong '/'
  CHECK_FALSE(matches(pattern::nonblank_line, "\xff"));
  // Java's `$` also matches before a final U+2028, so this counts as blank there.
  CHECK_FALSE(matches(pattern::nonblank_line, "  \xe2\x80\xa8"));
  CHECK(matches(pattern::nonblank_line, "\xe2\x80\xa8 x"));
}

TEST_CASE("nonblank_text also allows CR and LF") {
  CHECK(matches(pattern::nonblank_text, "line one\r\nline two"));
  CHECK(matches(pattern::nonblank_text, "\nx\n"));
  CHECK_FALSE(matches(pattern::nonblank_text, "\r\n \t\n"));
  CHECK_FALSE(matches(pattern::nonblank_text, ""));
  CHECK_FALSE(matches(pattern::nonblank_text, "a\x0b"));
}

TEST_CASE("s3_bucket pattern") {
  CHECK(matches(pattern::s3_bucket, "my-bucket"));
  CHECK(matches(pattern::s3_bucket, "my.bucket.name"));
  CHECK(matches(pattern::s3_bucket, "a--b"));
  CHECK(matches(pattern::s3_bucket, "123"));  // digits without dots are fine
  CHECK(matches(pattern::s3_bucket, "192.168.1.x"));
  CHECK_FALSE(matches(pattern::s3_bucket, "192.168.1.1"));  // IPv4-shaped
  CHECK_FALSE(matches(pattern::s3_bucket, "10.0"));         // any dotted digit groups
  CHECK_FALSE(matches(pattern::s3_bucket, "My-Bucket"));
  CHECK_FALSE(matches(pattern::s3_bucket, "-bucket"));
  CHECK_FALSE(matches(pattern::s3_bucket, "bucket-"));
  CHECK_FALSE(matches(pattern::s3_bucket, "a..b"));
  CHECK_FALSE(matches(pattern::s3_bucket, ".ab"));
  CHECK_FALSE(matches(pattern::s3_bucket, "ab."));
  CHECK_FALSE(matches(pattern::s3_bucket, "a_b"));
  CHECK_FALSE(matches(pattern::s3_bucket, "a.-b"));
  CHECK_FALSE(matches(pattern::s3_bucket, ""));
}

TEST_CASE("key_prefix pattern") {
  CHECK(matches(pattern::key_prefix, ""));
  CHECK(matches(pattern::key_prefix, "results/2024=01/*.csv!_-"));
  CHECK_FALSE(matches(pattern::key_prefix, "a b"));
  CHECK_FALSE(matches(pattern::key_prefix, "a?b"));
  CHECK_FALSE(matches(pattern::key_prefix, "caf\xc3\xa9"));
}

TEST_CASE("role_arn pattern") {
  CHECK(matches(pattern::role_arn, "arn:aws:iam::111122223333:role/CleanRoomsRole"));
  CHECK(matches(pattern::role_arn, "arn:aws:iam::111122223333:role/path/My+=.@-_Role"));
  CHECK_FALSE(matches(pattern::role_arn, "arn:aws:iam::111122223333:role/"));
  CHECK_FALSE(matches(pattern::role_arn, "arn:aws:iam:::role/x"));
  CHECK_FALSE(matches(pattern::role_arn, "arn:aws:iam::111122223333:user/x"));
  CHECK_FALSE(matches(pattern::role_arn, "arn:aws-cn:iam::111122223333:role/x"));
  CHECK_FALSE(matches(pattern::role_arn, "arn:aws:iam::111122223333:role/a,b"));
  CHECK_FALSE(matches(pattern::role_arn, " arn:aws:iam::111122223333:role/x"));
  CHECK_FALSE(matches(pattern::role_arn, "arn:aws:iam::1111-2222:role/x"));
}

TEST_CASE("cleanrooms_arn pattern") {
  CHECK(matches(pattern::cleanrooms_arn,
                "arn:aws:cleanrooms:us-east-1:111122223333:collaboration/"
                "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"));
  CHECK(matches(pattern::cleanrooms_arn,
                "arn:aws:cleanrooms:ap-southeast-2:111122223333:membership/m/analysistemplate/t"));
  CHECK_FALSE(matches(pattern::cleanrooms_arn,
                      "arn:aws:cleanrooms:us-gov-west-1:111122223333:collaboration/x"));
  CHECK_FALSE(matches(pattern::cleanrooms_arn, "arn:aws:cleanrooms:us-eas-1:111122223333:x"));
  CHECK_FALSE(matches(pattern::cleanrooms_arn,
                      "arn:aws:cleanrooms:us-northeastern-1:111122223333:x"));  // 10 > 9
  CHECK_FALSE(matches(pattern::cleanrooms_arn, "arn:aws:cleanrooms:us-east-1:11112222333:x"));
  CHECK_FALSE(matches(pattern::cleanrooms_arn, "arn:aws:cleanrooms:us-east-1:111122223333:"));
  CHECK_FALSE(matches(pattern::cleanrooms_arn, "arn:aws:cleanrooms:us-east-1:111122223333:a:b"));
  CHECK_FALSE(matches(pattern::cleanrooms_arn, "arn:aws:s3:us-east-1:111122223333:x"));
  CHECK_FALSE(matches(pattern::cleanrooms_arn, "arn:aws:cleanrooms:us-east-12:111122223333:x"));
}

TEST_CASE("code_points counts Unicode scalar values") {
  CHECK(code_points("") == 0);
  CHECK(code_points("abc") == 3);
  CHECK(code_points("caf\xc3\xa9") == 4);
  CHECK(code_points("\xf0\x9f\x98\x80") == 1);
}
