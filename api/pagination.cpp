#include "api/pagination.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace crs::api {

namespace {

// Token layout (before base64url): version byte || cursor || HMAC-SHA256 tag (32 bytes).
// The tag covers the version and length-prefixed (operation, caller, filter, cursor), so the
// binding fields never travel in the token yet a token replayed elsewhere fails to verify.
constexpr unsigned char token_version = 1;
constexpr std::size_t mac_size = 32;
constexpr std::size_t max_token_chars = 10240;  // the model's nextToken maximum

using mac_t = std::array<unsigned char, mac_size>;

void append_field(std::string& out, std::string_view field) {
  const std::uint64_t n = field.size();
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  out.append(field);
}

constexpr std::size_t sha256_block = 64;

struct md_ctx_deleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using md_ctx = std::unique_ptr<EVP_MD_CTX, md_ctx_deleter>;

}  // namespace

// RFC 2104: HMAC(K, m) = H((K' ^ opad) || H((K' ^ ipad) || m)), K' the key padded to a block
// (hashed first when longer). The two prefixes are hashed here once; a MAC copies them.
struct token_codec::keyed {
  md_ctx inner, outer;
  explicit keyed(const std::string& secret) : inner(EVP_MD_CTX_new()), outer(EVP_MD_CTX_new()) {
    std::array<unsigned char, sha256_block> key{};
    if (secret.size() > sha256_block) {
      unsigned int n = 0;
      if (EVP_Digest(secret.data(), secret.size(), key.data(), &n, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("cannot hash the pagination token key");
    } else {
      std::copy(secret.begin(), secret.end(), key.begin());
    }
    std::array<unsigned char, sha256_block> ipad{}, opad{};
    for (std::size_t i = 0; i < sha256_block; ++i) {
      ipad[i] = static_cast<unsigned char>(key[i] ^ 0x36);
      opad[i] = static_cast<unsigned char>(key[i] ^ 0x5c);
    }
    const bool ok = inner && outer && EVP_DigestInit_ex(inner.get(), EVP_sha256(), nullptr) == 1 &&
                    EVP_DigestUpdate(inner.get(), ipad.data(), ipad.size()) == 1 &&
                    EVP_DigestInit_ex(outer.get(), EVP_sha256(), nullptr) == 1 &&
                    EVP_DigestUpdate(outer.get(), opad.data(), opad.size()) == 1;
    OPENSSL_cleanse(key.data(), key.size());
    OPENSSL_cleanse(ipad.data(), ipad.size());
    OPENSSL_cleanse(opad.data(), opad.size());
    // Refused whole rather than per token: a codec that cannot sign would end every listing
    // after its first page (an empty nextToken) and refuse every token, silently.
    if (!ok) throw std::runtime_error("cannot key the pagination token MAC");
  }
  bool mac(std::string_view operation, std::string_view caller, std::string_view filter,
           std::string_view cursor, mac_t& out) const {
    std::string payload;
    payload.reserve(1 + 32 + operation.size() + caller.size() + filter.size() + cursor.size());
    payload.push_back(static_cast<char>(token_version));
    append_field(payload, operation);
    append_field(payload, caller);
    append_field(payload, filter);
    append_field(payload, cursor);
    return mac(payload, out);
  }
  bool mac(std::string_view message, mac_t& out) const {
    md_ctx c(EVP_MD_CTX_new());
    std::array<unsigned char, mac_size> inner_hash{};
    unsigned int n = 0, m = 0;
    return c && EVP_MD_CTX_copy_ex(c.get(), inner.get()) == 1 &&
           EVP_DigestUpdate(c.get(), message.data(), message.size()) == 1 &&
           EVP_DigestFinal_ex(c.get(), inner_hash.data(), &n) == 1 && n == mac_size &&
           EVP_MD_CTX_copy_ex(c.get(), outer.get()) == 1 &&
           EVP_DigestUpdate(c.get(), inner_hash.data(), inner_hash.size()) == 1 &&
           EVP_DigestFinal_ex(c.get(), out.data(), &m) == 1 && m == mac_size;
  }
};

namespace {

constexpr char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto byte = [&](std::size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(in[k]));
  };
  for (; i + 3 <= in.size(); i += 3) {
    std::uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    for (int s = 18; s >= 0; s -= 6) out.push_back(b64_alphabet[(v >> s) & 63]);
  }
  if (in.size() - i == 1) {
    std::uint32_t v = byte(i) << 16;
    out.push_back(b64_alphabet[(v >> 18) & 63]);
    out.push_back(b64_alphabet[(v >> 12) & 63]);
  } else if (in.size() - i == 2) {
    std::uint32_t v = byte(i) << 16 | byte(i + 1) << 8;
    out.push_back(b64_alphabet[(v >> 18) & 63]);
    out.push_back(b64_alphabet[(v >> 12) & 63]);
    out.push_back(b64_alphabet[(v >> 6) & 63]);
  }
  return out;
}

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// Strict: no padding, no foreign characters, and the unused low bits of the last character
// must be zero, so every byte string has exactly one accepted spelling.
std::optional<std::string> base64url_decode(std::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() / 4 * 3 + 2);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = b64_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace

token_codec::token_codec(std::string secret) : keyed_(std::make_shared<const keyed>(secret)) {
  OPENSSL_cleanse(secret.data(), secret.size());
}

std::string token_codec::encode(std::string_view operation, std::string_view caller,
                                std::string_view filter, std::string_view cursor) const {
  mac_t mac{};
  if (!keyed_->mac(operation, caller, filter, cursor, mac)) return std::string();
  std::string raw;
  raw.reserve(1 + cursor.size() + mac_size);
  raw.push_back(static_cast<char>(token_version));
  raw.append(cursor);
  raw.append(reinterpret_cast<const char*>(mac.data()), mac.size());
  return base64url_encode(raw);
}

std::optional<std::string> token_codec::decode(std::string_view token, std::string_view operation,
                                               std::string_view caller,
                                               std::string_view filter) const {
  if (token.empty() || token.size() > max_token_chars) return std::nullopt;
  auto raw = base64url_decode(token);
  if (!raw || raw->size() < 1 + mac_size) return std::nullopt;
  if (static_cast<unsigned char>((*raw)[0]) != token_version) return std::nullopt;
  std::string_view cursor(raw->data() + 1, raw->size() - 1 - mac_size);
  mac_t expected{};
  if (!keyed_->mac(operation, caller, filter, cursor, expected)) return std::nullopt;
  const char* given = raw->data() + raw->size() - mac_size;
  if (CRYPTO_memcmp(given, expected.data(), mac_size) != 0) return std::nullopt;
  return std::string(cursor);
}

}  // namespace crs::api
