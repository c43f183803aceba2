// Runs that must stop: past their deadline, when cancelled, when the result grows too large;
// and runs side by side on many threads.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "engine_fixture.hpp"

using namespace crs;
using namespace crs::test;
using kind = query::run_outcome::kind;
using clock_type = std::chrono::steady_clock;

namespace {

// Counts forever: no row ever comes out, so only the deadline or a cancel ends it.
const char* const endless =
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT COUNT(*) FROM n";

std::chrono::milliseconds since(clock_type::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - start);
}

// A CSV of `n` rows of four columns: id, name, amount, region.
std::string wide_csv(int n) {
  std::string out = "id,name,amount,region\n";
  out.reserve(static_cast<std::size_t>(n) * 32);
  for (int i = 0; i < n; ++i)
    out += std::to_string(i) + ",name" + std::to_string(i % 1000) + "," + std::to_string(i % 977) +
           ".25,region" + std::to_string(i % 7) + "\n";
  return out;
}

std::vector<catalog::column> wide_columns() {
  return columns(
      {{"id", "bigint"}, {"name", "string"}, {"amount", "double"}, {"region", "string"}});
}

}  // namespace

SCENARIO("a run stops at its deadline") {
  GIVEN("a query that never ends and a 200 ms timeout") {
    engine_fixture f;
    f.limits.timeout = std::chrono::milliseconds(200);
    WHEN("it runs") {
      const auto start = clock_type::now();
      const auto out = f.run(select(endless, 1));
      const auto took = since(start);
      THEN("it is timed out soon after the deadline, with no result file") {
        CHECK(out.what == kind::timed_out);
        CHECK(out.error_code == query::code_timed_out);
        CHECK(out.error_message == "the query ran longer than its 200 ms limit");
        CHECK(took >= std::chrono::milliseconds(200));
        CHECK(took < std::chrono::milliseconds(1500));
        CHECK_FALSE(f.leftovers());
      }
    }
  }
  GIVEN("a large table and a deadline shorter than its loading") {
    engine_fixture f;
    const query::table_data big{"big", f.write("big.csv", wide_csv(200'000)), wide_columns()};
    f.limits.timeout = std::chrono::milliseconds(5);
    WHEN("it runs") {
      const auto out = f.run(select("SELECT COUNT(*) FROM big", 1), {big});
      THEN("loading stops at the deadline") {
        CHECK(out.what == kind::timed_out);
        CHECK(out.error_code == query::code_timed_out);
      }
    }
  }
}

SCENARIO("a run can be cancelled from another thread") {
  GIVEN("a query that never ends and a long timeout") {
    engine_fixture f;
    WHEN("another thread sets the cancel flag after 100 ms") {
      const auto start = clock_type::now();
      std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        f.cancel = true;
      });
      const auto out = f.run(select(endless, 1));
      const auto took = since(start);
      canceller.join();
      THEN("the run ends cancelled right away, with no code and no result file") {
        CHECK(out.what == kind::cancelled);
        CHECK(out.error_code.empty());
        CHECK(took < std::chrono::milliseconds(1500));
        CHECK_FALSE(f.leftovers());
      }
    }
    WHEN("the flag is already set") {
      f.cancel = true;
      const auto out = f.run(select("SELECT 1", 1));
      THEN("nothing runs") {
        CHECK(out.what == kind::cancelled);
        CHECK_FALSE(f.leftovers());
      }
    }
  }
}

SCENARIO("a result over the limits fails as RESULT_TOO_LARGE") {
  GIVEN("a query of four rows") {
    engine_fixture f;
    const auto q = select("SELECT region, COUNT(*) FROM orders GROUP BY region", 2);
    WHEN("at most 3 rows may be written") {
      f.limits.max_result_rows = 3;
      const auto out = f.run(q);
      THEN("it fails and writes nothing") {
        CHECK(out.what == kind::failed);
        CHECK(out.error_code == query::code_result_too_large);
        CHECK(out.error_message == "the result has more than 3 rows");
        CHECK_FALSE(f.leftovers());
      }
    }
    WHEN("exactly 4 rows may be written") {
      f.limits.max_result_rows = 4;
      const auto out = f.run(q);
      THEN("it succeeds") {
        CHECK(outcome(out) == "success");
      }
    }
    WHEN("at most 30 bytes may be written") {
      // "region,COUNT(*)\n" (16) + "east,1\n" (7) + "north,3\n" (8) would be 31.
      f.limits.max_result_bytes = 30;
      const auto out = f.run(select(q.sql + " ORDER BY region", 2));
      THEN("it fails and writes nothing") {
        CHECK(out.error_code == query::code_result_too_large);
        CHECK(out.error_message == "the result has more than 30 bytes");
        CHECK_FALSE(f.leftovers());
      }
    }
    WHEN("a LIMIT keeps the result under the limits") {
      f.limits.max_result_rows = 2;
      const auto out = f.run(select(q.sql, 2, {}, 2));
      THEN("it succeeds: rows past the LIMIT are never looked at") {
        CHECK(outcome(out) == "success");
        CHECK(out.rows == 2);
      }
    }
  }
  GIVEN("a query whose rows never end") {
    engine_fixture f;
    f.limits.max_result_rows = 1000;
    WHEN("it runs") {
      const auto out = f.run(select(
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n", 1));
      THEN("the row limit ends it") {
        CHECK(out.error_code == query::code_result_too_large);
      }
    }
  }
}

SCENARIO("runs on many threads at once") {
  GIVEN("eight threads sharing one engine, each with its own result file") {
    engine_fixture f;
    const auto orders = f.orders();
    const auto q = select(
        "SELECT region, COUNT(*), SUM(amount) FROM orders GROUP BY region ORDER BY region", 3);
    WHEN("they all run the same aggregation") {
      constexpr int threads = 8;
      std::vector<query::run_outcome> outs(threads);
      std::vector<fs::path> files;
      for (int i = 0; i < threads; ++i)
        files.push_back(f.dir / "parallel" / std::to_string(i) / "result.csv");
      std::vector<std::thread> pool;
      for (int i = 0; i < threads; ++i)
        pool.emplace_back([&, i] {
          std::atomic<bool> never{false};
          outs[i] = f.engine->run(q, {orders}, files[i], f.limits, never);
        });
      for (auto& t : pool) t.join();
      THEN("every one succeeds with the same rows") {
        for (int i = 0; i < threads; ++i) {
          CAPTURE(i);
          CHECK(outcome(outs[i]) == "success");
          CHECK(outs[i].rows == 4);
          CHECK(f.text(files[i]) ==
                "region,COUNT(*),SUM(amount)\n"
                "east,1,\n"
                "north,3,18.75\n"
                "south,2,32.75\n"
                "west,1,100.0\n");
        }
      }
    }
  }
}

// Not run by default: `query_engine_tests "[.bench]" -s` prints the load throughput.
TEST_CASE("engine: load throughput of a 100k-row, 4-column CSV", "[.bench]") {
  engine_fixture f;
  constexpr int n = 100'000;
  const query::table_data big{"big", f.write("big.csv", wide_csv(n)), wide_columns()};
  const auto q = select("SELECT COUNT(*), SUM(amount) FROM big", 2);
  double best = 0;
  for (int round = 0; round < 5; ++round) {
    const auto start = clock_type::now();
    const auto out = f.run(q, {big});
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    REQUIRE(outcome(out) == "success");
    best = std::max(best, n / seconds);
  }
  WARN("loaded " << n << " rows: best " << static_cast<long>(best) << " rows/s");
}
