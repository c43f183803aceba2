// The SQLite engine end to end: given CSV tables, when a checked query runs, then the result
// file holds exactly these rows (or the run fails with this code and leaves no file).
#include <catch2/catch.hpp>

#include "engine_fixture.hpp"

using namespace crs;
using namespace crs::test;
using kind = query::run_outcome::kind;

SCENARIO("a query aggregates typed CSV data") {
  GIVEN("the orders table with four allowed columns") {
    engine_fixture f;
    WHEN("it sums and averages the amounts per region") {
      const auto out =
          f.run(select("SELECT region, COUNT(*) AS n, SUM(amount) AS total, AVG(amount) AS mean "
                       "FROM orders GROUP BY region ORDER BY region",
                       4));
      THEN("each row is what the data adds up to by hand") {
        REQUIRE(outcome(out) == "success");
        CHECK(out.rows == 4);
        CHECK(out.error_code.empty());
        // north: 10.5 + 7.25 + 1 = 18.75 over 3; south: 20 + 12.75 = 32.75 over 2;
        // east's only amount is empty, so NULL: SUM and AVG of nothing are NULL.
        CHECK(f.text() ==
              "region,n,total,mean\n"
              "east,1,,\n"
              "north,3,18.75,6.25\n"
              "south,2,32.75,16.375\n"
              "west,1,100.0,100.0\n");
      }
      THEN("no temporary file is left beside the result") {
        CHECK_FALSE(fs::exists(f.result.string() + ".tmp"));
      }
    }
    WHEN("it asks for the storage class of each value") {
      const auto out =
          f.run(select("SELECT typeof(id), typeof(amount), typeof(customer), id + 1, amount * 2 "
                       "FROM orders WHERE id = 2",
                       5));
      THEN("bigint is INTEGER, double is REAL even for \"20\", string is TEXT") {
        REQUIRE(outcome(out) == "success");
        CHECK(f.records() ==
              rows{{"typeof(id)", "typeof(amount)", "typeof(customer)", "id + 1", "amount * 2"},
                   {"integer", "real", "text", "3", "40.0"}});
      }
    }
    WHEN("it joins the table with itself and filters with a subquery") {
      const auto out = f.run(select(
          "SELECT a.customer, COUNT(*) FROM orders a JOIN orders b ON a.customer = b.customer "
          "WHERE a.amount > (SELECT AVG(amount) FROM orders) GROUP BY a.customer",
          2));
      THEN("ordinary SELECT features are allowed") {
        // The average of the six amounts is 151.5 / 6 = 25.25: only dave's 100 is above.
        REQUIRE(outcome(out) == "success");
        CHECK(f.records() == rows{{"customer", "COUNT(*)"}, {"dave", "1"}});
      }
    }
  }

  GIVEN("a table typed by a sidecar with types other than the inferred three") {
    engine_fixture f;
    const query::table_data typed{"typed",
                                  f.write("catalog/db/typed.csv",
                                          "n,label,price,day,flag,code\n"
                                          " 42 ,x,1.50,2024-01-02,true,007\n"
                                          "+7,y,-2e3,2024-01-03,false,010\n"
                                          "oops,z,n/a,,,\n"),
                                  columns({{"n", "int"},
                                           {"label", "varchar(10)"},
                                           {"price", "decimal(10,2)"},
                                           {"day", "date"},
                                           {"flag", "boolean"},
                                           {"code", "string"}})};
    WHEN("the values are read back with their storage classes") {
      const auto out = f.run(select("SELECT n, typeof(n), price, typeof(price), day, typeof(day), "
                                    "flag, code, typeof(code) FROM typed ORDER BY label",
                                    9),
                             {typed});
      THEN("integer-ish and float-ish types hold numbers, the rest text; blanks are NULL") {
        REQUIRE(outcome(out) == "success");
        CHECK(f.text() ==
              "n,typeof(n),price,typeof(price),day,typeof(day),flag,code,typeof(code)\n"
              "42,integer,1.5,real,2024-01-02,text,true,007,text\n"
              "7,integer,-2000.0,real,2024-01-03,text,false,010,text\n"
              "oops,text,n/a,text,,null,,,null\n");
      }
    }
  }
}

SCENARIO("only the allowed columns reach SQLite") {
  GIVEN("the orders table, whose CSV also has a secret column") {
    engine_fixture f;
    WHEN("a query reads the secret column") {
      const auto out = f.run(select("SELECT secret FROM orders", 1));
      THEN("it fails as if the column did not exist") {
        CHECK(out.what == kind::failed);
        CHECK(out.error_code == query::code_execution_error);
        CHECK_THAT(out.error_message, Catch::Contains("no such column: secret"));
        CHECK_FALSE(f.leftovers());
      }
    }
    WHEN("a query selects every column") {
      const auto out = f.run(select("SELECT * FROM orders WHERE id = 1", 4));
      THEN("the four allowed ones come back, in the configured order") {
        REQUIRE(outcome(out) == "success");
        CHECK(f.records() ==
              rows{{"id", "customer", "amount", "region"}, {"1", "alice", "10.5", "north"}});
      }
    }
    WHEN("a query names a column in double quotes that does not exist") {
      const auto out = f.run(select("SELECT \"secret\" FROM orders", 1));
      THEN("it is an identifier, not a string literal SQLite would make up") {
        CHECK(out.what == kind::failed);
        CHECK_THAT(out.error_message, Catch::Contains("no such column"));
      }
    }
  }
  GIVEN("allowed columns in another order and case than the CSV header") {
    engine_fixture f;
    const query::table_data t{"t", f.write("t.csv", " ID ,Region,Amount\n1,n,2.5\n"),
                              columns({{"amount", "double"}, {"id", "bigint"}})};
    WHEN("the table is read") {
      const auto out = f.run(select("SELECT * FROM t", 2), {t});
      THEN("columns are matched by trimmed, lower-cased header name") {
        REQUIRE(outcome(out) == "success");
        CHECK(f.text() == "amount,id\n2.5,1\n");
      }
    }
  }
}

SCENARIO("output constraints suppress rows before OFFSET and LIMIT apply") {
  GIVEN("a query with one hidden COUNT(DISTINCT) column and a minimum of 2") {
    engine_fixture f;
    // Ordered by n: carol (1), dave (1), bob (2), alice (3); carol and dave are suppressed.
    const std::string sql =
        "SELECT customer, COUNT(*) AS n, COUNT(DISTINCT id) FROM orders "
        "GROUP BY customer ORDER BY n, customer";
    WHEN("it runs without offset or limit") {
      const auto out = f.run(select(sql, 2, {2}));
      THEN("the rows under the minimum are gone and the hidden column is never written") {
        REQUIRE(outcome(out) == "success");
        CHECK(out.rows == 2);
        CHECK(f.text() == "customer,n\nbob,2\nalice,3\n");
      }
    }
    WHEN("it has OFFSET 1") {
      const auto out = f.run(select(sql, 2, {2}, std::nullopt, 1));
      THEN("the offset skips a surviving row, not a suppressed one") {
        REQUIRE(outcome(out) == "success");
        CHECK(f.text() == "customer,n\nalice,3\n");
      }
    }
    WHEN("it has LIMIT 1") {
      const auto out = f.run(select(sql, 2, {2}, 1));
      THEN("the limit counts surviving rows") {
        REQUIRE(outcome(out) == "success");
        CHECK(out.rows == 1);
        CHECK(f.text() == "customer,n\nbob,2\n");
      }
    }
    WHEN("it has LIMIT 0") {
      const auto out = f.run(select(sql, 2, {2}, 0));
      THEN("only the header is written") {
        REQUIRE(outcome(out) == "success");
        CHECK(out.rows == 0);
        CHECK(f.text() == "customer,n\n");
      }
    }
  }
  GIVEN("two hidden columns with different minimums") {
    engine_fixture f;
    WHEN("a row passes one minimum but not the other") {
      const auto out =
          f.run(select("SELECT region, COUNT(DISTINCT customer), COUNT(DISTINCT id) FROM orders "
                       "GROUP BY region ORDER BY region",
                       1, {1, 2}));
      THEN("it is suppressed: every minimum must hold") {
        // north has 1 customer and 3 ids, south 1 and 2; east and west 1 and 1.
        REQUIRE(outcome(out) == "success");
        CHECK(f.text() == "region\nnorth\nsouth\n");
      }
    }
  }
  GIVEN("a statement whose column count does not match the checked query") {
    engine_fixture f;
    WHEN("it runs") {
      const auto out = f.run(select("SELECT region, COUNT(*) FROM orders GROUP BY region", 2, {2}));
      THEN("it fails rather than write a hidden column or drop a visible one") {
        CHECK(out.what == kind::failed);
        CHECK(out.error_code == query::code_execution_error);
        CHECK_FALSE(f.leftovers());
      }
    }
  }
}

SCENARIO("result values are written as RFC 4180 CSV") {
  GIVEN("text with commas, quotes and line breaks, an empty string and a NULL") {
    engine_fixture f;
    WHEN("they are selected") {
      const auto out = f.run(
          select("SELECT 'a,b' AS \"x,y\", 'say \"hi\"' AS q, 'two' || char(10) || 'lines' AS lf, "
                 "'cr' || char(13) AS cr, '' AS empty, NULL AS nul, 'plain' AS p, "
                 "x'414243' AS blob, 0.1 + 0.2 AS sum, -0.5 AS neg, 1e20 AS big",
                 11));
      THEN("quoted where needed, NULL as an empty field, blobs as text, doubles round-trip") {
        REQUIRE(outcome(out) == "success");
        CHECK(f.text() ==
              "\"x,y\",q,lf,cr,empty,nul,p,blob,sum,neg,big\n"
              "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",\"\",,plain,ABC,"
              "0.30000000000000004,-0.5,1e+20\n");
      }
    }
  }
  GIVEN("a table whose CSV fields are quoted") {
    engine_fixture f;
    const query::table_data people{
        "people", f.write("people.csv", "name,note\n\"smith, john\",\"said \"\"no\"\"\"\n"),
        columns({{"name", "string"}, {"note", "string"}})};
    WHEN("they are selected") {
      const auto out = f.run(select("SELECT name, note FROM people", 2), {people});
      THEN("they come out quoted the same way") {
        REQUIRE(outcome(out) == "success");
        CHECK(f.text() == "name,note\n\"smith, john\",\"said \"\"no\"\"\"\n");
        CHECK(f.records() == rows{{"name", "note"}, {"smith, john", "said \"no\""}});
      }
    }
  }
}

SCENARIO("unusable CSV data fails the run as DATA_UNAVAILABLE") {
  GIVEN("a CSV with a row of the wrong width") {
    engine_fixture f;
    const query::table_data t{"t", f.write("t.csv", "a,b\n1,2\n3\n"),
                              columns({{"a", "bigint"}, {"b", "bigint"}})};
    WHEN("it is loaded") {
      const auto out = f.run(select("SELECT a FROM t", 1), {t});
      THEN("the message names the table and the line") {
        CHECK(out.what == kind::failed);
        CHECK(out.error_code == query::code_data_unavailable);
        CHECK(out.error_message == "table t: t.csv: line 3 has 1 field; the header has 2 columns");
        CHECK_FALSE(f.leftovers());
      }
    }
  }
  GIVEN("an allowed column the CSV header does not have") {
    engine_fixture f;
    const query::table_data t{"t", f.write("t.csv", "a,b\n1,2\n"),
                              columns({{"a", "bigint"}, {"gone", "string"}})};
    WHEN("it is loaded") {
      const auto out = f.run(select("SELECT a FROM t", 1), {t});
      THEN("the message names the table and the column") {
        CHECK(out.error_code == query::code_data_unavailable);
        CHECK(out.error_message == "table t: t.csv: has no column gone");
      }
    }
  }
  GIVEN("a table whose file does not exist") {
    engine_fixture f;
    const query::table_data t{"t", f.dir / "nowhere.csv", columns({{"a", "bigint"}})};
    WHEN("it is loaded") {
      const auto out = f.run(select("SELECT a FROM t", 1), {t});
      THEN("it is unavailable, and the message does not show where the catalog lives") {
        CHECK(out.what == kind::failed);
        CHECK(out.error_code == query::code_data_unavailable);
        CHECK_THAT(out.error_message, Catch::StartsWith("table t: nowhere.csv: cannot read"));
        CHECK_THAT(out.error_message, !Catch::Contains(f.dir.string()));
      }
    }
  }
  GIVEN("an empty file, an unclosed quote and a directory in place of a file") {
    engine_fixture f;
    fs::create_directories(f.dir / "dir.csv");
    const auto a = columns({{"a", "string"}});
    const std::vector<std::pair<query::table_data, std::string>> cases = {
        {{"t", f.write("empty.csv", ""), a}, "table t: empty.csv: the file is empty"},
        {{"t", f.write("open.csv", "a\n\"x\n"), a},
         "table t: open.csv: line 2 has a quoted field that is never closed"},
        {{"t", f.dir / "dir.csv", a}, "table t: dir.csv: cannot read"},
    };
    for (const auto& [table, message] : cases) {
      WHEN("it is loaded: " + message) {
        const auto out = f.run(select("SELECT a FROM t", 1), {table});
        THEN("it is unavailable") {
          CHECK(out.error_code == query::code_data_unavailable);
          CHECK_THAT(out.error_message, Catch::StartsWith(message));
        }
      }
    }
  }
  GIVEN("a table with more rows than the limit") {
    engine_fixture f;
    f.limits.max_rows_per_table = 6;
    WHEN("it is loaded") {
      const auto out = f.run(select("SELECT COUNT(*) FROM orders", 1));
      THEN("it is unavailable") {
        CHECK(out.error_code == query::code_data_unavailable);
        CHECK_THAT(out.error_message, Catch::Contains("more than 6 rows"));
      }
    }
    WHEN("the limit is exactly the row count") {
      f.limits.max_rows_per_table = 7;
      const auto out = f.run(select("SELECT COUNT(*) FROM orders", 1));
      THEN("it loads") {
        REQUIRE(outcome(out) == "success");
        CHECK(f.text() == "COUNT(*)\n7\n");
      }
    }
  }
}

SCENARIO("the result file is written atomically") {
  GIVEN("a result path whose folders do not exist yet") {
    engine_fixture f;
    f.result = f.dir / "a" / "b" / "c" / "result.csv";
    WHEN("a query succeeds") {
      const auto out = f.run(select("SELECT COUNT(*) AS n FROM orders", 1));
      THEN("the folders are created and only the final file remains") {
        REQUIRE(outcome(out) == "success");
        CHECK(f.text() == "n\n7\n");
        CHECK(std::distance(fs::directory_iterator(f.result.parent_path()),
                            fs::directory_iterator()) == 1);
      }
    }
  }
  GIVEN("a result file left at the path by an earlier run") {
    engine_fixture f;
    fs::create_directories(f.result.parent_path());
    f.write(fs::relative(f.result, f.dir).string(), "stale\n");
    WHEN("a query fails while writing") {
      const auto out = f.run(select("SELECT 1 / 0.0, abs(-9223372036854775807 - 1)", 2));
      THEN("neither the old result nor a temporary file is left") {
        CHECK(out.what == kind::failed);
        CHECK(out.error_code == query::code_execution_error);
        CHECK_THAT(out.error_message, Catch::Contains("integer overflow"));
        CHECK_FALSE(f.leftovers());
      }
    }
    WHEN("a query succeeds") {
      const auto out = f.run(select("SELECT 'fresh'", 1));
      THEN("it replaces the old result") {
        REQUIRE(outcome(out) == "success");
        CHECK(f.text() == "'fresh'\nfresh\n");
      }
    }
  }
}

SCENARIO("a table name that needs quoting") {
  GIVEN("a table named with a double quote and a space") {
    engine_fixture f;
    const query::table_data t{"my \"odd\" table", f.write("odd.csv", "a\n1\n2\n"),
                              columns({{"a", "bigint"}})};
    WHEN("a query names it quoted") {
      const auto out = f.run(select("SELECT SUM(a) FROM \"my \"\"odd\"\" table\"", 1), {t});
      THEN("it is found") {
        REQUIRE(outcome(out) == "success");
        CHECK(f.records() == rows{{"SUM(a)"}, {"3"}});
      }
    }
  }
}
