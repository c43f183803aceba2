// The SQLite engine: one private in-memory database per run, so runs share nothing and need
// no locks; the tables are loaded, the connection locked down, the one statement stepped and
// its rows filtered by the output constraints on their way to the result file.
#include <sqlite3.h>

#include <algorithm>
#include <exception>
#include <limits>
#include <string_view>
#include <system_error>

#include "query/engine/csv_format.hpp"
#include "query/engine/engine.hpp"
#include "query/engine/result_file.hpp"
#include "query/engine/run_watch.hpp"
#include "query/engine/sandbox.hpp"
#include "query/engine/sqlite_handles.hpp"
#include "query/engine/table_loader.hpp"

namespace crs::query {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

// The run's one statement. A second one, even a harmless SELECT, is refused: the rule
// checker vetted one statement, and whatever follows it was never checked.
std::optional<run_outcome> prepare_one(sqlite3* db, const std::string& sql,
                                       sqlite::statement& out) {
  if (sql.find('\0') != sql.npos)
    return failed(code_execution_error, "the query text contains a NUL character");
  const char* tail = nullptr;
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &raw, &tail) != SQLITE_OK) {
    sqlite3_finalize(raw);
    return failed(code_execution_error, sqlite::error_text(db));
  }
  out.reset(raw);
  if (!out) return failed(code_execution_error, "the query is empty");
  // What is left may be blanks, semicolons and comments, which prepare to no statement.
  const char* end = sql.c_str() + sql.size();
  while (tail && tail < end) {
    if (is_blank(*tail)) {
      ++tail;
      continue;
    }
    sqlite3_stmt* next = nullptr;
    const char* after = nullptr;
    const int rc = sqlite3_prepare_v2(db, tail, static_cast<int>(end - tail), &next, &after);
    const bool another = rc != SQLITE_OK || next != nullptr || after == tail;
    sqlite3_finalize(next);
    if (another) return failed(code_execution_error, "the query must be a single statement");
    tail = after;
  }
  // The authorizer has no say over VACUUM and REINDEX, nor over what EXPLAIN shows.
  if (!sqlite3_stmt_readonly(out.get()))
    return failed(code_execution_error, "the query must only read");
  if (sqlite3_stmt_isexplain(out.get()) != 0 || sqlite3_column_count(out.get()) == 0)
    return failed(code_execution_error, "the query must be a SELECT");
  return std::nullopt;
}

// One result row (visible columns only) as a CSV line.
void format_row(sqlite3_stmt* stmt, std::size_t visible, std::string& line) {
  line.clear();
  for (std::size_t i = 0; i < visible; ++i) {
    if (i > 0) line += ',';
    const int c = static_cast<int>(i);
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_INTEGER:
        append_integer(line, sqlite3_column_int64(stmt, c));
        break;
      case SQLITE_FLOAT:
        append_real(line, sqlite3_column_double(stmt, c));
        break;
      case SQLITE_NULL:
        break;
      default: {
        // Text, and blobs written as their bytes. text() before bytes(), as SQLite asks.
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, c));
        append_text_field(line, text ? std::string_view(text, size) : std::string_view());
        break;
      }
    }
  }
  line += '\n';
}

run_outcome too_large(const char* what, std::uint64_t limit) {
  return failed(code_result_too_large,
                std::string("the result has more than ") + std::to_string(limit) + " " + what);
}

// Steps the statement into the result file. Suppression first, then OFFSET, then LIMIT, as
// the rule checker lifted them out of the SQL for exactly this order.
run_outcome write_result(sqlite3* db, sqlite3_stmt* stmt, const checked_query& q,
                         const std::filesystem::path& path, const run_limits& limits,
                         run_watch& watch) {
  const std::size_t visible = q.output_columns;
  const std::size_t hidden = q.minimums.size();
  const auto columns = static_cast<std::size_t>(sqlite3_column_count(stmt));
  if (visible == 0 || columns != visible + hidden)
    return failed(code_execution_error, "the query returns " + std::to_string(columns) +
                                            " columns; expected " + std::to_string(visible) +
                                            " visible and " + std::to_string(hidden) +
                                            " hidden ones");

  result_file out(path);
  if (auto problem = out.open()) return failed(code_execution_error, std::move(*problem));
  std::string line;
  for (std::size_t i = 0; i < visible; ++i) {
    if (i > 0) line += ',';
    const char* name = sqlite3_column_name(stmt, static_cast<int>(i));
    append_text_field(line, name ? name : "");
  }
  line += '\n';
  if (line.size() > limits.max_result_bytes) return too_large("bytes", limits.max_result_bytes);
  if (!out.append(line)) return failed(code_execution_error, out.error());

  const std::int64_t offset = std::max<std::int64_t>(q.offset, 0);
  // A negative LIMIT means none, as in SQLite.
  const std::uint64_t wanted = q.limit && *q.limit >= 0 ? static_cast<std::uint64_t>(*q.limit)
                                                        : std::numeric_limits<std::uint64_t>::max();
  std::int64_t skipped = 0;
  std::uint64_t written = 0;
  while (written < wanted) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) {
      if (watch.stopped() != run_watch::reason::none) return watch.outcome();
      return failed(code_execution_error, sqlite::error_text(db));
    }
    bool suppressed = false;
    for (std::size_t h = 0; h < hidden && !suppressed; ++h)
      suppressed = sqlite3_column_int64(stmt, static_cast<int>(visible + h)) < q.minimums[h];
    if (suppressed) continue;
    if (skipped < offset) {
      ++skipped;
      continue;
    }
    if (written >= limits.max_result_rows) return too_large("rows", limits.max_result_rows);
    format_row(stmt, visible, line);
    if (out.bytes() + line.size() > limits.max_result_bytes)
      return too_large("bytes", limits.max_result_bytes);
    if (!out.append(line)) return failed(code_execution_error, out.error());
    ++written;
  }
  // A run told to stop between two steps ends as told, not as a success.
  if (watch.should_stop()) return watch.outcome();
  if (auto problem = out.commit()) return failed(code_execution_error, std::move(*problem));
  run_outcome done;
  done.what = run_outcome::kind::success;
  done.rows = static_cast<std::int64_t>(written);
  return done;
}

run_outcome run_sqlite(const checked_query& q, const std::vector<table_data>& tables,
                       const std::filesystem::path& result_path, const run_limits& limits,
                       const std::atomic<bool>& cancel) {
  // Both are handed to the connection as raw pointers, so they are declared before it and
  // outlive it.
  // A library built without mutexes would share state between the runs of two threads.
  if (sqlite3_threadsafe() == 0)
    return failed(code_execution_error, "SQLite was built without thread support");
  run_watch watch(limits.timeout, cancel);
  readable_tables readable;
  for (const auto& t : tables) readable.names.push_back(t.name);
  if (watch.should_stop()) return watch.outcome();

  sqlite3* raw = nullptr;
  const int opened = sqlite3_open_v2(
      ":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  const sqlite::connection db(raw);
  if (opened != SQLITE_OK)
    return failed(code_execution_error, "cannot open SQLite: " + sqlite::error_text(raw));
  if (auto problem = harden(db.get(), watch))
    return failed(code_execution_error, std::move(*problem));

  // One transaction for every row of every table: SQLite commits per statement otherwise.
  if (sqlite3_exec(db.get(), "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK)
    return failed(code_execution_error, sqlite::error_text(db.get()));
  for (const auto& table : tables)
    if (auto stopped = load_table(db.get(), table, limits.max_rows_per_table, watch))
      return std::move(*stopped);
  if (sqlite3_exec(db.get(), "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
    return failed(code_execution_error, sqlite::error_text(db.get()));

  if (auto problem = lock_down(db.get(), readable))
    return failed(code_execution_error, std::move(*problem));
  sqlite::statement stmt;
  if (auto refused = prepare_one(db.get(), q.sql, stmt)) return std::move(*refused);
  return write_result(db.get(), stmt.get(), q, result_path, limits, watch);
}

class sqlite_engine final : public engine {
 public:
  run_outcome run(const checked_query& q, const std::vector<table_data>& tables,
                  const std::filesystem::path& result_file, const run_limits& limits,
                  const std::atomic<bool>& cancel) override {
    run_outcome out;
    try {
      out = run_sqlite(q, tables, result_file, limits, cancel);
    } catch (const std::exception& e) {
      out = failed(code_execution_error, std::string("the engine failed: ") + e.what());
    } catch (...) {
      out = failed(code_execution_error, "the engine failed");
    }
    if (out.what != run_outcome::kind::success) {
      // No result, not even one an earlier run left at this path: it would contradict this
      // run's outcome. (The temporary file went with the writer.)
      std::error_code ignored;
      std::filesystem::remove(result_file, ignored);
      std::filesystem::remove(result_file::temporary_path(result_file), ignored);
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<engine> make_sqlite_engine() {
  return std::make_unique<sqlite_engine>();
}

}  // namespace crs::query
