// SigV4 (api/sigv4*.hpp). The Authorization header parser: hostile bytes must be refused in
// bounded work, and whatever it accepts must satisfy the documented shape and survive being
// written back in the canonical spelling and parsed again. The verifier: any request answers
// without crashing, a properly signed one verifies, a tampered one does not.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <algorithm>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "api/router.hpp"
#include "api/sigv4.hpp"
#include "api/sigv4_verify.hpp"

namespace {

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_lower_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f');
}

std::string canonical(const crs::api::sigv4_authorization& a) {
  std::string out = "AWS4-HMAC-SHA256 Credential=" + a.access_key_id + "/" + a.date + "/" +
                    a.region + "/" + a.service + "/aws4_request, SignedHeaders=";
  for (std::size_t i = 0; i < a.signed_headers.size(); ++i)
    out += (i ? ";" : "") + a.signed_headers[i];
  return out + ", Signature=" + a.signature;
}

int check_parser(const std::uint8_t* data, std::size_t size) {
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  const auto auth = crs::api::parse_authorization(header);
  if (!auth) return 0;

  require(!auth->access_key_id.empty(), "empty access key id accepted");
  require(auth->date.size() == 8 && all_of(auth->date, is_digit), "credential date not yyyymmdd");
  require(!auth->region.empty() && !auth->service.empty(), "empty region or service accepted");
  require(!auth->signed_headers.empty(), "no signed headers accepted");
  for (const auto& h : auth->signed_headers) require(!h.empty(), "empty signed header name");
  require(auth->signature.size() == 64 && all_of(auth->signature, is_lower_hex),
          "signature is not 64 lower-case hex digits");

  const auto again = crs::api::parse_authorization(canonical(*auth));
  require(again.has_value(), "the canonical spelling of an accepted header is refused");
  require(again->access_key_id == auth->access_key_id && again->date == auth->date &&
              again->region == auth->region && again->service == auth->service &&
              again->signed_headers == auth->signed_headers && again->signature == auth->signature,
          "the canonical spelling parses to something else");

  return 0;
}

constexpr std::int64_t now_ms = 1440938160000;  // 2015-08-30T12:36:00Z
constexpr std::string_view secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

const crs::api::credential_store& store() {
  static const crs::api::credential_store s = [] {
    auto parsed = crs::api::credential_store::parse(
        "[fuzz]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = " + std::string(secret) +
        "\naws_account_id = 111122223333\n");
    require(parsed.ok(), "the fuzz credentials parse");
    return std::move(parsed.value());
  }();
  return s;
}

bool is_token_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
}

// The whole verification on a request made of fuzzed parts: (1) whatever the request, it
// answers without crashing; (2) once signed with the right secret over its own canonical
// request, it verifies as the file's identity; (3) any change to a signed part is refused.
void check_verifier(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  crs::api::http_request r;
  r.method = in.PickValueInArray({"GET", "POST", "PATCH", "DELETE", "PUT"});
  r.target = in.ConsumeRandomLengthString(256);
  const auto n_headers = in.ConsumeIntegralInRange<int>(0, 6);
  for (int i = 0; i < n_headers; ++i) {
    auto name = in.ConsumeRandomLengthString(24);
    auto value = in.ConsumeRandomLengthString(64);
    // The signing headers are set below; a fuzzed copy in front would be the one read.
    if (name == "host" || name == "x-amz-date" || name == "authorization" ||
        name == "x-amz-content-sha256")
      continue;
    r.headers.emplace_back(std::move(name), std::move(value));
  }
  r.headers.emplace_back("host", "127.0.0.1:8080");
  r.headers.emplace_back("x-amz-date", "20150830T123600Z");
  const auto raw_auth = in.ConsumeRandomLengthString(300);
  r.body = in.ConsumeRemainingBytesAsString();

  // (1) a fuzzed Authorization header
  r.headers.emplace_back("authorization", raw_auth);
  auto fuzzed = crs::api::verify_sigv4(r, store(), now_ms);
  (void)fuzzed;
  r.headers.pop_back();

  // (2) signed properly: every header whose name is a plain token, sorted, unique.
  std::vector<std::string> names;
  for (const auto& [name, value] : r.headers)
    if (!name.empty() && all_of(name, is_token_char)) names.push_back(name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  const auto payload = crs::api::sha256_hex(r.body);
  const auto canonical = crs::api::canonical_request(r, names, payload);
  if (!canonical) return;  // the query is not valid percent-encoding: nothing can sign it
  const std::string scope = "20150830/us-east-1/cleanrooms/aws4_request";
  const auto signature = crs::api::sigv4_signature(
      secret, "20150830", "us-east-1", "cleanrooms",
      "AWS4-HMAC-SHA256\n20150830T123600Z\n" + scope + "\n" + crs::api::sha256_hex(*canonical));
  std::string header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + scope + ", SignedHeaders=";
  for (std::size_t i = 0; i < names.size(); ++i) header += (i ? ";" : "") + names[i];
  header += ", Signature=" + signature;
  r.headers.emplace_back("authorization", header);
  // A path that is not in normal form routes elsewhere than the path signed: never accepted.
  const auto path = crs::api::split_target(r.target).first;
  if (crs::api::canonical_uri(path) != crs::api::uri_encode(path, true)) {
    require(!crs::api::verify_sigv4(r, store(), now_ms).ok(), "a non-normal path verifies");
    return;
  }
  auto good = crs::api::verify_sigv4(r, store(), now_ms);
  if (!good) std::fprintf(stderr, "refused: %s\n", good.error().message.c_str());
  require(good.ok(), "a request signed over its own canonical request is refused");
  require(good->who->account_id == "111122223333", "verified as another identity");

  // (3) tampering: the body, the method.
  auto body = r;
  body.body += 'x';
  require(!crs::api::verify_sigv4(body, store(), now_ms).ok(), "a changed body verifies");
  auto method = r;
  method.method = r.method == "GET" ? "POST" : "GET";
  require(!crs::api::verify_sigv4(method, store(), now_ms).ok(), "a changed method verifies");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check_parser(data, size);
  check_verifier(data, size);
  return 0;
}
