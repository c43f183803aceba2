// The registry's row cache (projections/row_cache.hpp) on the write path: the views a write
// stores are computed against rows rendered by an earlier write, so after passivation,
// re-activation and failed appends the live views must still be exactly what a rebuild from
// the log renders.

#include "hosts/registry_fixture.hpp"
#include "projections/keys.hpp"
#include "projections/verify.hpp"

using namespace crs;
using namespace crs::testing;

namespace {

collaboration::update_collaboration rename(std::string name) {
  collaboration::update_collaboration u;
  u.name = std::move(name);
  return u;
}

// Live views against the rows a replay of the whole log renders.
projections::verify_report compare_with_rebuild(const events::event_store& store) {
  projections::verify_report report;
  auto log = projections::replay_log(store, report);
  REQUIRE(log.ok());
  projections::compare_views(store, projections::rebuild_rows(log.value()), report);
  return report;
}

std::string live_name(const events::event_store& store, const std::string& id) {
  auto row = store.get_view(projections::keys::collaboration(id));
  REQUIRE(row);
  const auto at = row->find("\"name\":\"");
  REQUIRE(at != std::string::npos);
  return row->substr(at + 8, row->find('"', at + 8) - at - 8);
}

}  // namespace

SCENARIO("Writes through the row cache store the views a rebuild renders") {
  GIVEN("a registry that keeps one actor resident, with the row cache") {
    registry_options opts;
    opts.max_resident = 1;  // every switch between collaborations passivates one
    registry_fixture f(opts);
    for (int i = 0; i < 2; ++i) {
      auto ctx = f.clock.as(creator);
      ctx.fresh_id = nth_cid(i);
      REQUIRE(f.send(nth_cid(i), standard_create(), ctx).ok());
    }
    WHEN("members join and the collaborations are renamed, alternating between the two") {
      for (int round = 0; round < 3; ++round)
        for (int i = 0; i < 2; ++i)
          REQUIRE(
              f.send(nth_cid(i), rename("r" + std::to_string(round)), f.clock.as(creator)).ok());
      REQUIRE(f.send(nth_cid(0), join_cmd(), f.clock.as(querier)).ok());
      REQUIRE(f.send(nth_cid(1), join_cmd(), f.clock.as(provider)).ok());
      REQUIRE(f.send(nth_cid(0), join_cmd(), f.clock.as(provider)).ok());
      THEN("the live views are the rebuilt ones") {
        const auto report = compare_with_rebuild(*f.store);
        CHECK(report.ok());
        CHECK(report.rows > 0);
        CHECK(live_name(*f.store, nth_cid(1)) == "r2");
      }
    }
    WHEN("a rename fails to append, and then the same rename succeeds") {
      // The failed write rendered rows of a state that never became durable. Were those the
      // rows the next write diffed against, the same rename would look like no change and the
      // live row would keep the old name.
      // The retry is the same call at the same time, so it makes the very rows that failed.
      REQUIRE(f.send(nth_cid(0), rename("before"), f.clock.as(creator)).ok());
      const auto retried = f.clock.as(creator);
      f.store->inject_disk_full(true);
      CHECK_FALSE(f.send(nth_cid(0), rename("after"), retried).ok());
      f.store->inject_disk_full(false);
      CHECK(live_name(*f.store, nth_cid(0)) == "before");
      REQUIRE(f.send(nth_cid(0), rename("after"), retried).ok());
      THEN("the retried rename shows, and the live views are the rebuilt ones") {
        CHECK(live_name(*f.store, nth_cid(0)) == "after");
        CHECK(compare_with_rebuild(*f.store).ok());
      }
      AND_WHEN("the collaboration is passivated in between") {
        REQUIRE(f.send(nth_cid(1), rename("other"), f.clock.as(creator)).ok());
        const auto again = f.clock.as(creator);
        f.store->inject_disk_full(true);
        CHECK_FALSE(f.send(nth_cid(0), rename("again"), again).ok());
        f.store->inject_disk_full(false);
        REQUIRE(f.send(nth_cid(1), rename("other2"), f.clock.as(creator)).ok());
        REQUIRE(f.send(nth_cid(0), rename("again"), again).ok());
        THEN("the live views are still the rebuilt ones") {
          CHECK(live_name(*f.store, nth_cid(0)) == "again");
          CHECK(compare_with_rebuild(*f.store).ok());
        }
      }
    }
  }
}
