#include <catch2/catch.hpp>
#include <sstream>

#include "catalog/csv.hpp"
#include "catalog/csv_scan.hpp"

using namespace crs::catalog;
using fields = std::vector<std::string>;

namespace {

// Every record of `text`, and the status that ended the reading.
struct read_all {
  std::vector<csv::record> records;
  csv::record last;
};

read_all read(const std::string& text, csv::read_limits limits = {}) {
  std::istringstream in(text);
  csv::reader reader(in);
  read_all out;
  for (int guard = 0; guard < 100; ++guard) {
    csv::record r = reader.next(limits);
    if (r.status != csv::read_status::record) {
      out.last = std::move(r);
      break;
    }
    out.records.push_back(std::move(r));
  }
  return out;
}

csv_scan_result scan(const std::string& text, catalog_limits limits = {}) {
  std::istringstream in(text);
  return scan_csv(in, "t.csv", limits);
}

}  // namespace

TEST_CASE("csv: plain records with LF, CRLF and a lone CR", "[csv]") {
  const auto r = read("a,b\n1,2\r\n3,4\r5,6");
  REQUIRE(r.records.size() == 4);
  CHECK(r.records[0].fields == fields{"a", "b"});
  CHECK(r.records[1].fields == fields{"1", "2"});
  CHECK(r.records[2].fields == fields{"3", "4"});
  CHECK(r.records[3].fields == fields{"5", "6"});
  CHECK(r.records[3].line == 4);
  CHECK(r.last.status == csv::read_status::end);
}

TEST_CASE("csv: quoted fields hold commas, line ends and doubled quotes", "[csv]") {
  const auto r = read("\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\"\nnext,\"\",x\n");
  REQUIRE(r.records.size() == 2);
  CHECK(r.records[0].fields == fields{"a,b", "say \"hi\"", "two\r\nlines"});
  CHECK(r.records[0].line == 1);
  CHECK(r.records[1].fields == fields{"next", "", "x"});
  CHECK(r.records[1].line == 3);  // the quoted line end counts
}

TEST_CASE("csv: empty fields, a trailing comma and a missing final line end", "[csv]") {
  const auto r = read(",a,\n,,");
  REQUIRE(r.records.size() == 2);
  CHECK(r.records[0].fields == fields{"", "a", ""});
  CHECK(r.records[1].fields == fields{"", "", ""});
}

TEST_CASE("csv: blank lines are skipped, a byte order mark too", "[csv]") {
  const auto r = read(
      "\xEF\xBB\xBF"
      "a\n\n\r\nb\n\n");
  REQUIRE(r.records.size() == 2);
  CHECK(r.records[0].fields == fields{"a"});
  CHECK(r.records[1].fields == fields{"b"});
  CHECK(r.records[1].line == 4);
}

TEST_CASE("csv: bytes that only start like a byte order mark are data", "[csv]") {
  const auto r = read("\xEF\xBBx,y\n");
  REQUIRE(r.records.size() == 1);
  CHECK(r.records[0].fields == fields{"\xEF\xBBx", "y"});
}

TEST_CASE("csv: malformed quoting is reported with its line", "[csv]") {
  SECTION("unclosed") {
    const auto r = read("a\n\"open\nstill open");
    CHECK(r.last.status == csv::read_status::unclosed_quote);
    CHECK(r.last.line == 2);
  }
  SECTION("quote inside an unquoted field") {
    const auto r = read("a\nb\"c\n");
    CHECK(r.last.status == csv::read_status::bad_quote);
    CHECK(r.last.line == 2);
  }
  SECTION("text after a closing quote") {
    const auto r = read("\"a\"b\n");
    CHECK(r.last.status == csv::read_status::bad_quote);
    CHECK(r.last.line == 1);
  }
}

TEST_CASE("csv: limits bound a record's bytes and kept fields", "[csv]") {
  SECTION("too long") {
    const auto r = read("abcd\nabcdefgh\n", {5, 10});
    REQUIRE(r.records.size() == 1);
    CHECK(r.last.status == csv::read_status::too_long);
    CHECK(r.last.line == 2);
  }
  SECTION("extra fields are counted, not kept") {
    const auto r = read("a,b,c,d\n", {100, 2});
    REQUIRE(r.records.size() == 1);
    CHECK(r.records[0].fields == fields{"a", "b"});
    CHECK(r.records[0].field_count == 4);
  }
}

TEST_CASE("column names follow Glue's rule", "[csv]") {
  for (const char* ok : {"a", "id", "_x", "9", "order id", "ab-c", "a b-c d-e", "x_1-y_2"})
    CHECK(is_valid_column_name(ok));
  for (const char* bad :
       {"", " a", "-a", "a-b", "ab-", "ab--c", "Id", "a.b", "a\"b", "caf\xC3\xA9"})
    CHECK_FALSE(is_valid_column_name(bad));
  CHECK(is_valid_column_name(std::string(128, 'a')));
  CHECK_FALSE(is_valid_column_name(std::string(129, 'a')));
}

TEST_CASE("type inference: bigint, double, string", "[csv]") {
  const auto infer = [](std::initializer_list<const char*> values) {
    type_inference t;
    for (const char* v : values) t.add(v);
    return t.type();
  };
  CHECK(infer({"1", "-2", "+3", " 4 ", ""}) == "bigint");
  CHECK(infer({"9223372036854775807", "-9223372036854775808"}) == "bigint");
  CHECK(infer({"9223372036854775808"}) == "double");  // past int64: still a number
  CHECK(infer({"1", "2.5", ".5", "5.", "1e9", "-1.5E-3"}) == "double");
  CHECK(infer({"1", "x"}) == "string");
  CHECK(infer({"inf"}) == "string");
  CHECK(infer({"nan"}) == "string");
  CHECK(infer({"0x10"}) == "string");
  CHECK(infer({"1e"}) == "string");
  CHECK(infer({"."}) == "string");
  CHECK(infer({"-"}) == "string");
  CHECK(infer({"", " "}) == "string");  // nothing to go on
  CHECK(infer({}) == "string");
}

TEST_CASE("scan: header names are trimmed and lower-cased, types inferred", "[csv]") {
  const auto r = scan(" ID ,Amount,\"Note\"\n1,2.5,x\n2,3,\n");
  REQUIRE(r.columns);
  CHECK(r.columns->names == fields{"id", "amount", "note"});
  CHECK(r.columns->inferred == fields{"bigint", "double", "string"});
}

TEST_CASE("scan: only the inference rows are read", "[csv]") {
  catalog_limits limits;
  limits.inference_rows = 2;
  // Row 3 would make the column a string, and row 4 is malformed: neither is read.
  const auto r = scan("n\n1\n2\nthree\n\"broken\n", limits);
  REQUIRE(r.columns);
  CHECK(r.columns->inferred == fields{"bigint"});
}
