// The times the tools read (--since, --at) and print (the one-line form).
#include <catch2/catch.hpp>

#include "projections/event_json.hpp"

using crs::projections::format_iso8601;
using crs::projections::parse_time;

namespace {
constexpr crs::time_ms t_1032 = 1795257120000;  // 2026-11-21T10:32:00Z
}

TEST_CASE("ISO-8601 in its usual spellings") {
  CHECK(parse_time("2026-11-21T10:32:00Z") == t_1032);
  CHECK(parse_time("2026-11-21T10:32Z") == t_1032);    // without seconds
  CHECK(parse_time("2026-11-21T10:32") == t_1032);     // no zone: UTC
  CHECK(parse_time("2026-11-21 10:32:00") == t_1032);  // a space for the T
  CHECK(parse_time("2026-11-21t10:32:00z") == t_1032);
  CHECK(parse_time("2026-11-21T10:32:00.5Z") == t_1032 + 500);
  CHECK(parse_time("2026-11-21T10:32:00.123Z") == t_1032 + 123);
  CHECK(parse_time("2026-11-21T10:32:00.123456789Z") == t_1032 + 123);  // truncated to ms
  CHECK(parse_time("2026-11-21T12:32:00+02:00") == t_1032);
  CHECK(parse_time("2026-11-21T07:02:00-0330") == t_1032);
  CHECK(parse_time("2026-11-21") == t_1032 - (10 * 60 + 32) * 60 * 1000);
  CHECK(parse_time("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_time("2024-02-29T00:00:00Z") == 1709164800000);  // a leap day
  CHECK(parse_time("2000-02-29") == 951782400000);             // 400-year rule
}

TEST_CASE("epoch seconds, as the API renders timestamps") {
  CHECK(parse_time("1795257120") == t_1032);
  CHECK(parse_time("1795257120.123") == t_1032 + 123);
  CHECK(parse_time("1795257120.1") == t_1032 + 100);
  CHECK(parse_time("0") == 0);
}

TEST_CASE("anything else is refused") {
  for (const char* bad : {"",
                          " ",
                          "yesterday",
                          "10:32",
                          "2026-11-21T",
                          "2026-11-21T10",
                          "2026-11-21T10:3",
                          "2026-13-01",
                          "2026-00-10",
                          "2026-02-29",
                          "2026-04-31",
                          "2026-11-21T24:00:00Z",
                          "2026-11-21T10:60Z",
                          "2026-11-21T10:32:61Z",
                          "2026-11-21T10:32:00.Z",
                          "2026-11-21T10:32:00ZZ",
                          "2026-11-21T10:32:00+2",
                          "2026-11-21T10:32:00+25:00",
                          "2026/11/21",
                          "26-11-21",
                          "-5",
                          "+5",
                          "1795257120.",
                          "1.2.3",
                          "12e3",
                          "0x10",
                          "1795257120 ",
                          "1234567890123",
                          "2026-11-21T10:32:00Z extra"}) {
    INFO("'" << bad << "'");
    CHECK_FALSE(parse_time(bad).has_value());
  }
}

TEST_CASE("ISO-8601 out, UTC with milliseconds") {
  CHECK(format_iso8601(t_1032) == "2026-11-21T10:32:00.000Z");
  CHECK(format_iso8601(t_1032 + 7) == "2026-11-21T10:32:00.007Z");
  CHECK(format_iso8601(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_iso8601(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(format_iso8601(951782400000) == "2000-02-29T00:00:00.000Z");
  for (crs::time_ms t : {crs::time_ms{0}, t_1032 + 999, crs::time_ms{4102444799999}}) {
    INFO(t);
    CHECK(parse_time(format_iso8601(t)) == t);  // what the tools print, they read back
  }
}
