// The identities `serve --auth sigv4` believes: an AWS shared-credentials file, one section per
// identity, each with aws_access_key_id, aws_secret_access_key and aws_account_id. The same
// file works for the AWS CLI (AWS_SHARED_CREDENTIALS_FILE + --profile) and the SDKs, so a team
// keeps one file for the server and its clients.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "events/result.hpp"

namespace crs::api {

struct identity {
  std::string profile;  // the section name, for logs and error messages
  std::string access_key_id;
  std::string secret_access_key;
  std::string account_id;  // 12 digits
};

// Bounds on what a credentials file may hold, so a wrong path (a log, a dump) fails fast.
inline constexpr std::size_t max_credentials_bytes = 4u << 20;
inline constexpr std::size_t max_identities = 10000;

class credential_store {
 public:
  // The identity whose access key id is `key`, or null.
  [[nodiscard]] const identity* find(std::string_view access_key_id) const;
  [[nodiscard]] std::size_t size() const { return by_key_.size(); }

  // Parses the file's text. Every section must carry all three keys (other keys, such as
  // region, are ignored); access key ids must be unique; account ids are 12 digits. Errors
  // name the line (or the profile) and never echo a secret.
  [[nodiscard]] static result<credential_store> parse(std::string_view text);
  [[nodiscard]] static result<credential_store> load(const std::string& path);

 private:
  std::map<std::string, identity, std::less<>> by_key_;
};

}  // namespace crs::api
