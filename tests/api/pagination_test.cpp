#include <catch2/catch.hpp>

#include <cstdint>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "api/pagination.hpp"

using namespace crs::api;

TEST_CASE("pagination tokens round-trip and are bound to op, caller and filter") {
  token_codec codec("secret-1");
  const std::string cursor("col\x00lab\xff/42", 12);
  auto token = codec.encode("ListCollaborations", "111122223333", "memberStatus=ACTIVE", cursor);
  CHECK_FALSE(token.empty());
  CHECK(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
      std::string::npos);

  auto back = codec.decode(token, "ListCollaborations", "111122223333", "memberStatus=ACTIVE");
  REQUIRE(back);
  CHECK(*back == cursor);

  CHECK_FALSE(codec.decode(token, "ListMemberships", "111122223333", "memberStatus=ACTIVE"));
  CHECK_FALSE(codec.decode(token, "ListCollaborations", "444455556666", "memberStatus=ACTIVE"));
  CHECK_FALSE(codec.decode(token, "ListCollaborations", "111122223333", "memberStatus=INVITED"));
  CHECK_FALSE(codec.decode(token, "ListCollaborations", "111122223333", ""));
  CHECK_FALSE(token_codec("secret-2")
                  .decode(token, "ListCollaborations", "111122223333", "memberStatus=ACTIVE"));

  // Length-prefixing keeps field boundaries: ("ab","c") and ("a","bc") differ.
  auto t2 = codec.encode("ab", "c", "", "x");
  CHECK_FALSE(codec.decode(t2, "a", "bc", ""));
  CHECK(codec.decode(t2, "ab", "c", "") == std::optional<std::string>("x"));

  auto empty_cursor = codec.encode("op", "me", "", "");
  CHECK(codec.decode(empty_cursor, "op", "me", "") == std::optional<std::string>(""));
}

TEST_CASE("pagination tokens are tamper-evident") {
  token_codec codec("secret");
  auto token = codec.encode("ListMembers", "111122223333", "", "cursor-value");
  for (std::size_t i = 0; i < token.size(); ++i) {
    std::string t = token;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    CHECK_FALSE(codec.decode(t, "ListMembers", "111122223333", ""));
  }
  CHECK_FALSE(codec.decode(token + "A", "ListMembers", "111122223333", ""));
  CHECK_FALSE(codec.decode(token.substr(0, token.size() - 1), "ListMembers", "111122223333", ""));
}

TEST_CASE("garbage tokens are rejected") {
  token_codec codec("secret");
  for (const char* t : {"", "x", "====", "abc=", "not a token", "%%%%", "AAAA", "+/+/"})
    CHECK_FALSE(codec.decode(t, "op", "me", ""));
  CHECK_FALSE(codec.decode(std::string(10241, 'A'), "op", "me", ""));
  CHECK_FALSE(codec.decode(std::string(10240, 'A'), "op", "me", ""));
}

// The codec hashes the key's HMAC blocks once; its tags must be RFC 2104 HMAC-SHA256 exactly, so
// tokens handed out before the change (and by any build) still verify. Compared with OpenSSL's
// one-shot HMAC() over the token's documented layout, for keys shorter than, equal to and
// longer than SHA-256's 64-byte block (the last are hashed first).
TEST_CASE("pagination token tags are HMAC-SHA256 of the documented payload, for any key size") {
  auto field = [](std::string_view f) {
    std::string out;
    for (int i = 7; i >= 0; --i)
      out.push_back(static_cast<char>((static_cast<std::uint64_t>(f.size()) >> (8 * i)) & 0xff));
    return out + std::string(f);
  };
  auto base64url = [](std::string_view in) {
    static constexpr char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char c : in) {
      acc = (acc << 8) | c;
      bits += 8;
      while (bits >= 6) out.push_back(abc[(acc >> (bits -= 6)) & 63]);
    }
    if (bits > 0) out.push_back(abc[(acc << (6 - bits)) & 63]);
    return out;
  };
  for (std::size_t key_size : {0u, 1u, 31u, 63u, 64u, 65u, 200u}) {
    std::string key(key_size, '\0');
    for (std::size_t i = 0; i < key_size; ++i) key[i] = static_cast<char>(i * 37 + 11);
    const std::string cursor("m/us-east-1/\x00\xff", 14);
    const std::string payload = std::string(1, '\x01') + field("ListMemberships") +
                                field("111122223333") + field("status=ACTIVE") + field(cursor);
    unsigned char tag[32];
    unsigned int n = 0;
    static const unsigned char none = 0;
    REQUIRE(
        HMAC(EVP_sha256(), key.empty() ? &none : reinterpret_cast<const unsigned char*>(key.data()),
             static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(payload.data()),
             payload.size(), tag, &n) != nullptr);
    REQUIRE(n == 32);
    const std::string raw =
        std::string(1, '\x01') + cursor + std::string(reinterpret_cast<const char*>(tag), 32);
    INFO("key of " << key_size << " bytes");
    const token_codec codec(key);
    CHECK(codec.encode("ListMemberships", "111122223333", "status=ACTIVE", cursor) ==
          base64url(raw));
    CHECK(codec.decode(base64url(raw), "ListMemberships", "111122223333", "status=ACTIVE") ==
          std::optional<std::string>(cursor));
  }
}
