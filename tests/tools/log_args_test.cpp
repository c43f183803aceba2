// The argument checks and the read-only open shared by `cleanroomsd events` and `replay`.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "../events/temp_dir.hpp"
#include "app/log_args.hpp"

using namespace crs;
using namespace crs::app;

TEST_CASE("positions are decimal numbers") {
  CHECK(parse_position("--until", "0").value() == 0);
  CHECK(parse_position("--until", "42").value() == 42);
  CHECK(parse_position("--until", "9999999999999999999").value() == 9999999999999999999ull);
  for (const char* bad : {"", "-1", "+1", "1.5", "abc", "12a", " 1", "99999999999999999999"}) {
    INFO(bad);
    auto p = parse_position("--until", bad);
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().exit_code == exit_usage_error);
    CHECK(p.error().message.find("--until") != std::string::npos);
  }
}

TEST_CASE("times: a bad one names the flag") {
  CHECK(parse_time_arg("--at", "2026-11-21T10:32:00Z").ok());
  auto t = parse_time_arg("--at", "noon");
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().exit_code == exit_usage_error);
  CHECK(t.error().message.find("--at") != std::string::npos);
}

TEST_CASE("a collaboration by its id, ARN or stream name") {
  const std::string id = "3f2b8c1e-0000-4000-8000-000000000001";
  const std::string stream = "collaboration-" + id;
  CHECK(collaboration_stream(id).value() == stream);
  CHECK(collaboration_stream(stream).value() == stream);
  CHECK(collaboration_stream("arn:aws:cleanrooms:us-east-1:111122223333:collaboration/" + id)
            .value() == stream);
  for (const char* bad :
       {"", "x", "3F2B8C1E-0000-4000-8000-000000000001", "3f2b8c1e-0000-4000-8000-00000000000",
        "3f2b8c1e00000-4000-8000-000000000001", "collaboration-nope"}) {
    INFO(bad);
    auto s = collaboration_stream(bad);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().exit_code == exit_usage_error);
  }
  CHECK(collaboration_of(stream) == id);
  CHECK(collaboration_of("table-1").empty());
}

TEST_CASE("opening the log: missing, not a store, a store; never writing") {
  test::temp_dir dir;
  SECTION("missing") {
    auto s = open_log(dir.sub("nope"));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().exit_code == exit_data_error);
    CHECK(s.error().message.find("no data directory") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.sub("nope")));
  }
  SECTION("a file, an empty directory, a directory of something else") {
    std::ofstream(dir.sub("file")) << "x";
    std::filesystem::create_directory(dir.sub("empty"));
    std::filesystem::create_directory(dir.sub("other"));
    std::ofstream(dir.sub("other") + "/CURRENT") << "MANIFEST-000001\n";
    for (const char* name : {"file", "empty", "other"}) {
      INFO(name);
      auto s = open_log(dir.sub(name));
      REQUIRE_FALSE(s.ok());
      CHECK(s.error().exit_code == exit_data_error);
    }
    CHECK(std::filesystem::is_empty(dir.sub("empty")));  // nothing created
  }
  SECTION("a store, read-only") {
    {
      events::store_options o;
      o.sync = false;
      auto created = events::event_store::open(dir.sub("store"), o);
      REQUIRE(created.ok());
    }
    auto s = open_log(dir.sub("store"));
    REQUIRE(s.ok());
    CHECK(s.value()->last_position() == 0);
    events::append_request r;
    r.stream = "collaboration-x";
    r.events.push_back(events::collaboration_deleted{});
    auto out = s.value()->append_batch({&r});
    CHECK_FALSE(out.at(0).ok());  // read-only: every write fails
  }
}
