// substitute_parameters: analysis-template placeholders to SQL literals (SPEC.md 13).
#include <algorithm>
#include <charconv>
#include <cstdint>

#include "query/sql/check.hpp"
#include "query/sql/lexer.hpp"

namespace crs::query {

namespace {

using sql::is_identifier_char;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_integer_type(parameter_type t) {
  switch (t) {
    case parameter_type::smallint:
    case parameter_type::integer:
    case parameter_type::bigint:
    case parameter_type::int_type:
    case parameter_type::long_type:
    case parameter_type::short_type:
    case parameter_type::tinyint:
      return true;
    default:
      return false;
  }
}

bool is_decimal_type(parameter_type t) {
  switch (t) {
    case parameter_type::decimal:
    case parameter_type::real:
    case parameter_type::double_precision:
    case parameter_type::double_type:
    case parameter_type::float_type:
    case parameter_type::numeric:
      return true;
    default:
      return false;
  }
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// [+-]digits, within a 64-bit integer (a larger one would silently become a float).
bool is_integer_literal(std::string_view s) {
  std::string_view digits = s;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.remove_prefix(1);
  if (!all_digits(digits)) return false;
  std::int64_t v = 0;
  const std::string text(s[0] == '+' ? s.substr(1) : s);
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && p == text.data() + text.size();
}

// [+-](digits[.digits]|.digits)([eE][+-]digits)
bool is_decimal_literal(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!(i < s.size() && s[i] >= '0' && s[i] <= '9')) return false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  return i == s.size();
}

violation parameter_violation(std::string message) {
  return violation{code_parameter, std::move(message)};
}

// The SQL literal of `value` for a parameter of type `type`.
result<std::string, violation> literal(const analysis_parameter& p, std::string_view value) {
  const std::string type(to_string(p.type));
  if (value.find('\0') != std::string_view::npos)
    return parameter_violation("Parameter '" + p.name + "' contains a NUL byte");
  if (is_integer_type(p.type) || is_decimal_type(p.type)) {
    const bool ok = is_integer_type(p.type) ? is_integer_literal(value) : is_decimal_literal(value);
    if (!ok)
      return parameter_violation("Parameter '" + p.name + "' of type " + type +
                                 " must be a number, not '" + std::string(value.substr(0, 64)) +
                                 "'");
    std::string_view v = value;
    if (v[0] == '+') v.remove_prefix(1);
    if (v[0] == '-') return "(" + std::string(v) + ")";
    return std::string(v);
  }
  if (p.type == parameter_type::boolean) {
    const std::string v = sql::ascii_lower(value);
    if (v == "true") return std::string("TRUE");
    if (v == "false") return std::string("FALSE");
    return parameter_violation("Parameter '" + p.name + "' of type BOOLEAN must be true or false");
  }
  std::string out = "'";
  for (const char c : value) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

}  // namespace

result<std::string, violation> substitute_parameters(
    std::string_view sql, const std::vector<analysis_parameter>& declared,
    const std::map<std::string, std::string>& supplied) {
  auto find_declared = [&](std::string_view name) -> const analysis_parameter* {
    for (const auto& p : declared)
      if (p.name == name) return &p;
    return nullptr;
  };
  for (const auto& [name, value] : supplied)
    if (!find_declared(name))
      return parameter_violation("Parameter '" + name +
                                 "' is not declared by the analysis template");

  std::string out;
  out.reserve(sql.size());
  std::size_t copied = 0;
  const sql::lexed lexed = sql::lex(sql);
  for (const sql::token& t : lexed.tokens) {
    if (!sql::is_punct(t, sql, ':')) continue;
    const std::size_t at = t.begin;
    if (at > 0 && sql[at - 1] == ':') continue;               // second ':' of `::`
    if (at + 1 < sql.size() && sql[at + 1] == ':') continue;  // first ':' of `::`
    std::size_t end = at + 1;
    while (end < sql.size() && is_name_char(sql[end])) ++end;
    if (end == at + 1) continue;  // a lone ':' (array slices) is left to the parser
    const std::string_view name = sql.substr(at + 1, end - at - 1);
    const analysis_parameter* p = find_declared(name);
    if (!p)
      return parameter_violation("Parameter ':" + std::string(name) +
                                 "' is not declared by the analysis template");
    const auto given = supplied.find(p->name);
    std::string_view value;
    if (given != supplied.end()) {
      value = given->second;
    } else if (p->default_value) {
      value = *p->default_value;
    } else {
      return parameter_violation("Parameter '" + p->name + "' has no value and no default value");
    }
    auto lit = literal(*p, value);
    if (!lit) return lit.error();
    out.append(sql.substr(copied, at - copied));
    // Keep the literal a token of its own: `a:p` must not become `a5` or `a'x'`.
    if (at > 0 && (is_identifier_char(sql[at - 1]) || sql[at - 1] == '\'' || sql[at - 1] == '"' ||
                   sql[at - 1] == '.'))
      out += ' ';
    out += *lit;
    if (end < sql.size() &&
        (is_identifier_char(sql[end]) || sql[end] == '\'' || sql[end] == '"' || sql[end] == '.'))
      out += ' ';
    copied = end;
  }
  out.append(sql.substr(copied));
  return out;
}

}  // namespace crs::query
