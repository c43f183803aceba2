// Analysis-template parameters: placeholders become literals, outside strings, quoted
// identifiers, comments and `::` casts.
#include <catch2/catch.hpp>

#include "sql_fixture.hpp"

using namespace sqltest;

namespace {

analysis_parameter param(std::string name, parameter_type type,
                         std::optional<std::string> default_value = std::nullopt) {
  analysis_parameter p;
  p.name = std::move(name);
  p.type = type;
  p.default_value = std::move(default_value);
  return p;
}

struct substitution_case {
  const char* sql;
  std::vector<analysis_parameter> declared;
  std::map<std::string, std::string> supplied;
  const char* expected;  // nullptr: a violation
  const char* fragment;  // of the violation's message
};

}  // namespace

SCENARIO("template parameters are substituted as literals", "[sql][parameters]") {
  using pt = parameter_type;
  const std::vector<substitution_case> cases = {
      {"SELECT * FROM t WHERE name = :name",
       {param("name", pt::varchar)},
       {{"name", "O'Brien"}},
       "SELECT * FROM t WHERE name = 'O''Brien'",
       ""},
      {"SELECT ':a', \":a\" -- :a\n/* :a */ FROM t WHERE x = :a",
       {param("a", pt::integer)},
       {{"a", "7"}},
       "SELECT ':a', \":a\" -- :a\n/* :a */ FROM t WHERE x = 7",
       ""},
      {"SELECT x::int, :v::text, y :: date FROM t",
       {param("v", pt::varchar)},
       {{"v", "a"}},
       "SELECT x::int, 'a'::text, y :: date FROM t",
       ""},
      {"SELECT * FROM t WHERE n > :n AND m < :m AND d = :d",
       {param("n", pt::bigint), param("m", pt::double_precision), param("d", pt::date)},
       {{"n", "-5"}, {"m", "+4.5e3"}, {"d", "2024-01-31"}},
       "SELECT * FROM t WHERE n > (-5) AND m < 4.5e3 AND d = '2024-01-31'",
       ""},
      {"SELECT x-:n FROM t", {param("n", pt::int_type)}, {{"n", "-1"}}, "SELECT x-(-1) FROM t", ""},
      {"SELECT a:p FROM t", {param("p", pt::tinyint)}, {{"p", "5"}}, "SELECT a 5 FROM t", ""},
      {"SELECT * FROM t WHERE flag = :f OR other = :g",
       {param("f", pt::boolean), param("g", pt::boolean, "false")},
       {{"f", "True"}},
       "SELECT * FROM t WHERE flag = TRUE OR other = FALSE",
       ""},
      {"SELECT * FROM t WHERE c = :c",
       {param("c", pt::string, "x'y")},
       {},
       "SELECT * FROM t "
       "WHERE c = 'x''y'",
       ""},
      {"SELECT * FROM t WHERE s = $$:a$$",
       {param("a", pt::varchar)},
       {},
       "SELECT * FROM t "
       "WHERE s = $$:a$$",
       ""},
      {"SELECT * FROM t WHERE n = :n",
       {param("n", pt::integer)},
       {{"n", "1; DROP TABLE t"}},
       nullptr,
       "Parameter 'n' of type INTEGER must be a number"},
      {"SELECT * FROM t WHERE n = :n",
       {param("n", pt::smallint)},
       {{"n", "4.2"}},
       nullptr,
       "must be a number"},
      {"SELECT * FROM t WHERE n = :n",
       {param("n", pt::bigint)},
       {{"n", "99999999999999999999"}},
       nullptr,
       "must be a number"},
      {"SELECT * FROM t WHERE n = :n",
       {param("n", pt::decimal)},
       {{"n", "1e"}},
       nullptr,
       "Parameter 'n' of type DECIMAL must be a number"},
      {"SELECT * FROM t WHERE b = :b",
       {param("b", pt::boolean)},
       {{"b", "yes"}},
       nullptr,
       "must be true or false"},
      {"SELECT * FROM t WHERE a = :a",
       {param("a", pt::varchar)},
       {},
       nullptr,
       "Parameter 'a' has no value and no default value"},
      {"SELECT * FROM t WHERE a = :b",
       {param("a", pt::varchar, "x")},
       {},
       nullptr,
       "Parameter ':b' is not declared by the analysis template"},
      {"SELECT * FROM t",
       {param("a", pt::varchar)},
       {{"zz", "1"}},
       nullptr,
       "Parameter 'zz' is not declared by the analysis template"},
      {"SELECT * FROM t WHERE a = :a",
       {param("a", pt::varchar)},
       {{"a", std::string("x\0y", 3)}},
       nullptr,
       "NUL"},
  };
  for (const substitution_case& c : cases) {
    GIVEN(std::string("the template text ") + c.sql) {
      const auto r = substitute_parameters(c.sql, c.declared, c.supplied);
      if (c.expected) {
        THEN("the placeholders are replaced") {
          CAPTURE(r ? "" : r.error().message);
          REQUIRE(r.ok());
          CHECK(r.value() == c.expected);
        }
      } else {
        THEN("the substitution is refused") {
          REQUIRE_FALSE(r.ok());
          CHECK(r.error().code == code_parameter);
          CHECK_THAT(r.error().message, Catch::Contains(c.fragment));
        }
      }
    }
  }
}

SCENARIO("a substituted template passes the rule check", "[sql][parameters]") {
  GIVEN("a CUSTOM template over tmpl_custom with a numeric and a string parameter") {
    query_facts f = facts();
    f.template_arn = template_arn;
    const auto sql = substitute_parameters(
        "SELECT user_id, SUM(total) FROM tmpl_custom WHERE total > :min AND CAST(user_id AS "
        "varchar) <> :skip GROUP BY user_id",
        {param("min", parameter_type::numeric), param("skip", parameter_type::varchar, "none")},
        {{"min", "10.5"}});
    WHEN("the result is checked") {
      REQUIRE(sql.ok());
      const outcome o = check(sql.value(), f);
      THEN("it is allowed and runs as substituted") {
        REQUIRE(o.ok);
        CHECK(o.query.sql ==
              "SELECT user_id, SUM(total) FROM tmpl_custom WHERE total > 10.5 AND CAST(user_id "
              "AS varchar) <> 'none' GROUP BY user_id");
      }
    }
  }
}
