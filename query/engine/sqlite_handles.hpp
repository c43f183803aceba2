// Owning handles for SQLite's connection and statement pointers, so every early return of a
// run releases them. Statements must go before their connection: declare them after it.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>

namespace crs::query::sqlite {

struct connection_closer {
  // close_v2 rather than close: it never fails with SQLITE_BUSY because of a statement that
  // is still alive, it defers the close until the last one is finalized.
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using connection = std::unique_ptr<sqlite3, connection_closer>;

struct statement_finalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using statement = std::unique_ptr<sqlite3_stmt, statement_finalizer>;

// SQLite's message for the last error on `db`, never null.
[[nodiscard]] inline std::string error_text(sqlite3* db) {
  const char* m = db ? sqlite3_errmsg(db) : nullptr;
  return m ? m : "unknown SQLite error";
}

}  // namespace crs::query::sqlite
