// The protected query rows (projections/query_rows): what GetProtectedQuery and
// ListProtectedQueries read for the querier and the receivers, and the per-command row changes
// the actor writes, which must equal the full diff a rebuild would produce.
#include <catch2/catch.hpp>

#include "actors/collaboration/decide.hpp"
#include "given_when_then.hpp"
#include "projections/collaboration_rows.hpp"
#include "projections/keys.hpp"

using namespace crs;
using namespace crs::testing;
namespace co = crs::collaboration;
namespace keys = crs::projections::keys;

namespace {

co::start_query to_member(const std::string& mid, const std::string& receiver) {
  co::start_query c;
  c.membership_id = mid;
  c.sql.query_string = "SELECT 1";
  query_output o;
  o.locations.emplace_back(query_member_output{receiver});
  c.output = o;
  return c;
}

// Runs a command and checks the actor's incremental change set against the full diff.
void step(scenario& s, const co::command& c, decide_context ctx) {
  const auto before = s.state;
  REQUIRE(s.when(c, ctx).ok());
  const auto full = projections::diff(projections::rows(before), projections::rows(s.state));
  const auto fast = projections::changed_rows(before, s.state);
  auto key_of = [](const auto& ws) {
    std::map<std::string, std::pair<std::string, bool>> m;
    for (const auto& w : ws) m[w.key] = {w.value, w.erase};
    return m;
  };
  CHECK(key_of(fast) == key_of(full));
  CHECK(fast.size() == full.size());
}

}  // namespace

SCENARIO("Query rows: the querier and the receivers read them; the change set is the full diff") {
  GIVEN("three joined members; the querier sends results to the creator") {
    auto t = joined();
    auto ctx = t.s.as(querier);
    const auto qid = ctx.fresh_id;
    step(t.s, to_member(t.querier_mid, creator), ctx);
    const auto rows = projections::rows(t.s.state);
    THEN("the querier and the receiving creator see it; the provider does not") {
      CHECK(rows.count(keys::protected_query(t.querier_mid, qid)));
      CHECK(rows.count(keys::protected_query(t.creator_mid, qid)));
      CHECK_FALSE(rows.count(keys::protected_query(t.provider_mid, qid)));
      CHECK(rows.at(keys::unfinished_query(qid)) == cid + "|" + t.querier_mid + "|" + querier);
    }
    WHEN(
        "it runs, a second one starts and is cancelled, members leave and the collaboration goes") {
      step(t.s, co::begin_query{qid}, t.s.as(querier));
      auto second = t.s.as(querier);
      step(t.s, to_member(t.querier_mid, creator), second);
      co::finish_query f;
      f.query_id = qid;
      f.status = query_status::success;
      f.duration_ms = 5;
      step(t.s, f, t.s.as(querier));
      step(t.s, co::cancel_query{t.querier_mid, second.fresh_id}, t.s.as(querier));
      step(t.s, co::update_collaboration{std::string("renamed"), {}, {}}, t.s.as(creator));
      step(t.s, co::delete_member{provider}, t.s.as(creator));
      step(t.s, co::delete_collaboration{}, t.s.as(creator));
      step(t.s, co::delete_membership{t.querier_mid}, t.s.as(querier));
      THEN("no work-list row is left and the querier's rows went with its membership") {
        const auto rows = projections::rows(t.s.state);
        CHECK_FALSE(rows.count(keys::unfinished_query(qid)));
        CHECK_FALSE(rows.count(keys::protected_query(t.querier_mid, qid)));
        CHECK(rows.count(keys::protected_query(t.creator_mid, qid)));
      }
    }
  }
}

SCENARIO("Query rows: an unfinished query marks each association it reads (x/qa/)") {
  // What DeleteConfiguredTableAnalysisRule looks up (SPEC.md Q22, projections/reader.hpp).
  GIVEN("the provider's association customers; the querier's query reads it") {
    auto t = joined();
    co::create_association a;
    a.membership_id = t.provider_mid;
    a.configured_table_id = "5e1f2a3b-0000-4000-8000-000000000001";
    a.name = "customers";
    a.role_arn = "arn:aws:iam::333333333333:role/cleanrooms-read";
    auto actx = t.s.as(provider);
    step(t.s, a, actx);
    auto q = to_member(t.querier_mid, creator);
    q.schemas = {"Customers"};
    auto qctx = t.s.as(querier);
    step(t.s, q, qctx);
    const auto key = keys::association_reader(actx.fresh_id, qctx.fresh_id);
    THEN("the row names the collaboration") {
      CHECK(projections::rows(t.s.state).at(key) == cid);
      CHECK(key.rfind(keys::association_readers_prefix(actx.fresh_id), 0) == 0);
    }
    WHEN("it runs and finishes") {
      step(t.s, co::begin_query{qctx.fresh_id}, t.s.as(querier));
      CHECK(projections::rows(t.s.state).count(key));
      co::finish_query f;
      f.query_id = qctx.fresh_id;
      f.status = query_status::timed_out;
      step(t.s, f, t.s.as(querier));
      THEN("the row is gone") {
        CHECK_FALSE(projections::rows(t.s.state).count(key));
      }
    }
    WHEN("the collaboration is deleted") {
      step(t.s, co::delete_collaboration{}, t.s.as(creator));
      THEN("the row is gone") {
        CHECK_FALSE(projections::rows(t.s.state).count(key));
      }
    }
  }
}
