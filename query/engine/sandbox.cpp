#include "query/engine/sandbox.hpp"

#include <array>
#include <cstring>
#include <utility>

#include "query/engine/sqlite_handles.hpp"

namespace crs::query {

namespace {

// VM steps between two looks at the deadline and the cancel flag: a few microseconds of work,
// so a run stops within a millisecond or so of being told.
constexpr int progress_steps = 1000;

// Functions a query never needs and that reach outside the database or hand out pointers.
// Most are absent from the library build (readfile, writefile and edit are the shell's),
// listed all the same so a differently built SQLite cannot bring them in.
constexpr std::array<const char*, 6> denied_functions = {
    "load_extension", "readfile", "writefile", "edit", "fts3_tokenizer", "fts5"};

bool has_prefix(const char* name, const char* prefix) {
  return sqlite3_strnicmp(name, prefix, static_cast<int>(std::strlen(prefix))) == 0;
}

// A column of a loaded table, never one of sqlite_schema (which would list the tables) nor
// of a pragma_* table-valued function. SQLite also asks with an empty column for a table
// read without its columns (COUNT(*)), and then the table may as well be a CTE, whose name
// is the statement's own: anything but the schema and pragma tables will do, since the
// connection has no views and no virtual table modules to name instead.
bool may_read(const readable_tables& tables, const char* table, const char* column) {
  if (!table) return false;
  for (const auto& name : tables.names)
    if (sqlite3_stricmp(name.c_str(), table) == 0) return true;
  const bool whole_table = !column || *column == '\0';
  return whole_table && !has_prefix(table, "sqlite_") && !has_prefix(table, "pragma_");
}

int authorize(void* context, int action, const char* arg1, const char* arg2,
              const char* /*database*/, const char* /*trigger_or_view*/) {
  const auto* tables = static_cast<const readable_tables*>(context);
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    case SQLITE_READ:
      return may_read(*tables, arg1, arg2) ? SQLITE_OK : SQLITE_DENY;
    case SQLITE_FUNCTION:
      if (!arg2) return SQLITE_DENY;
      for (const char* name : denied_functions)
        if (sqlite3_stricmp(name, arg2) == 0) return SQLITE_DENY;
      return SQLITE_OK;
    default:
      // ATTACH, DETACH, PRAGMA, INSERT, UPDATE, DELETE, CREATE_*, DROP_*, TRANSACTION,
      // SAVEPOINT, ANALYZE, REINDEX, ALTER_TABLE, ...: none belongs in a protected query.
      return SQLITE_DENY;
  }
}

}  // namespace

std::optional<std::string> harden(sqlite3* db, run_watch& watch) {
  const std::pair<int, int> settings[] = {
      {SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0},
      {SQLITE_DBCONFIG_DEFENSIVE, 1},
      {SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0},
      {SQLITE_DBCONFIG_ENABLE_TRIGGER, 0},
      {SQLITE_DBCONFIG_ENABLE_VIEW, 0},
      {SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0},
      // "x" is an identifier, as in every other SQL dialect, never a string that a missing
      // column silently turns into.
      {SQLITE_DBCONFIG_DQS_DML, 0},
      {SQLITE_DBCONFIG_DQS_DDL, 0},
  };
  for (const auto& [option, value] : settings) {
    int now = -1;
    if (sqlite3_db_config(db, option, value, &now) != SQLITE_OK || now != value)
      return "cannot configure SQLite: " + sqlite::error_text(db);
  }
  // The reverse also holds: no API lets a run's code load an extension.
  sqlite3_enable_load_extension(db, 0);
  // No virtual table modules (json_each, dbstat, fts...): a protected query reads tables,
  // and these are where SQLite's past memory bugs were. pragma_* tables are not modules;
  // the authorizer keeps them out.
  if (sqlite3_drop_modules(db, nullptr) != SQLITE_OK)
    return "cannot configure SQLite: " + sqlite::error_text(db);

  // Sized for the data (the catalog allows 1000 columns and 1 MiB per record) and for one
  // analyst's SELECT; SQLite's defaults are far larger.
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 64 << 20);
  sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 2000);
  sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 500);
  sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 100);
  sqlite3_limit(db, SQLITE_LIMIT_VDBE_OP, 1'000'000);
  sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, 100);
  sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 10'000);
  sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 1);
  sqlite3_limit(db, SQLITE_LIMIT_WORKER_THREADS, 0);

  sqlite3_progress_handler(db, progress_steps, &run_watch::progress, &watch);
  return std::nullopt;
}

std::optional<std::string> lock_down(sqlite3* db, const readable_tables& tables) {
  // 90 KiB of Clean Rooms SQL grows by the hidden columns and template parameters; 1 MiB is
  // far above both and far below SQLite's default of 1 GB.
  sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 1 << 20);
  if (sqlite3_set_authorizer(db, &authorize, const_cast<readable_tables*>(&tables)) != SQLITE_OK)
    return "cannot install the SQLite authorizer: " + sqlite::error_text(db);
  return std::nullopt;
}

}  // namespace crs::query
