#include <catch2/catch.hpp>

#include "api/sigv4.hpp"

using namespace crs::api;

namespace {

const std::string sig(64, 'a');

}  // namespace

TEST_CASE("parse_authorization accepts SDK-style headers") {
  auto a = parse_authorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/cleanrooms/aws4_request, "
      "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" +
      sig);
  REQUIRE(a);
  CHECK(a->access_key_id == "AKIDEXAMPLE");
  CHECK(a->date == "20240101");
  CHECK(a->region == "us-east-1");
  CHECK(a->service == "cleanrooms");
  CHECK(a->signed_headers ==
        std::vector<std::string>{"host", "x-amz-content-sha256", "x-amz-date"});
  CHECK(a->signature == sig);

  // No spaces after the commas (botocore's spelling).
  auto b = parse_authorization(
      "AWS4-HMAC-SHA256 Credential=111122223333/20240101/eu-west-1/cleanrooms/aws4_request,"
      "SignedHeaders=host,Signature=" +
      sig);
  REQUIRE(b);
  CHECK(b->access_key_id == "111122223333");
  CHECK(b->region == "eu-west-1");
}

TEST_CASE("parse_authorization rejects everything else") {
  const std::string cred = "Credential=AKID/20240101/us-east-1/cleanrooms/aws4_request";
  const std::string rest = ", SignedHeaders=host, Signature=" + sig;
  CHECK(parse_authorization("AWS4-HMAC-SHA256 " + cred + rest));
  CHECK_FALSE(parse_authorization(""));
  CHECK_FALSE(parse_authorization("AWS4-HMAC-SHA512 " + cred + rest));
  CHECK_FALSE(parse_authorization("aws4-hmac-sha256 " + cred + rest));
  CHECK_FALSE(parse_authorization("AWS4-HMAC-SHA256" + cred + rest));
  CHECK_FALSE(parse_authorization("Bearer abc"));
  CHECK_FALSE(
      parse_authorization("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/cleanrooms" + rest));
  CHECK_FALSE(parse_authorization(
      "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/cleanrooms/aws4_request/x" + rest));
  CHECK_FALSE(parse_authorization(
      "AWS4-HMAC-SHA256 Credential=AKID/2024010/us-east-1/cleanrooms/aws4_request" + rest));
  CHECK_FALSE(parse_authorization(
      "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/cleanrooms/aws5_request" + rest));
  CHECK_FALSE(parse_authorization(
      "AWS4-HMAC-SHA256 Credential=/20240101/us-east-1/cleanrooms/aws4_request" + rest));
  CHECK_FALSE(parse_authorization(
      "AWS4-HMAC-SHA256 Credential=AKID//us-east-1/cleanrooms/aws4_request" + rest));
  CHECK_FALSE(parse_authorization("AWS4-HMAC-SHA256 " + cred + ", Signature=" + sig));
  CHECK_FALSE(parse_authorization("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host"));
  CHECK_FALSE(
      parse_authorization("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=, Signature=" + sig));
  CHECK_FALSE(
      parse_authorization("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=Host, Signature=" + sig));
  CHECK_FALSE(parse_authorization("AWS4-HMAC-SHA256 " + cred +
                                  ", SignedHeaders=host, Signature=" + std::string(63, 'a')));
  CHECK_FALSE(parse_authorization("AWS4-HMAC-SHA256 " + cred +
                                  ", SignedHeaders=host, Signature=" + std::string(64, 'A')));
  CHECK_FALSE(parse_authorization("AWS4-HMAC-SHA256 " + cred + rest + ", Foo=bar"));
  CHECK_FALSE(parse_authorization("AWS4-HMAC-SHA256 " + cred + ", " + cred + rest));
  CHECK_FALSE(parse_authorization("AWS4-HMAC-SHA256 " + cred + rest + ","));
  std::string huge = "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=" + std::string(5000, 'h') +
                     ", Signature=" + sig;
  CHECK_FALSE(parse_authorization(huge));
  // SignedHeaders: strictly ascending, at most 64.
  CHECK_FALSE(parse_authorization("AWS4-HMAC-SHA256 " + cred +
                                  ", SignedHeaders=host;host, Signature=" + sig));
  CHECK_FALSE(parse_authorization("AWS4-HMAC-SHA256 " + cred +
                                  ", SignedHeaders=x-amz-date;host, Signature=" + sig));
  std::string many;
  for (int i = 0; i < 65; ++i) many += (i ? ";h" : "h") + std::to_string(100 + i);
  CHECK_FALSE(parse_authorization("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=" + many +
                                  ", Signature=" + sig));
  many = many.substr(0, many.rfind(';'));
  CHECK(parse_authorization("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=" + many +
                            ", Signature=" + sig));
}
