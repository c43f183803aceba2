#include "api/sigv4.hpp"

#include <utility>

namespace crs::api {

namespace {

constexpr std::size_t max_header_length = 4096;
constexpr std::size_t max_signed_headers = 64;

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
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
bool is_region_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || c == '-';
}
// Access key ids are upper-case alphanumerics at AWS; the emulator maps any key, so accept the
// printable ASCII that cannot confuse the credential syntax.
bool is_key_char(char c) {
  return c > ' ' && c < 0x7f && c != '/' && c != ',' && c != '=';
}
// RFC 7230 token characters, lower-case only: SigV4 canonical header names are lower-cased.
bool is_header_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.' || c == '!' ||
         c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' || c == '*' || c == '+' ||
         c == '^' || c == '`' || c == '|' || c == '~';
}

bool parse_credential(std::string_view v, sigv4_authorization& out) {
  std::string_view parts[5];
  for (int i = 0; i < 5; ++i) {
    auto slash = v.find('/');
    if ((i < 4) == (slash == std::string_view::npos)) return false;  // exactly five parts
    parts[i] = v.substr(0, slash);
    if (parts[i].empty()) return false;
    if (i < 4) v.remove_prefix(slash + 1);
  }
  if (!all_of(parts[0], is_key_char)) return false;
  if (parts[1].size() != 8 || !all_of(parts[1], is_digit)) return false;
  if (!all_of(parts[2], is_region_char)) return false;
  if (!all_of(parts[3], is_region_char)) return false;
  if (parts[4] != "aws4_request") return false;
  out.access_key_id = std::string(parts[0]);
  out.date = std::string(parts[1]);
  out.region = std::string(parts[2]);
  out.service = std::string(parts[3]);
  return true;
}

bool parse_signed_headers(std::string_view v, sigv4_authorization& out) {
  for (;;) {
    auto semi = v.find(';');
    auto name = v.substr(0, semi);
    if (name.empty() || !all_of(name, is_header_char)) return false;
    // Sorted and unique, as every SigV4 signer writes them: a repeated name would repeat its
    // value in the canonical request (a small request made into a huge string to hash).
    if (!out.signed_headers.empty() && name <= out.signed_headers.back()) return false;
    if (out.signed_headers.size() == max_signed_headers) return false;
    out.signed_headers.emplace_back(name);
    if (semi == std::string_view::npos) return true;
    v.remove_prefix(semi + 1);
  }
}

}  // namespace

std::optional<sigv4_authorization> parse_authorization(std::string_view header) {
  if (header.size() > max_header_length) return std::nullopt;
  header = trim(header);
  if (header.substr(0, algorithm_name.size()) != algorithm_name) return std::nullopt;
  header.remove_prefix(algorithm_name.size());
  if (header.empty() || !is_space(header.front())) return std::nullopt;

  sigv4_authorization out;
  bool have_credential = false, have_headers = false, have_signature = false;
  // Components are comma-separated; every one must be known and appear exactly once.
  while (!header.empty()) {
    auto comma = header.find(',');
    auto part = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (comma != std::string_view::npos && trim(header).empty()) return std::nullopt;
    auto eq = part.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    auto key = part.substr(0, eq);
    auto value = part.substr(eq + 1);
    if (key == "Credential" && !have_credential) {
      if (!parse_credential(value, out)) return std::nullopt;
      have_credential = true;
    } else if (key == "SignedHeaders" && !have_headers) {
      if (!parse_signed_headers(value, out)) return std::nullopt;
      have_headers = true;
    } else if (key == "Signature" && !have_signature) {
      // HMAC-SHA256 in hex: always 64 lower-case digits.
      if (value.size() != 64 || !all_of(value, is_lower_hex)) return std::nullopt;
      out.signature = std::string(value);
      have_signature = true;
    } else {
      return std::nullopt;
    }
  }
  if (!have_credential || !have_headers || !have_signature) return std::nullopt;
  return out;
}

bool is_account_id(std::string_view s) {
  return s.size() == 12 && all_of(s, is_digit);
}

bool is_region_name(std::string_view s) {
  auto d1 = s.find('-');
  auto d2 = s.rfind('-');
  if (d1 != 2 || d2 == d1) return false;
  const auto mid = d2 - d1 - 1;
  if (mid < 4 || mid > 9 || s.size() != d2 + 2) return false;
  for (char c : s)
    if (!is_digit(c) && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && c != '-' && c != '_')
      return false;
  return is_digit(s.back());
}

}  // namespace crs::api
