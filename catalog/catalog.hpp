// The local data catalog: the stand-in for AWS Glue (and for the Athena and Snowflake table
// references of the current model). A table is a CSV file under the catalog directory:
//   glue, athena : DIR/<databaseName>/<tableName>.csv
//   snowflake    : DIR/<databaseName>/<schemaName>/<tableName>.csv
// The first CSV row names the columns. Column types come from an optional sidecar file beside
// the CSV (<tableName>.schema.json, see README "Local data catalog") or are inferred from the
// data (bigint, double, string); a snowflake reference's own tableSchema gives its types.
// Threading: lookup() is safe from any thread; parsed tables are cached by path, size and
// modification time, so editing a file is seen on the next lookup.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "events/table_values.hpp"

namespace crs::catalog {

struct column {
  std::string name;  // lower case, as Glue stores it
  std::string type;  // "bigint" | "double" | "string" | a sidecar's type
  friend bool operator==(const column& a, const column& b) {
    return a.name == b.name && a.type == b.type;
  }
};

struct table {
  std::vector<column> columns;         // catalog order, partition keys excluded
  std::vector<column> partition_keys;  // from the sidecar; none when inferred
  std::filesystem::path data_file;     // the CSV
  // Every column name, partition keys included, in catalog order.
  std::vector<std::string> all_names() const;
};

struct lookup_result {
  enum class status { found, missing, broken } what = status::missing;
  table found;          // when found
  std::string problem;  // when broken: why the file or its sidecar cannot be used
};

struct catalog_limits {
  std::size_t max_columns = 1000;
  std::size_t max_header_bytes = 64 * 1024;
  std::size_t inference_rows = 1000;            // rows read to infer types
  std::size_t max_row_bytes = 1024 * 1024;      // one data row among the inference rows
  std::size_t max_sidecar_bytes = 1024 * 1024;  // <tableName>.schema.json
  std::size_t max_cached_tables = 1024;         // parsed tables kept; the least recent goes
};

class local_catalog {
 public:
  explicit local_catalog(std::filesystem::path dir, catalog_limits limits = {});
  ~local_catalog();
  local_catalog(const local_catalog&) = delete;
  local_catalog& operator=(const local_catalog&) = delete;

  const std::filesystem::path& dir() const;
  // The table a reference names. Names that could escape DIR (path separators, "..") are
  // simply missing.
  [[nodiscard]] lookup_result lookup(const table_reference& ref) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace crs::catalog
