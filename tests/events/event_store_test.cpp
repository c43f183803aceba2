// The event store: appends, reads, optimistic concurrency, views and recovery.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <random>

#include "events/event_store.hpp"
#include "events/store_keys.hpp"
#include "samples.hpp"
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

// replace_views' scratch files (views-rebuild-*) in a store directory.
std::vector<std::string> scratch_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& f : std::filesystem::directory_iterator(dir))
    if (f.path().filename().string().rfind("views-rebuild", 0) == 0)
      out.push_back(f.path().filename().string());
  return out;
}

std::vector<ev::recorded_event> read_everything(const ev::event_store& store) {
  std::vector<ev::recorded_event> out;
  auto r = store.read_all(1, all, [&](const ev::recorded_event& e) {
    out.push_back(e);
    return true;
  });
  REQUIRE(r.ok());
  return out;
}

std::vector<std::pair<std::string, std::string>> scan(const ev::event_store& store,
                                                      std::string_view prefix,
                                                      std::string_view start_after = {}) {
  std::vector<std::pair<std::string, std::string>> out;
  store.scan_views(prefix, start_after, [&](std::string_view k, std::string_view v) {
    out.emplace_back(std::string(k), std::string(v));
    return true;
  });
  return out;
}

ev::view_write put(std::string k, std::string v) {
  return {std::move(k), std::move(v), false};
}
ev::view_write erase(std::string k) {
  return {std::move(k), {}, true};
}

}  // namespace

SCENARIO("appended events can be read back by stream and by position", "[store]") {
  temp_dir dir;
  auto store = open_store(dir.path());
  REQUIRE(store);

  GIVEN("an empty store") {
    CHECK(store->last_position() == 0);
    CHECK(store->head_version("collaboration-a") == 0);
    CHECK(store->list_streams().empty());
    CHECK(store->read_stream("collaboration-a")->empty());
  }

  GIVEN("one request of three events to a new stream") {
    auto samples = crs::test::all_samples();
    std::vector<ev::event_payload> events{samples[0].payload, samples[7].payload,
                                          samples[20].payload};
    auto req = request("collaboration-a", 0, events);
    auto out = append(*store, {req});
    REQUIRE(out.size() == 1);
    REQUIRE(out[0].ok());

    THEN("the outcome names the first position and the new head") {
      CHECK(out[0]->first_position == 1);
      CHECK(out[0]->new_version == 3);
      CHECK(store->head_version("collaboration-a") == 3);
      CHECK(store->last_position() == 3);
      CHECK(store->list_streams() == std::vector<std::string>{"collaboration-a"});
    }
    THEN("read_stream returns the events in version order with complete envelopes") {
      auto read = store->read_stream("collaboration-a");
      REQUIRE(read.ok());
      REQUIRE(read->size() == 3);
      for (std::size_t i = 0; i < 3; ++i) {
        const auto& e = (*read)[i];
        CHECK(e.env.position == i + 1);
        CHECK(e.env.version == i + 1);
        CHECK(e.env.stream == "collaboration-a");
        CHECK(e.env.type == ev::type_name(events[i]));
        CHECK(e.env.time == req.time);
        CHECK(e.env.account == req.account);
        CHECK(e.env.request_id == req.request_id);
        CHECK(e.payload == events[i]);
      }
    }
    THEN("read_stream honours from_version") {
      auto read = store->read_stream("collaboration-a", 3);
      REQUIRE(read.ok());
      REQUIRE(read->size() == 1);
      CHECK(read->front().env.version == 3);
      CHECK(store->read_stream("collaboration-a", 4)->empty());
    }
    THEN("read_all honours its bounds and the visitor can stop early") {
      CHECK(read_everything(*store).size() == 3);
      std::vector<std::uint64_t> seen;
      auto r = store->read_all(2, 2, [&](const ev::recorded_event& e) {
        seen.push_back(e.env.position);
        return true;
      });
      REQUIRE(r.ok());
      CHECK(seen == std::vector<std::uint64_t>{2});
      seen.clear();
      r = store->read_all(0, all, [&](const ev::recorded_event& e) {
        seen.push_back(e.env.position);
        return false;
      });
      REQUIRE(r.ok());
      CHECK(seen == std::vector<std::uint64_t>{1});
      seen.clear();
      CHECK(store->read_all(3, 2, [&](const ev::recorded_event&) { return true; }).ok());
    }
    THEN("a stream whose id extends another's is a different stream") {
      auto more = append(*store, {request("collaboration-a2", 0, {left("1")})});
      REQUIRE(more[0].ok());
      CHECK(store->read_stream("collaboration-a")->size() == 3);
      CHECK(store->read_stream("collaboration-a2")->size() == 1);
      CHECK(store->list_streams() ==
            std::vector<std::string>{"collaboration-a", "collaboration-a2"});
    }
  }
}

SCENARIO("expected versions guard each request alone", "[store]") {
  temp_dir dir;
  auto store = open_store(dir.path());
  REQUIRE(store);
  REQUIRE(append(*store, {request("s-b", 0, {left("1"), left("2")})})[0].ok());

  WHEN("a batch mixes requests that match their heads with one that does not") {
    auto out = append(*store, {request("s-a", 0, {left("a")}, {put("v/a", "1")}),
                               request("s-b", 1, {left("stale")}, {put("v/b", "1")}),
                               request("s-c", 0, {left("c")}, {put("v/c", "1")})});
    THEN("only the stale one fails, with version_conflict, and leaves no trace") {
      REQUIRE(out.size() == 3);
      REQUIRE(out[0].ok());
      REQUIRE_FALSE(out[1].ok());
      CHECK(out[1].error().code == store_error::kind::version_conflict);
      REQUIRE(out[2].ok());
      CHECK(store->head_version("s-b") == 2);
      CHECK(store->read_stream("s-b")->size() == 2);
      CHECK_FALSE(store->get_view("v/b"));
      CHECK(store->get_view("v/a") == std::optional<std::string>("1"));
    }
    THEN("the accepted requests take consecutive positions") {
      CHECK(out[0]->first_position == 3);
      CHECK(out[2]->first_position == 4);
      CHECK(store->last_position() == 4);
    }
  }

  WHEN("two requests for one stream share a batch") {
    auto out = append(*store, {request("s-b", 2, {left("x"), left("y")}),
                               request("s-b", 4, {left("z")}), request("s-b", 2, {left("late")})});
    THEN("the second sees the first's head and the third conflicts with it") {
      REQUIRE(out[0].ok());
      REQUIRE(out[1].ok());
      CHECK(out[1]->first_position == 5);
      CHECK(out[1]->new_version == 5);
      REQUIRE_FALSE(out[2].ok());
      CHECK(out[2].error().code == store_error::kind::version_conflict);
      CHECK(store->head_version("s-b") == 5);
    }
  }

  WHEN("a new stream is expected to exist, or an existing one to be new") {
    auto out = append(*store, {request("s-new", 3, {left("1")}), request("s-b", 0, {left("1")})});
    THEN("both conflict") {
      CHECK(out[0].error().code == store_error::kind::version_conflict);
      CHECK(out[1].error().code == store_error::kind::version_conflict);
      CHECK(store->last_position() == 2);
    }
  }

  WHEN("requests are malformed") {
    ev::append_request nul = request(std::string("a\0b", 3), 0, {left("1")});
    ev::append_request unnamed = request("", 0, {left("1")});
    std::vector<const ev::append_request*> batch{&nul, nullptr, &unnamed};
    auto out = store->append_batch(batch);
    THEN("each fails with invalid_argument") {
      for (auto& r : out) CHECK(r.error().code == store_error::kind::invalid_argument);
      CHECK(store->last_position() == 2);
    }
  }
}

SCENARIO("positions and versions stay gap-free across many batches", "[store]") {
  temp_dir dir;
  auto store = open_store(dir.path());
  REQUIRE(store);
  std::mt19937 rng(7);
  std::map<std::string, std::uint64_t> heads;
  std::uint64_t accepted_events = 0;

  for (int b = 0; b < 60; ++b) {
    std::vector<ev::append_request> batch;
    std::vector<bool> expect_ok;
    int n = 1 + static_cast<int>(rng() % 6);
    std::map<std::string, std::uint64_t> staged = heads;
    for (int i = 0; i < n; ++i) {
      std::string stream = "s-" + std::to_string(rng() % 5);
      bool stale = rng() % 7 == 0;
      std::size_t count = rng() % 4;  // zero events is a views-only request
      std::vector<ev::event_payload> events(count, left("x"));
      auto expected = staged[stream] + (stale ? 1 : 0);
      batch.push_back(request(stream, expected, events));
      expect_ok.push_back(!stale);
      if (!stale) {
        staged[stream] += count;
        accepted_events += count;
      }
    }
    auto out = append(*store, batch);
    for (std::size_t i = 0; i < batch.size(); ++i) CHECK(out[i].ok() == expect_ok[i]);
    heads = staged;
  }

  THEN("the log holds positions 1..N without a gap") {
    auto events = read_everything(*store);
    REQUIRE(events.size() == accepted_events);
    for (std::size_t i = 0; i < events.size(); ++i) CHECK(events[i].env.position == i + 1);
    CHECK(store->last_position() == accepted_events);
  }
  THEN("every stream holds versions 1..head without a gap, matching the model") {
    for (const auto& [stream, head] : heads) {
      CHECK(store->head_version(stream) == head);
      auto read = store->read_stream(stream);
      REQUIRE(read.ok());
      REQUIRE(read->size() == head);
      for (std::size_t v = 0; v < read->size(); ++v) CHECK((*read)[v].env.version == v + 1);
    }
  }
}

SCENARIO("projection rows travel in the append's batch", "[store][views]") {
  temp_dir dir;
  auto store = open_store(dir.path());
  REQUIRE(store);

  GIVEN("rows written with events and by a views-only request") {
    REQUIRE(append(*store, {request("s", 0, {left("1")},
                                    {put("coll/b", "B"), put("coll/a", "A"), put("coll/c", "C"),
                                     put("colm/x", "X"), put("col", "short")})})[0]
                .ok());
    auto views_only = append(*store, {request("s", 1, {}, {put("coll/d", "D"), erase("coll/b")})});

    THEN("the views-only request moves neither position nor head") {
      REQUIRE(views_only[0].ok());
      CHECK(views_only[0]->first_position == 0);
      CHECK(views_only[0]->new_version == 1);
      CHECK(store->last_position() == 1);
      CHECK(store->head_version("s") == 1);
    }
    THEN("get_view sees puts and erases") {
      CHECK(store->get_view("coll/a") == std::optional<std::string>("A"));
      CHECK_FALSE(store->get_view("coll/b"));
      CHECK(store->get_view("coll/d") == std::optional<std::string>("D"));
      CHECK_FALSE(store->get_view("nothing"));
    }
    THEN("scan_views returns the prefix's rows in key order") {
      using rows = std::vector<std::pair<std::string, std::string>>;
      CHECK(scan(*store, "coll/") == rows{{"coll/a", "A"}, {"coll/c", "C"}, {"coll/d", "D"}});
      CHECK(scan(*store, "coll/", "coll/a") == rows{{"coll/c", "C"}, {"coll/d", "D"}});
      CHECK(scan(*store, "coll/", "coll/b") == rows{{"coll/c", "C"}, {"coll/d", "D"}});
      CHECK(scan(*store, "coll/", "coll/d").empty());
      CHECK(scan(*store, "coll/", "a") == scan(*store, "coll/"));  // start_after before prefix
      CHECK(scan(*store, "coll/", "zzz").empty());
      CHECK(scan(*store, "col", "col").size() == 4);  // the key equal to start_after is skipped
      CHECK(scan(*store, "").size() == 5);
      CHECK(scan(*store, "nope").empty());
    }
    THEN("the visitor can stop a scan") {
      int seen = 0;
      store->scan_views("coll/", {}, [&](std::string_view, std::string_view) {
        ++seen;
        return false;
      });
      CHECK(seen == 1);
    }
  }

  GIVEN("keys with 0xff bytes, where a prefix has no simple upper bound") {
    std::string ff = "\xff\xff";
    REQUIRE(
        append(*store, {request("s", 0, {},
                                {put(ff + "a", "1"), put(ff + "\xff", "2"), put("\xfe", "3")})})[0]
            .ok());
    THEN("prefix scans still stay inside the prefix") {
      CHECK(scan(*store, ff).size() == 2);
      CHECK(scan(*store, "\xff").size() == 2);
      CHECK(scan(*store, "\xfe").size() == 1);
    }
  }
}

SCENARIO("replace_views swaps the whole views family", "[store][views]") {
  using rows = std::vector<std::pair<std::string, std::string>>;
  temp_dir dir;
  auto store = open_store(dir.path(), true);
  REQUIRE(store);
  REQUIRE(
      append(*store, {request("s", 0, {left("1")},
                              {put("a/1", "old"), put("b/1", "old"), put("\xff\xff", "old")})})[0]
          .ok());

  WHEN("it is given a new set of rows") {
    auto r = store->replace_views({{"a/1", "new"}, {"c/1", "new"}, {"d", ""}});
    THEN("only the new rows remain, and the log is untouched") {
      REQUIRE(r.ok());
      CHECK(scan(*store, "") == rows{{"a/1", "new"}, {"c/1", "new"}, {"d", ""}});
      CHECK(store->get_view("b/1") == std::nullopt);
      CHECK(store->get_view("a/1") == "new");
      CHECK(store->last_position() == 1);
      CHECK(store->read_stream("s")->size() == 1);
      CHECK(scratch_files(dir.path()).empty());
    }
    AND_WHEN("rows are replaced again, and the store reopened") {
      // The second file's tombstone must clear the first file's rows (older, ingested too).
      REQUIRE(store->replace_views({{"b/2", "newer"}, {"\xff\xff\xff", "x"}}).ok());
      store.reset();
      store = open_store(dir.path(), true);
      REQUIRE(store);
      THEN("only the last set remains") {
        CHECK(scan(*store, "") == rows{{"b/2", "newer"}, {"\xff\xff\xff", "x"}});
      }
    }
    AND_WHEN("the server writes rows afterwards") {
      REQUIRE(append(*store, {request("s", 1, {left("2")}, {put("a/1", "live"), put("e", "1")})})[0]
                  .ok());
      THEN("they win over the ingested rows") {
        CHECK(scan(*store, "") == rows{{"a/1", "live"}, {"c/1", "new"}, {"d", ""}, {"e", "1"}});
      }
    }
  }
  WHEN("a rebuild crashed and left its scratch file behind") {
    {
      // An index past what one core's writers use, so only the clean-up can remove it.
      std::ofstream stale(dir.path() + "/views-rebuild-7.sst");
      stale << "half a table file";
    }
    REQUIRE(scratch_files(dir.path()).size() == 1);
    REQUIRE(store->replace_views({{"z", "1"}}).ok());
    THEN("the next one removes it and writes its own") {
      CHECK(scan(*store, "") == rows{{"z", "1"}});
      CHECK(scratch_files(dir.path()).empty());
    }
  }
  WHEN("it is given nothing") {
    REQUIRE(store->replace_views(ev::event_store::view_rows{}).ok());
    THEN("the family is empty, and stays empty") {
      CHECK(scan(*store, "").empty());
      REQUIRE(store->replace_views(ev::event_store::view_rows{}).ok());
      CHECK(scan(*store, "").empty());
    }
  }
  WHEN("the store is open read-only") {
    store.reset();
    ev::store_options ro;
    ro.read_only = true;
    auto reader = ev::event_store::open(dir.path(), ro);
    REQUIRE(reader.ok());
    THEN("it refuses, and the rows stay") {
      auto r = reader.value()->replace_views({{"a/1", "x"}});
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == store_error::kind::invalid_argument);
      CHECK(scan(*reader.value(), "").size() == 3);
    }
  }
}

SCENARIO("replace_views merges parts and writes them on several threads", "[store][views]") {
  using view_rows = ev::event_store::view_rows;
  using rows = std::vector<std::pair<std::string, std::string>>;
  std::mt19937 rng(7);
  auto random_key = [&] {
    std::string k(rng() % 6, '\0');  // short keys collide across parts; "" included
    for (auto& c : k) c = static_cast<char>("ab\x00\x7f\x80\xff"[rng() % 6]);
    return k;
  };
  for (std::size_t writers : {1, 2, 3, 5, 8}) {
    for (bool stored_above : {false, true}) {
      DYNAMIC_SECTION("writers " << writers
                                 << (stored_above ? ", stored rows above the new"
                                                  : ", stored rows inside the new")) {
        temp_dir dir;
        auto store = open_store(dir.path(), true);
        REQUIRE(store);
        // Stored rows: either all past the new keys (the tombstone must reach them from the
        // last run) or among them (it ends inside an early run, later runs carry none).
        std::vector<ev::view_write> old;
        for (int i = 0; i < 40; ++i)
          old.push_back(put(stored_above ? "\xff\xff\xff\xff\xff\xff" + std::to_string(i)
                                         : "a" + std::to_string(i),
                            "old"));
        REQUIRE(append(*store, {request("s", 0, {left("1")}, old)})[0].ok());

        std::vector<view_rows> parts(3);
        for (int i = 0; i < 600; ++i) parts[rng() % 3][random_key()] = std::to_string(i);
        parts[2]["lonely"] = "2";  // a part whose rows no other part has
        view_rows expected;        // the first part's value wins a key
        for (const auto& p : parts) expected.insert(p.begin(), p.end());
        std::vector<const view_rows*> pointers;
        for (const auto& p : parts) pointers.push_back(&p);

        auto written = store->replace_views(pointers, writers);
        REQUIRE(written.ok());
        CHECK(written.value() == expected.size());
        const rows want(expected.begin(), expected.end());
        CHECK(scan(*store, "") == want);
        store.reset();
        store = open_store(dir.path(), true);
        REQUIRE(store);
        CHECK(scan(*store, "") == want);
        CHECK(scratch_files(dir.path()).empty());
      }
    }
  }
  SECTION("compaction after the ingestion keeps exactly the new rows") {
    // Compaction is where the files' tombstones meet the old rows and their own rows.
    temp_dir dir;
    {
      auto store = open_store(dir.path(), true);
      REQUIRE(store);
      REQUIRE(append(*store, {request("s", 0, {left("1")}, {put("a", "old"), put("q", "old")})})[0]
                  .ok());
      const view_rows first{{"a", "1"}, {"m", "1"}}, second{{"a", "2"}, {"z", "2"}};
      REQUIRE(store->replace_views({&first, &second}, 2).ok());
    }
    REQUIRE(crs::test::damage_family(
        dir.path(), "views", [](rocksdb::DB& db, rocksdb::ColumnFamilyHandle& cf) {
          REQUIRE(db.CompactRange(rocksdb::CompactRangeOptions(), &cf, nullptr, nullptr).ok());
        }));
    auto store = open_store(dir.path(), true);
    REQUIRE(store);
    CHECK(scan(*store, "") == rows{{"a", "1"}, {"m", "1"}, {"z", "2"}});
  }
  SECTION("on the simulator's in-memory disk") {
    ev::store_options o;
    o.sync = false;
    o.disk = ev::make_memory_disk();
    const std::string where = "/sim/store";
    {
      auto store = ev::event_store::open(where, o);
      REQUIRE(store.ok());
      REQUIRE(append(*store.value(), {request("s", 0, {left("1")}, {put("old", "x")})})[0].ok());
      const view_rows first{{"a", "1"}, {"m", "1"}}, second{{"b", "2"}, {"z", "2"}};
      auto written = store.value()->replace_views({&first, &second}, 3);
      REQUIRE(written.ok());
      CHECK(written.value() == 4);
    }
    auto store = ev::event_store::open(where, o);
    REQUIRE(store.ok());
    CHECK(scan(*store.value(), "") == rows{{"a", "1"}, {"b", "2"}, {"m", "1"}, {"z", "2"}});
    std::vector<std::string> names;
    REQUIRE(o.disk->GetChildren(where, &names).ok());
    for (const auto& n : names) CHECK(n.rfind("views-rebuild", 0) != 0);
  }
  SECTION("more writers than rows, and no stored rows") {
    temp_dir dir;
    auto store = open_store(dir.path(), true);
    REQUIRE(store);
    const view_rows one{{"k", "v"}};
    const view_rows none;
    auto written = store->replace_views({&none, &one, &none}, 8);
    REQUIRE(written.ok());
    CHECK(written.value() == 1);
    CHECK(scan(*store, "") == rows{{"k", "v"}});
  }
}

SCENARIO("every family compresses with LZ4", "[store][format]") {
  // Faster to decompress than RocksDB's default Snappy, which every replay and activation pays.
  temp_dir dir;
  { REQUIRE(open_store(dir.path())); }
  std::size_t families = 0, lz4 = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir.path())) {
    if (f.path().filename().string().rfind("OPTIONS-", 0) != 0) continue;
    std::ifstream in(f.path());
    families = lz4 = 0;  // every OPTIONS file lists every family: the last read counts
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("[CFOptions ", 0) == 0) ++families;
      if (line == "  compression=kLZ4Compression") ++lz4;
    }
  }
  CHECK(families == 7);
  CHECK(lz4 == families);
}

SCENARIO("a store reopened after close keeps everything", "[store][recovery]") {
  temp_dir dir;
  std::string secret;
  {
    auto store = open_store(dir.path(), true);
    REQUIRE(store);
    secret = store->secret();
    REQUIRE(append(*store, {request("s-a", 0, {left("1"), left("2")}, {put("k", "v")}),
                            request("s-b", 0, {left("3")})})[0]
                .ok());
    store->close();
    CHECK(store->last_position() == 3);  // still answers, from memory
    auto after_close = append(*store, {request("s-c", 0, {left("x")})});
    CHECK(after_close[0].error().code == store_error::kind::io);
  }

  auto store = open_store(dir.path(), true);
  REQUIRE(store);
  THEN("heads, last position, secret, events and views are as they were") {
    CHECK(store->secret() == secret);
    CHECK(secret.size() == 32);
    CHECK(store->last_position() == 3);
    CHECK(store->head_version("s-a") == 2);
    CHECK(store->head_version("s-b") == 1);
    CHECK(store->get_view("k") == std::optional<std::string>("v"));
    CHECK(store->read_stream("s-a")->size() == 2);
    CHECK(store->list_streams() == std::vector<std::string>{"s-a", "s-b"});
    using heads = std::vector<std::pair<std::string, std::uint64_t>>;
    CHECK(store->list_heads().value() == heads{{"s-a", 2}, {"s-b", 1}});
  }
  THEN("appends continue from the recovered heads and position") {
    auto out = append(*store, {request("s-a", 0, {left("stale")}), request("s-a", 2, {left("4")})});
    CHECK(out[0].error().code == store_error::kind::version_conflict);
    REQUIRE(out[1].ok());
    CHECK(out[1]->first_position == 4);
    CHECK(out[1]->new_version == 3);
  }
  THEN("another store has another secret") {
    temp_dir other;
    auto s2 = open_store(other.path());
    REQUIRE(s2);
    CHECK(s2->secret() != secret);
  }
}

SCENARIO("open reports a missing store instead of creating it when asked", "[store]") {
  temp_dir dir;
  ev::store_options o;
  o.create_if_missing = false;
  auto s = ev::event_store::open(dir.sub("absent"), o);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == store_error::kind::io);
}

TEST_CASE("snapshots ride in the append batch; read-only opens see a consistent store") {
  crs::test::temp_dir dir;
  {
    auto store = crs::events::event_store::open(dir.path(), {});
    REQUIRE(store.ok());
    crs::events::append_request r;
    r.stream = "collaboration-x";
    r.events.emplace_back(crs::events::collaboration_deleted{});
    r.snapshot = std::string("snap\0bytes", 10);
    auto out = store.value()->append_batch({&r});
    REQUIRE(out.at(0).ok());
    CHECK(store.value()->get_snapshot("collaboration-x") == std::string("snap\0bytes", 10));
    CHECK_FALSE(store.value()->get_snapshot("collaboration-y"));

    // A reader may open while the writer holds the lock, and cannot write.
    crs::events::store_options ro;
    ro.read_only = true;
    auto reader = crs::events::event_store::open(dir.path(), ro);
    REQUIRE(reader.ok());
    CHECK(reader.value()->last_position() == 1);
    auto refused = reader.value()->append_batch({&r});
    REQUIRE_FALSE(refused.at(0).ok());
    CHECK(refused.at(0).error().code == crs::store_error::kind::invalid_argument);

    // A checkpoint is a store of its own with the same contents.
    const std::string copy = dir.path() + "/backup";
    REQUIRE(store.value()->checkpoint(copy).ok());
    auto restored = crs::events::event_store::open(copy, {});
    REQUIRE(restored.ok());
    CHECK(restored.value()->last_position() == 1);
    CHECK(restored.value()->secret() == store.value()->secret());
    CHECK_FALSE(store.value()->checkpoint(copy).ok());  // an existing destination is refused
  }
  crs::events::store_options ro;
  ro.read_only = true;
  CHECK_FALSE(crs::events::event_store::open(dir.path() + "/nothing-here", ro).ok());
}

TEST_CASE("an injected full disk fails appends cleanly, keeps reads, and clears") {
  crs::test::temp_dir dir;
  auto store = crs::events::event_store::open(dir.path(), {});
  REQUIRE(store.ok());
  auto& s = *store.value();
  crs::events::append_request r;
  r.stream = "collaboration-x";
  r.events.emplace_back(crs::events::collaboration_deleted{});
  r.views = {{"v/1", "one", false}};
  REQUIRE(s.append_batch({&r}).at(0).ok());

  s.inject_disk_full(true);
  CHECK(s.disk_full_injected());
  r.expected_version = 1;
  r.views = {{"v/1", "two", false}};
  auto failed = s.append_batch({&r});
  REQUIRE_FALSE(failed.at(0).ok());
  CHECK(failed.at(0).error().code == crs::store_error::kind::io);
  CHECK(s.last_position() == 1);  // nothing moved
  CHECK(s.head_version("collaboration-x") == 1);
  CHECK(s.get_view("v/1") == std::string("one"));  // reads keep working

  s.inject_disk_full(false);
  auto ok = s.append_batch({&r});
  REQUIRE(ok.at(0).ok());
  CHECK(ok.at(0).value().first_position == 2);  // gap-free after the fault
  CHECK(s.get_view("v/1") == std::string("two"));
}

SCENARIO("read_stream fetches a long stream in chunks and names a damaged log", "[store]") {
  temp_dir dir;
  constexpr std::uint64_t n = 600;  // crosses read_stream's MultiGet chunks of 256 twice
  {
    auto store = open_store(dir.path());
    REQUIRE(store);
    for (std::uint64_t v = 0; v < n; ++v) {
      // Another stream's event between each, so the log positions are not the versions.
      REQUIRE(
          append(*store, {request("collaboration-long", v, {left(std::to_string(v))})}).at(0).ok());
      REQUIRE(append(*store, {request("collaboration-x", v, {left("x")})}).at(0).ok());
    }
    GIVEN("a stream of 600 events interleaved with another") {
      THEN("every event comes back in version order, from any version") {
        for (std::uint64_t from : {1, 2, 256, 257, 300, 512, 513, 600}) {
          CAPTURE(from);
          auto read = store->read_stream("collaboration-long", from);
          REQUIRE(read.ok());
          REQUIRE(read->size() == n - from + 1);
          for (std::uint64_t i = 0; i < read->size(); ++i) {
            const auto& e = (*read)[i];
            CHECK(e.env.version == from + i);
            CHECK(e.env.position == 2 * (from + i) - 1);
            CHECK(e.payload == left(std::to_string(from + i - 1)));
          }
        }
        CHECK(store->read_stream("collaboration-long", n + 1)->empty());
      }
    }
  }
  GIVEN("the log entry of version 400 overwritten with garbage") {
    REQUIRE(
        crs::test::damage_log(dir.path(), [](rocksdb::DB& db, rocksdb::ColumnFamilyHandle& log) {
          REQUIRE(db.Put(rocksdb::WriteOptions(), &log, ev::keys::u64(799), "garbage").ok());
        }));
    auto store = open_store(dir.path());
    REQUIRE(store);
    THEN("reading the stream fails as corruption, and the other stream still reads") {
      auto read = store->read_stream("collaboration-long");
      REQUIRE_FALSE(read.ok());
      CHECK(read.error().code == store_error::kind::corruption);
      CHECK(store->read_stream("collaboration-long", 401)->size() == n - 400);
      CHECK(store->read_stream("collaboration-x")->size() == n);
    }
  }
  GIVEN("the log entry of version 300 replaced by another stream's event") {
    REQUIRE(
        crs::test::damage_log(dir.path(), [](rocksdb::DB& db, rocksdb::ColumnFamilyHandle& log) {
          std::string other;
          REQUIRE(db.Get(rocksdb::ReadOptions(), &log, ev::keys::u64(600), &other).ok());
          REQUIRE(db.Put(rocksdb::WriteOptions(), &log, ev::keys::u64(599), other).ok());
        }));
    auto store = open_store(dir.path());
    REQUIRE(store);
    THEN("the index and the log disagree, and that is what it says") {
      auto read = store->read_stream("collaboration-long", 257);
      REQUIRE_FALSE(read.ok());
      CHECK(read.error().code == store_error::kind::corruption);
      CHECK(read.error().message.find("disagree") != std::string::npos);
    }
  }
  GIVEN("the log entry of version 10 deleted") {
    REQUIRE(
        crs::test::damage_log(dir.path(), [](rocksdb::DB& db, rocksdb::ColumnFamilyHandle& log) {
          REQUIRE(db.Delete(rocksdb::WriteOptions(), &log, ev::keys::u64(19)).ok());
        }));
    auto store = open_store(dir.path());
    REQUIRE(store);
    THEN("reading the stream fails instead of skipping the event") {
      CHECK_FALSE(store->read_stream("collaboration-long").ok());
      CHECK(store->read_stream("collaboration-long", 11)->size() == n - 10);
    }
  }
}
