#include <catch2/catch.hpp>

#include "catalog_fixture.hpp"

using namespace crs;
using namespace crs::catalog;
using status = lookup_result::status;

namespace {

// The problem a lookup of d/t reports, given the CSV (and the sidecar when not null).
std::string problem_of(const std::string& csv, const char* sidecar = nullptr,
                       catalog_limits limits = {}) {
  test::catalog_fixture f;
  f.write("d/t.csv", csv);
  if (sidecar) f.write("d/t.schema.json", sidecar);
  local_catalog catalog(f.dir, limits);
  const auto r = catalog.lookup(test::glue("d", "t"));
  if (r.what != status::broken) return "<not broken>";
  return r.problem;
}

std::string sidecar_problem(const char* sidecar) {
  return problem_of("id,dt\n1,x\n", sidecar);
}

}  // namespace

TEST_CASE("broken csv: an empty file", "[catalog][broken]") {
  const std::string want = "t.csv: the file is empty; its first row must name the columns";
  CHECK(problem_of("") == want);
  CHECK(problem_of("\n\r\n\n") == want);
}

TEST_CASE("broken csv: header names", "[catalog][broken]") {
  CHECK(problem_of("a,,c\n") == "t.csv: column 2 has an empty name");
  CHECK(problem_of("a,b,  \n") == "t.csv: column 3 has an empty name");
  CHECK(problem_of("id,Name,ID\n") == "t.csv: column 3 has the same name \"id\" as column 1");
  CHECK(problem_of("id, id \n") == "t.csv: column 2 has the same name \"id\" as column 1");
  CHECK(problem_of("id,b.c\n") ==
        "t.csv: column 2 name \"b.c\" is not a valid column name (lower-case letters, digits, "
        "'_' and ' ', with single '-' between them, at most 128 characters)");
  const auto long_name = problem_of("id," + std::string(129, 'x') + "\n");
  CHECK_THAT(long_name, Catch::StartsWith("t.csv: column 2 name \"" + std::string(64, 'x') +
                                          "...\" is not a valid column name"));
}

TEST_CASE("broken csv: header limits", "[catalog][broken]") {
  catalog_limits limits;
  limits.max_header_bytes = 8;
  CHECK(problem_of("abcd,efgh\n1,2\n", nullptr, limits) ==
        "t.csv: the header row is longer than 8 bytes");
  CHECK(problem_of("abc,efgh\n1,2\n", nullptr, limits) == "<not broken>");  // exactly 8
  limits = {};
  limits.max_columns = 3;
  CHECK(problem_of("a,b,c,d\n", nullptr, limits) ==
        "t.csv: the header has 4 columns; the limit is 3");
  CHECK(problem_of("a,b,c\n", nullptr, limits) == "<not broken>");
}

TEST_CASE("broken csv: rows within the inference rows", "[catalog][broken]") {
  CHECK(problem_of("a,b\n1,2\n3\n") == "t.csv: line 3 has 1 field; the header has 2 columns");
  CHECK(problem_of("a,b\n\"x\ny\",2\n3,4,5\n") ==
        "t.csv: line 4 has 3 fields; the header has 2 columns");
  CHECK(problem_of("a,b\n1,\"open\n") == "t.csv: line 2: a quoted field is never closed");
  CHECK(problem_of("a,b\n1,x\"y\n") ==
        "t.csv: line 2: a '\"' inside a field (quote the whole field and double the quotes in "
        "it)");
  catalog_limits limits;
  limits.max_row_bytes = 4;
  CHECK(problem_of("a,b\n1,2\n10,20\n", nullptr, limits) == "t.csv: line 3 is longer than 4 bytes");
}

TEST_CASE("broken csv: the CSV or its sidecar is not a regular file", "[catalog][broken]") {
  test::catalog_fixture f;
  std::filesystem::create_directories(f.dir / "d" / "t.csv");
  f.write("d/u.csv", "a\n");
  std::filesystem::create_directories(f.dir / "d" / "u.schema.json");
  local_catalog catalog(f.dir);
  const auto t = catalog.lookup(test::glue("d", "t"));
  CHECK(t.what == status::broken);
  CHECK(t.problem == "t.csv: not a regular file");
  const auto u = catalog.lookup(test::glue("d", "u"));
  CHECK(u.what == status::broken);
  CHECK(u.problem == "u.schema.json: not a regular file");
}

TEST_CASE("broken sidecar: the document", "[catalog][broken]") {
  CHECK_THAT(sidecar_problem("{"), Catch::StartsWith("t.schema.json: not valid JSON ("));
  CHECK(sidecar_problem("[]") ==
        R"(t.schema.json: must be a JSON object {"columns": [...], "partitionKeys": [...]})");
  CHECK(sidecar_problem(R"({"columns":[],"extra":1})") ==
        R"(t.schema.json: unknown member "extra" (only "columns" and "partitionKeys"))");
  CHECK(sidecar_problem(R"({"partitionKeys":[]})") == R"(t.schema.json: "columns" is missing)");
  CHECK(sidecar_problem(R"({"columns":{}})") == R"(t.schema.json: "columns" must be an array)");
  CHECK(sidecar_problem(R"({"columns":[],"partitionKeys":7})") ==
        R"(t.schema.json: "partitionKeys" must be an array)");
}

TEST_CASE("broken sidecar: the entries", "[catalog][broken]") {
  CHECK(sidecar_problem(R"({"columns":["id"]})") ==
        R"(t.schema.json: columns[0] must be an object {"name": ..., "type": ...})");
  CHECK(sidecar_problem(R"({"columns":[{"name":"id","type":"int","comment":"x"}]})") ==
        R"(t.schema.json: columns[0] has an unknown member "comment" (only "name" and "type"))");
  CHECK(sidecar_problem(R"({"columns":[{"type":"int"}]})") ==
        "t.schema.json: columns[0].name must be a non-empty string");
  CHECK(sidecar_problem(R"({"columns":[{"name":"id","type":""}]})") ==
        "t.schema.json: columns[0].type must be a non-empty string of at most 255 characters");
  CHECK(sidecar_problem(R"({"columns":[{"name":"id"}]})") ==
        "t.schema.json: columns[0].type must be a non-empty string of at most 255 characters");
  const std::string long_type =
      R"({"columns":[{"name":"id","type":")" + std::string(256, 't') + "\"}]}";
  CHECK(sidecar_problem(long_type.c_str()) ==
        "t.schema.json: columns[0].type must be a non-empty string of at most 255 characters");
}

TEST_CASE("broken sidecar: names against the CSV", "[catalog][broken]") {
  CHECK(
      sidecar_problem(R"({"columns":[{"name":"id","type":"int"},{"name":"nope","type":"int"}]})") ==
      R"(t.schema.json: columns[1].name "nope" is not a column of t.csv)");
  CHECK(sidecar_problem(R"({"columns":[{"name":"id","type":"int"},{"name":"dt","type":"int"}],
                           "partitionKeys":[{"name":"DT","type":"string"}]})") ==
        R"(t.schema.json: partitionKeys[0].name "dt" is already listed at columns[1])");
  CHECK(sidecar_problem(R"({"columns":[{"name":"id","type":"int"}]})") ==
        R"(t.schema.json: column "dt" of t.csv is in neither "columns" nor "partitionKeys")");
}

TEST_CASE("broken sidecar: too large", "[catalog][broken]") {
  catalog_limits limits;
  limits.max_sidecar_bytes = 10;
  CHECK(problem_of("id\n1\n", R"({"columns":[{"name":"id","type":"int"}]})", limits) ==
        "t.schema.json: larger than 10 bytes");
}

TEST_CASE("names that could leave DIR are missing", "[catalog][paths]") {
  test::catalog_fixture f;
  // Tables that a name escaping DIR would reach: DIR/../outside.csv and DIR/d/../t.csv.
  f.write("inside/d/t.csv", "a\n1\n");
  f.write("inside/t.csv", "a\n1\n");
  f.write("outside.csv", "a\n1\n");
  f.write("inside/d/x/t.csv", "a\n1\n");
  local_catalog catalog(f.dir / "inside");
  REQUIRE(catalog.lookup(test::glue("d", "t")).what == status::found);
  const std::string nul("d\0x", 3);
  for (const std::string& bad : {std::string(""), std::string("."), std::string(".."),
                                 std::string("d/x"), std::string("x\\y"), nul}) {
    INFO("name: " << bad);
    CHECK(catalog.lookup(test::glue(bad, "t")).what == status::missing);
    CHECK(catalog.lookup(test::glue("d", bad)).what == status::missing);
    CHECK(catalog.lookup(test::athena(bad, "t")).what == status::missing);
    CHECK(catalog.lookup(test::snowflake(bad, "x", "t")).what == status::missing);
    CHECK(catalog.lookup(test::snowflake("d", bad, "t")).what == status::missing);
    CHECK(catalog.lookup(test::snowflake("d", "x", bad)).what == status::missing);
  }
  CHECK(catalog.lookup(test::glue("..", "outside")).what == status::missing);
  CHECK(catalog.lookup(test::glue("d", "../t")).what == status::missing);
  CHECK(catalog.lookup(test::glue(std::string(300, 'n'), "t")).what == status::missing);
}
