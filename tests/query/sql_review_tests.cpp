// A security review's bypasses of CUSTOM `disallowedOutputColumns`: places where the checker
// (PostgreSQL's reading of the query) and the engine (SQLite's) bound a name to different columns,
// and aggregates that passed a disallowed column's values on. Each refused query leaked emails
// before the fix; each accepted near miss runs in SQLite over rows with emails and shows none.
#include <sqlite3.h>

#include <algorithm>

#include <catch2/catch.hpp>

#include "sql_fixture.hpp"

using namespace sqltest;

namespace {

struct refused_case {
  const char* sql;
  const char* code;
  const char* fragment;
  bool leaks = false;  // SQLite, running the text as is, outputs emails
};

// Runs `sql` in SQLite over the fixture's tables, orders_custom holding emails; returns every
// value of every row as text, or the error as the only element prefixed with "error: ".
std::vector<std::string> run_in_sqlite(const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(":memory:", &db);
  std::string ddl = fixture_ddl();
  ddl +=
      "INSERT INTO orders_custom(order_id, user_id, email, total) VALUES "
      "(1, 10, 'alice@example.com', 5), (2, 20, 'bob@example.com', 7), "
      "(3, 10, 'carol@example.com', 9);"
      "INSERT INTO my_custom(user_id, score) VALUES (10, 1), (20, 2), (30, 3);";
  std::vector<std::string> out;
  char* error = nullptr;
  if (sqlite3_exec(db, ddl.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    out.push_back(std::string("error: ") + (error ? error : "?"));
    sqlite3_free(error);
    sqlite3_close(db);
    return out;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    out.push_back(std::string("error: ") + sqlite3_errmsg(db));
  } else {
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        out.emplace_back(text ? reinterpret_cast<const char*>(text) : "NULL");
      }
    if (rc != SQLITE_DONE) out = {std::string("error: ") + sqlite3_errmsg(db)};
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

void check_refused(const std::vector<refused_case>& cases) {
  for (const refused_case& c : cases) {
    CAPTURE(c.sql);
    const outcome o = check(c.sql);
    CAPTURE(o.code, o.message, o.query.sql);
    CHECK_FALSE(o.ok);
    CHECK(o.code == c.code);
    CHECK_THAT(o.message, Catch::Contains(c.fragment));
    if (c.leaks) {
      const std::vector<std::string> values = run_in_sqlite(c.sql);
      CAPTURE(values);
      CHECK(std::any_of(values.begin(), values.end(),
                        [](const std::string& v) { return v.find('@') != std::string::npos; }));
    }
  }
}

}  // namespace

SCENARIO("review: duplicate output names of a derived table are refused", "[sql][review][custom]") {
  GIVEN("subqueries, WITH queries and set operations naming two columns alike") {
    THEN("they are refused: SQLite binds the name to the first, the check did to the last") {
      check_refused({
          {"SELECT x FROM (SELECT email AS x, 1 AS x FROM orders_custom) s", code_unsupported,
           "Column name 'x' appears twice", true},
          {"WITH c AS (SELECT email AS x, 1 AS x FROM orders_custom) SELECT x FROM c",
           code_unsupported, "Column name 'x' appears twice", true},
          // Names collide case-insensitively, as SQLite matches them.
          {"SELECT s.x FROM (SELECT email AS \"X\", 1 AS x FROM orders_custom) s", code_unsupported,
           "appears twice", true},
          // A UNION takes its names from its first arm.
          {"SELECT x FROM (SELECT email AS x, 1 AS x FROM orders_custom UNION ALL SELECT 'a', 2 "
           "FROM my_custom) s",
           code_unsupported, "Column name 'x' appears twice", true},
          // `*` over a join of two tables with a user_id each.
          {"SELECT user_id FROM (SELECT * FROM (SELECT email AS user_id FROM orders_custom) a "
           "JOIN my_custom m ON true) s",
           code_unsupported, "Column name 'user_id' appears twice", true},
          // A column list naming two columns alike.
          {"WITH c(a, \"A\") AS (SELECT email, 1 FROM orders_custom) SELECT a FROM c",
           code_unsupported, "Column name 'A' appears twice in WITH query 'c'", true},
          // A column list shorter than the body: SQLite refuses it, PostgreSQL names the rest
          // from the body (here a second x).
          {"WITH c(x) AS (SELECT email AS y, 1 AS x FROM orders_custom) SELECT x FROM c",
           code_unsupported, "'c' has 2 columns but 1 names"},
      });
    }
  }
  GIVEN("a USING column and another column of the same name") {
    THEN("an unqualified reference is ambiguous, as in both PostgreSQL and SQLite") {
      check_refused({
          {"SELECT user_id FROM my_custom m JOIN (SELECT user_id FROM my_custom) a USING "
           "(user_id) JOIN (SELECT email AS user_id FROM orders_custom) c ON true",
           code_unknown_column, "Column reference 'user_id' is ambiguous"},
      });
    }
  }
}

SCENARIO("review: unnamed expressions of a derived table are refused", "[sql][review][custom]") {
  GIVEN("a derived table whose expression is named differently by PostgreSQL and SQLite") {
    THEN("an expression without an alias is refused in a subquery, WITH query or UNION arm") {
      check_refused({
          {"SELECT \"email || ''\" FROM (SELECT email || '', 1 AS \"email || ''\" FROM "
           "orders_custom) s",
           code_unsupported, "needs an alias", true},
          {"WITH c AS (SELECT lower(email), 1 AS \"lower(email)\" FROM orders_custom) SELECT "
           "\"lower(email)\" FROM c",
           code_unsupported, "needs an alias", true},
          {"SELECT \"email || ''\" FROM (SELECT email || '', 1 AS \"email || ''\" FROM "
           "orders_custom UNION ALL SELECT 'a', 2 FROM my_custom) s",
           code_unsupported, "needs an alias", true},
          {"SELECT \"CAST(email AS text)\" FROM (SELECT CAST(email AS text), 1 AS \"CAST(email AS "
           "text)\" FROM orders_custom) s",
           code_unsupported, "needs an alias", true},
      });
    }
  }
}

SCENARIO("review: WITH queries scope as in SQLite or are refused", "[sql][review][custom]") {
  GIVEN("WITH queries that shadow a table, refer to themselves or to a later one") {
    THEN("they are refused") {
      check_refused({
          // SQLite reads the body's orders_custom as the WITH query itself (recursively).
          {"WITH a AS (SELECT email, user_id FROM orders_custom) SELECT user_id FROM (WITH "
           "orders_custom(order_id, user_id) AS (SELECT * FROM a UNION SELECT user_id, order_id "
           "FROM orders_custom) SELECT user_id FROM orders_custom) s",
           code_unsupported, "WITH query 'orders_custom' has the name of a table", true},
          {"WITH my_custom AS (SELECT user_id, total AS score FROM orders_custom) SELECT * FROM "
           "my_custom",
           code_unsupported, "has the name of a table"},
          {"WITH c(n) AS (SELECT user_id FROM my_custom UNION SELECT n FROM c) SELECT n FROM c",
           code_unsupported, "WITH query 'c' refers to itself"},
          // SQLite lets `a` read the later `b`; PostgreSQL reads the outer `b`.
          {"WITH b AS (SELECT user_id AS v FROM my_custom) SELECT v FROM (WITH a AS (SELECT v "
           "FROM b), b AS (SELECT email AS v FROM orders_custom) SELECT v FROM a) s",
           code_unsupported, "refers to 'b', which the same WITH defines after it", true},
          // ...however deep in the body the reference is.
          {"WITH a AS (SELECT * FROM (SELECT user_id FROM b) x), b AS (SELECT user_id FROM "
           "my_custom) SELECT * FROM a",
           code_unsupported, "WITH query 'a' refers to 'b', which the same WITH defines after it"},
          {"WITH c AS (SELECT user_id FROM my_custom) SELECT u FROM (WITH c AS (SELECT email AS "
           "u FROM orders_custom) SELECT u FROM c) s",
           code_unsupported, "WITH query 'c' has the name of another WITH query", true},
      });
    }
  }
}

SCENARIO("review: only COUNT takes a disallowed column out of the output",
         "[sql][review][custom]") {
  GIVEN("aggregates other than COUNT over email, per row") {
    THEN("they are refused") {
      check_refused({
          {"SELECT order_id, SUM(unicode(substr(email, 1, 1))) FROM orders_custom GROUP BY "
           "order_id",
           code_rule_violation, "does not allow column 'email'"},
          {"SELECT order_id, AVG(length(email)) AS n FROM orders_custom GROUP BY order_id",
           code_rule_violation, "output column 'n' carries its values"},
          {"SELECT order_id, total(unicode(email)) FROM orders_custom GROUP BY order_id",
           code_rule_violation, "does not allow column 'email'"},
          {"SELECT s FROM (SELECT order_id, SUM(instr(email, 'b')) AS s FROM orders_custom GROUP "
           "BY order_id) t",
           code_rule_violation, "does not allow column 'email'"},
      });
    }
  }
}

SCENARIO("review: near misses pass, and SQLite shows no email", "[sql][review][custom]") {
  GIVEN("queries next to the refused ones") {
    const std::vector<const char*> accepted = {
        "SELECT x FROM (SELECT email AS y, 1 AS x FROM orders_custom) s",
        "WITH c AS (SELECT order_id, email AS e FROM orders_custom) SELECT order_id FROM c",
        "SELECT \"email || ''\" FROM (SELECT email || '' AS e, 1 AS \"email || ''\" FROM "
        "orders_custom) s",
        "WITH c(a, b) AS (SELECT email || '', user_id FROM orders_custom) SELECT b FROM c",
        // PostgreSQL puts a USING column first in `*`, SQLite where its left table has it: the
        // column list names SQLite's order, so b is user_id.
        "WITH c(a, b, d) AS (SELECT * FROM (SELECT email, user_id FROM orders_custom) o JOIN "
        "my_custom USING (user_id)) SELECT b, d FROM c",
        "SELECT x FROM (SELECT email AS y, 1 AS x FROM orders_custom UNION ALL SELECT 'a', 2 "
        "FROM my_custom) s",
        "WITH a AS (SELECT user_id FROM my_custom), b AS (SELECT user_id FROM a) SELECT user_id "
        "FROM b",
        "SELECT order_id, COUNT(DISTINCT email), COUNT(email) FROM orders_custom GROUP BY "
        "order_id",
        "SELECT user_id, SUM(total) FROM orders_custom WHERE email LIKE '%@example.com' GROUP BY "
        "user_id",
        "SELECT user_id FROM (SELECT * FROM orders_custom o JOIN my_custom m USING (user_id)) s",
    };
    for (const char* sql : accepted) {
      WHEN(std::string("checking and running: ") + sql) {
        const outcome o = check(sql);
        THEN("it passes and its rows hold no email") {
          CAPTURE(o.code, o.message);
          REQUIRE(o.ok);
          const std::vector<std::string> values = run_in_sqlite(o.query.sql);
          CAPTURE(values);
          REQUIRE_FALSE(values.empty());
          CHECK_THAT(values.front(), !Catch::StartsWith("error: "));
          for (const std::string& v : values) CHECK(v.find('@') == std::string::npos);
        }
      }
    }
  }
}
