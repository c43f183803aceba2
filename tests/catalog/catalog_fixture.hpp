// A catalog directory in a fresh temp dir, with helpers to write tables and build references.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "temp_dir.hpp"

namespace crs::test {

struct catalog_fixture {
  temp_dir tmp;
  std::filesystem::path dir{tmp.path()};

  // Writes `content` to DIR/<relative>, creating folders; returns the file's path.
  std::filesystem::path write(const std::string& relative, const std::string& content) const {
    const auto path = dir / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    return path;
  }
};

inline table_reference glue(std::string database, std::string table) {
  return glue_table_reference{std::nullopt, std::move(database), std::move(table)};
}

inline table_reference athena(std::string database, std::string table) {
  athena_table_reference r;
  r.work_group = "primary";
  r.database_name = std::move(database);
  r.table_name = std::move(table);
  return r;
}

inline table_reference snowflake(std::string database, std::string schema, std::string table,
                                 std::vector<snowflake_column> table_schema = {}) {
  snowflake_table_reference r;
  r.secret_arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:sf";
  r.account_identifier = "acct";
  r.database_name = std::move(database);
  r.schema_name = std::move(schema);
  r.table_name = std::move(table);
  r.table_schema = std::move(table_schema);
  return r;
}

inline std::vector<catalog::column> columns(
    std::initializer_list<std::pair<const char*, const char*>> list) {
  std::vector<catalog::column> out;
  for (const auto& [name, type] : list) out.push_back({name, type});
  return out;
}

}  // namespace crs::test
