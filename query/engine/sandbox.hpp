// What a user's SQL may do on the run's connection. The rule checker already refuses
// anything but SELECT; this is the second line: connection settings that turn off SQLite's
// riskier features before loading, then, once the tables are in, an authorizer that lets a
// statement read those tables and call ordinary functions and nothing else.
#pragma once

#include <sqlite3.h>

#include <optional>
#include <string>
#include <vector>

#include "query/engine/run_watch.hpp"

namespace crs::query {

// Before loading: extensions, virtual table modules, triggers, views, attached databases and
// double-quoted string literals off, defensive mode on, size limits set, and `watch` polled by the
// progress handler. `watch` must outlive the connection. Nothing, or why it failed.
[[nodiscard]] std::optional<std::string> harden(sqlite3* db, run_watch& watch);

// The tables a statement may read (SQL names, compared as SQLite does: ASCII case-insensitive).
struct readable_tables {
  std::vector<std::string> names;
};

// After loading: the authorizer (SELECT, READ of `tables` and of CTEs, FUNCTION but not
// load_extension and the like, RECURSIVE) and the SQL text limit. `tables` must outlive the
// connection.
[[nodiscard]] std::optional<std::string> lock_down(sqlite3* db, const readable_tables& tables);

}  // namespace crs::query
