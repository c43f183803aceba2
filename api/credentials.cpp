#include "api/credentials.hpp"

#include "api/sigv4.hpp"

#include <fstream>
#include <vector>

namespace crs::api {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

store_error invalid(std::string message) {
  return store_error{store_error::kind::invalid_argument, std::move(message)};
}

// Printable ASCII without the characters that delimit the SigV4 Credential component.
bool is_key(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s)
    if (c <= ' ' || c >= 0x7f || c == '/' || c == ',' || c == '=') return false;
  return true;
}

struct section {
  std::string name;
  std::size_t line = 0;
  std::string key, secret, account;
};

}  // namespace

const identity* credential_store::find(std::string_view access_key_id) const {
  auto it = by_key_.find(access_key_id);
  return it == by_key_.end() ? nullptr : &it->second;
}

result<credential_store> credential_store::parse(std::string_view text) {
  if (text.size() > max_credentials_bytes)
    return invalid("the credentials file is larger than " + std::to_string(max_credentials_bytes) +
                   " bytes");
  std::vector<section> sections;
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    auto nl = text.find('\n');
    auto line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    const std::string where = "line " + std::to_string(line_no);
    if (line.front() == '[') {
      if (line.back() != ']') return invalid(where + ": a section header must end with ']'");
      auto name = trim(line.substr(1, line.size() - 2));
      // The CLI's config file spells "[profile x]"; accept it here too.
      if (name.substr(0, 8) == "profile ") name = trim(name.substr(8));
      if (name.empty()) return invalid(where + ": empty section name");
      if (sections.size() == max_identities)
        return invalid("more than " + std::to_string(max_identities) + " profiles");
      sections.push_back(section{std::string(name), line_no, {}, {}, {}});
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string_view::npos)
      return invalid(where + ": expected 'key = value' or '[profile]'");
    if (sections.empty()) return invalid(where + ": a key before the first [profile] section");
    auto key = trim(line.substr(0, eq));
    auto value = std::string(trim(line.substr(eq + 1)));
    auto& s = sections.back();
    if (key == "aws_access_key_id")
      s.key = value;
    else if (key == "aws_secret_access_key")
      s.secret = value;
    else if (key == "aws_account_id")
      s.account = value;
    // Anything else (region, aws_session_token, ...) belongs to the clients, not to us.
  }

  credential_store store;
  for (auto& s : sections) {
    const std::string where = "profile [" + s.name + "] (line " + std::to_string(s.line) + ")";
    if (s.key.empty() || s.secret.empty() || s.account.empty())
      return invalid(where + ": needs aws_access_key_id, aws_secret_access_key and aws_account_id");
    if (!is_key(s.key)) return invalid(where + ": aws_access_key_id is not a valid key id");
    if (!is_account_id(s.account)) return invalid(where + ": aws_account_id must be 12 digits");
    if (s.secret.size() > 256) return invalid(where + ": aws_secret_access_key is too long");
    auto [it, fresh] = store.by_key_.emplace(
        s.key, identity{s.name, s.key, std::move(s.secret), std::move(s.account)});
    if (!fresh)
      return invalid(where + ": access key id " + s.key + " is already used by profile [" +
                     it->second.profile + "]");
  }
  if (store.by_key_.empty()) return invalid("the credentials file holds no profile");
  return store;
}

result<credential_store> credential_store::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid("cannot read " + path);
  std::string text;
  char buf[64 * 1024];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_credentials_bytes)
      return invalid(path + " is larger than " + std::to_string(max_credentials_bytes) + " bytes");
  }
  auto parsed = parse(text);
  if (!parsed) return invalid(path + ": " + parsed.error().message);
  return parsed;
}

}  // namespace crs::api
