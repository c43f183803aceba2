#include "query/engine/column_types.hpp"

#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

#include "catalog/csv_scan.hpp"

namespace crs::query {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Skips a run of digits from `i`; how many there were.
std::size_t skip_digits(std::string_view s, std::size_t& i) {
  const std::size_t start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  return i - start;
}

// The scale of "decimal(10,2)" (2), or nullopt when the type has none ("decimal",
// "decimal(10)"): both of those mean scale 0 in Hive and Snowflake.
std::optional<long> decimal_scale(std::string_view args) {
  const auto comma = args.find(',');
  if (comma == args.npos) return std::nullopt;
  const std::string_view scale = trim_blanks(args.substr(comma + 1, args.find(')') - comma - 1));
  long value = 0;
  const auto [end, ec] = std::from_chars(scale.data(), scale.data() + scale.size(), value);
  if (ec != std::errc() || end != scale.data() + scale.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

sql_type sql_type_of(std::string_view catalog_type) {
  const std::string type = catalog::to_lower(trim_blanks(catalog_type));
  const auto open = type.find_first_of("(<");
  const std::string base(trim_blanks(std::string_view(type).substr(0, open)));
  if (base == "tinyint" || base == "smallint" || base == "mediumint" || base == "int" ||
      base == "integer" || base == "bigint" || base == "long" || base == "short" ||
      base == "byte" || base == "int2" || base == "int4" || base == "int8")
    return sql_type::integer;
  if (base == "decimal" || base == "numeric" || base == "number") {
    // A decimal of scale 0 holds whole numbers. A wrong guess costs nothing: SQLite's
    // INTEGER affinity still stores "1.5" as the real 1.5.
    const auto scale =
        open == type.npos ? std::nullopt : decimal_scale(std::string_view(type).substr(open));
    return scale.value_or(0) > 0 ? sql_type::real : sql_type::integer;
  }
  if (base == "double" || base == "double precision" || base == "float" || base == "real" ||
      base == "float4" || base == "float8")
    return sql_type::real;
  return sql_type::text;
}

const char* sql_type_name(sql_type t) {
  switch (t) {
    case sql_type::integer:
      return "INTEGER";
    case sql_type::real:
      return "REAL";
    case sql_type::text:
      break;
  }
  return "TEXT";
}

std::optional<std::int64_t> parse_integer(std::string_view s) {
  // from_chars takes a '-' but not a '+', and would take a '-' after a '+'.
  if (s.size() > 1 && s.front() == '+' && is_digit(s[1])) s.remove_prefix(1);
  if (s.empty() || !(is_digit(s.front()) || (s.front() == '-' && s.size() > 1))) return {};
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return {};
  return value;
}

std::optional<double> parse_real(std::string_view s) {
  // The grammar is checked by hand first: from_chars also reads "inf", "nan" and "infinity".
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t digits = skip_digits(s, i);
  if (i < s.size() && s[i] == '.') {
    ++i;
    digits += skip_digits(s, i);
  }
  if (digits == 0) return {};
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (skip_digits(s, i) == 0) return {};
  }
  if (i != s.size()) return {};
  if (s.front() == '+') s.remove_prefix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  // Out of range (1e999) is left to SQLite as text rather than guessed here.
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) return {};
  return value;
}

}  // namespace crs::query
