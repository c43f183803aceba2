// Hostile input: the check refuses it with a code, never crashes or recurses without bound, and
// refuses text PostgreSQL (the checker's parser) and SQLite (the engine) would read apart.
#include <catch2/catch.hpp>

#include "sql_fixture.hpp"

using namespace sqltest;

namespace {

query_facts roomy_facts() {
  query_facts f = facts();
  f.max_text_bytes = 4u << 20;
  return f;
}

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

SCENARIO("malformed and oversized text is refused", "[sql][hostile]") {
  struct hostile_case {
    std::string sql;
    const char* code;
    const char* fragment;
    bool roomy = false;  // checked with a 4 MiB text limit
  };
  const std::vector<hostile_case> cases = {
      {"", code_parse_error, "The query is empty"},
      {"  -- nothing\n /* at all */ ;", code_parse_error, "The query is empty"},
      {std::string("SELECT user_id FROM my_custom\0; DROP TABLE x", 44), code_parse_error,
       "NUL byte"},
      {"SELECT '\xff\xfe' FROM my_custom", code_parse_error, "not valid UTF-8"},
      {"SELECT user_id FROM my_custom; DROP TABLE my_custom", code_unsupported,
       "exactly one statement"},
      {"SELECT 1; ATTACH DATABASE '/tmp/x' AS x", code_parse_error, "syntax error"},
      {"VACUUM", code_unsupported, "Only SELECT statements can run; this is VACUUM"},
      {"SELECT " + repeat("(", 500000) + "1" + repeat(")", 500000), code_query_too_large,
       "the limit is 92160 bytes"},
      {"SELECT " + repeat("(", 500000) + "1" + repeat(")", 500000), code_parse_error, "", true},
      {"SELECT user_id FROM my_custom WHERE score = " + repeat("(score + ", 300) + "1" +
           repeat(")", 300),
       code_unsupported, "nested too deeply"},
      {"SELECT user_id FROM my_custom WHERE score = " + repeat("1+", 40000) + "1", code_unsupported,
       "nested too deeply"},
      {"SELECT user_id FROM my_custom" + repeat(" UNION SELECT user_id FROM my_custom", 3000),
       code_unsupported, "nested too deeply", true},
      {"SELECT user_id FROM my_custom WHERE score = " + repeat("abs(", 3000) + "1" +
           repeat(")", 3000),
       code_unsupported, "nested too deeply"},
      // PostgreSQL nests block comments, SQLite does not: the engine would read `, email`.
      {"SELECT COUNT(*) FROM orders_custom /* /* */ , email -- */", code_unsupported,
       "a block comment nested in another"},
      // PostgreSQL ends a line comment at CR, SQLite at LF.
      {"SELECT order_id -- x\r, email\n FROM orders_custom", code_unsupported, "carriage return"},
      {"SELECT $$a$$ FROM my_custom", code_unsupported, "dollar-quoted string"},
      {"SELECT 1 FROM my_custom -- a\r\n; SELECT 2", code_unsupported, "exactly one statement"},
      {"SELECT E'\\'' FROM my_custom", code_unsupported, "escape string"},
      {"SELECT U&'\\0041' FROM my_custom", code_unsupported, "Unicode escape"},
      {"SELECT 0x10 FROM my_custom", code_parse_error, "trailing junk after numeric literal"},
      {"SELECT user_id FROM my_custom WHERE score = $1", code_unsupported, "positional"},
      {"SELECT ARRAY[user_id] FROM my_custom", code_unsupported, "ARRAY"},
      {"SELECT user_id FROM my_custom WHERE score ~ 'x'", code_unsupported, "operator '~'"},
      {"SELECT pg_catalog.lower(user_id) FROM my_custom", code_unsupported,
       "Schema-qualified function"},
      {"SELECT user_id COLLATE \"C\" FROM my_custom", code_unsupported, "COLLATE"},
      {"SELECT * FROM ONLY my_custom", code_unsupported, "ONLY"},
      {"SELECT a.* FROM my_custom m JOIN my_custom a (x, y) ON true", code_unsupported,
       "Column aliases on table"},
  };
  for (const hostile_case& c : cases) {
    GIVEN("the text " + c.sql.substr(0, 80)) {
      const outcome o = check(c.sql, c.roomy ? roomy_facts() : facts());
      THEN("it is refused with " << c.code) {
        CAPTURE(o.message);
        CHECK_FALSE(o.ok);
        CHECK(o.code == c.code);
        CHECK_THAT(o.message, Catch::Contains(c.fragment));
      }
    }
  }
}

SCENARIO("large but shallow queries are fine", "[sql][hostile]") {
  GIVEN("an IN list of 20 000 constants and 2 000 ORed conditions") {
    const std::string in_list =
        "SELECT user_id FROM my_custom WHERE score IN (" + repeat("1, ", 20000) + "1)";
    const std::string ors =
        "SELECT user_id FROM my_custom WHERE " + repeat("score = 1 OR ", 2000) + "score = 2";
    WHEN("they are checked") {
      const outcome a = check(in_list, roomy_facts());
      const outcome b = check(ors, roomy_facts());
      THEN("they pass") {
        CAPTURE(a.message, b.message);
        CHECK(a.ok);
        CHECK(b.ok);
      }
    }
  }
  GIVEN("nesting of 150 levels") {
    const std::string sql =
        "SELECT user_id FROM my_custom WHERE score = " + repeat("(score + ", 150) + "1" +
        repeat(")", 150);
    THEN("it is within the limit") {
      CHECK(check(sql).ok);
    }
  }
}

SCENARIO("the engine's dangerous functions are left to the engine", "[sql][hostile]") {
  GIVEN("CUSTOM queries calling SQLite extension and file functions") {
    THEN("the rules allow them (the engine blocks them) and nothing crashes") {
      for (const char* sql : {"SELECT load_extension('/tmp/evil.so') FROM my_custom",
                              "SELECT readfile('/etc/passwd') FROM my_custom",
                              "SELECT user_id FROM my_custom WHERE writefile('/tmp/x', 'y') > 0"}) {
        CAPTURE(sql);
        const outcome o = check(sql);
        CHECK(o.ok);
      }
    }
  }
}
