// Parsing of the SigV4 Authorization header (verification: api/sigv4_verify.hpp). In open mode
// the access key id names the account (a 12-digit key is the account id).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crs::api {

inline constexpr std::string_view algorithm_name = "AWS4-HMAC-SHA256";

struct sigv4_authorization {
  std::string access_key_id;
  std::string date;     // yyyymmdd of the credential scope
  std::string region;   // e.g. "us-east-1"
  std::string service;  // "cleanrooms"
  std::vector<std::string> signed_headers;
  std::string signature;  // lower-case hex
};

// Parses "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/cleanrooms/aws4_request,
// SignedHeaders=host;x-amz-date, Signature=abc..." (spaces after commas optional).
// SignedHeaders must be strictly ascending (sorted, no repeats), at most 64 names.
// nullopt for anything else; never throws, bounded work on hostile input.
std::optional<sigv4_authorization> parse_authorization(std::string_view header);

// 12 decimal digits.
bool is_account_id(std::string_view s);
// The shape the ARN patterns accept for a region ([\w]{2}-[\w]{4,9}-[\d]), e.g. "eu-west-1".
bool is_region_name(std::string_view s);

}  // namespace crs::api
