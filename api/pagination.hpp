// Opaque, tamper-evident pagination tokens: base64url(payload || HMAC-SHA256(secret, payload)).
// A token is bound to the operation, the caller and the filters it was issued for.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace crs::api {

class token_codec {
 public:
  // Throws std::runtime_error if OpenSSL cannot key the MAC (out of memory).
  explicit token_codec(std::string secret);
  // Copies share the keyed state; no move, so a codec is never left without one.
  token_codec(const token_codec&) = default;
  token_codec& operator=(const token_codec&) = default;
  // `cursor` is where the next page starts (an opaque store key).
  std::string encode(std::string_view operation, std::string_view caller, std::string_view filter,
                     std::string_view cursor) const;
  // The cursor, or nullopt when the token is malformed, forged, or was issued for another
  // operation, caller or filter.
  std::optional<std::string> decode(std::string_view token, std::string_view operation,
                                    std::string_view caller, std::string_view filter) const;

 private:
  // HMAC-SHA256's inner and outer hash states after the key's block, computed once: the
  // one-shot HMAC() fetched and keyed a MAC on every call, most of a List page's cost.
  struct keyed;
  std::shared_ptr<const keyed> keyed_;
};

}  // namespace crs::api
