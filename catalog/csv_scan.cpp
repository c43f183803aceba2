#include "catalog/csv_scan.hpp"

#include <charconv>
#include <cstdint>
#include <limits>
#include <unordered_map>

#include "catalog/csv.hpp"

namespace crs::catalog {

namespace {

constexpr std::size_t max_column_name_chars = 128;
constexpr std::size_t max_quoted_name_chars = 64;  // of a bad name repeated in a problem

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view s) {
  for (char c : s)
    if (!is_digit(c)) return false;
  return !s.empty();
}

bool is_int64(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (!all_digits(s)) return false;
  std::uint64_t magnitude = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), magnitude);
  if (ec != std::errc{} || end != s.data() + s.size()) return false;
  const auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  return magnitude <= (negative ? max + 1 : max);
}

// [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?  -- no inf, nan or hex.
bool is_decimal(std::string_view s) {
  std::size_t i = 0;
  const auto digits = [&]() {
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return i - start;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t mantissa = digits();
  if (i < s.size() && s[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

std::string in_quotes(std::string_view name) {
  if (name.size() <= max_quoted_name_chars) return "\"" + std::string(name) + "\"";
  return "\"" + std::string(name.substr(0, max_quoted_name_chars)) + "...\"";
}

// The problem for a reader status other than record or end.
std::string read_problem(const csv::record& r, std::size_t max_bytes) {
  const std::string line = "line " + std::to_string(r.line);
  switch (r.status) {
    case csv::read_status::too_long:
      return line + " is longer than " + std::to_string(max_bytes) + " bytes";
    case csv::read_status::unclosed_quote:
      return line + ": a quoted field is never closed";
    case csv::read_status::bad_quote:
      return line + ": a '\"' inside a field (quote the whole field and double the quotes in it)";
    case csv::read_status::io_error:
      return "cannot read the file";
    case csv::read_status::record:
    case csv::read_status::end:
      break;
  }
  return line + ": unreadable";
}

// "1 field", "3 fields".
std::string count_of(std::size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

csv_scan_result broken(const std::string& file_name, const std::string& why) {
  return {std::nullopt, file_name + ": " + why, false};
}

// A reader status other than record or end, as a result.
csv_scan_result unreadable(const std::string& file_name, const csv::record& r,
                           std::size_t max_bytes) {
  csv_scan_result out = broken(file_name, read_problem(r, max_bytes));
  out.io_error = r.status == csv::read_status::io_error;
  return out;
}

// The header's names, or the problem with them.
std::optional<std::string> check_names(const std::vector<std::string>& names) {
  std::unordered_map<std::string_view, std::size_t> position;  // name -> 1-based column
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string column = "column " + std::to_string(i + 1);
    const std::string& name = names[i];
    if (name.empty()) return column + " has an empty name";
    if (!is_valid_column_name(name))
      return column + " name " + in_quotes(name) +
             " is not a valid column name (lower-case letters, digits, '_' and ' ', with "
             "single '-' between them, at most 128 characters)";
    const auto [it, inserted] = position.emplace(name, i + 1);
    if (!inserted)
      return column + " has the same name " + in_quotes(name) + " as column " +
             std::to_string(it->second);
  }
  return std::nullopt;
}

}  // namespace

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_valid_column_name(std::string_view name) {
  if (name.empty() || name.size() > max_column_name_chars) return false;
  const auto plain = [](char c) {
    return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == ' ';
  };
  // The first character may not be a blank; after it, runs of plain characters joined by
  // single dashes, neither starting nor ending with one.
  if (name.front() == ' ' || !plain(name.front())) return false;
  if (name.size() == 1) return true;
  if (name[1] == '-' || name.back() == '-') return false;
  for (std::size_t i = 1; i < name.size(); ++i) {
    if (name[i] == '-') {
      if (name[i - 1] == '-') return false;
    } else if (!plain(name[i])) {
      return false;
    }
  }
  return true;
}

void type_inference::add(std::string_view value) {
  value = trim(value);
  kind k = kind::text;
  if (value.empty())
    k = kind::empty;
  else if (is_int64(value))
    k = kind::bigint;
  else if (is_decimal(value))
    k = kind::number;
  if (k > seen_) seen_ = k;
}

std::string type_inference::type() const {
  switch (seen_) {
    case kind::bigint:
      return "bigint";
    case kind::number:
      return "double";
    case kind::empty:
    case kind::text:
      break;
  }
  return "string";
}

csv_scan_result scan_csv(std::istream& in, const std::string& file_name,
                         const catalog_limits& limits) {
  csv::reader reader(in);
  csv::record header = reader.next({limits.max_header_bytes, limits.max_columns});
  if (header.status == csv::read_status::end)
    return broken(file_name, "the file is empty; its first row must name the columns");
  if (header.status == csv::read_status::too_long)
    return broken(file_name, "the header row is longer than " +
                                 std::to_string(limits.max_header_bytes) + " bytes");
  if (header.status != csv::read_status::record)
    return unreadable(file_name, header, limits.max_header_bytes);
  if (header.field_count > limits.max_columns)
    return broken(file_name, "the header has " + std::to_string(header.field_count) +
                                 " columns; the limit is " + std::to_string(limits.max_columns));
  csv_columns out;
  for (const auto& field : header.fields) out.names.push_back(to_lower(trim(field)));
  if (auto problem = check_names(out.names)) return broken(file_name, *problem);

  std::vector<type_inference> types(out.names.size());
  const csv::read_limits row_limits{limits.max_row_bytes, out.names.size()};
  for (std::size_t row = 0; row < limits.inference_rows; ++row) {
    const csv::record r = reader.next(row_limits);
    if (r.status == csv::read_status::end) break;
    if (r.status != csv::read_status::record) return unreadable(file_name, r, limits.max_row_bytes);
    if (r.field_count != out.names.size())
      return broken(file_name, "line " + std::to_string(r.line) + " has " +
                                   count_of(r.field_count, "field") + "; the header has " +
                                   count_of(out.names.size(), "column"));
    for (std::size_t i = 0; i < r.fields.size(); ++i) types[i].add(r.fields[i]);
  }
  for (const auto& t : types) out.inferred.push_back(t.type());
  return {std::move(out), {}, false};
}

}  // namespace crs::catalog
