// A fresh directory with CSV tables, the SQLite engine and helpers to run hand-built
// checked queries and read their result files back.
#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "catalog/csv.hpp"
#include "query/engine/engine.hpp"
#include "temp_dir.hpp"

namespace crs::test {

namespace fs = std::filesystem;

// Seven orders; `secret` is a CSV column that is never an allowed column.
inline const char* const orders_csv =
    "id,customer,amount,region,secret\n"
    "1,alice,10.5,north,s1\n"
    "2,bob,20,south,s2\n"
    "3,alice,7.25,north,s3\n"
    "4,carol,,east,s4\n"
    "5,bob,12.75,south,s5\n"
    "6,alice,1,north,s6\n"
    "7,dave,100,west,s7\n";

inline std::vector<catalog::column> columns(
    std::initializer_list<std::pair<const char*, const char*>> list) {
  std::vector<catalog::column> out;
  for (const auto& [name, type] : list) out.push_back({name, type});
  return out;
}

inline std::vector<catalog::column> order_columns() {
  return columns(
      {{"id", "bigint"}, {"customer", "string"}, {"amount", "double"}, {"region", "string"}});
}

inline query::checked_query select(std::string sql, std::size_t visible,
                                   std::vector<std::int64_t> minimums = {},
                                   std::optional<std::int64_t> limit = std::nullopt,
                                   std::int64_t offset = 0) {
  query::checked_query q;
  q.sql = std::move(sql);
  q.output_columns = visible;
  q.minimums = std::move(minimums);
  q.limit = limit;
  q.offset = offset;
  return q;
}

using rows = std::vector<std::vector<std::string>>;

// "success", or the kind, code and message: REQUIRE(outcome(out) == "success") shows why not.
inline std::string outcome(const query::run_outcome& out) {
  switch (out.what) {
    case query::run_outcome::kind::success:
      return "success";
    case query::run_outcome::kind::failed:
      return "failed " + out.error_code + ": " + out.error_message;
    case query::run_outcome::kind::timed_out:
      return "timed_out " + out.error_code + ": " + out.error_message;
    case query::run_outcome::kind::cancelled:
      break;
  }
  return "cancelled: " + out.error_message;
}

struct engine_fixture {
  temp_dir tmp;
  fs::path dir{tmp.path()};
  std::unique_ptr<query::engine> engine = query::make_sqlite_engine();
  std::atomic<bool> cancel{false};
  query::run_limits limits;
  fs::path result = dir / "results" / "q1" / "result.csv";

  fs::path write(const std::string& relative, const std::string& content) const {
    const auto path = dir / relative;
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    return path;
  }

  query::table_data orders() const {
    return {"orders", write("catalog/sales/orders.csv", orders_csv), order_columns()};
  }

  query::run_outcome run(const query::checked_query& q,
                         const std::vector<query::table_data>& tables) {
    return engine->run(q, tables, result, limits, cancel);
  }
  query::run_outcome run(const query::checked_query& q) { return run(q, {orders()}); }

  // The result file's bytes, or "<none>" when there is no file.
  std::string text(const fs::path& path) const {
    if (!fs::exists(path)) return "<none>";
    std::ifstream in(path, std::ios::binary);
    std::ostringstream all;
    all << in.rdbuf();
    return all.str();
  }
  std::string text() const { return text(result); }

  // The result file's records, header first, read back with the catalog's CSV reader.
  rows records() const {
    std::istringstream in(text());
    catalog::csv::reader reader(in);
    rows out;
    for (;;) {
      auto r = reader.next({});
      if (r.status != catalog::csv::read_status::record) break;
      out.push_back(std::move(r.fields));
    }
    return out;
  }

  bool leftovers() const {
    return fs::exists(result) || fs::exists(fs::path(result.string() + ".tmp"));
  }
};

}  // namespace crs::test
