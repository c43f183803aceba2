// The engine's second line of defence: whatever SQL slips past the rule checker, a run's
// statement may only read the loaded tables.
#include <catch2/catch.hpp>

#include "engine_fixture.hpp"

using namespace crs;
using namespace crs::test;
using kind = query::run_outcome::kind;

SCENARIO("statements other than a reading SELECT are refused") {
  GIVEN("the orders table") {
    engine_fixture f;
    const std::string outside = (f.dir / "outside.db").string();
    struct refused_case {
      const char* what;
      std::string sql;
      std::size_t visible;
      const char* why;  // the start of the message: which defence stopped it
    };
    const char* const denied = "not authorized";
    const std::vector<refused_case> cases = {
        {"ATTACH", "ATTACH DATABASE '" + outside + "' AS other", 1, denied},
        {"DETACH", "DETACH DATABASE main", 1, denied},
        {"PRAGMA", "PRAGMA table_info(orders)", 6, denied},
        // SQLite creates the pragma's table on first use, which the authorizer refuses too.
        {"a pragma table-valued function", "SELECT name FROM pragma_table_info('orders')", 1,
         denied},
        {"reading the schema", "SELECT name FROM sqlite_master", 1,
         "access to sqlite_master.name is prohibited"},
        {"counting the schema", "SELECT COUNT(*) FROM sqlite_schema", 1, denied},
        {"counting a pragma table", "SELECT COUNT(*) FROM pragma_table_info('orders')", 1, denied},
        {"a virtual table module", "SELECT value FROM json_each('[1, 2]')", 1,
         "no such table: json_each"},
        {"INSERT", "INSERT INTO orders (id) VALUES (99)", 1, denied},
        {"UPDATE", "UPDATE orders SET amount = 0", 1, denied},
        {"DELETE", "DELETE FROM orders", 1, denied},
        {"CREATE TABLE", "CREATE TABLE t (a)", 1, denied},
        {"CREATE TEMP VIEW", "CREATE TEMP VIEW v AS SELECT 1", 1, denied},
        {"CREATE TRIGGER", "CREATE TRIGGER x AFTER INSERT ON orders BEGIN SELECT 1; END", 1,
         denied},
        {"ALTER TABLE", "ALTER TABLE orders ADD COLUMN x", 1, denied},
        {"DROP", "DROP TABLE orders", 1, denied},
        {"a transaction", "BEGIN", 1, denied},
        {"a savepoint", "SAVEPOINT a", 1, denied},
        {"ANALYZE", "ANALYZE", 1, denied},
        {"VACUUM INTO", "VACUUM INTO '" + outside + "'", 1, "the query must only read"},
        {"REINDEX", "REINDEX", 1, "the query must be a SELECT"},
        {"EXPLAIN", "EXPLAIN SELECT id FROM orders", 8, "the query must be a SELECT"},
        {"load_extension", "SELECT load_extension('/tmp/nothing.so')", 1,
         "not authorized to use function: load_extension"},
        {"load_extension in another case", "SELECT LOAD_Extension('/tmp/nothing.so', 'x')", 1,
         "not authorized to use function: LOAD_Extension"},
        {"fts3_tokenizer", "SELECT fts3_tokenizer('simple')", 1,
         "not authorized to use function: fts3_tokenizer"},
    };
    for (const auto& c : cases) {
      WHEN(std::string("the query is ") + c.what) {
        const auto out = f.run(select(c.sql, c.visible));
        THEN("it fails as an execution error, and nothing is written anywhere") {
          CHECK(out.what == kind::failed);
          CHECK(out.error_code == query::code_execution_error);
          CHECK_THAT(out.error_message, Catch::StartsWith(c.why));
          CHECK_FALSE(f.leftovers());
          CHECK_FALSE(fs::exists(outside));
        }
      }
    }
    WHEN("a CTE reads the table, recursively or not") {
      const auto out = f.run(
          select("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3), "
                 "big AS (SELECT id FROM orders WHERE amount > 10) "
                 "SELECT i, (SELECT COUNT(*) FROM big) FROM n",
                 2));
      THEN("it is allowed") {
        REQUIRE(outcome(out) == "success");
        CHECK(f.records() ==
              rows{{"i", "(SELECT COUNT(*) FROM big)"}, {"1", "4"}, {"2", "4"}, {"3", "4"}});
      }
    }
    WHEN("a query uses window functions, CASE, UNION and scalar functions") {
      const auto out =
          f.run(select("SELECT customer, SUM(amount) OVER (PARTITION BY customer) AS s, "
                       "CASE WHEN id % 2 = 0 THEN 'even' ELSE 'odd' END, upper(region) FROM orders "
                       "WHERE id = 1 UNION ALL SELECT 'x', 0, 'y', lower('Z')",
                       4));
      THEN("it is allowed") {
        REQUIRE(outcome(out) == "success");
        CHECK(f.records() ==
              rows{{"customer", "s", "CASE WHEN id % 2 = 0 THEN 'even' ELSE 'odd' END",
                    "upper(region)"},
                   {"alice", "10.5", "odd", "NORTH"},
                   {"x", "0", "y", "z"}});
      }
    }
  }
}

SCENARIO("a query is exactly one statement") {
  GIVEN("the orders table") {
    engine_fixture f;
    WHEN("a second statement follows the first") {
      for (const char* sql : {"SELECT 1; SELECT 2", "SELECT 1; DROP TABLE orders",
                              "SELECT 1; /* c */ SELECT 2;", "SELECT 1;;SELECT 2"}) {
        const auto out = f.run(select(sql, 1));
        CAPTURE(sql);
        CHECK(out.what == kind::failed);
        CHECK(out.error_code == query::code_execution_error);
        CHECK(out.error_message == "the query must be a single statement");
        CHECK_FALSE(f.leftovers());
      }
    }
    WHEN("only semicolons, blanks and comments follow it") {
      for (const char* sql :
           {"SELECT 1;", "SELECT 1 ;  \n", "SELECT 1; -- done", "SELECT 1; /* done */ ;"}) {
        const auto out = f.run(select(sql, 1));
        CAPTURE(sql);
        CHECK(outcome(out) == "success");
        CHECK(f.text() == "1\n1\n");
      }
    }
    WHEN("the text is empty or only a comment") {
      for (const char* sql : {"", "  ", "-- nothing"}) {
        const auto out = f.run(select(sql, 1));
        CAPTURE(sql);
        CHECK(out.error_code == query::code_execution_error);
        CHECK(out.error_message == "the query is empty");
      }
    }
    WHEN("the text hides a statement after a NUL") {
      const auto out = f.run(select(std::string("SELECT 1\0; DROP TABLE orders", 28), 1));
      THEN("it is refused") {
        CHECK(out.error_code == query::code_execution_error);
        CHECK_FALSE(f.leftovers());
      }
    }
    WHEN("the text is not SQL") {
      const auto out = f.run(select("SELEC 1", 1));
      THEN("SQLite's message is the error") {
        CHECK(out.error_code == query::code_execution_error);
        CHECK_THAT(out.error_message, Catch::Contains("syntax error"));
      }
    }
  }
}

SCENARIO("size limits stop a query from growing values without bound") {
  GIVEN("the orders table") {
    engine_fixture f;
    WHEN("a query builds a 100 MB blob") {
      const auto out = f.run(select("SELECT length(zeroblob(100000000))", 1));
      THEN("SQLite refuses it as too big") {
        CHECK(out.error_code == query::code_execution_error);
        CHECK_THAT(out.error_message, Catch::Contains("too big"));
      }
    }
    WHEN("the SQL text is longer than 1 MiB") {
      const auto out = f.run(select("SELECT 1 /*" + std::string(1 << 20, 'x') + "*/", 1));
      THEN("it is refused") {
        CHECK(out.error_code == query::code_execution_error);
        CHECK_THAT(out.error_message, Catch::Contains("statement too long"));
      }
    }
  }
}
