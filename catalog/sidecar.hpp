// The optional types file beside a table's CSV, <tableName>.schema.json:
//   {"columns":       [{"name": "id", "type": "bigint"}, ...],
//    "partitionKeys": [{"name": "dt", "type": "string"}, ...]}    (partitionKeys optional)
// It says what Glue's StorageDescriptor.Columns and PartitionKeys would: every CSV column
// exactly once across the two lists, each with a free-form type. Names match the CSV header
// without regard to case and come out lower-cased.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"

namespace crs::catalog {

inline constexpr std::size_t max_type_chars = 255;

struct sidecar_columns {
  std::vector<column> columns;         // in the sidecar's order
  std::vector<column> partition_keys;  // in the sidecar's order
};

struct sidecar_result {
  std::optional<sidecar_columns> columns;  // set when the sidecar is usable
  std::string problem;                     // otherwise, prefixed with sidecar_name
};

// csv_names: the CSV's (lower-case) header. The names label problems only.
[[nodiscard]] sidecar_result parse_sidecar(std::string_view json_text,
                                           const std::vector<std::string>& csv_names,
                                           const std::string& sidecar_name,
                                           const std::string& csv_name);

}  // namespace crs::catalog
