// The ceiling of protected-query throughput: the rule check and the SQLite engine alone, on the
// same tables and query as bench/query_throughput.mjs drives through the server. Prints
// queries/s for one thread and for `--threads` threads.
//   query_engine_bench [--rows 100000] [--seconds 10] [--threads 2] [--dir /tmp/crs-qbench]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "bench/query_data.hpp"
#include "query/engine/engine.hpp"
#include "query/sql/check.hpp"

using namespace crs;

namespace {

const char* sql =
    "SELECT p.segment, SUM(p.amount) AS total, COUNT(DISTINCT p.user_id) AS users "
    "FROM purchases p JOIN customers c ON p.user_id = c.user_id "
    "WHERE c.region = 'eu' GROUP BY p.segment ORDER BY p.segment";

query::query_facts facts() {
  query::query_facts f;
  f.caller = "222222222222";
  aggregation_rule p;
  p.aggregate_columns = {{{"amount"}, aggregate_function::sum},
                         {{"user_id"}, aggregate_function::count_distinct}};
  p.join_columns = {"user_id"};
  p.dimension_columns = {"segment"};
  p.output_constraints = {{"user_id", 100}};
  f.schemas.push_back({"purchases",
                       "111111111111",
                       {"user_id", "segment", "amount", "email"},
                       analysis_method::direct_query,
                       p});
  aggregation_rule c;
  c.aggregate_columns = {{{"user_id"}, aggregate_function::count_distinct}};
  c.join_columns = {"user_id"};
  c.dimension_columns = {"region"};
  c.output_constraints = {{"user_id", 2}};
  f.schemas.push_back(
      {"customers", "222222222222", {"user_id", "region"}, analysis_method::direct_query, c});
  return f;
}

double run(int threads, double seconds, const query::checked_query& q,
           const std::vector<query::table_data>& tables, const std::filesystem::path& dir) {
  auto engine = query::make_sqlite_engine();
  std::atomic<long> done{0};
  std::atomic<bool> never{false};
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      long n = 0;
      while (std::chrono::steady_clock::now() < until) {
        auto check = query::check_query(sql, facts());  // the runner re-checks before each run
        if (!check) std::abort();
        auto out = engine->run(check.value(), tables,
                               dir / ("r" + std::to_string(t)) / std::to_string(n) / "result.csv",
                               {}, never);
        if (out.what != query::run_outcome::kind::success) {
          std::fprintf(stderr, "run failed: %s\n", out.error_message.c_str());
          std::abort();
        }
        ++n;
      }
      done += n;
    });
  for (auto& t : ts) t.join();
  return static_cast<double>(done) / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  long rows = 100000;
  double seconds = 10;
  int threads = 2;
  std::filesystem::path dir = "/tmp/crs-qbench";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--rows")) rows = std::atol(argv[i + 1]);
    if (!std::strcmp(argv[i], "--seconds")) seconds = std::atof(argv[i + 1]);
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
  }
  std::filesystem::remove_all(dir);
  bench::write_purchases(dir / "purchases.csv", rows);
  bench::write_customers(dir / "customers.csv", rows / 4);
  auto check = query::check_query(sql, facts());
  if (!check) {
    std::fprintf(stderr, "query refused: %s\n", check.error().message.c_str());
    return 1;
  }
  const std::vector<query::table_data> tables{
      {"purchases",
       dir / "purchases.csv",
       {{"user_id", "bigint"}, {"segment", "string"}, {"amount", "double"}, {"email", "string"}}},
      {"customers", dir / "customers.csv", {{"user_id", "bigint"}, {"region", "string"}}}};
  std::printf("rows=%ld (purchases) + %ld (customers)\n", rows, rows / 4 + 1);
  std::printf("engine, 1 thread : %.2f queries/s\n", run(1, seconds, check.value(), tables, dir));
  std::printf("engine, %d threads: %.2f queries/s\n", threads,
              run(threads, seconds, check.value(), tables, dir));
  std::filesystem::remove_all(dir);
  return 0;
}
