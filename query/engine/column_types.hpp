// How a catalog column and its CSV text become SQLite values. The catalog's types are free
// form (Glue does not check a sidecar's), so they are reduced to SQLite's three storage
// classes the way its own type affinity rules would, and a field is bound as a number only
// when all of it (blanks aside) is one.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace crs::query {

enum class sql_type { integer, real, text };

// "bigint", "int", "decimal(10,0)"... -> integer; "double", "float", "decimal(10,2)"... ->
// real; anything else ("string", "varchar(20)", "date", "boolean", "array<int>") -> text.
[[nodiscard]] sql_type sql_type_of(std::string_view catalog_type);

// The declared type of a CREATE TABLE column: INTEGER, REAL or TEXT.
[[nodiscard]] const char* sql_type_name(sql_type t);

// The field without surrounding blanks (space, tab, CR, LF, VT, FF), as the catalog trims.
[[nodiscard]] std::string_view trim_blanks(std::string_view s);

// [+-]?[0-9]+ that fits int64, else nullopt. `s` is already trimmed.
[[nodiscard]] std::optional<std::int64_t> parse_integer(std::string_view s);

// A finite decimal number ([+-]? digits with an optional '.' and exponent; no inf, nan or
// hex, like the catalog's inference), else nullopt. `s` is already trimmed.
[[nodiscard]] std::optional<double> parse_real(std::string_view s);

}  // namespace crs::query
