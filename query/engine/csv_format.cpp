#include "query/engine/csv_format.hpp"

#include <charconv>
#include <cmath>

namespace crs::query {

void append_text_field(std::string& out, std::string_view value) {
  if (!value.empty() && value.find_first_of(",\"\r\n") == value.npos) {
    out.append(value);
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_integer(std::string& out, std::int64_t value) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, r.ptr);
}

void append_real(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "Infinity" : "-Infinity";
    return;
  }
  // Plain to_chars picks whichever of %f and %e is shorter, so 100000.0 would read "1e+05";
  // a fixed range keeps ordinary magnitudes readable.
  const double magnitude = std::fabs(value);
  const bool fixed = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e16);
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, value,
                               fixed ? std::chars_format::fixed : std::chars_format::scientific);
  const std::string_view text(buf, static_cast<std::size_t>(r.ptr - buf));
  out.append(text);
  // A whole double still says it is one, as Athena and Spark print it.
  if (fixed && text.find('.') == text.npos) out += ".0";
}

}  // namespace crs::query
