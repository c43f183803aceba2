// verify: a clean log passes; a corrupted row, a missing event and an undecodable envelope are
// each named.
#include <filesystem>
#include <random>
#include <set>

#include <rocksdb/db.h>

#include "../actors/given_when_then.hpp"
#include "../events/store_helpers.hpp"
#include "actors/configured_table/decide.hpp"
#include "projections/configured_table_rows.hpp"
#include "projections/keys.hpp"
#include "projections/verify.hpp"

using namespace crs;
using namespace crs::testing;
namespace keys = crs::projections::keys;

namespace {

struct store_fixture {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("crs-verify-" + std::to_string(std::random_device{}()));
  std::unique_ptr<events::event_store> store;
  scenario s;
  std::uint64_t appended = 0;

  store_fixture() { reopen(); }
  ~store_fixture() {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void reopen() {
    store.reset();
    auto opened = events::event_store::open(dir.string(), {});
    REQUIRE(opened.ok());
    store = std::move(opened.value());
  }
  void run(const collaboration::command& c, const std::string& who, bool fix_id = false) {
    auto before = s.state;
    auto ctx = s.as(who);
    if (fix_id) ctx.fresh_id = cid;
    auto d = collaboration::decide(s.state, c, ctx);
    REQUIRE(d.ok());
    for (const auto& e : d.value()) collaboration::apply(s.state, e, ctx.now);
    events::append_request req{
        collaboration::stream_id(cid),
        before.version,
        ctx.now,
        who,
        "r",
        d.value(),
        projections::diff(projections::rows(before), projections::rows(s.state)),
        std::nullopt};
    REQUIRE(store->append_batch({&req}).at(0).ok());
    appended += d.value().size();
  }
  void lifecycle() {
    run(standard_create(), creator, true);
    run(join_cmd(), querier);
    run(collaboration::update_collaboration{"renamed", {}, {}}, creator);
    run(collaboration::delete_member{provider}, creator);
  }
  projections::verify_report verify() {
    projections::verify_report report;
    auto log = projections::replay_log(*store, report);
    REQUIRE(log.ok());
    projections::compare_views(*store, projections::rebuild_rows(log.value()), report);
    return report;
  }
  // Raw access to one column family, as damage from outside would come.
  void damage(const std::function<void(rocksdb::DB*, rocksdb::ColumnFamilyHandle*)>& f,
              const std::string& family) {
    store.reset();
    REQUIRE(crs::test::damage_family(
        dir.string(), family,
        [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle& h) { f(&db, &h); }));
    reopen();
  }
};

std::string be64(std::uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v & 0xff);
  return out;
}

}  // namespace

TEST_CASE("verify passes a log whose live views were written with it") {
  store_fixture f;
  f.lifecycle();
  auto report = f.verify();
  CHECK(report.ok());
  CHECK(report.events == f.appended);
  CHECK(report.streams == 1);
  CHECK(report.rows > 0);
}

TEST_CASE("verify names a corrupted projection row, a missing one and an extra one") {
  store_fixture f;
  f.lifecycle();
  const auto victim = keys::collaboration(cid);
  events::append_request damage;
  damage.stream = collaboration::stream_id(cid);
  damage.expected_version = f.s.state.version;
  damage.views = {{victim, "{\"name\":\"tampered\"}", false},
                  {keys::member(cid, 0), {}, true},
                  {"zz/stray", "x", false}};
  REQUIRE(f.store->append_batch({&damage}).at(0).ok());

  auto report = f.verify();
  CHECK_FALSE(report.ok());
  CHECK(report.problem_count == 0);
  REQUIRE(report.mismatch_count == 3);
  std::map<std::string, projections::row_mismatch> by_key;
  for (const auto& m : report.mismatches) by_key[m.key] = m;
  CHECK(by_key.at(victim).live == "{\"name\":\"tampered\"}");
  CHECK(by_key.at(victim).rebuilt.value().find("renamed") != std::string::npos);
  CHECK_FALSE(by_key.at(keys::member(cid, 0)).live);
  CHECK_FALSE(by_key.at("zz/stray").rebuilt);

  SECTION("rebuilding the views in place repairs them") {
    projections::verify_report before;
    auto log = projections::replay_log(*f.store, before);
    REQUIRE(log.ok());
    REQUIRE(f.store->replace_views(projections::rebuild_rows(log.value())).ok());
    CHECK(f.verify().ok());
  }
}

TEST_CASE("verify names a missing event and an envelope that does not decode") {
  store_fixture f;
  f.lifecycle();
  SECTION("a deleted event: a position gap, a version gap, a head mismatch") {
    f.damage(
        [](rocksdb::DB* db, rocksdb::ColumnFamilyHandle* log) {
          REQUIRE(db->Delete(rocksdb::WriteOptions(), log, be64(3)).ok());
        },
        "log");
    auto report = f.verify();
    CHECK_FALSE(report.ok());
    bool gap = false, version = false;
    for (const auto& p : report.problems) {
      gap = gap || (p.position == 3 && p.what.find("missing") != std::string::npos);
      version = version || p.what.find("stream version 4 follows 2") != std::string::npos;
    }
    CHECK(gap);
    CHECK(version);
  }
  SECTION("the last event deleted: the tail gap is named") {
    const auto last = f.store->last_position();
    f.damage(
        [last](rocksdb::DB* db, rocksdb::ColumnFamilyHandle* log) {
          REQUIRE(db->Delete(rocksdb::WriteOptions(), log, be64(last)).ok());
        },
        "log");
    auto report = f.verify();
    CHECK_FALSE(report.ok());
    bool named = false;
    for (const auto& p : report.problems) named = named || p.what.find("head says") == 0;
    CHECK(named);
  }
  SECTION("garbage in place of an envelope") {
    f.damage(
        [](rocksdb::DB* db, rocksdb::ColumnFamilyHandle* log) {
          REQUIRE(db->Put(rocksdb::WriteOptions(), log, be64(2), "not a flatbuffer").ok());
        },
        "log");
    auto report = f.verify();
    CHECK_FALSE(report.ok());
    bool named = false;
    for (const auto& p : report.problems)
      named = named || (p.position == 2 && p.what.find("does not decode") != std::string::npos);
    CHECK(named);
    CHECK(report.events == f.appended - 1);  // the scan went on past the damage
  }
}

namespace {

// A configured table stream appended the way its actor does (decide, apply, rows diff).
void append_table(events::event_store& store, configured_table::state& t,
                  const configured_table::command& c, time_ms now) {
  decide_context ctx;
  ctx.caller = provider;
  ctx.region = "us-east-1";
  ctx.now = now;
  ctx.fresh_id = t.id;
  auto before = t;
  auto d = configured_table::decide(t, c, ctx, {});
  REQUIRE(d.ok());
  for (const auto& e : d.value()) configured_table::apply(t, e, now);
  events::append_request req{configured_table::stream_id(t.id),
                             before.version,
                             now,
                             provider,
                             "r",
                             d.value(),
                             projections::diff(projections::rows(before), projections::rows(t)),
                             std::nullopt};
  REQUIRE(store.append_batch({&req}).at(0).ok());
}

configured_table::create_configured_table orders_table() {
  configured_table::create_configured_table c;
  c.name = "orders";
  c.reference = glue_table_reference{std::nullopt, "sales", "orders"};
  c.allowed_columns = {"customer_id", "amount"};
  c.tags = {{"team", "data"}};
  return c;
}

}  // namespace

TEST_CASE("verify: configured table streams are replayed and their rows rebuilt", "[verify]") {
  store_fixture f;
  f.lifecycle();
  configured_table::state t;
  t.id = "7a7a7a7a-0000-4000-8000-000000000001";
  append_table(*f.store, t, orders_table(), 1'700'000'100'000);
  list_rule rule;
  rule.join_columns = {"customer_id"};
  rule.list_columns = {"amount"};
  append_table(*f.store, t,
               configured_table::create_analysis_rule{analysis_rule_type::list, rule, 100},
               1'700'000'200'000);
  auto report = f.verify();
  INFO((report.problems.empty() ? "" : report.problems[0].what));
  CHECK(report.ok());
  CHECK(report.streams == 2);
  CHECK(f.store->get_view(keys::table_rule(t.id, "LIST")).has_value());

  SECTION("a lost table row is named") {
    f.damage(
        [&](rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf) {
          (void)db->Delete({}, cf, keys::table_source(t.id));
        },
        "views");
    f.reopen();
    auto damaged = f.verify();
    REQUIRE(damaged.mismatch_count == 1);
    CHECK(damaged.mismatches[0].key == keys::table_source(t.id));
  }
}

TEST_CASE("verify: a configured table event that does not fit its stream is a log problem",
          "[verify]") {
  store_fixture f;
  // A rule for a table that was never created: the decider would never emit it.
  list_rule rule;
  rule.join_columns = {"a"};
  events::append_request req{configured_table::stream_id("7a7a7a7a-0000-4000-8000-000000000002"),
                             0,
                             1,
                             provider,
                             "r",
                             {events::analysis_rule_created{rule}},
                             {},
                             std::nullopt};
  REQUIRE(f.store->append_batch({&req}).at(0).ok());
  auto report = f.verify();
  REQUIRE(report.problem_count == 1);
  CHECK_THAT(report.problems[0].what, Catch::Contains("does not apply"));
}

TEST_CASE("the log replayer goes on from where it stopped, and notices a log that shrank",
          "[verify]") {
  // given: a collaboration created and joined
  store_fixture f;
  f.run(standard_create(), creator, true);
  f.run(join_cmd(), querier);
  projections::log_replayer replayer;
  projections::verify_report first;
  std::set<std::string> changed;
  REQUIRE(replayer.advance(*f.store, first, false, {}, &changed).ok());
  CHECK(first.events == f.appended);
  CHECK(changed == std::set<std::string>{collaboration::stream_id(cid)});

  WHEN("more is appended and it advances again") {
    f.run(collaboration::update_collaboration{"renamed", {}, {}}, creator);
    f.run(collaboration::delete_member{provider}, creator);
    projections::verify_report more;
    changed.clear();
    REQUIRE(replayer.advance(*f.store, more, false, {}, &changed).ok());
    REQUIRE(replayer.check_heads(*f.store, more).ok());
    THEN("it folds only the new events, into the state a whole replay reaches") {
      CHECK(more.events == f.appended - first.events);
      CHECK(more.problem_count == 0);
      CHECK(changed.size() == 1);
      projections::verify_report whole;
      auto log = projections::replay_log(*f.store, whole);
      REQUIRE(log.ok());
      const auto& mine = replayer.log().collaborations;
      REQUIRE(mine.size() == 1);
      CHECK(projections::rows(mine.begin()->second) ==
            projections::rows(log->collaborations.begin()->second));
      CHECK(mine.begin()->second.version == f.appended);
    }
  }
  WHEN("it advances over a store whose log is shorter than what it read") {
    store_fixture other;
    other.run(standard_create(), creator, true);
    projections::verify_report shrunk;
    REQUIRE(replayer.advance(*other.store, shrunk).ok());
    THEN("the log's end is a problem") {
      REQUIRE(shrunk.problem_count >= 1);
      CHECK_THAT(shrunk.problems[0].what, Catch::Contains("but positions up to"));
    }
  }
}
