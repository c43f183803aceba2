#include "query/engine/table_loader.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "catalog/csv.hpp"
#include "catalog/csv_scan.hpp"
#include "query/engine/column_types.hpp"
#include "query/engine/sqlite_handles.hpp"

namespace crs::query {

namespace {

namespace csv = catalog::csv;

// Bytes of one data record: the catalog's own limit for the rows it reads.
constexpr std::size_t max_record_bytes = 1024 * 1024;
// The catalog refuses wider headers, so a wider one means the file changed under us.
constexpr std::size_t max_header_fields = 1000;
constexpr std::size_t read_buffer_bytes = 1 << 16;

std::string plural(std::size_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// Why a record could not be read, for the message of a data_unavailable outcome.
std::string unreadable(const csv::record& r) {
  const std::string line = "line " + std::to_string(r.line);
  switch (r.status) {
    case csv::read_status::too_long:
      return line + " is longer than " + std::to_string(max_record_bytes) + " bytes";
    case csv::read_status::unclosed_quote:
      return line + " has a quoted field that is never closed";
    case csv::read_status::bad_quote:
      return line + " has a quote inside an unquoted field or text after a closing quote";
    case csv::read_status::io_error:
      return "cannot read (" + std::string(std::strerror(errno ? errno : EIO)) + ")";
    case csv::read_status::record:
    case csv::read_status::end:
      break;
  }
  return "cannot read";
}

// Binds one CSV field. The text stays owned by the record, which outlives the step
// (SQLITE_STATIC avoids a copy per field).
int bind_field(sqlite3_stmt* stmt, int index, const std::string& field, sql_type type) {
  const std::string_view trimmed = trim_blanks(field);
  if (trimmed.empty()) return sqlite3_bind_null(stmt, index);
  if (type == sql_type::integer) {
    if (const auto v = parse_integer(trimmed)) return sqlite3_bind_int64(stmt, index, *v);
  } else if (type == sql_type::real) {
    if (const auto v = parse_real(trimmed)) return sqlite3_bind_double(stmt, index, *v);
  }
  // Text as it stands in the file: the column's affinity still turns "1.5" into a number.
  return sqlite3_bind_text(stmt, index, field.data(), static_cast<int>(field.size()),
                           SQLITE_STATIC);
}

}  // namespace

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string create_table_sql(const table_data& table) {
  std::string sql = "CREATE TABLE " + quote_identifier(table.name) + " (";
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += quote_identifier(table.columns[i].name);
    sql += ' ';
    sql += sql_type_name(sql_type_of(table.columns[i].type));
  }
  sql += ')';
  return sql;
}

std::optional<run_outcome> load_table(sqlite3* db, const table_data& table, std::uint64_t max_rows,
                                      run_watch& watch) {
  // Messages name the table and the file's own name, never where the catalog lives.
  const std::string file = table.csv.filename().string();
  const auto unavailable = [&](const std::string& why) {
    return failed(code_data_unavailable, "table " + table.name + ": " + file + ": " + why);
  };
  if (table.columns.empty())
    return failed(code_data_unavailable, "table " + table.name + " has no allowed columns");

  std::vector<char> buffer(read_buffer_bytes);
  std::ifstream in;
  in.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  errno = 0;
  in.open(table.csv, std::ios::binary);
  if (!in)
    return unavailable("cannot read (" + std::string(std::strerror(errno ? errno : ENOENT)) + ")");
  csv::reader reader(in);

  const csv::record header = reader.next({max_record_bytes, max_header_fields});
  if (header.status == csv::read_status::end) return unavailable("the file is empty");
  if (header.status != csv::read_status::record) return unavailable(unreadable(header));
  if (header.field_count > header.fields.size())
    return unavailable("the header has more than " + plural(max_header_fields, "column"));
  std::vector<std::string> names;
  for (const auto& field : header.fields) names.push_back(catalog::to_lower(trim_blanks(field)));

  // Where each allowed column sits in a record; the other fields are never bound.
  std::vector<std::size_t> positions;
  std::vector<sql_type> types;
  for (const auto& column : table.columns) {
    const std::string wanted = catalog::to_lower(column.name);
    std::size_t at = 0;
    while (at < names.size() && names[at] != wanted) ++at;
    if (at == names.size()) return unavailable("has no column " + column.name);
    positions.push_back(at);
    types.push_back(sql_type_of(column.type));
  }

  const std::string create = create_table_sql(table);
  if (sqlite3_exec(db, create.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
    return failed(code_execution_error,
                  "table " + table.name + " cannot be created: " + sqlite::error_text(db));
  std::string insert = "INSERT INTO " + quote_identifier(table.name) + " VALUES (";
  for (std::size_t i = 0; i < positions.size(); ++i) insert += i == 0 ? "?" : ", ?";
  insert += ')';
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, insert.c_str(), static_cast<int>(insert.size()), &raw, nullptr) !=
      SQLITE_OK)
    return failed(code_execution_error,
                  "table " + table.name + " cannot be loaded: " + sqlite::error_text(db));
  const sqlite::statement stmt(raw);

  const csv::read_limits row_limits{max_record_bytes, names.size()};
  for (std::uint64_t rows = 0;;) {
    if (watch.should_stop()) return watch.outcome();
    const csv::record r = reader.next(row_limits);
    if (r.status == csv::read_status::end) break;
    if (r.status != csv::read_status::record) return unavailable(unreadable(r));
    if (r.field_count != names.size())
      return unavailable("line " + std::to_string(r.line) + " has " +
                         plural(r.field_count, "field") + "; the header has " +
                         plural(names.size(), "column"));
    if (++rows > max_rows)
      return unavailable("more than " + plural(max_rows, "row") + ", the limit of a table");
    for (std::size_t i = 0; i < positions.size(); ++i) {
      if (bind_field(stmt.get(), static_cast<int>(i + 1), r.fields[positions[i]], types[i]) !=
          SQLITE_OK)
        return failed(code_execution_error,
                      "table " + table.name + " cannot be loaded: " + sqlite::error_text(db));
    }
    if (sqlite3_step(stmt.get()) != SQLITE_DONE) {
      if (watch.stopped() != run_watch::reason::none) return watch.outcome();
      return failed(code_execution_error,
                    "table " + table.name + " cannot be loaded: " + sqlite::error_text(db));
    }
    sqlite3_reset(stmt.get());
  }
  return std::nullopt;
}

}  // namespace crs::query
