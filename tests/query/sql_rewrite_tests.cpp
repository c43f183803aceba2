// The executable SQL: hidden output-constraint columns, LIMIT/OFFSET lifted out of AGGREGATION
// queries, the statement cut from its surroundings; and that SQLite accepts the result.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "sql_fixture.hpp"

using namespace sqltest;

namespace {

// True when SQLite can prepare `sql` over the fixture's tables (their allowed columns).
std::string sqlite_problem(const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(":memory:", &db);
  std::string ddl = fixture_ddl();
  char* error = nullptr;
  sqlite3_exec(db, ddl.c_str(), nullptr, nullptr, &error);
  std::string problem = error ? error : "";
  sqlite3_free(error);
  sqlite3_stmt* stmt = nullptr;
  if (problem.empty() && sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
    problem = sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return problem;
}

struct rewrite_case {
  const char* sql;
  const char* executable;
  std::vector<std::int64_t> minimums;
  std::size_t output_columns;
  std::optional<std::int64_t> limit;
  std::int64_t offset;
};

}  // namespace

SCENARIO("AGGREGATION queries get one hidden column per output constraint", "[sql][rewrite]") {
  GIVEN("purchases (user_id >= 2) and customers (user_id >= 3)") {
    const std::vector<rewrite_case> cases = {
        {"SELECT segment, SUM(amount) FROM purchases GROUP BY segment",
         "SELECT segment, SUM(amount), COUNT(DISTINCT \"purchases\".\"user_id\") FROM purchases "
         "GROUP BY segment",
         {2},
         2,
         std::nullopt,
         0},
        {"SELECT c.region, SUM(p.amount) AS total FROM purchases p JOIN customers c ON p.user_id "
         "= c.user_id GROUP BY c.region",
         "SELECT c.region, SUM(p.amount) AS total, COUNT(DISTINCT \"p\".\"user_id\"), "
         "COUNT(DISTINCT \"c\".\"user_id\") FROM purchases p JOIN customers c ON p.user_id = "
         "c.user_id GROUP BY c.region",
         {2, 3},
         2,
         std::nullopt,
         0},
        // The FROM of `IS DISTINCT FROM`, of a comment and of a string are not the clause.
        {"SELECT segment IS DISTINCT FROM 'FROM' AS d, SUM(amount) /* FROM */ -- FROM\n FROM "
         "purchases GROUP BY 1",
         "SELECT segment IS DISTINCT FROM 'FROM' AS d, SUM(amount), COUNT(DISTINCT "
         "\"purchases\".\"user_id\") /* FROM */ -- FROM\n FROM purchases GROUP BY 1",
         {2},
         2,
         std::nullopt,
         0},
        {"SELECT SUM(amount)FROM purchases",
         "SELECT SUM(amount), COUNT(DISTINCT \"purchases\".\"user_id\")FROM purchases",
         {2},
         1,
         std::nullopt,
         0},
        {"  SELECT segment, SUM(amount) FROM purchases GROUP BY segment ORDER BY 2 DESC LIMIT 10 "
         "OFFSET 5 ;  ",
         "SELECT segment, SUM(amount), COUNT(DISTINCT \"purchases\".\"user_id\") FROM purchases "
         "GROUP BY segment ORDER BY 2 DESC ",
         {2},
         2,
         10,
         5},
        {"SELECT SUM(amount) FROM purchases OFFSET 1 ROWS FETCH FIRST 3 ROWS ONLY",
         "SELECT SUM(amount), COUNT(DISTINCT \"purchases\".\"user_id\") FROM purchases ",
         {2},
         1,
         3,
         1},
        {"SELECT SUM(amount) FROM purchases LIMIT ALL",
         "SELECT SUM(amount), COUNT(DISTINCT \"purchases\".\"user_id\") FROM purchases ",
         {2},
         1,
         std::nullopt,
         0},
        {"SELECT SUM(amount) FROM purchases LIMIT 0 -- none\n",
         "SELECT SUM(amount), COUNT(DISTINCT \"purchases\".\"user_id\") FROM purchases ",
         {2},
         1,
         0,
         0},
        // A self-join: one hidden column per range entry.
        {"SELECT SUM(a.amount) FROM purchases a JOIN purchases \"B\" ON a.user_id = \"B\".user_id",
         "SELECT SUM(a.amount), COUNT(DISTINCT \"a\".\"user_id\"), COUNT(DISTINCT "
         "\"B\".\"user_id\") FROM purchases a JOIN purchases \"B\" ON a.user_id = \"B\".user_id",
         {2, 2},
         1,
         std::nullopt,
         0},
    };
    for (const rewrite_case& c : cases) {
      WHEN(std::string("checking: ") + c.sql) {
        const outcome o = check(c.sql);
        THEN("the SQL, minimums, visible columns and lifted limit are as expected") {
          CAPTURE(o.code, o.message);
          REQUIRE(o.ok);
          CHECK(o.query.sql == c.executable);
          CHECK(o.query.minimums == c.minimums);
          CHECK(o.query.output_columns == c.output_columns);
          CHECK(o.query.limit == c.limit);
          CHECK(o.query.offset == c.offset);
          CHECK(sqlite_problem(o.query.sql) == "");
        }
      }
    }
  }
  GIVEN("a table listing the same constraint column twice") {
    query_facts f = facts();
    auto& rule = std::get<aggregation_rule>(*f.schemas[0].policy);
    rule.output_constraints = {{"user_id", 2}, {"segment", 4}, {"user_id", 50}};
    WHEN("it is queried") {
      const outcome o = check("SELECT SUM(amount) FROM purchases", f);
      THEN("the constraint is merged, keeping the largest minimum") {
        REQUIRE(o.ok);
        CHECK(o.query.sql ==
              "SELECT SUM(amount), COUNT(DISTINCT \"purchases\".\"user_id\"), COUNT(DISTINCT "
              "\"purchases\".\"segment\") FROM purchases");
        CHECK(o.query.minimums == std::vector<std::int64_t>{50, 4});
      }
    }
  }
  GIVEN("limits that cannot be lifted") {
    THEN("they are refused") {
      for (const char* sql : {"SELECT SUM(amount) FROM purchases LIMIT 1 + 1",
                              "SELECT SUM(amount) FROM purchases LIMIT -1",
                              "SELECT SUM(amount) FROM purchases OFFSET 2 * 2",
                              "SELECT SUM(amount) FROM purchases LIMIT 5 OFFSET -3"}) {
        CAPTURE(sql);
        const outcome o = check(sql);
        CHECK(o.code == code_unsupported);
        CHECK_THAT(o.message, Catch::Contains("LIMIT") || Catch::Contains("OFFSET"));
      }
      const outcome ties =
          check("SELECT SUM(amount) FROM purchases ORDER BY 1 FETCH FIRST 1 ROWS WITH TIES");
      CHECK(ties.code == code_unsupported);
      CHECK_THAT(ties.message, Catch::Contains("WITH TIES"));
    }
  }
}

SCENARIO("LIST and CUSTOM queries run as written", "[sql][rewrite]") {
  GIVEN("a LIST query with LIMIT and a CUSTOM query with *") {
    WHEN("they are checked") {
      const outcome list = check(
          "SELECT DISTINCT e.email FROM emails_list e JOIN my_list m ON e.user_id = m.user_id "
          "LIMIT 10;");
      const outcome custom = check(
          "/* c */ SELECT * FROM my_custom m JOIN orders_custom o USING (user_id) ORDER BY "
          "m.score");
      THEN("the statement is kept, LIMIT included, and the visible columns counted") {
        REQUIRE(list.ok);
        CHECK(list.query.sql ==
              "SELECT DISTINCT e.email FROM emails_list e JOIN my_list m ON e.user_id = "
              "m.user_id LIMIT 10");
        CHECK(list.query.limit == std::nullopt);
        CHECK(list.query.minimums.empty());
        CHECK(list.query.output_columns == 1);
        CHECK(list.query.tables == std::vector<std::string>{"emails_list", "my_list"});
        CHECK(sqlite_problem(list.query.sql) == "");
        // orders_custom's email is disallowed in the output, so * over it is refused...
        CHECK(custom.code == code_rule_violation);
        const outcome own = check("SELECT * FROM my_custom a JOIN my_custom b USING (user_id)");
        REQUIRE(own.ok);
        // ...while * over a USING join shows the merged column once: user_id, score, score.
        CHECK(own.query.output_columns == 3);
        CHECK(own.query.sql == "SELECT * FROM my_custom a JOIN my_custom b USING (user_id)");
        CHECK(sqlite_problem(own.query.sql) == "");
      }
    }
  }
}
