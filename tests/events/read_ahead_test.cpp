// read_all_ahead: the same events in the same order as read_all, whatever the batch size, and it
// stops, fails and throws the way read_all does, without leaving its reader thread behind.
#include <catch2/catch.hpp>

#include <limits>
#include <stdexcept>

#include "events/read_ahead.hpp"
#include "events/store_keys.hpp"
#include "store_helpers.hpp"
#include "temp_dir.hpp"

namespace ev = crs::events;
using crs::store_error;
using crs::test::append;
using crs::test::left;
using crs::test::open_store;
using crs::test::request;
using crs::test::temp_dir;

namespace {

constexpr auto all = std::numeric_limits<std::uint64_t>::max();

// 3 streams x 40 appends of 1..3 events: 240 events, interleaved.
void fill(ev::event_store& store) {
  for (std::uint64_t n = 0; n < 40; ++n) {
    for (int s = 0; s < 3; ++s) {
      std::vector<ev::event_payload> events(1 + (n + s) % 3, left(std::to_string(n)));
      auto stream = "collaboration-" + std::to_string(s);
      auto r = append(store, {request(stream, store.head_version(stream), events)});
      REQUIRE(r.at(0).ok());
    }
  }
}

std::vector<std::uint64_t> positions_by(const ev::event_store& store, std::uint64_t from,
                                        std::uint64_t to, bool ahead,
                                        ev::read_ahead_options o = {}) {
  std::vector<std::uint64_t> out;
  auto visit = [&](ev::recorded_event& e) {
    out.push_back(e.env.position);
    return true;
  };
  auto r = ahead ? ev::read_all_ahead(store, from, to, visit, o) : store.read_all(from, to, visit);
  REQUIRE(r.ok());
  return out;
}

}  // namespace

SCENARIO("read_all_ahead reads what read_all reads", "[store][read_ahead]") {
  temp_dir dir;
  auto store = open_store(dir.path());
  REQUIRE(store);

  GIVEN("an empty store") {
    THEN("it visits nothing and succeeds") {
      CHECK(positions_by(*store, 1, all, true).empty());
    }
  }
  GIVEN("240 events in three interleaved streams") {
    fill(*store);
    const auto last = store->last_position();
    REQUIRE(last >= 200);
    WHEN("read ahead in batches of 1, 3, 7 and 1024, 1 to 4 deep") {
      THEN("every event arrives once, in position order, with its payload") {
        const auto want = positions_by(*store, 1, all, false);
        REQUIRE(want.size() == last);
        for (std::size_t batch : {1, 3, 7, 1024})
          for (std::size_t depth : {1, 2, 4})
            for (std::size_t readers : {1, 2, 3, 7}) {
              CAPTURE(batch, depth, readers);
              CHECK(positions_by(*store, 1, all, true, {batch, depth, readers}) == want);
              CHECK(positions_by(*store, 17, 101, true, {batch, depth, readers}) ==
                    positions_by(*store, 17, 101, false));
              CHECK(positions_by(*store, 200, last, true, {batch, depth, readers}) ==
                    positions_by(*store, 200, last, false));
            }
        std::vector<ev::recorded_event> plain, ahead;
        REQUIRE(store
                    ->read_all(1, all,
                               [&](ev::recorded_event& e) {
                                 plain.push_back(e);
                                 return true;
                               })
                    .ok());
        REQUIRE(ev::read_all_ahead(*store, 1, all, [&](ev::recorded_event& e) {
                  ahead.push_back(std::move(e));
                  return true;
                }).ok());
        REQUIRE(plain.size() == ahead.size());
        for (std::size_t i = 0; i < plain.size(); ++i) {
          CHECK(plain[i].env.stream == ahead[i].env.stream);
          CHECK(plain[i].env.version == ahead[i].env.version);
          CHECK(plain[i].payload == ahead[i].payload);
        }
      }
    }
    WHEN("the visitor stops after 10 events while the reader is batches ahead") {
      std::size_t seen = 0;
      auto r = ev::read_all_ahead(*store, 1, all, [&](ev::recorded_event&) { return ++seen < 10; },
                                  {4, 2, 3});
      THEN("it returns ok having visited exactly 10") {
        CHECK(r.ok());
        CHECK(seen == 10);
      }
    }
    WHEN("the visitor throws") {
      std::size_t seen = 0;
      auto throwing = [&](ev::recorded_event&) -> bool {
        if (++seen == 50) throw std::runtime_error("visitor failed");
        return true;
      };
      THEN("the exception reaches the caller and the reader is joined") {
        CHECK_THROWS_WITH(ev::read_all_ahead(*store, 1, all, throwing, {8, 1, 4}),
                          "visitor failed");
        CHECK(seen == 50);
      }
    }
  }
}

SCENARIO("read_all_ahead delivers every event before an undecodable one, then the error",
         "[store][read_ahead]") {
  // The first position, one in a middle stripe and the last: each reader and the last stripe.
  for (std::uint64_t bad : {1, 100, 240}) {
    CAPTURE(bad);
    temp_dir dir;
    {
      auto store = open_store(dir.path());
      REQUIRE(store);
      fill(*store);
      REQUIRE(store->last_position() == 240);
    }
    REQUIRE(
        crs::test::damage_log(dir.path(), [bad](rocksdb::DB& db, rocksdb::ColumnFamilyHandle& log) {
          REQUIRE(db.Put(rocksdb::WriteOptions(), &log, ev::keys::u64(bad), "garbage").ok());
        }));
    auto store = open_store(dir.path());
    REQUIRE(store);
    for (std::size_t readers : {1, 2, 3, 5}) {
      CAPTURE(readers);
      std::vector<std::uint64_t> seen;
      auto r = ev::read_all_ahead(*store, 1, all,
                                  [&](ev::recorded_event& e) {
                                    seen.push_back(e.env.position);
                                    return true;
                                  },
                                  {16, 2, readers});
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == store_error::kind::corruption);
      REQUIRE(seen.size() == bad - 1);
      if (bad > 1) CHECK(seen.back() == bad - 1);
    }
  }
}

SCENARIO("read_all_ahead bounds: from 0, to before from, past the end, an empty store",
         "[store][read_ahead]") {
  temp_dir dir;
  auto store = open_store(dir.path());
  REQUIRE(store);
  CHECK(positions_by(*store, 5, all, true, {4, 1, 2}).empty());  // empty store, from > 0
  fill(*store);
  for (std::size_t readers : {1, 3}) {
    CAPTURE(readers);
    CHECK(positions_by(*store, 0, all, true, {16, 1, readers}) ==
          positions_by(*store, 1, all, false));
    CHECK(positions_by(*store, 10, 9, true, {16, 1, readers}).empty());
    CHECK(positions_by(*store, 241, all, true, {16, 1, readers}).empty());
    CHECK(positions_by(*store, 230, 1000, true, {4, 1, readers}) ==
          positions_by(*store, 230, 1000, false));
  }
}

SCENARIO("read_all_ahead also reads what is appended while it reads", "[store][read_ahead]") {
  temp_dir dir;
  auto store = open_store(dir.path());
  REQUIRE(store);
  fill(*store);
  std::vector<std::uint64_t> seen;
  bool appended = false;
  auto r = ev::read_all_ahead(
      *store, 1, all,
      [&](ev::recorded_event& e) {
        seen.push_back(e.env.position);
        if (!appended) {  // after the read began: past the last position it saw
          appended = true;
          auto more = append(*store, {request("collaboration-late", 0, {left("a"), left("b")})});
          REQUIRE(more.at(0).ok());
        }
        return true;
      },
      {16, 2, 2});
  REQUIRE(r.ok());
  REQUIRE(seen.size() == 242);
  for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == i + 1);
}
