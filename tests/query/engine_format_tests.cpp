// The small pure pieces of the engine: catalog types to SQLite types, field parsing, the
// text of result fields.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <limits>

#include "query/engine/column_types.hpp"
#include "query/engine/csv_format.hpp"
#include "query/engine/table_loader.hpp"

using namespace crs;
using namespace crs::query;

namespace {

std::string real(double v) {
  std::string out;
  append_real(out, v);
  return out;
}

std::string field(std::string_view v) {
  std::string out;
  append_text_field(out, v);
  return out;
}

}  // namespace

TEST_CASE("engine: catalog types map to SQLite's three storage classes", "[engine]") {
  for (const char* t : {"bigint", "int", "INTEGER", "smallint", "tinyint", "long", "decimal",
                        "decimal(10,0)", "number(38, 0)", " BigInt "})
    CHECK(sql_type_of(t) == sql_type::integer);
  for (const char* t :
       {"double", "float", "real", "decimal(10,2)", "numeric(5, 3)", "double precision", "float8"})
    CHECK(sql_type_of(t) == sql_type::real);
  for (const char* t : {"string", "varchar(10)", "char(3)", "date", "timestamp", "boolean",
                        "array<int>", "interval", "point", ""})
    CHECK(sql_type_of(t) == sql_type::text);
  CHECK(std::string(sql_type_name(sql_type::integer)) == "INTEGER");
  CHECK(std::string(sql_type_name(sql_type::real)) == "REAL");
  CHECK(std::string(sql_type_name(sql_type::text)) == "TEXT");
}

TEST_CASE("engine: fields parse as numbers only when all of them is one", "[engine]") {
  CHECK(parse_integer("42") == 42);
  CHECK(parse_integer("+42") == 42);
  CHECK(parse_integer("-42") == -42);
  CHECK(parse_integer("9223372036854775807") == std::numeric_limits<std::int64_t>::max());
  CHECK(parse_integer("-9223372036854775808") == std::numeric_limits<std::int64_t>::min());
  for (const char* s : {"", "+", "-", "+-1", "1.0", "1e3", "12a", "9223372036854775808", "0x10"})
    CHECK_FALSE(parse_integer(s));

  CHECK(parse_real("1.5") == 1.5);
  CHECK(parse_real("+.5") == 0.5);
  CHECK(parse_real("-2e3") == -2000.0);
  CHECK(parse_real("7") == 7.0);
  CHECK(parse_real("3.") == 3.0);
  CHECK(parse_real("1E-2") == 0.01);
  for (const char* s :
       {"", ".", "e5", "1e", "1e+", "inf", "nan", "Infinity", "0x1p3", "1.2.3", "1,5", "1e999"})
    CHECK_FALSE(parse_real(s));
  CHECK(trim_blanks(" \t 12 \r\n") == "12");
}

TEST_CASE("engine: doubles are written short and read back the same", "[engine]") {
  CHECK(real(3.0) == "3.0");
  CHECK(real(-0.5) == "-0.5");
  CHECK(real(0.0) == "0.0");
  CHECK(real(100000.0) == "100000.0");
  CHECK(real(6.25) == "6.25");
  CHECK(real(0.1 + 0.2) == "0.30000000000000004");
  CHECK(real(1.0 / 3) == "0.3333333333333333");
  CHECK(real(1e15) == "1000000000000000.0");
  CHECK(real(1e16) == "1e+16");
  CHECK(real(2.5e-7) == "2.5e-07");
  CHECK(real(0.000001) == "0.000001");
  CHECK(real(std::numeric_limits<double>::infinity()) == "Infinity");
  CHECK(real(-std::numeric_limits<double>::infinity()) == "-Infinity");
  CHECK(real(std::numeric_limits<double>::quiet_NaN()) == "NaN");
  for (double v : {0.1, 1.0 / 7, 123456.789, 9.999999999999999e15, 5e-324, 1.7976931348623157e308})
    CHECK(std::strtod(real(v).c_str(), nullptr) == v);
}

TEST_CASE("engine: text fields are quoted only when they must be", "[engine]") {
  CHECK(field("plain") == "plain");
  CHECK(field("with space") == "with space");
  CHECK(field("a,b") == "\"a,b\"");
  CHECK(field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(field("line\nbreak") == "\"line\nbreak\"");
  CHECK(field("cr\r") == "\"cr\r\"");
  CHECK(field("") == "\"\"");
}

TEST_CASE("engine: identifiers are quoted with inner quotes doubled", "[engine]") {
  CHECK(quote_identifier("orders") == "\"orders\"");
  CHECK(quote_identifier("a\"b") == "\"a\"\"b\"");
  const table_data t{
      "my t", "x.csv", {{"id", "bigint"}, {"we\"ird", "string"}, {"amount", "decimal(9,2)"}}};
  CHECK(create_table_sql(t) ==
        "CREATE TABLE \"my t\" (\"id\" INTEGER, \"we\"\"ird\" TEXT, \"amount\" REAL)");
}
