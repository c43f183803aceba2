// What the catalog needs from a table's CSV: the column names of its first row and, from the
// data rows after it, a type for each column. Reads no further than the inference rows, so a
// file of any size costs the same.
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"

namespace crs::catalog {

struct csv_columns {
  std::vector<std::string> names;     // header order, trimmed and lower-cased
  std::vector<std::string> inferred;  // per name: "bigint" | "double" | "string"
};

struct csv_scan_result {
  std::optional<csv_columns> columns;  // set when the file is usable
  std::string problem;                 // otherwise, prefixed with file_name
  bool io_error = false;               // the problem is the stream's, not the content's
};

// file_name only labels problems ("orders.csv: column 3 has an empty name").
[[nodiscard]] csv_scan_result scan_csv(std::istream& in, const std::string& file_name,
                                       const catalog_limits& limits);

// Glue's column name rule: [a-z0-9_](([a-z0-9_ ]+-)*([a-z0-9_ ]+))?, at most 128 characters.
[[nodiscard]] bool is_valid_column_name(std::string_view name);

// The type one column's values suggest: "bigint" when every non-empty value is an integer
// that fits int64, "double" when every one is a decimal number, "string" otherwise (or when
// every value is empty). Values are looked at without surrounding blanks.
class type_inference {
 public:
  void add(std::string_view value);
  [[nodiscard]] std::string type() const;

 private:
  enum class kind { empty, bigint, number, text };  // ordered: each admits the ones before
  kind seen_ = kind::empty;
};

// ASCII lower case: Glue stores column names lower-cased.
[[nodiscard]] std::string to_lower(std::string_view s);

}  // namespace crs::catalog
