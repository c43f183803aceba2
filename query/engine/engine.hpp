// The embedded engine of protected queries (SPEC.md 12, 17): runs a checked_query over the
// local CSV data of the tables it reads and writes the result as one CSV file.
// An interface so another engine can stand beside SQLite; the runner owns one and calls it off
// the actor threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "query/plan.hpp"

namespace crs::query {

// One table the query reads.
struct table_data {
  std::string name;           // the SQL name (schema/association name)
  std::filesystem::path csv;  // the catalog file
  // The configured table's allowed columns with their catalog types: ONLY these are loaded
  // (the others never reach the engine).
  std::vector<catalog::column> columns;
};

struct run_limits {
  std::chrono::milliseconds timeout{30000};  // the whole run: loading, executing, writing
  std::uint64_t max_rows_per_table = 5'000'000;
  std::uint64_t max_result_rows = 1'000'000;      // data rows written, header excluded
  std::uint64_t max_result_bytes = 256ull << 20;  // the whole file, header included
};

struct run_outcome {
  enum class kind { success, failed, timed_out, cancelled } what = kind::failed;
  std::int64_t rows = 0;  // rows written on success
  // On failed/timed_out, codes from plan.hpp: code_data_unavailable, code_execution_error,
  // code_result_too_large, code_timed_out. A cancelled run has no code, only a message.
  std::string error_code, error_message;
};

class engine {
 public:
  virtual ~engine() = default;
  // Runs `q` over `tables`, writing CSV (a header row of the visible column names, RFC 4180
  // quoting, NULL as an empty field, LF line ends) to `result_file` atomically (`<file>.tmp`,
  // fsync, rename; parent directories created). On any outcome but success no result file is
  // left, not even an older one at that path. `cancel` is polled while loading and executing.
  // Never throws. Thread-safe: many runs at once on different threads.
  [[nodiscard]] virtual run_outcome run(const checked_query& q,
                                        const std::vector<table_data>& tables,
                                        const std::filesystem::path& result_file,
                                        const run_limits& limits,
                                        const std::atomic<bool>& cancel) = 0;
};

[[nodiscard]] std::unique_ptr<engine> make_sqlite_engine();

}  // namespace crs::query
