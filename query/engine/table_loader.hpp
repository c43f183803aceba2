// Loads one table's CSV into the run's SQLite connection: a CREATE TABLE of the allowed
// columns only, then every data row through one prepared INSERT. The caller wraps all the
// tables in one transaction.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>

#include "query/engine/engine.hpp"
#include "query/engine/run_watch.hpp"

namespace crs::query {

// "CREATE TABLE "name" ("col" INTEGER, ...)" with every identifier quoted.
[[nodiscard]] std::string create_table_sql(const table_data& table);

// `"name"` with inner quotes doubled: any text is a safe SQLite identifier this way.
[[nodiscard]] std::string quote_identifier(std::string_view name);

// Nothing when the table is loaded; otherwise the run's outcome (data_unavailable,
// execution_error, or the watch's timed_out/cancelled).
[[nodiscard]] std::optional<run_outcome> load_table(sqlite3* db, const table_data& table,
                                                    std::uint64_t max_rows, run_watch& watch);

}  // namespace crs::query
