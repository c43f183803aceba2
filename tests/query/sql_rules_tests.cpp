// The rule check, table-driven: every query is either allowed or refused with a code and a
// message fragment (SPEC.md 12 step 8, 17.2-17.5).
#include <catch2/catch.hpp>

#include "sql_fixture.hpp"

using namespace sqltest;

namespace {

struct rule_case {
  const char* sql;
  const char* code;      // nullptr: the query is allowed
  const char* fragment;  // a part of the violation's message
};

void check_all(const std::vector<rule_case>& cases, const query_facts& f = facts()) {
  for (const rule_case& c : cases) {
    CAPTURE(c.sql);
    const outcome o = check(c.sql, f);
    if (!c.code) {
      CAPTURE(o.code, o.message);
      CHECK(o.ok);
      continue;
    }
    CHECK_FALSE(o.ok);
    CHECK(o.code == c.code);
    CHECK_THAT(o.message, Catch::Contains(c.fragment));
  }
}

}  // namespace

SCENARIO("statements other than one SELECT are refused", "[sql][rules]") {
  GIVEN("a collaboration with tables of every rule type") {
    WHEN("statements are checked") {
      THEN("only a single SELECT passes") {
        check_all({
            {"SELECT segment, SUM(amount) FROM purchases GROUP BY segment", nullptr, ""},
            {"INSERT INTO purchases VALUES (1)", code_unsupported, "this is INSERT"},
            {"DELETE FROM purchases", code_unsupported, "Only SELECT"},
            {"SELECT 1; SELECT 2", code_unsupported, "exactly one statement; it has 2"},
            {"SELECT FROM WHERE", code_parse_error, "syntax error"},
            {"SELECT segment, SUM(amount) INTO t FROM purchases GROUP BY segment", code_unsupported,
             "SELECT INTO"},
            {"SELECT order_id FROM orders_custom FOR UPDATE", code_unsupported, "FOR UPDATE"},
            {"ATTACH DATABASE 'x.db' AS x", code_parse_error, "syntax error"},
            {"PRAGMA table_info(purchases)", code_parse_error, "syntax error"},
            {"SELECT 1", code_rule_violation, "reads no table"},
        });
      }
    }
  }
}

SCENARIO("tables must be schemas with compatible rules", "[sql][rules]") {
  GIVEN("a collaboration with tables of every rule type") {
    WHEN("the tables of queries are checked") {
      THEN("unknown, unqualifiable, rule-less and mixed tables are refused") {
        check_all({
            {"SELECT SUM(amount) FROM Purchases", nullptr, ""},
            {"SELECT SUM(amount) FROM \"PURCHASES\"", nullptr, ""},
            {"SELECT SUM(amount) FROM secret", code_unknown_table,
             "Table 'secret' is not a schema of this collaboration"},
            {"SELECT SUM(amount) FROM public.purchases", code_unknown_table,
             "Table 'public.purchases' is not a schema"},
            {"SELECT SUM(amount) FROM main.public.purchases", code_unknown_table,
             "Table 'main.public.purchases'"},
            {"SELECT * FROM generate_series(1, 3)", code_unsupported, "Table functions"},
            {"SELECT o.order_id FROM orders_custom o, LATERAL (SELECT 1 AS x) l", code_unsupported,
             "LATERAL"},
            {"SELECT SUM(amount) FROM purchases TABLESAMPLE SYSTEM (10)", code_unsupported,
             "TABLESAMPLE"},
            {"SELECT * FROM no_rule", code_rule_violation,
             "Table 'no_rule' has no analysis rule and cannot be queried"},
            {"SELECT * FROM job_table", code_rule_violation, "DIRECT_JOB"},
            {"SELECT SUM(p.amount) FROM purchases p JOIN emails_list e ON p.user_id = e.user_id",
             code_rule_violation,
             "Tables of one query must share one analysis rule type: 'purchases' is "
             "AGGREGATION, 'emails_list' is LIST"},
            {"SELECT o.order_id FROM orders_custom o JOIN purchases p ON o.user_id = p.user_id",
             code_rule_violation, "'orders_custom' is CUSTOM, 'purchases' is AGGREGATION"},
        });
      }
    }
  }
}

SCENARIO("columns resolve against the tables in scope", "[sql][rules]") {
  GIVEN("a collaboration with tables of every rule type") {
    WHEN("column references are checked") {
      THEN("unknown, ambiguous and unqualifiable columns are refused") {
        check_all({
            {"SELECT p.segment, SUM(p.amount) FROM purchases AS p GROUP BY p.segment", nullptr, ""},
            {"SELECT SUM(ssn) FROM purchases", code_unknown_column,
             "Column 'ssn' is not an allowed column of table 'purchases'"},
            {"SELECT SUM(p.ssn) FROM purchases p", code_unknown_column,
             "Column 'ssn' is not an allowed column of table 'purchases'"},
            {"SELECT SUM(x.amount) FROM purchases p", code_unknown_table,
             "'x' is not a table or alias of the FROM clause"},
            {"SELECT c.region, COUNT(DISTINCT user_id) FROM purchases p JOIN customers c ON "
             "p.user_id = c.user_id GROUP BY c.region",
             code_unknown_column, "Column reference 'user_id' is ambiguous"},
            {"SELECT c.region, COUNT(DISTINCT user_id) FROM purchases p JOIN customers c USING "
             "(user_id) GROUP BY c.region",
             nullptr, ""},
            {"SELECT p FROM orders_custom p", code_unknown_column, "Column 'p' is not"},
            {"SELECT SUM(amount) FROM purchases p JOIN purchases p ON p.user_id = p.user_id",
             code_unsupported, "appears twice"},
        });
      }
    }
  }
}

SCENARIO("AGGREGATION: outputs are aggregates of aggregate columns and dimensions",
         "[sql][rules][aggregation]") {
  GIVEN("purchases: SUM/AVG(amount), COUNT_DISTINCT(user_id), dimension segment") {
    WHEN("select lists are checked") {
      THEN("only allowed aggregates and dimension expressions pass") {
        check_all({
            {"SELECT segment, SUM(amount), AVG(amount), COUNT(DISTINCT user_id) FROM purchases "
             "GROUP BY segment",
             nullptr, ""},
            {"SELECT lower(segment) AS s, ROUND(SUM(amount), 2) FROM purchases GROUP BY 1", nullptr,
             ""},
            {"SELECT CAST(segment AS varchar(10)), COALESCE(SUM(amount), 0) * 2 + 1 FROM "
             "purchases GROUP BY CAST(segment AS varchar(10))",
             nullptr, ""},
            {"SELECT CASE WHEN segment = 'a' THEN 'A' ELSE 'other' END AS s, SUM(amount) FROM "
             "purchases GROUP BY 1",
             nullptr, ""},
            {"SELECT email, SUM(amount) FROM purchases GROUP BY email", code_rule_violation,
             "AGGREGATION rule of table 'purchases' does not allow column 'email' in the "
             "output: it is not a dimension column"},
            {"SELECT user_id, SUM(amount) FROM purchases GROUP BY user_id", code_rule_violation,
             "column 'user_id' in the output: it is not a dimension column (it is a join "
             "column"},
            {"SELECT amount, COUNT(DISTINCT user_id) FROM purchases GROUP BY amount",
             code_rule_violation, "(it is an aggregate column, usable only inside SUM, AVG)"},
            {"SELECT SUM(segment) FROM purchases", code_rule_violation,
             "does not allow SUM of column 'segment': it is not an aggregate column"},
            {"SELECT COUNT(user_id) FROM purchases", code_rule_violation,
             "does not allow COUNT of column 'user_id': its aggregateColumns allow only "
             "COUNT_DISTINCT"},
            {"SELECT SUM(DISTINCT amount) FROM purchases", code_rule_violation,
             "does not allow SUM_DISTINCT of column 'amount'"},
            {"SELECT COUNT(*) FROM purchases", code_rule_violation, "does not allow COUNT(*)"},
            {"SELECT COUNT(1) FROM purchases", code_rule_violation, "over constants"},
            {"SELECT MAX(amount) FROM purchases", code_rule_violation,
             "does not allow the aggregate MAX(...)"},
            {"SELECT AVG(DISTINCT amount) FROM purchases", code_rule_violation,
             "AVG(DISTINCT ...)"},
            {"SELECT SUM(SUM(amount)) FROM purchases", code_rule_violation,
             "an aggregate inside another"},
            {"SELECT segment FROM purchases GROUP BY segment", code_rule_violation,
             "requires at least one aggregate"},
            {"SELECT * FROM purchases", code_rule_violation, "does not allow '*' in the output"},
            {"SELECT p.*, SUM(amount) FROM purchases p", code_rule_violation, "does not allow '*'"},
            {"SELECT upper(segment), SUM(amount) FROM purchases GROUP BY 1", code_rule_violation,
             "AGGREGATION rule of table 'purchases' does not allow the scalar function UPPER"},
            {"SELECT md5(segment), SUM(amount) FROM purchases GROUP BY 1", code_rule_violation,
             "does not allow the function MD5"},
            {"SELECT segment, SUM(amount) FILTER (WHERE segment = 'a') FROM purchases GROUP BY 1",
             code_rule_violation, "FILTER"},
            {"SELECT current_date, SUM(amount) FROM purchases", nullptr, ""},
            {"SELECT SUM(amount) FROM purchases p JOIN customers c ON p.user_id = c.user_id "
             "WHERE c.region = upper('x')",
             code_rule_violation,
             "AGGREGATION rule of table 'purchases' does not allow the scalar function UPPER"},
        });
      }
    }
  }
}

SCENARIO("AGGREGATION: the shape of the query", "[sql][rules][aggregation]") {
  GIVEN("AGGREGATION tables") {
    WHEN("CTEs, subqueries, set operations, windows and other clauses are used") {
      THEN("they are refused, and WHERE/GROUP BY/HAVING/ORDER BY follow the columns' roles") {
        check_all({
            {"WITH x AS (SELECT segment FROM purchases) SELECT COUNT(DISTINCT segment) FROM x",
             code_rule_violation, "does not allow WITH queries (CTEs)"},
            {"SELECT SUM(amount) FROM purchases WHERE segment IN (SELECT segment FROM "
             "purchases)",
             code_rule_violation, "does not allow subqueries"},
            {"SELECT SUM(amount) FROM (SELECT amount FROM purchases) s", code_rule_violation,
             "does not allow subqueries"},
            {"SELECT SUM(amount) FROM purchases UNION SELECT SUM(amount) FROM purchases",
             code_rule_violation, "does not allow UNION, INTERSECT or EXCEPT"},
            {"SELECT segment, SUM(amount) OVER () FROM purchases", code_rule_violation,
             "does not allow window functions"},
            {"SELECT DISTINCT ON (segment) segment, SUM(amount) FROM purchases GROUP BY segment",
             code_rule_violation, "DISTINCT ON"},
            {"SELECT SUM(amount) FROM purchases WHERE segment IN ('a', 'b') AND segment LIKE "
             "'x%' AND segment IS NOT NULL AND NOT (segment BETWEEN 'a' AND 'c') AND "
             "lower(segment) <> 'z'",
             nullptr, ""},
            {"SELECT SUM(amount) FROM purchases WHERE email = 'a@b.c'", code_rule_violation,
             "does not allow column 'email' in WHERE: it is not a dimension column"},
            {"SELECT SUM(amount) FROM purchases WHERE amount > 10", code_rule_violation,
             "column 'amount' in WHERE"},
            {"SELECT SUM(amount) FROM purchases WHERE user_id IS NULL", code_rule_violation,
             "column 'user_id' in WHERE: it is not a dimension column (it is a join column"},
            {"SELECT SUM(amount) FROM purchases WHERE segment::text = 'a' AND CAST(segment AS "
             "int) > 0",
             nullptr, ""},
            {"SELECT SUM(amount) FROM purchases WHERE SUM(amount) > 1", code_rule_violation,
             "does not allow aggregates in WHERE"},
            {"SELECT SUM(amount) FROM purchases GROUP BY email", code_rule_violation,
             "column 'email' in GROUP BY"},
            {"SELECT segment, SUM(amount) FROM purchases GROUP BY 2", code_rule_violation,
             "GROUP BY of an aggregate"},
            {"SELECT segment, SUM(amount) FROM purchases", code_unsupported,
             "must appear in GROUP BY"},
            {"SELECT segment, SUM(amount) FROM purchases GROUP BY segment HAVING SUM(amount) > "
             "10 AND COUNT(DISTINCT user_id) > 5",
             nullptr, ""},
            {"SELECT segment, SUM(amount) FROM purchases GROUP BY segment HAVING AVG(email) > 1",
             code_rule_violation, "does not allow AVG of column 'email'"},
            {"SELECT segment AS s, SUM(amount) AS total FROM purchases GROUP BY s ORDER BY "
             "total DESC, 1, AVG(amount)",
             nullptr, ""},
            {"SELECT segment, SUM(amount) FROM purchases GROUP BY segment ORDER BY email",
             code_rule_violation, "column 'email' in ORDER BY"},
        });
      }
    }
  }
}

SCENARIO("AGGREGATION and LIST: joins", "[sql][rules][joins]") {
  GIVEN("purchases and partners of other members, customers of the querier") {
    WHEN("joins are checked") {
      THEN("only INNER JOINs on join columns with allowed operators pass") {
        check_all({
            {"SELECT c.region, SUM(p.amount) FROM purchases p JOIN customers c ON p.user_id = "
             "c.user_id GROUP BY c.region",
             nullptr, ""},
            {"SELECT c.region, SUM(p.amount) FROM purchases p INNER JOIN customers c USING "
             "(user_id) GROUP BY c.region",
             nullptr, ""},
            {"SELECT SUM(p.amount) FROM purchases p LEFT JOIN customers c ON p.user_id = "
             "c.user_id",
             code_rule_violation,
             "AGGREGATION rule of table 'customers' allows only INNER JOIN, not LEFT JOIN"},
            {"SELECT SUM(p.amount) FROM purchases p, customers c WHERE p.user_id = c.user_id",
             code_rule_violation, "does not allow comma joins"},
            {"SELECT SUM(p.amount) FROM purchases p CROSS JOIN customers c", code_rule_violation,
             "does not allow CROSS JOIN"},
            {"SELECT SUM(p.amount) FROM purchases p NATURAL JOIN customers c", code_rule_violation,
             "NATURAL JOIN"},
            {"SELECT SUM(p.amount) FROM purchases p JOIN customers c ON p.segment = c.region",
             code_rule_violation,
             "AGGREGATION rule of table 'purchases' does not allow column 'segment' in JOIN ... "
             "ON: it is not a join column"},
            {"SELECT SUM(p.amount) FROM purchases p JOIN customers c ON p.user_id = c.user_id "
             "OR p.user_id = c.user_id",
             code_rule_violation, "does not allow OR in JOIN ... ON"},
            {"SELECT SUM(p.amount) FROM purchases p JOIN customers c ON p.user_id < c.user_id",
             code_rule_violation, "only equalities of join columns"},
            {"SELECT SUM(p.amount) FROM purchases p JOIN customers c ON p.user_id = 5",
             code_rule_violation, "only equalities of join columns"},
            {"SELECT SUM(p.amount) FROM purchases p JOIN customers c ON p.user_id = c.user_id "
             "AND c.region = 'eu'",
             code_rule_violation, "only equalities of join columns"},
            {"SELECT SUM(p.amount) FROM purchases p JOIN purchases q ON p.user_id = p.user_id",
             code_rule_violation, "compare two columns of 'p'"},
            {"SELECT SUM(p.amount) FROM purchases p JOIN customers c ON p.user_id = c.user_id "
             "JOIN partners pa ON p.user_id = c.user_id",
             code_rule_violation, "requires JOIN ... ON to compare a join column of the joined"},
        });
      }
    }
    WHEN("a joinRequired table is queried") {
      THEN("it must reach a table of the querier through join conditions") {
        check_all({
            {"SELECT SUM(spend) FROM partners", code_rule_violation,
             "AGGREGATION rule of table 'partners' requires the query to join it with a table "
             "of the querier"},
            {"SELECT SUM(pa.spend) FROM partners pa JOIN customers c ON pa.user_id = c.user_id",
             nullptr, ""},
            {"SELECT SUM(pa.spend) FROM partners pa JOIN purchases p ON pa.user_id = p.user_id "
             "JOIN customers c ON p.user_id = c.user_id",
             nullptr, ""},
            {"SELECT SUM(pa.spend) FROM partners pa JOIN purchases p ON pa.user_id = p.user_id",
             code_rule_violation, "table 'partners' requires the query to join it"},
            // OR is allowed by partners but not by customers (no allowedJoinOperators).
            {"SELECT SUM(pa.spend) FROM partners pa JOIN customers c ON pa.user_id = c.user_id "
             "OR pa.email = c.user_id",
             code_rule_violation,
             "AGGREGATION rule of table 'customers' does not allow OR in JOIN ... ON"},
        });
      }
    }
  }
}

SCENARIO("LIST: bare list columns of tables joined with the querier's", "[sql][rules][list]") {
  GIVEN("emails_list (owner) and my_list (querier)") {
    WHEN("list queries are checked") {
      THEN("only list columns, joins on join columns and simple filters pass") {
        check_all({
            {"SELECT DISTINCT e.email, e.city FROM emails_list e JOIN my_list m ON e.user_id = "
             "m.user_id",
             nullptr, ""},
            {"SELECT e.email AS mail, m.name FROM emails_list e JOIN my_list m ON e.user_id = "
             "m.user_id WHERE e.city IN ('Paris', 'Lyon') AND m.name LIKE 'A%' ORDER BY mail, 2 "
             "LIMIT 10",
             nullptr, ""},
            {"SELECT e.user_id FROM emails_list e JOIN my_list m ON e.user_id = m.user_id",
             code_rule_violation,
             "LIST rule of table 'emails_list' does not allow column 'user_id' in the output: "
             "it is not a list column"},
            {"SELECT COUNT(e.email) FROM emails_list e JOIN my_list m ON e.user_id = m.user_id",
             code_rule_violation, "does not allow aggregate functions"},
            {"SELECT email FROM emails_list", code_rule_violation,
             "LIST rule of table 'emails_list' requires the query to join it with a table of "
             "the querier"},
            {"SELECT name FROM my_list", code_rule_violation, "requires the query to join it"},
            {"SELECT lower(e.email) FROM emails_list e JOIN my_list m ON e.user_id = m.user_id",
             code_rule_violation, "only bare list columns in the output"},
            {"SELECT * FROM emails_list e JOIN my_list m ON e.user_id = m.user_id",
             code_rule_violation, "does not allow '*'"},
            {"SELECT e.email FROM emails_list e JOIN my_list m ON e.user_id = m.user_id WHERE "
             "lower(e.city) = 'x'",
             code_rule_violation, "does not allow functions"},
            {"SELECT e.email FROM emails_list e JOIN my_list m ON e.user_id = m.user_id WHERE "
             "e.user_id = 3",
             code_rule_violation, "column 'user_id' in WHERE: it is not a list column"},
            {"SELECT e.email FROM emails_list e JOIN my_list m ON e.user_id = m.user_id GROUP "
             "BY e.email",
             code_rule_violation, "does not allow GROUP BY"},
            {"SELECT e.email FROM emails_list e JOIN my_list m ON e.user_id = m.user_id UNION "
             "SELECT name FROM my_list",
             code_rule_violation, "LIST rule of table 'emails_list' does not allow UNION"},
            {"SELECT e.email FROM emails_list e JOIN my_list m ON e.email = m.name",
             code_rule_violation, "column 'email' in JOIN ... ON: it is not a join column"},
            {"SELECT e.email FROM emails_list e FULL JOIN my_list m ON e.user_id = m.user_id",
             code_rule_violation, "not FULL JOIN"},
        });
      }
    }
  }
}

SCENARIO("CUSTOM: allowed analyses and disallowed output columns", "[sql][rules][custom]") {
  GIVEN("orders_custom (provider mode for the querier, email disallowed in the output)") {
    WHEN("ad hoc queries are checked") {
      THEN("any SELECT passes unless its output carries a disallowed column") {
        check_all({
            {"SELECT user_id, SUM(total) FROM orders_custom GROUP BY user_id", nullptr, ""},
            {"WITH t AS (SELECT user_id, total FROM orders_custom) SELECT t.user_id, m.score "
             "FROM t JOIN my_custom m ON t.user_id = m.user_id LEFT JOIN (SELECT user_id FROM "
             "my_custom) x ON x.user_id = t.user_id ORDER BY 1 LIMIT 5",
             nullptr, ""},
            {"SELECT o.order_id FROM orders_custom o WHERE EXISTS (SELECT 1 FROM my_custom m "
             "WHERE m.user_id = o.user_id) AND o.email LIKE '%@example.com'",
             nullptr, ""},
            {"SELECT COUNT(DISTINCT email), COUNT(*) FROM orders_custom", nullptr, ""},
            {"SELECT user_id FROM orders_custom UNION ALL SELECT user_id FROM my_custom", nullptr,
             ""},
            {"SELECT email FROM orders_custom", code_rule_violation,
             "CUSTOM rule of table 'orders_custom' does not allow column 'email' in the output"},
            {"WITH x AS (SELECT email AS e FROM orders_custom) SELECT e FROM x",
             code_rule_violation, "output column 'e' carries its values"},
            {"SELECT * FROM orders_custom", code_rule_violation, "column 'email'"},
            {"SELECT s.* FROM (SELECT * FROM orders_custom) s", code_rule_violation,
             "column 'email'"},
            {"SELECT * FROM (SELECT order_id, total FROM orders_custom) s", nullptr, ""},
            {"SELECT lower(email) || '' AS e FROM orders_custom", code_rule_violation,
             "column 'email'"},
            {"SELECT MAX(email) FROM orders_custom", code_rule_violation, "column 'email'"},
            {"SELECT a FROM (SELECT email FROM orders_custom) x(a)", code_rule_violation,
             "output column 'a' carries its values"},
            {"SELECT LAG(email) OVER (ORDER BY total) FROM orders_custom", code_rule_violation,
             "column 'email'"},
            {"SELECT * FROM my_custom m NATURAL JOIN orders_custom o", code_rule_violation,
             "column 'email'"},
            {"SELECT x.email FROM (SELECT user_id AS email FROM orders_custom) x", nullptr, ""},
            {"SELECT user_id, ROW_NUMBER() OVER (PARTITION BY email ORDER BY total) FROM "
             "orders_custom ORDER BY email",
             nullptr, ""},
            {"SELECT user_id FROM orders_custom INTERSECT SELECT user_id FROM my_custom ORDER BY "
             "1 LIMIT 3",
             nullptr, ""},
            {"SELECT user_id FROM orders_custom o WHERE o.total > (SELECT AVG(total) FROM "
             "orders_custom WHERE user_id = o.user_id)",
             nullptr, ""},
            {"SELECT o.user_id FROM orders_custom o JOIN (SELECT score FROM my_custom WHERE "
             "my_custom.user_id = o.user_id) s ON true",
             code_unknown_table, "'o' is not a table or alias of the FROM clause"},
            {"SELECT user_id FROM orders_custom UNION SELECT user_id, score FROM my_custom",
             code_unsupported,
             "Each side of UNION must have the same number of columns (1 and "
             "2)"},
            {"SELECT order_id FROM orders_custom UNION SELECT email FROM orders_custom",
             code_rule_violation, "column 'email'"},
            {"SELECT (SELECT email FROM orders_custom LIMIT 1) AS e", code_rule_violation,
             "column 'email'"},
            {"SELECT secret FROM orders_custom", code_unknown_column,
             "Column 'secret' is not an allowed column of table 'orders_custom'"},
            {"SELECT * FROM (WITH x AS (SELECT user_id FROM my_custom) SELECT * FROM x) s JOIN x "
             "ON true",
             code_unknown_table, "Table 'x' is not a schema"},
            {"WITH RECURSIVE r AS (SELECT 1 AS n UNION SELECT n + 1 FROM r) SELECT * FROM r",
             code_unsupported, "WITH RECURSIVE"},
            {"SELECT * FROM tmpl_custom", code_rule_violation,
             "Table 'tmpl_custom' allows only these analyses: arn:aws:cleanrooms"},
            {"SELECT * FROM closed_custom", code_rule_violation,
             "allows only these analyses: ANY_QUERY (analysis providers: 333333333333)"},
            {"SELECT * FROM dp_custom", code_unsupported,
             "differential privacy is not supported by the local engine"},
            {"SELECT load_extension('/tmp/evil.so') FROM my_custom", nullptr, ""},
        });
      }
    }
    WHEN("an analysis template runs") {
      query_facts f = facts();
      f.template_arn = template_arn;
      THEN("tables must list the template's ARN") {
        check_all(
            {
                {"SELECT user_id, SUM(total) FROM tmpl_custom GROUP BY user_id", nullptr, ""},
                {"SELECT t.user_id FROM tmpl_custom t JOIN my_custom m ON t.user_id = "
                 "m.user_id",
                 code_rule_violation, "Table 'my_custom' allows only these analyses: ANY_QUERY"},
            },
            f);
      }
    }
  }
}

SCENARIO("a query reads at most max_tables tables", "[sql][rules]") {
  GIVEN("16 CUSTOM tables the querier may query") {
    query_facts f = facts();
    std::string sql = "SELECT t0.user_id FROM t0";
    for (int i = 0; i < 16; ++i) {
      f.schemas.push_back(table("t" + std::to_string(i), owner, {"user_id"}, my_custom_rule()));
      if (i) sql += " JOIN t" + std::to_string(i) + " USING (user_id)";
    }
    WHEN("a query joins all 16") {
      const outcome o = check(sql, f);
      THEN("it is too large") {
        CHECK(o.code == code_query_too_large);
        CHECK(o.message == "A query may read at most 15 tables; this one reads 16");
      }
    }
    WHEN("a query joins 15 of them") {
      const std::string fifteen = sql.substr(0, sql.rfind(" JOIN"));
      const outcome o = check(fifteen, f);
      THEN("it passes and names the 15 tables") {
        CAPTURE(o.message);
        REQUIRE(o.ok);
        CHECK(o.query.tables.size() == 15);
        CHECK(o.query.tables.front() == "t0");
      }
    }
    WHEN("one table is read through several aliases") {
      const outcome o = check("SELECT a.user_id FROM t0 a JOIN t0 b USING (user_id)", f);
      THEN("it counts once") {
        REQUIRE(o.ok);
        CHECK(o.query.tables == std::vector<std::string>{"t0"});
      }
    }
  }
}
