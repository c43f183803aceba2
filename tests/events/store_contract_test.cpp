// The two event stores against one contract: the memory store (the simulator's disk) must answer
// every call as the RocksDB store does, or a simulation on it would stand for nothing. A seeded
// differential run drives both with the same batches and compares every read; the scenarios
// below it pin what the RocksDB suite (event_store_test.cpp) covers only for RocksDB.
#include <catch2/catch.hpp>

#include <limits>
#include <random>

#include "events/codec.hpp"
#include "events/event_store.hpp"
#include "events/memory_store.hpp"
#include "samples.hpp"
#include "store_helpers.hpp"

namespace ev = crs::events;
using crs::store_error;
using crs::test::append;
using crs::test::left;
using crs::test::request;

namespace {

constexpr auto all = std::numeric_limits<std::uint64_t>::max();

// One store of either kind, reopenable on the disk it lives on.
struct backend {
  std::string kind;
  std::shared_ptr<rocksdb::Env> disk = ev::make_memory_disk();
  std::shared_ptr<ev::memory_volume> volume = ev::make_memory_volume();

  crs::result<std::unique_ptr<ev::event_store>> open(ev::store_options o = {}) const {
    o.sync = false;
    if (!o.secret_for_new_store) o.secret_for_new_store = std::string(32, 'k');
    if (kind == "rocksdb") {
      o.disk = disk;
      return ev::event_store::open("/contract/data", o);
    }
    return ev::open_memory_store(volume, o);
  }
  std::unique_ptr<ev::event_store> must_open(ev::store_options o = {}) const {
    auto s = open(std::move(o));
    REQUIRE(s.ok());
    return std::move(s).value();
  }
};

std::vector<std::pair<std::string, std::uint64_t>> events_of(const ev::event_store& s,
                                                             std::uint64_t from = 1,
                                                             std::uint64_t to = all) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  auto r = s.read_all(from, to, [&](ev::recorded_event& e) {
    out.emplace_back(ev::encode(e.env, e.payload), e.env.position);
    return true;
  });
  REQUIRE(r.ok());
  return out;
}

std::vector<std::pair<std::string, std::string>> scan(const ev::event_store& s,
                                                      std::string_view prefix,
                                                      std::string_view after = {},
                                                      std::size_t stop_after = all) {
  std::vector<std::pair<std::string, std::string>> out;
  s.scan_views(prefix, after, [&](std::string_view k, std::string_view v) {
    out.emplace_back(std::string(k), std::string(v));
    return out.size() < stop_after;
  });
  return out;
}

// What an append answered, comparable across stores (errors by kind).
std::vector<std::string> outcomes(const std::vector<crs::result<ev::append_outcome>>& r) {
  std::vector<std::string> out;
  for (const auto& o : r)
    out.push_back(o ? std::to_string(o->first_position) + "/" + std::to_string(o->new_version)
                    : "error " + std::to_string(static_cast<int>(o.error().code)));
  return out;
}

void require_same_reads(const ev::event_store& a, const ev::event_store& b,
                        const std::vector<std::string>& streams, std::mt19937_64& rng) {
  REQUIRE(a.last_position() == b.last_position());
  REQUIRE(events_of(a) == events_of(b));
  REQUIRE(a.list_streams() == b.list_streams());
  REQUIRE(a.list_heads().value() == b.list_heads().value());
  for (const auto& s : streams) {
    REQUIRE(a.head_version(s) == b.head_version(s));
    const std::uint64_t from = rng() % 6;
    auto ra = a.read_stream(s, from);
    auto rb = b.read_stream(s, from);
    REQUIRE(ra.ok() == rb.ok());
    REQUIRE(ra->size() == rb->size());
    for (std::size_t i = 0; i < ra->size(); ++i)
      REQUIRE(ev::encode((*ra)[i].env, (*ra)[i].payload) ==
              ev::encode((*rb)[i].env, (*rb)[i].payload));
    REQUIRE(a.get_snapshot(s) == b.get_snapshot(s));
  }
  const std::uint64_t lo = rng() % (a.last_position() + 2), hi = rng() % (a.last_position() + 3);
  REQUIRE(events_of(a, lo, hi) == events_of(b, lo, hi));
  // Prefixes and cursors: the empty prefix, short and long ones, cursors before, inside, equal
  // to and past the prefix, and a visitor that stops early.
  const std::string prefixes[] = {"", "v", "v/1", "v/1/", "w", "v/9", "\xff"};
  const std::string cursors[] = {"", "a", "v/1/3", "v/2", "v/1/9", "v/0/37", "z", "v"};
  for (const auto& p : prefixes)
    for (const auto& c : cursors) {
      const std::size_t stop = 1 + rng() % 200;
      REQUIRE(scan(a, p, c, stop) == scan(b, p, c, stop));
    }
  for (int i = 0; i < 20; ++i) {
    const std::string key = "v/" + std::to_string(rng() % 4) + "/" + std::to_string(rng() % 40);
    REQUIRE(a.get_view(key) == b.get_view(key));
  }
}

}  // namespace

SCENARIO("the memory store answers every call as the RocksDB store does", "[store][contract]") {
  const auto seed = GENERATE(1u, 2u, 3u, 4u);
  std::mt19937_64 rng(seed);
  backend rocks{"rocksdb"}, mem{"memory"};
  auto a = rocks.must_open();
  auto b = mem.must_open();
  const std::vector<std::string> streams{"collaboration-a", "collaboration-b", "table-c",
                                         "collaboration-a2", ""};
  const auto samples = crs::test::all_samples();

  GIVEN("200 seeded batches: conflicts, empty requests, views, erasures, snapshots, restarts") {
    for (int round = 0; round < 200; ++round) {
      std::vector<ev::append_request> batch;
      const std::size_t n = 1 + rng() % 5;
      for (std::size_t i = 0; i < n; ++i) {
        const auto& stream = streams[rng() % streams.size()];
        // Mostly the right head (counting this batch's earlier requests), sometimes wrong.
        std::uint64_t head = a->head_version(stream);
        for (const auto& r : batch)
          if (r.stream == stream) head += r.events.size();
        const std::uint64_t expected = rng() % 5 == 0 ? head + 1 : head;
        std::vector<ev::event_payload> events;
        for (std::size_t e = rng() % 4; e > 0; --e)
          events.push_back(samples[rng() % samples.size()].payload);
        std::vector<ev::view_write> views;
        for (std::size_t v = rng() % 8; v > 0; --v) {
          // 160 keys in all, 40 under each "v/N/": scans cross the memory store's 64-row pages.
          std::string key = "v/" + std::to_string(rng() % 4) + "/" + std::to_string(rng() % 40);
          if (rng() % 3 == 0)
            views.push_back({std::move(key), {}, true});
          else
            views.push_back({std::move(key), "row " + std::to_string(rng() % 1000), false});
        }
        auto r = request(stream, expected, std::move(events), std::move(views));
        if (rng() % 4 == 0) r.snapshot = "snap " + std::to_string(round);
        batch.push_back(std::move(r));
      }
      REQUIRE(outcomes(append(*a, batch)) == outcomes(append(*b, batch)));
      if (round % 10 == 0) require_same_reads(*a, *b, streams, rng);
      if (round % 50 == 49) {  // a crash: no flush, the next open recovers everything
        a->abandon();
        b->abandon();
        a = rocks.must_open();
        b = mem.must_open();
      }
    }
    THEN("every read still agrees, and the secret survived the reopenings") {
      require_same_reads(*a, *b, streams, rng);
      CHECK(a->secret() == b->secret());
    }
  }
}

SCENARIO("either store keeps the rules of opening, closing and faults", "[store][contract]") {
  const std::string kind = GENERATE(std::string("rocksdb"), std::string("memory"));
  backend disk{kind};
  INFO(kind);

  GIVEN("a disk with no store") {
    THEN("create_if_missing=false and read-only refuse to open it") {
      ev::store_options o;
      o.create_if_missing = false;
      CHECK_FALSE(disk.open(o).ok());
      o.read_only = true;
      CHECK_FALSE(disk.open(o).ok());
    }
    THEN("a secret that is not 32 bytes is refused") {
      ev::store_options o;
      o.secret_for_new_store = "short";
      CHECK(disk.open(o).error().code == store_error::kind::invalid_argument);
    }
  }

  GIVEN("an open store with one event") {
    auto store = disk.must_open();
    REQUIRE(append(*store, {request("collaboration-a", 0, {left("1")})})[0].ok());

    THEN("a second writer on the same disk is refused while it is open, allowed after close") {
      CHECK_FALSE(disk.open().ok());
      store->close();
      auto again = disk.must_open();
      CHECK(again->head_version("collaboration-a") == 1);
    }
    THEN("an injected full disk fails every append and keeps nothing, until lifted") {
      store->inject_disk_full(true);
      CHECK(store->disk_full_injected());
      auto out = append(*store, {request("collaboration-a", 1, {left("2")}),
                                 request("collaboration-b", 0, {left("3")})});
      CHECK_FALSE(out[0].ok());
      CHECK_FALSE(out[1].ok());
      CHECK(store->last_position() == 1);
      store->inject_disk_full(false);
      CHECK(append(*store, {request("collaboration-a", 1, {left("2")})})[0].ok());
    }
    THEN("a closed store fails appends and reads") {
      store->close();
      CHECK(append(*store, {request("collaboration-a", 1, {left("2")})})[0].error().code ==
            store_error::kind::io);
      CHECK_FALSE(store->read_stream("collaboration-a").ok());
      CHECK_FALSE(store->read_all(1, all, [](ev::recorded_event&) { return true; }).ok());
      CHECK(store->head_version("collaboration-a") == 0);
      CHECK_FALSE(store->get_view("x").has_value());
    }
    THEN("a stream id with a NUL byte is refused by appends and reads") {
      CHECK(append(*store, {request(std::string("bad\0id", 6), 0, {left("1")})})[0].error().code ==
            store_error::kind::invalid_argument);
      CHECK(store->read_stream(std::string_view("bad\0id", 6)).error().code ==
            store_error::kind::invalid_argument);
    }
    THEN("replace_views swaps the whole family, the first part winning a shared key") {
      REQUIRE(append(*store, {request("collaboration-a", 1, {},
                                      {{"v/old", "gone", false}, {"v/k", "old", false}})})[0]
                  .ok());
      ev::event_store::view_rows one{{"v/k", "first"}, {"v/a", "1"}};
      ev::event_store::view_rows two{{"v/k", "second"}, {"v/b", "2"}};
      auto n = store->replace_views({&one, &two}, 1);
      REQUIRE(n.ok());
      CHECK(*n == 3);
      CHECK(scan(*store, "v/") == std::vector<std::pair<std::string, std::string>>{
                                      {"v/a", "1"}, {"v/b", "2"}, {"v/k", "first"}});
    }
    THEN("a read-only store beside it reads and refuses to write") {
      store->close();
      ev::store_options o;
      o.read_only = true;
      auto reader = disk.open(o);
      REQUIRE(reader.ok());
      CHECK(reader.value()->head_version("collaboration-a") == 1);
      CHECK(append(*reader.value(), {request("collaboration-a", 1, {left("2")})})[0].error().code ==
            store_error::kind::invalid_argument);
    }
  }
}

SCENARIO("a visitor of the memory store may call the store", "[store][memory]") {
  backend disk{"memory"};
  auto store = disk.must_open();
  std::vector<ev::view_write> views;
  for (int i = 0; i < 200; ++i) views.push_back({"v/" + std::to_string(1000 + i), "r", false});
  REQUIRE(append(*store, {request("collaboration-a", 0, {left("1"), left("2")}, views)})[0].ok());

  WHEN("scan_views' and read_all's visitors read and append as they go") {
    std::size_t rows = 0, events = 0, appended = 0;
    std::uint64_t version = 2;
    auto append_one = [&] {
      auto r = append(*store, {request("collaboration-a", version, {left("x")},
                                       {{"w/" + std::to_string(version), "new", false}})});
      if (r[0].ok()) ++version, ++appended;
    };
    store->scan_views("v/", {}, [&](std::string_view k, std::string_view) {
      ++rows;
      CHECK(store->get_view(k).has_value());
      append_one();
      return true;
    });
    auto r = store->read_all(1, all, [&](ev::recorded_event& e) {
      ++events;
      CHECK(store->read_stream(e.env.stream).ok());
      append_one();
      return true;
    });
    REQUIRE(r.ok());
    THEN(
        "nothing deadlocks, every row and event there at the call was seen once, and the "
        "appends went in; read_all did not run on into them") {
      CHECK(rows == 200);
      CHECK(events == 202);  // 2 to start with, 200 appended during the scan
      CHECK(appended == 402);
      CHECK(store->head_version("collaboration-a") == 404);
    }
  }
  THEN("a memory store cannot be checkpointed to a directory") {
    CHECK(store->checkpoint("/tmp/nowhere").error().code == store_error::kind::invalid_argument);
  }
}
