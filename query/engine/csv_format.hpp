// The text of a result file's fields: RFC 4180 quoting and number formats that read back
// as the same values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace crs::query {

// Appends `value` as one CSV field: quoted (inner quotes doubled) when it holds a comma, a
// quote, CR or LF, and when it is empty, so an empty string ("") differs from NULL (nothing).
void append_text_field(std::string& out, std::string_view value);

void append_integer(std::string& out, std::int64_t value);

// The shortest text that reads back as the same double: fixed notation with at least one
// decimal ("3.0", "0.25", "1234.5") from 1e-6 to 1e16, scientific outside ("1e+16",
// "2.5e-07"); "Infinity", "-Infinity" and "NaN" for the rest.
void append_real(std::string& out, double value);

}  // namespace crs::query
