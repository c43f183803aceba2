#include "api/sigv4_verify.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <utility>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "api/router.hpp"
#include "events/calendar.hpp"

namespace crs::api {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

std::string to_hex(const unsigned char* p, std::size_t n) {
  std::string out(n * 2, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = hex_digits[p[i] >> 4];
    out[2 * i + 1] = hex_digits[p[i] & 0xf];
  }
  return out;
}

// SHA-256 with the algorithm fetched once and a context reused per thread. OpenSSL 3's one-shot
// SHA256() and HMAC() look the algorithm up in the provider registry on every call, which cost
// more than the hashing itself for requests this small.
class sha256_hasher {
 public:
  sha256_hasher() : md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)), ctx_(EVP_MD_CTX_new()) {
    if (!md_ || !ctx_) throw std::runtime_error("OpenSSL: SHA256 is not available");
  }

  using digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;
  // The digest of the concatenation of `parts`.
  digest operator()(std::initializer_list<std::string_view> parts) {
    digest out{};
    unsigned int len = 0;
    bool ok = EVP_DigestInit_ex2(ctx_.get(), md_.get(), nullptr) == 1;
    for (auto p : parts) ok = ok && EVP_DigestUpdate(ctx_.get(), p.data(), p.size()) == 1;
    ok = ok && EVP_DigestFinal_ex(ctx_.get(), out.data(), &len) == 1;
    if (!ok || len != out.size()) throw std::runtime_error("OpenSSL: SHA256 failed");
    return out;
  }

 private:
  struct md_free {
    void operator()(EVP_MD* p) const { EVP_MD_free(p); }
  };
  struct ctx_free {
    void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
  };
  std::unique_ptr<EVP_MD, md_free> md_;
  std::unique_ptr<EVP_MD_CTX, ctx_free> ctx_;
};

sha256_hasher& hasher() {
  thread_local sha256_hasher h;
  return h;
}

std::string_view bytes(const sha256_hasher::digest& d) {
  return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
}

// HMAC-SHA256 (RFC 2104) on the reused hasher: H((K ^ opad) || H((K ^ ipad) || data)), K the key
// zero-padded to the 64-byte block, or its digest when longer. The padded keys are derived from
// the secret, so they are wiped on the way out, as OpenSSL's HMAC() does.
std::string hmac(std::string_view key, std::string_view data) {
  constexpr std::size_t block = 64;
  auto& h = hasher();
  sha256_hasher::digest hashed_key{};
  std::array<char, block> inner{}, outer{};
  struct wipe {
    sha256_hasher::digest& hashed;
    std::array<char, block>&a, &b;
    ~wipe() {
      OPENSSL_cleanse(hashed.data(), hashed.size());
      OPENSSL_cleanse(a.data(), a.size());
      OPENSSL_cleanse(b.data(), b.size());
    }
  } guard{hashed_key, inner, outer};
  if (key.size() > block) {
    hashed_key = h({key});
    key = bytes(hashed_key);
  }
  for (std::size_t i = 0; i < block; ++i) {
    const char k = i < key.size() ? key[i] : 0;
    inner[i] = static_cast<char>(k ^ 0x36);
    outer[i] = static_cast<char>(k ^ 0x5c);
  }
  const auto in = h({std::string_view(inner.data(), block), data});
  const auto out = h({std::string_view(outer.data(), block), bytes(in)});
  return std::string(bytes(out));
}

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

// A header value as SigV4 canonicalises it: outer whitespace trimmed, inner runs of spaces
// collapsed to one.
void append_trimmed(std::string& out, std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
}

bool digits(std::string_view s, std::size_t from, std::size_t n, int& out) {
  out = 0;
  for (std::size_t i = from; i < from + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

auth_failure fail(auth_failure::kind k, std::string message) {
  return auth_failure{k, std::move(message)};
}

constexpr std::string_view bad_signature_text =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

}  // namespace

std::string sha256_hex(std::string_view data) {
  const auto d = hasher()({data});
  return to_hex(d.data(), d.size());
}

// The signing key depends only on the secret and the scope (date, region, service), which stay
// the same across a client's requests for a day: deriving it takes four of a request's five
// HMACs. Each thread keeps the last few keys; an entry is used only when all four inputs match
// exactly.
namespace {
const std::string& signing_key(std::string_view secret, std::string_view date,
                               std::string_view region, std::string_view service) {
  struct entry {
    std::string secret, date, region, service, key;
  };
  constexpr std::size_t kept = 8;
  thread_local std::array<entry, kept> cache;
  thread_local std::size_t next = 0;  // the slot to replace next (round robin)
  for (const auto& e : cache)
    if (!e.key.empty() && e.secret == secret && e.date == date && e.region == region &&
        e.service == service)
      return e.key;
  auto k = hmac("AWS4" + std::string(secret), date);
  k = hmac(k, region);
  k = hmac(k, service);
  k = hmac(k, "aws4_request");
  auto& e = cache[next];
  next = (next + 1) % kept;
  e = entry{std::string(secret), std::string(date), std::string(region), std::string(service),
            std::move(k)};
  return e.key;
}
}  // namespace

std::string sigv4_signature(std::string_view secret, std::string_view date, std::string_view region,
                            std::string_view service, std::string_view string_to_sign) {
  auto sig = hmac(signing_key(secret, date, region, service), string_to_sign);
  return to_hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
}

std::optional<std::int64_t> parse_amz_date(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  int y, mo, d, h, mi, se;
  if (!digits(s, 0, 4, y) || !digits(s, 4, 2, mo) || !digits(s, 6, 2, d) || !digits(s, 9, 2, h) ||
      !digits(s, 11, 2, mi) || !digits(s, 13, 2, se))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, mo) || h > 23 ||
      mi > 59 || se > 59)
    return std::nullopt;
  const auto days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi) * 60000 + static_cast<std::int64_t>(se) * 1000;
}

std::string format_amz_date(std::int64_t epoch_ms) {
  std::int64_t secs = epoch_ms >= 0 ? epoch_ms / 1000 : (epoch_ms - 999) / 1000;
  std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  const auto tod = static_cast<int>(secs - days * 86400);
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld%02u%02uT%02d%02d%02dZ", static_cast<long long>(y), m, d,
                tod / 3600, tod / 60 % 60, tod % 60);
  return buf;
}

std::string uri_encode(std::string_view s, bool keep_slash) {
  std::string out;
  out.reserve(s.size() + s.size() / 2);
  for (unsigned char c : s) {
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += "0123456789ABCDEF"[c >> 4];
      out += "0123456789ABCDEF"[c & 0xf];
    }
  }
  return out;
}

std::string canonical_uri(std::string_view raw_path) {
  std::vector<std::string_view> segments;
  std::string_view rest = raw_path;
  while (!rest.empty()) {
    auto slash = rest.find('/');
    auto seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(seg);
  }
  std::string path = "/";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i) path += '/';
    path += segments[i];
  }
  if (!segments.empty() && raw_path.size() > 1 && raw_path.back() == '/') path += '/';
  return uri_encode(path, true);
}

std::optional<std::string> canonical_query(std::string_view raw_query) {
  // Decoded exactly as the handlers will read it (parse_query: '+' is a space), so the query
  // the signature covers is the query that runs: "a+b" cannot stand in for a signed "a%2Bb".
  auto decoded = parse_query(raw_query);
  if (!decoded) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> pairs;
  pairs.reserve(decoded->size());
  for (const auto& [name, value] : *decoded)
    pairs.emplace_back(uri_encode(name, false), uri_encode(value, false));
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [k, v] : pairs) {
    if (!out.empty()) out += '&';
    out += k;
    out += '=';
    out += v;
  }
  return out;
}

std::optional<std::string> canonical_request(const http_request& request,
                                             const std::vector<std::string>& signed_headers,
                                             std::string_view payload_hash) {
  auto [path, raw_query] = split_target(request.target);
  auto query = canonical_query(raw_query);
  if (!query) return std::nullopt;
  std::string out = request.method;
  out += '\n';
  out += canonical_uri(path);
  out += '\n';
  out += *query;
  out += '\n';
  for (const auto& name : signed_headers) {
    out += name;
    out += ':';
    bool first = true;
    for (const auto& [n, v] : request.headers) {
      if (n != name) continue;
      if (!first) out += ',';
      first = false;
      append_trimmed(out, v);
    }
    out += '\n';
  }
  out += '\n';
  for (std::size_t i = 0; i < signed_headers.size(); ++i) {
    if (i) out += ';';
    out += signed_headers[i];
  }
  out += '\n';
  out += payload_hash;
  return out;
}

result<authenticated, auth_failure> verify_sigv4(const http_request& request,
                                                 const credential_store& store,
                                                 std::int64_t now_ms) {
  using k = auth_failure::kind;
  const auto header = request.header("authorization");
  if (header.empty()) return fail(k::missing_token, "Missing Authentication Token");
  auto auth = parse_authorization(header);
  if (!auth)
    return fail(k::incomplete,
                "The Authorization header is not a well-formed AWS Signature Version 4 header "
                "(AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/cleanrooms/aws4_request, "
                "SignedHeaders=..., Signature=<64 hex>)");
  if (auth->service != signing_service)
    return fail(k::invalid_signature, "Credential should be scoped to correct service: '" +
                                          std::string(signing_service) + "'. ");
  if (!is_region_name(auth->region))
    return fail(k::invalid_signature,
                "Credential should be scoped to a valid region, not '" + auth->region + "'. ");
  const identity* who = store.find(auth->access_key_id);
  if (!who)
    return fail(k::unrecognized_client, "The security token included in the request is invalid.");

  const auto amz_date = request.header("x-amz-date");
  if (amz_date.empty())
    return fail(k::incomplete, "Authorization header requires existence of a 'X-Amz-Date' header.");
  const auto signed_at = parse_amz_date(amz_date);
  if (!signed_at)
    return fail(k::incomplete,
                "X-Amz-Date must be in the ISO-8601 basic format "
                "yyyyMMdd'T'HHmmss'Z', not '" +
                    std::string(amz_date.substr(0, 32)) + "'.");
  // The signature covers the normalised path; the router reads the raw one. Where they differ
  // ("/a/./b", "/a/b/..", "/a//b") a signed request could be replayed at another route.
  if (const auto raw_path = split_target(request.target).first;
      canonical_uri(raw_path) != uri_encode(raw_path, true))
    return fail(k::invalid_signature,
                "The request path has empty, '.' or '..' segments; send it in normal form, as "
                "signed.");
  if (std::find(auth->signed_headers.begin(), auth->signed_headers.end(), "host") ==
      auth->signed_headers.end())
    return fail(k::incomplete, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  if (amz_date.substr(0, 8) != auth->date)
    return fail(k::invalid_signature,
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                "from HTTP: '" +
                    auth->date + "' != '" + std::string(amz_date.substr(0, 8)) + "', from '" +
                    std::string(amz_date) + "'.");
  if (*signed_at < now_ms - max_clock_skew_ms)
    return fail(k::invalid_signature, "Signature expired: " + std::string(amz_date) +
                                          " is now earlier than " +
                                          format_amz_date(now_ms - max_clock_skew_ms) + " (" +
                                          format_amz_date(now_ms) + " - 15 min.)");
  if (*signed_at > now_ms + max_clock_skew_ms)
    return fail(k::invalid_signature, "Signature not yet current: " + std::string(amz_date) +
                                          " is still later than " +
                                          format_amz_date(now_ms + max_clock_skew_ms) + " (" +
                                          format_amz_date(now_ms) + " + 15 min.)");

  // The payload hash is always computed from the body received: a client-declared
  // x-amz-content-sha256 must agree with it, or a signed header could vouch for another body.
  const auto payload_hash = sha256_hex(request.body);
  if (const auto declared = request.header("x-amz-content-sha256");
      !declared.empty() && declared != payload_hash)
    return fail(k::invalid_signature,
                "The provided 'x-amz-content-sha256' header does not match what was computed.");

  auto canonical = canonical_request(request, auth->signed_headers, payload_hash);
  if (!canonical) return fail(k::invalid_signature, std::string(bad_signature_text));
  const std::string scope = auth->date + "/" + auth->region + "/" + auth->service + "/aws4_request";
  const std::string string_to_sign = std::string(algorithm_name) + "\n" + std::string(amz_date) +
                                     "\n" + scope + "\n" + sha256_hex(*canonical);
  const auto expected = sigv4_signature(who->secret_access_key, auth->date, auth->region,
                                        auth->service, string_to_sign);
  // Both are 64 lower-case hex digits (parse_authorization checked the provided one).
  if (expected.size() != auth->signature.size() ||
      CRYPTO_memcmp(expected.data(), auth->signature.data(), expected.size()) != 0)
    return fail(k::invalid_signature, std::string(bad_signature_text) +
                                          "\n\nThe Canonical String for this request "
                                          "should have been\n'" +
                                          *canonical +
                                          "'\n\nThe String-to-Sign should have been\n'" +
                                          string_to_sign + "'\n");
  return authenticated{who, auth->region};
}

}  // namespace crs::api
