// SigV4 verification for `serve --auth sigv4`: the full AWS Signature Version 4 of a request
// (canonical request, credential scope, signing key, time window), checked against the
// identities of a credentials file. Pure: the time comes from the caller, so it is testable to
// the second and the fuzzers drive it without a clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/credentials.hpp"
#include "api/http.hpp"
#include "api/sigv4.hpp"
#include "events/result.hpp"

namespace crs::api {

inline constexpr std::string_view signing_service = "cleanrooms";
// How far x-amz-date may be from the server's clock, either way (AWS: 15 minutes).
inline constexpr std::int64_t max_clock_skew_ms = 15 * 60 * 1000;

// Why a request was refused; the dispatcher renders each as the exception AWS sends (all 403).
struct auth_failure {
  enum class kind {
    missing_token,        // no Authorization header: MissingAuthenticationTokenException
    incomplete,           // malformed or incomplete signing data: IncompleteSignatureException
    unrecognized_client,  // unknown access key id: UnrecognizedClientException
    invalid_signature,    // wrong signature, scope, expired or future: InvalidSignatureException
  };
  kind code = kind::incomplete;
  std::string message;
};

struct authenticated {
  const identity* who = nullptr;  // points into the credential_store
  std::string region;             // of the credential scope
};

// Verifies `request` (headers lower-cased, raw target, exact body) at time `now_ms`.
[[nodiscard]] result<authenticated, auth_failure> verify_sigv4(const http_request& request,
                                                               const credential_store& store,
                                                               std::int64_t now_ms);

// The pieces, exposed for the tests and the fuzzers.

// "20240101T120000Z" → epoch milliseconds; nullopt unless exactly that shape and a real time.
std::optional<std::int64_t> parse_amz_date(std::string_view s);
std::string format_amz_date(std::int64_t epoch_ms);

// RFC 3986 percent-encoding of everything but the unreserved characters (A-Z a-z 0-9 - _ . ~),
// upper-case hex; '/' is kept when `keep_slash`.
std::string uri_encode(std::string_view s, bool keep_slash);

// The canonical URI of a raw (still percent-encoded) request path, as the SDKs compute it for
// every service but S3: dot segments and empty segments removed, then encoded once more.
std::string canonical_uri(std::string_view raw_path);

// The canonical query string of a raw query: pairs decoded, re-encoded, sorted by name then
// value. nullopt when the query is not valid percent-encoding.
std::optional<std::string> canonical_query(std::string_view raw_query);

// The canonical request for the signed headers of `auth`; nullopt when the query is invalid.
std::optional<std::string> canonical_request(const http_request& request,
                                             const std::vector<std::string>& signed_headers,
                                             std::string_view payload_hash);

std::string sha256_hex(std::string_view data);

// The SigV4 signature (lower-case hex) of `string_to_sign` for secret/date/region/service.
std::string sigv4_signature(std::string_view secret, std::string_view date, std::string_view region,
                            std::string_view service, std::string_view string_to_sign);

}  // namespace crs::api
