// SigV4 verification against independent oracles: the two requests are vectors of AWS's
// published SigV4 test suite (get-vanilla, get-vanilla-query-order-key-case); the Clean Rooms
// shaped ones were signed by botocore's SigV4Auth (the AWS CLI's signer) at 20150830T123600Z.
#include <catch2/catch.hpp>

#include <cstdio>
#include <set>
#include <thread>
#include <vector>

#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "api/sigv4_verify.hpp"

using namespace crs::api;

namespace {

constexpr std::string_view secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::int64_t signed_at = 1440938160000;  // 2015-08-30T12:36:00Z

const credential_store& store() {
  static const credential_store s = [] {
    auto parsed = credential_store::parse(
        "[team-a]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = " +
        std::string(secret) + "\naws_account_id = 111122223333\n");
    REQUIRE(parsed);
    return std::move(parsed.value());
  }();
  return s;
}

std::string authorization(std::string_view scope_tail, std::string_view signed_headers,
                          std::string_view signature) {
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + std::string(scope_tail) +
         ", SignedHeaders=" + std::string(signed_headers) + ", Signature=" + std::string(signature);
}

// POST /collaborations, as botocore signs it.
http_request signed_post() {
  http_request r;
  r.method = "POST";
  r.target = "/collaborations";
  r.body = R"({"name":"x"})";
  r.headers = {
      {"host", "127.0.0.1:8080"},
      {"content-type", "application/json"},
      {"x-amz-date", "20150830T123600Z"},
      {"authorization",
       authorization("20150830/us-east-1/cleanrooms/aws4_request", "content-type;host;x-amz-date",
                     "751bd277cfeae1c785e0bebe9d7a813c7e3025c269ceea94a2761d8c7d42186d")}};
  return r;
}

void set_header(http_request& r, std::string_view name, std::string value) {
  for (auto& h : r.headers)
    if (h.first == name) {
      h.second = std::move(value);
      return;
    }
  r.headers.emplace_back(std::string(name), std::move(value));
}

auth_failure::kind refusal(const http_request& r, std::int64_t now = signed_at) {
  auto v = verify_sigv4(r, store(), now);
  REQUIRE_FALSE(v);
  return v.error().code;
}

}  // namespace

TEST_CASE("SigV4: AWS test-suite vectors (get-vanilla, query order)") {
  const std::string empty_hash = sha256_hex("");
  CHECK(empty_hash == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  http_request r;
  r.method = "GET";
  r.target = "/";
  r.headers = {{"host", "example.amazonaws.com"}, {"x-amz-date", "20150830T123600Z"}};
  const std::vector<std::string> signed_headers{"host", "x-amz-date"};
  auto canonical = canonical_request(r, signed_headers, empty_hash);
  REQUIRE(canonical);
  CHECK(*canonical ==
        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
            empty_hash);
  auto sts = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" +
             sha256_hex(*canonical);
  CHECK(sigv4_signature(secret, "20150830", "us-east-1", "service", sts) ==
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");

  r.target = "/?Param2=value2&Param1=value1";
  canonical = canonical_request(r, signed_headers, empty_hash);
  REQUIRE(canonical);
  sts = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" +
        sha256_hex(*canonical);
  CHECK(sigv4_signature(secret, "20150830", "us-east-1", "service", sts) ==
        "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST_CASE("SigV4: signing keys cached per thread never mix up secret, date, region or service") {
  struct input {
    std::string secret, date, region, service;
  };
  std::vector<input> inputs;  // 24 scopes: more than a thread keeps, so entries get replaced
  for (std::string secret : {"secret-one", "secret-two", "secret-one-"})
    for (std::string date : {"20150830", "20150831"})
      for (std::string region : {"us-east-1", "eu-west-1"})
        for (std::string service : {"cleanrooms", "cleanroom"})
          if (service == "cleanrooms" || secret == "secret-one")
            inputs.push_back({secret, date, region, service});
  const std::string sts = "AWS4-HMAC-SHA256\n20150830T123600Z\nscope\nhash";
  // Each reference on a fresh thread: nothing cached there.
  std::vector<std::string> fresh;
  for (const auto& in : inputs) {
    std::string sig;
    std::thread([&] {
      sig = sigv4_signature(in.secret, in.date, in.region, in.service, sts);
    }).join();
    fresh.push_back(sig);
  }
  CHECK(std::set<std::string>(fresh.begin(), fresh.end()).size() == inputs.size());
  // On one thread, forwards, backwards and strided: hits, misses and replaced entries.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < inputs.size(); ++i) order.push_back(i);
  for (std::size_t i = inputs.size(); i-- > 0;) order.push_back(i);
  for (std::size_t i = 0; i < 3 * inputs.size(); ++i) order.push_back(i * 7 % inputs.size());
  for (std::size_t i = 0; i < 10; ++i) order.push_back(i % 2);  // two scopes, back to back
  for (std::size_t i : order) {
    const auto& in = inputs[i];
    INFO(in.secret << " " << in.date << " " << in.region << " " << in.service);
    CHECK(sigv4_signature(in.secret, in.date, in.region, in.service, sts) == fresh[i]);
  }
}

TEST_CASE("SigV4: our SHA-256 and HMAC agree with OpenSSL's one-shot functions at every edge") {
  auto reference_hex = [](const unsigned char* p, std::size_t n) {
    std::string out;
    char b[3];
    for (std::size_t i = 0; i < n; ++i) {
      std::snprintf(b, sizeof b, "%02x", p[i]);
      out += b;
    }
    return out;
  };
  auto reference_hmac = [](const std::string& key, const std::string& data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
    return std::string(reinterpret_cast<const char*>(out), len);
  };
  std::string data;  // 0..200 bytes: both sides of the 55/56 and 64-byte padding edges
  for (std::size_t n = 0; n <= 200; ++n, data += static_cast<char>('a' + n % 26 + (n % 7 == 0))) {
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), d);
    REQUIRE(sha256_hex(data) == reference_hex(d, sizeof d));
  }
  const std::string big(1 << 20, '\x9c');
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(big.data()), big.size(), d);
  CHECK(sha256_hex(big) == reference_hex(d, sizeof d));
  // Secrets around the 64-byte HMAC block ("AWS4" + secret: 60 bytes of secret fill it; longer
  // keys are hashed first), strings to sign around the padding edges.
  for (std::size_t secret_size : {0, 1, 40, 59, 60, 61, 64, 100, 130}) {
    std::string secret;
    for (std::size_t i = 0; i < secret_size; ++i) secret += static_cast<char>(33 + (i * 37) % 90);
    for (std::size_t sts_size : {0, 1, 55, 56, 64, 119, 200, 5000}) {
      const std::string sts(sts_size, static_cast<char>('A' + sts_size % 26));
      auto k = reference_hmac("AWS4" + secret, "20150830");
      k = reference_hmac(k, "us-east-1");
      k = reference_hmac(k, "cleanrooms");
      k = reference_hmac(k, "aws4_request");
      const auto sig = reference_hmac(k, sts);
      INFO("secret " << secret_size << " bytes, string to sign " << sts_size << " bytes");
      CHECK(sigv4_signature(secret, "20150830", "us-east-1", "cleanrooms", sts) ==
            reference_hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size()));
    }
  }
}

TEST_CASE("SigV4: a request signed by botocore is accepted as its identity") {
  GIVEN("a POST with a JSON body") {
    auto v = verify_sigv4(signed_post(), store(), signed_at);
    REQUIRE(v);
    CHECK(v->who->account_id == "111122223333");
    CHECK(v->who->profile == "team-a");
    CHECK(v->region == "us-east-1");
  }
  GIVEN("a GET whose path label is an encoded ARN and whose query has two parameters") {
    http_request r;
    r.method = "GET";
    r.target =
        "/tags/arn%3Aaws%3Acleanrooms%3Aus-east-1%3A111111111111%3Acollaboration%2Fabc"
        "?maxResults=5&nextToken=a-b_c";
    r.headers = {
        {"host", "127.0.0.1:8080"},
        {"x-amz-date", "20150830T123600Z"},
        {"authorization",
         authorization("20150830/us-east-1/cleanrooms/aws4_request", "host;x-amz-date",
                       "e806437ca2b358d2ed1e95435fb268c67b6d8a41726d6c006e842b9378c5d5b7")}};
    CHECK(verify_sigv4(r, store(), signed_at));
    THEN("the same request with the query in another order is the same request") {
      r.target =
          "/tags/arn%3Aaws%3Acleanrooms%3Aus-east-1%3A111111111111%3Acollaboration%2Fabc"
          "?nextToken=a-b_c&maxResults=5";
      CHECK(verify_sigv4(r, store(), signed_at));
    }
  }
  GIVEN("a signed header whose value has runs of spaces") {
    http_request r;
    r.method = "PATCH";
    r.target = "/collaborations/abc";
    r.body = R"({"name":"  two  spaces "})";
    r.headers = {
        {"host", "127.0.0.1:8080"},
        {"content-type", "application/json"},
        {"x-custom", "  a   b  c "},
        {"x-amz-date", "20150830T123600Z"},
        {"authorization",
         authorization("20150830/us-east-1/cleanrooms/aws4_request",
                       "content-type;host;x-amz-date;x-custom",
                       "77606ef20402930a91331aff165740b5cd03b40ab553f828601d3bcbbbfa96ba")}};
    CHECK(verify_sigv4(r, store(), signed_at));
  }
}

TEST_CASE("SigV4: every tampering is refused with the error AWS sends") {
  using k = auth_failure::kind;
  REQUIRE(verify_sigv4(signed_post(), store(), signed_at));

  SECTION("no Authorization header") {
    auto r = signed_post();
    r.headers.pop_back();
    CHECK(refusal(r) == k::missing_token);
  }
  SECTION("a tampered body") {
    auto r = signed_post();
    r.body = R"({"name":"y"})";
    CHECK(refusal(r) == k::invalid_signature);
  }
  SECTION("a tampered path, query, method or signed header") {
    auto r = signed_post();
    r.target = "/collaborations?x=1";
    CHECK(refusal(r) == k::invalid_signature);
    r = signed_post();
    r.target = "/collaborationz";
    CHECK(refusal(r) == k::invalid_signature);
    r = signed_post();
    r.method = "PUT";
    CHECK(refusal(r) == k::invalid_signature);
    r = signed_post();
    set_header(r, "host", "127.0.0.1:8081");
    CHECK(refusal(r) == k::invalid_signature);
  }
  SECTION("a signature by another secret") {
    auto r = signed_post();
    set_header(r, "authorization",
               authorization("20150830/us-east-1/cleanrooms/aws4_request",
                             "content-type;host;x-amz-date", std::string(64, 'a')));
    auto v = verify_sigv4(r, store(), signed_at);
    REQUIRE_FALSE(v);
    CHECK(v.error().code == k::invalid_signature);
    // Like AWS, the message shows the canonical request, and never the secret.
    CHECK(v.error().message.find("Canonical String") != std::string::npos);
    CHECK(v.error().message.find(std::string(secret)) == std::string::npos);
  }
  SECTION("an unknown access key id") {
    auto r = signed_post();
    set_header(r, "authorization",
               "AWS4-HMAC-SHA256 Credential=AKIDOTHER/20150830/us-east-1/cleanrooms/aws4_request,"
               " SignedHeaders=content-type;host;x-amz-date, Signature=" +
                   std::string(64, 'a'));
    CHECK(refusal(r) == k::unrecognized_client);
  }
  SECTION("a malformed Authorization header") {
    auto r = signed_post();
    set_header(r, "authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE");
    CHECK(refusal(r) == k::incomplete);
  }
  SECTION("no or a malformed X-Amz-Date") {
    auto r = signed_post();
    r.headers.erase(r.headers.begin() + 2);
    CHECK(refusal(r) == k::incomplete);
    r = signed_post();
    set_header(r, "x-amz-date", "20150830T126000Z");  // minute 60
    CHECK(refusal(r) == k::incomplete);
  }
  SECTION("host not signed") {
    auto r = signed_post();
    set_header(r, "authorization",
               authorization("20150830/us-east-1/cleanrooms/aws4_request",
                             "content-type;x-amz-date", std::string(64, 'a')));
    CHECK(refusal(r) == k::incomplete);
  }
  SECTION("a scope for another service or another day") {
    auto r = signed_post();
    set_header(r, "authorization",
               authorization("20150830/us-east-1/s3/aws4_request", "content-type;host;x-amz-date",
                             std::string(64, 'a')));
    CHECK(refusal(r) == k::invalid_signature);
    r = signed_post();
    set_header(r, "authorization",
               authorization("20150831/us-east-1/cleanrooms/aws4_request",
                             "content-type;host;x-amz-date", std::string(64, 'a')));
    CHECK(refusal(r) == k::invalid_signature);
  }
  SECTION("an x-amz-content-sha256 that does not match the body") {
    auto r = signed_post();
    set_header(r, "x-amz-content-sha256", sha256_hex("another body"));
    CHECK(refusal(r) == k::invalid_signature);
  }
}

namespace {

// `r` signed by the test identity over its own canonical request (host and x-amz-date signed).
void sign(http_request& r) {
  const std::vector<std::string> names{"host", "x-amz-date"};
  auto canonical = canonical_request(r, names, sha256_hex(r.body));
  REQUIRE(canonical);
  const std::string scope = "20150830/us-east-1/cleanrooms/aws4_request";
  set_header(r, "authorization",
             authorization(scope, "host;x-amz-date",
                           sigv4_signature(secret, "20150830", "us-east-1", "cleanrooms",
                                           "AWS4-HMAC-SHA256\n20150830T123600Z\n" + scope + "\n" +
                                               sha256_hex(*canonical))));
}

http_request get(std::string target) {
  http_request r;
  r.method = "GET";
  r.target = std::move(target);
  r.headers = {{"host", "127.0.0.1:8080"}, {"x-amz-date", "20150830T123600Z"}};
  return r;
}

}  // namespace

TEST_CASE("SigV4: a signed request cannot be replayed as another request with the same signature") {
  using k = auth_failure::kind;
  SECTION("a path with '.', '..' or empty segments (the signature covers the normal form)") {
    auto r = get("/collaborations");
    sign(r);
    REQUIRE(verify_sigv4(r, store(), signed_at));
    for (auto other :
         {"/collaborations/.", "/collaborations/x/..", "//collaborations", "/./collaborations"}) {
      r.target = other;
      CHECK(refusal(r) == k::invalid_signature);
    }
  }
  SECTION("'+' for a signed %2B (the handler would read a space)") {
    auto r = get("/tags/arn?tagKeys=a%2Bb");
    sign(r);
    REQUIRE(verify_sigv4(r, store(), signed_at));
    r.target = "/tags/arn?tagKeys=a+b";
    CHECK(refusal(r) == k::invalid_signature);
  }
  SECTION("a signed header listed twice, or the list out of order") {
    auto r = signed_post();
    set_header(r, "authorization",
               authorization("20150830/us-east-1/cleanrooms/aws4_request",
                             "content-type;host;host;x-amz-date", std::string(64, 'a')));
    CHECK(refusal(r) == k::incomplete);
    set_header(r, "authorization",
               authorization("20150830/us-east-1/cleanrooms/aws4_request",
                             "host;content-type;x-amz-date", std::string(64, 'a')));
    CHECK(refusal(r) == k::incomplete);
  }
}

TEST_CASE("SigV4: the signature is valid for 15 minutes either side of the server's clock") {
  using k = auth_failure::kind;
  const std::int64_t window = 15 * 60 * 1000;
  CHECK(verify_sigv4(signed_post(), store(), signed_at + window));
  CHECK(verify_sigv4(signed_post(), store(), signed_at - window));
  auto expired = verify_sigv4(signed_post(), store(), signed_at + window + 1000);
  REQUIRE_FALSE(expired);
  CHECK(expired.error().code == k::invalid_signature);
  CHECK(expired.error().message ==
        "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z "
        "(20150830T125101Z - 15 min.)");
  auto early = verify_sigv4(signed_post(), store(), signed_at - window - 1000);
  REQUIRE_FALSE(early);
  CHECK(early.error().message.rfind("Signature not yet current: 20150830T123600Z", 0) == 0);
}

TEST_CASE("SigV4 pieces: dates, URI encoding, canonical paths and queries") {
  CHECK(parse_amz_date("20150830T123600Z") == signed_at);
  CHECK(format_amz_date(signed_at) == "20150830T123600Z");
  CHECK(parse_amz_date("20240229T000000Z"));
  CHECK_FALSE(parse_amz_date("20230229T000000Z"));
  CHECK_FALSE(parse_amz_date("20150830T123600"));
  CHECK_FALSE(parse_amz_date("2015083OT123600Z"));
  CHECK_FALSE(parse_amz_date(""));

  CHECK(uri_encode("a b/~-_.*", true) == "a%20b/~-_.%2A");
  CHECK(uri_encode("a/b", false) == "a%2Fb");
  // The SDKs encode the already-encoded path once more (every service but S3).
  CHECK(canonical_uri("/tags/arn%3Aaws") == "/tags/arn%253Aaws");
  CHECK(canonical_uri("/a/./b/../c//d/") == "/a/c/d/");
  CHECK(canonical_uri("") == "/");
  CHECK(canonical_query("b=2&a=1&a=0") == "a=0&a=1&b=2");
  CHECK(canonical_query("k=a%20b&flag") == "flag=&k=a%20b");
  CHECK(canonical_query("k=%7e") == "k=~");
  // '+' is a space, as the handlers read it (parse_query).
  CHECK(canonical_query("k=a+b") == "k=a%20b");
  CHECK(canonical_query("k=a%2Bb") == "k=a%2Bb");
  CHECK_FALSE(canonical_query("k=%zz"));
}
