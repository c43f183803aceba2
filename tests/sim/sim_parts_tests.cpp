// The simulator's parts on their own: the seeded source, the journal's durability model, the
// reference model's predictions, the read checker, and the registry's deterministic scheduler.
#include <catch2/catch.hpp>

#include "actors/registry.hpp"
#include "events/event_store.hpp"
#include "sim/journal.hpp"
#include "sim/model.hpp"
#include "sim/random.hpp"
#include "sim/reads.hpp"
#include "sim/requests.hpp"
#include "sim/workload.hpp"

using namespace crs;
using namespace crs::sim;

TEST_CASE("the seeded source repeats itself and stays in range") {
  prng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a.next();
    REQUIRE(x == b.next());
    differs = differs || x != c.next();
  }
  CHECK(differs);
  for (std::uint64_t n : {1ull, 2ull, 3ull, 7ull, 1000ull}) {
    for (int i = 0; i < 200; ++i) REQUIRE(a.below(n) < n);
  }
  CHECK(a.below(0) == 0);
  prng u(5);
  const auto id = random_uuid(u);
  REQUIRE(id.size() == 36);
  CHECK(id[14] == '4');
  CHECK((id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b'));
}

namespace {

struct rocksdb_on_memenv {
  std::shared_ptr<rocksdb::Env> disk = events::make_memory_disk();
  std::unique_ptr<events::event_store> store;
  rocksdb_on_memenv() { open(); }
  void open() {
    events::store_options o;
    o.disk = disk;
    o.secret_for_new_store = std::string(32, 'k');
    auto s = events::event_store::open("/db", o);
    REQUIRE(s);
    store = std::move(s.value());
  }
};

// The read checks on bodies as the server wrote them, parsed here as the simulator parses them.
std::string check_read(const reference_model& model, const operation& op,
                       const std::vector<std::string>& bodies) {
  std::vector<page> pages;
  for (const auto& b : bodies) pages.push_back(parse_page(b));
  return sim::check_read(model, op, pages);
}
std::string next_token_of(const std::string& body) {
  return sim::next_token_of(parse_page(body));
}

events::append_request request(const std::string& stream, std::uint64_t expected,
                               const std::string& rid) {
  events::append_request r;
  r.stream = stream;
  r.expected_version = expected;
  r.request_id = rid;
  r.account = "111111111111";
  r.events.emplace_back(events::collaboration_deleted{});
  return r;
}

}  // namespace

TEST_CASE("the simulated journal: durable only when committed, lost on a crash") {
  rocksdb_on_memenv m;
  sim_journal j;
  j.attach(m.store.get());
  int done_ok = 0, done_failed = 0;
  auto count = [&](result<events::append_outcome> r) { r ? ++done_ok : ++done_failed; };

  SECTION("given queued appends, when committed, then they are in the log and completed") {
    j.submit(request("s-1", 0, "r1"), count);
    j.submit(request("s-2", 0, "r2"), count);
    CHECK(m.store->last_position() == 0);  // queued is not durable
    std::vector<std::string> seen;
    CHECK(j.commit(16, false,
                   [&](const committed_append& c) { seen.push_back(c.request->request_id); }) == 2);
    CHECK(done_ok == 2);
    CHECK(seen == std::vector<std::string>{"r1", "r2"});
    CHECK(m.store->last_position() == 2);
  }
  SECTION("given queued appends, when the process crashes, then they are lost unanswered") {
    j.submit(request("s-1", 0, "r1"), count);
    j.crash();
    CHECK(done_ok + done_failed == 0);
    CHECK(j.lost_requests == 1);
    j.submit(request("s-1", 0, "r2"), count);  // a submit to a dead process fails at once
    CHECK(done_failed == 1);
    m.store->close();
    m.store.reset();
    m.open();  // the restart reads the disk: nothing of r1
    CHECK(m.store->last_position() == 0);
  }
  SECTION(
      "given a committed append, when the store is reopened on the same disk, then it is there") {
    j.submit(request("s-1", 0, "r1"), count);
    CHECK(j.commit(1, false, {}) == 1);
    j.crash();
    m.store->close();
    m.store.reset();
    m.open();
    CHECK(m.store->last_position() == 1);
    CHECK(m.store->head_version("s-1") == 1);
  }
  SECTION("given committed appends, when the store is abandoned unflushed, then the WAL has them") {
    j.submit(request("s-1", 0, "r1"), count);
    j.submit(request("s-2", 0, "r2"), count);
    CHECK(j.commit(16, false, {}) == 2);
    j.crash();
    m.store->abandon();  // no memtable flush: the reopen must replay the write-ahead log
    m.store.reset();
    m.open();
    CHECK(m.store->last_position() == 2);
    CHECK(m.store->head_version("s-2") == 1);
  }
  SECTION("given a failed commit, then every request of the batch fails and nothing is kept") {
    j.submit(request("s-1", 0, "r1"), count);
    j.submit(request("s-2", 0, "r2"), count);
    CHECK(j.commit(16, true, {}) == 2);
    CHECK(done_failed == 2);
    CHECK(j.failed_request_ids.count("r1") == 1);
    CHECK(m.store->last_position() == 0);
  }
}

TEST_CASE("a fixed store secret must be 32 bytes") {
  events::store_options o;
  o.disk = events::make_memory_disk();
  o.secret_for_new_store = std::string(31, 'k');
  auto s = events::event_store::open("/db", o);
  REQUIRE_FALSE(s);
  CHECK(s.error().code == store_error::kind::invalid_argument);
}

TEST_CASE("the deterministic registry runs nothing until told, one message at a time") {
  rocksdb_on_memenv m;
  sim_journal j;
  j.attach(m.store.get());
  registry_options o;
  o.deterministic = true;
  registry actors(*m.store, j, o);
  std::vector<std::string> answers;
  decide_context ctx;
  ctx.caller = "111111111111";
  ctx.region = "us-east-1";
  ctx.now = 1000;
  collaboration::update_collaboration u;
  u.name = "x";
  actors.send("c0000000-0000-4000-8000-000000000001", u, ctx,
              [&](command_result r) { answers.push_back(r ? "ok" : r.error().message); });
  CHECK(answers.empty());
  CHECK(actors.runnable() == 1);
  CHECK_FALSE(actors.run_one(1));  // no second runnable actor
  CHECK(actors.run_one(0));
  REQUIRE(answers.size() == 1);  // an unknown collaboration: refused by its decider
  CHECK(answers[0] != "ok");
  actors.stop();
  CHECK(actors.runnable() == 0);  // the scheduler went with the actor system
  CHECK_FALSE(actors.run_one(0));
}

namespace {

operation op(op_kind k, const std::string& caller, const std::string& cid = "c1") {
  operation o;
  o.kind = k;
  o.caller = caller;
  o.collaboration_id = cid;
  return o;
}

const std::string creator = "111111111111", invitee = "222222222222", outsider = "333333333333";

// given: a collaboration c1 by `creator` (who can query) with one invitee.
reference_model given_collaboration(std::vector<std::string> auto_approved = {}) {
  reference_model m;
  auto c = op(op_kind::create_collaboration, creator, "");
  c.members = {{creator, true, true, std::nullopt}, {invitee, false, false, std::nullopt}};
  c.auto_approved = std::move(auto_approved);
  REQUIRE(m.predict(c) == expectation{200, ""});
  m.apply(c, "c1");
  return m;
}

// The invitee associates its table t1 as "visits", through its membership m2.
operation visits_association() {
  auto assoc = op(op_kind::create_association, invitee);
  assoc.membership_id = "m2";
  assoc.table_id = "t1";
  assoc.schema = "visits";
  return assoc;
}

// given: c1 with both joined (m1, m2) and the invitee's table t1 associated as "visits" (a1).
reference_model given_association() {
  auto m = given_collaboration();
  m.apply(op(op_kind::create_membership, creator), "m1");
  m.apply(op(op_kind::create_membership, invitee), "m2");
  m.apply(op(op_kind::create_configured_table, invitee, ""), "t1");
  REQUIRE(m.predict(visits_association()).status == 200);
  m.apply(visits_association(), "a1");
  return m;
}

}  // namespace

TEST_CASE("the reference model predicts SPEC.md's answers") {
  auto m = given_collaboration();
  SECTION("visibility: members see it, outsiders get 403") {
    CHECK(m.predict(op(op_kind::get_collaboration, invitee)).status == 200);
    CHECK(m.predict(op(op_kind::get_collaboration, outsider)).error == "AccessDeniedException");
  }
  SECTION("joining twice is a conflict; the creator cannot leave a live collaboration") {
    m.apply(op(op_kind::create_membership, creator), "m1");
    CHECK(m.predict(op(op_kind::create_membership, creator)).status == 409);
    auto leave = op(op_kind::delete_membership, creator);
    leave.membership_id = "m1";
    CHECK(m.predict(leave).status == 409);
    leave.caller = invitee;  // someone else's membership: 404
    CHECK(m.predict(leave).status == 404);
  }
  SECTION("a member who left cannot see the collaboration or join again") {
    m.apply(op(op_kind::create_membership, invitee), "m2");
    auto leave = op(op_kind::delete_membership, invitee);
    leave.membership_id = "m2";
    REQUIRE(m.predict(leave).status == 204);
    m.apply(leave, "");
    CHECK(m.predict(op(op_kind::get_collaboration, invitee)).status == 403);
    CHECK(m.predict(op(op_kind::create_membership, invitee)).status == 403);
  }
  SECTION("removing the creator is invalid; removing twice a conflict") {
    auto rm = op(op_kind::delete_member, creator);
    rm.account = creator;
    CHECK(m.predict(rm).status == 400);
    rm.account = invitee;
    REQUIRE(m.predict(rm).status == 204);
    m.apply(rm, "");
    CHECK(m.predict(rm).status == 409);
  }
  SECTION("a change request waits for the active members' votes, then commits") {
    m.apply(op(op_kind::create_membership, creator), "m1");
    m.apply(op(op_kind::create_membership, invitee), "m2");
    auto add = op(op_kind::create_change_request, creator);
    add.account = outsider;
    add.receive = true;
    REQUIRE(m.predict(add).status == 200);
    m.apply(add, "cr1");
    CHECK(m.predict(add).status == 409);  // an open request already changes that account
    auto commit = op(op_kind::update_change_request, creator);
    commit.change_request_id = "cr1";
    commit.action = cr_action::commit;
    CHECK(m.predict(commit).status == 409);  // still PENDING
    auto approve = op(op_kind::update_change_request, invitee);
    approve.change_request_id = "cr1";
    approve.action = cr_action::approve;
    REQUIRE(m.predict(approve).status == 200);
    m.apply(approve, "");
    CHECK(m.predict(approve).status == 409);  // a second vote
    REQUIRE(m.predict(commit).status == 200);
    m.apply(commit, "");
    CHECK(m.predict(op(op_kind::get_collaboration, outsider)).status == 200);  // invited now
  }
  SECTION("an auto-approved change applies at once") {
    auto a = given_collaboration({"ADD_MEMBER"});
    a.apply(op(op_kind::create_membership, creator), "m1");
    auto add = op(op_kind::create_change_request, creator);
    add.account = outsider;
    REQUIRE(a.predict(add).status == 200);
    a.apply(add, "cr1");
    CHECK(a.predict(op(op_kind::create_membership, outsider)).status == 200);
  }
  SECTION("payment: a non-querier payer must accept explicitly") {
    reference_model p;
    auto c = op(op_kind::create_collaboration, creator, "");
    c.members = {{creator, true, false, std::nullopt}, {invitee, false, false, true}};
    p.apply(c, "c2");
    auto join = op(op_kind::create_membership, invitee, "c2");
    CHECK(p.predict(join).status == 400);
    join.accepts_payment = true;
    CHECK(p.predict(join).status == 200);
    join.accepts_payment = false;
    CHECK(p.predict(join).status == 400);
  }
  SECTION("two queriers or two payers are invalid") {
    auto c = op(op_kind::create_collaboration, creator, "");
    c.members = {{creator, true, false, std::nullopt}, {invitee, true, false, std::nullopt}};
    CHECK(m.predict(c).status == 400);
    c.members[1].can_query = false;
    c.members[0].pays_queries = true;
    c.members[1].pays_queries = true;
    CHECK(m.predict(c).status == 400);
  }
}

TEST_CASE("the reference model predicts protected queries (SPEC.md 12, 16.3)") {
  auto m = given_association();
  CHECK(m.predict(visits_association()).status == 409);  // the schema name is taken

  auto start = op(op_kind::start_query, creator);
  start.membership_id = "m1";
  start.schema = "visits";
  start.with_output = true;  // the creator receives results: s3 output
  CHECK(m.predict(start).error == "ValidationException");  // the table has no rule yet
  auto rule = op(op_kind::create_table_rule, invitee, "");
  rule.table_id = "t1";
  REQUIRE(m.predict(rule).status == 200);
  m.apply(rule, "");
  REQUIRE(m.predict(start).status == 200);
  auto other = start;
  other.caller = invitee;  // not a querier, and m1 is not its membership
  CHECK(m.predict(other).status == 404);
  other.membership_id = "m2";
  CHECK(m.predict(other).status == 403);
  m.apply(start, "q1");

  auto begin = op(op_kind::begin_query, creator);
  begin.query_id = "q1";
  REQUIRE(m.predict(begin).status == 200);
  m.apply(begin, "");
  CHECK_FALSE(m.predict(begin).writes);  // begun already: accepted, nothing recorded
  auto cancel = op(op_kind::cancel_query, creator);
  cancel.membership_id = "m1";
  cancel.query_id = "q1";
  REQUIRE(m.predict(cancel).status == 200);  // STARTED -> CANCELLING
  m.apply(cancel, "");
  CHECK_FALSE(m.predict(cancel).writes);  // CANCELLING again: idempotent
  auto finish = op(op_kind::finish_query, creator);
  finish.query_id = "q1";
  REQUIRE(m.predict(finish).status == 200);  // completes as CANCELLED
  m.apply(finish, "");
  CHECK(m.predict(finish).status == 409);
  CHECK(m.unfinished_queries().empty());

  auto leave = op(op_kind::delete_membership, invitee);
  leave.membership_id = "m2";
  CHECK(m.predict(leave).status == 409);  // its association is a sub-resource
}

TEST_CASE("the reference model predicts memberships' settings and reads (SPEC.md 6, 7)") {
  auto m = given_collaboration();  // queryLogStatus DISABLED
  m.apply(op(op_kind::create_membership, invitee), "m2");
  auto update = op(op_kind::update_membership, invitee);
  update.membership_id = "m2";
  SECTION("UpdateMembership: the owner's, ACTIVE, and logging only where the collaboration logs") {
    CHECK(m.predict(update) == expectation{200, ""});
    CHECK_FALSE(m.predict(update).writes);  // nothing supplied, nothing changes
    update.query_log = false;
    CHECK(m.predict(update).writes);
    update.query_log = true;
    CHECK(m.predict(update) == expectation{400, "ValidationException"});
    update.caller = creator;  // not the owner's membership: as unknown
    CHECK(m.predict(update) == expectation{404, "ResourceNotFoundException"});
    auto rm = op(op_kind::delete_member, creator);
    rm.account = invitee;
    m.apply(rm, "");
    update.caller = invitee;
    update.query_log = false;
    CHECK(m.predict(update) == expectation{403, "AccessDeniedException"});  // REMOVED
  }
  SECTION("CreateMembership with logging where the collaboration has none is invalid") {
    reference_model l;
    auto c = op(op_kind::create_collaboration, creator, "");
    c.members = {{creator, true, true, std::nullopt}, {invitee, false, false, std::nullopt}};
    c.query_log = true;
    l.apply(c, "c9");
    auto join = op(op_kind::create_membership, invitee, "c9");
    join.query_log = true;
    CHECK(l.predict(join).status == 200);
    auto join1 = op(op_kind::create_membership, creator);
    join1.query_log = true;
    CHECK(m.predict(join1) == expectation{400, "ValidationException"});
  }
  SECTION("reads: ListMembers for INVITED and ACTIVE members, GetMembership for its owner") {
    CHECK(m.predict(op(op_kind::list_members, invitee)).status == 200);
    CHECK(m.predict(op(op_kind::list_members, outsider)).status == 403);
    auto get = op(op_kind::get_membership, invitee);
    get.membership_id = "m2";
    CHECK(m.predict(get).status == 200);
    get.caller = creator;
    CHECK(m.predict(get).status == 404);
    CHECK(m.predict(op(op_kind::list_memberships, outsider)).status == 200);
  }
}

TEST_CASE("the read checker compares served pages with the model") {
  // given: c1 by the creator (querier, receiver), the invitee joined as m2
  auto m = given_collaboration();
  m.apply(op(op_kind::create_membership, invitee), "m2");
  const std::string creator_row =
      R"({"accountId":"111111111111","status":"INVITED","abilities":["CAN_QUERY","CAN_RECEIVE_RESULTS"],)"
      R"("paymentConfiguration":{"queryCompute":{"isResponsible":true}}})";
  const std::string invitee_row =
      R"({"accountId":"222222222222","status":"ACTIVE","abilities":[],"membershipId":"m2",)"
      R"("paymentConfiguration":{"queryCompute":{"isResponsible":false}}})";
  auto list = op(op_kind::list_members, invitee);
  SECTION("ListMembers over two pages, as the model has it") {
    const std::vector<std::string> pages = {
        R"({"memberSummaries":[)" + creator_row + R"(],"nextToken":"a+b/c="})",
        R"({"memberSummaries":[)" + invitee_row + "]}"};
    CHECK(check_read(m, list, pages).empty());
    CHECK(next_token_of(pages[0]) == "a+b/c=");
    CHECK(next_token_of(pages[1]).empty());
  }
  SECTION("a missing member, a wrong status, a lost membershipId, a wrong payer are found") {
    CHECK(check_read(m, list, {R"({"memberSummaries":[)" + creator_row + "]}"}) ==
          "1 members listed, the model has 2");
    auto wrong = invitee_row;
    wrong.replace(wrong.find("ACTIVE"), 6, "LEFT");
    CHECK(check_read(m, list, {R"({"memberSummaries":[)" + creator_row + "," + wrong + "]}"})
              .find("status LEFT, the model says ACTIVE") != std::string::npos);
    wrong = invitee_row;
    wrong.replace(wrong.find(R"("membershipId":"m2",)"), 20, "");
    CHECK(check_read(m, list, {R"({"memberSummaries":[)" + creator_row + "," + wrong + "]}"})
              .find("membershipId <absent>") != std::string::npos);
    wrong = invitee_row;
    wrong.replace(wrong.find("false"), 5, "true");
    CHECK(check_read(m, list, {R"({"memberSummaries":[)" + creator_row + "," + wrong + "]}"})
              .find("isResponsible") != std::string::npos);
    CHECK_FALSE(check_read(m, list, {"not json"}).empty());
  }
  SECTION("GetMembership and ListMemberships") {
    auto get = op(op_kind::get_membership, invitee);
    get.membership_id = "m2";
    const std::string ms =
        R"({"id":"m2","collaborationId":"c1","status":"ACTIVE","queryLogStatus":"DISABLED",)"
        R"("memberAbilities":[],"paymentConfiguration":{"queryCompute":{"isResponsible":false}}})";
    CHECK(check_read(m, get, {R"({"membership":)" + ms + "}"}).empty());
    auto enabled = ms;
    enabled.replace(enabled.find("DISABLED"), 8, "ENABLED");
    CHECK_FALSE(check_read(m, get, {R"({"membership":)" + enabled + "}"}).empty());
    auto mine = op(op_kind::list_memberships, invitee);
    CHECK(check_read(m, mine, {R"({"membershipSummaries":[)" + ms + "]}"}).empty());
    CHECK(check_read(m, mine, {R"({"membershipSummaries":[]})"}) ==
          "membership m2 (ACTIVE) is not listed");
    mine.status_filter = "REMOVED";
    CHECK(check_read(m, mine, {R"({"membershipSummaries":[]})"}).empty());
    CHECK_FALSE(check_read(m, mine, {R"({"membershipSummaries":[)" + ms + "]}"}).empty());
  }
}

TEST_CASE("the read checker lists the caller's INVITED and ACTIVE collaborations") {
  // given: c1 created by the creator with the invitee, who has joined (m2); the creator has not
  auto m = given_collaboration();
  m.apply(op(op_kind::create_membership, invitee), "m2");
  auto list = op(op_kind::list_collaborations, invitee);
  CHECK(m.predict(list).status == 200);
  CHECK(m.predict(op(op_kind::list_collaborations, outsider)).status == 200);
  const std::string joined =
      R"({"id":"c1","creatorAccountId":"111111111111","memberStatus":"ACTIVE","membershipId":"m2"})";
  const std::string invited =
      R"({"id":"c1","creatorAccountId":"111111111111","memberStatus":"INVITED"})";
  SECTION("the joined invitee sees c1 ACTIVE with its membership; the creator sees it INVITED") {
    CHECK(check_read(m, list, {R"({"collaborationList":[)" + joined + "]}"}).empty());
    auto mine = op(op_kind::list_collaborations, creator);
    CHECK(check_read(m, mine, {R"({"collaborationList":[)" + invited + "]}"}).empty());
    CHECK(check_read(m, op(op_kind::list_collaborations, outsider), {R"({"collaborationList":[]})"})
              .empty());
  }
  SECTION("a missing, extra, doubled or misdescribed collaboration is found") {
    CHECK(check_read(m, list, {R"({"collaborationList":[]})"}) ==
          "collaboration c1 (ACTIVE) is not listed");
    CHECK(check_read(m, op(op_kind::list_collaborations, outsider),
                     {R"({"collaborationList":[)" + joined + "]}"}) ==
          "collaboration c1 listed, the model has not");
    CHECK(check_read(m, list, {R"({"collaborationList":[)" + joined + "," + joined + "]}"}) ==
          "collaboration c1 listed twice");
    CHECK(check_read(m, list, {R"({"collaborationList":[)" + invited + "]}"})
              .find("memberStatus INVITED, the model says ACTIVE") != std::string::npos);
    auto lost = joined;
    lost.replace(lost.find(R"(,"membershipId":"m2")"), 20, "");
    CHECK(check_read(m, list, {R"({"collaborationList":[)" + lost + "]}"})
              .find("membershipId <absent>, the model says m2") != std::string::npos);
    auto creator_wrong = joined;
    creator_wrong.replace(creator_wrong.find("111111111111"), 12, "222222222222");
    CHECK(check_read(m, list, {R"({"collaborationList":[)" + creator_wrong + "]}"})
              .find("listed with creator 222222222222") != std::string::npos);
  }
  SECTION("the memberStatus filter, and a member who left or a deleted collaboration drop out") {
    list.status_filter = "INVITED";
    CHECK(check_read(m, list, {R"({"collaborationList":[]})"}).empty());
    list.status_filter = "ACTIVE";
    CHECK(check_read(m, list, {R"({"collaborationList":[)" + joined + "]}"}).empty());
    CHECK(render_request(list, "t").target == "/collaborations?memberStatus=ACTIVE&nextToken=t");
    auto leave = op(op_kind::delete_membership, invitee);
    leave.membership_id = "m2";
    m.apply(leave, "");
    CHECK(check_read(m, list, {R"({"collaborationList":[]})"}).empty());
    auto mine = op(op_kind::list_collaborations, creator);
    m.apply(op(op_kind::delete_collaboration, creator), "");
    CHECK(check_read(m, mine, {R"({"collaborationList":[]})"}).empty());
  }
}

TEST_CASE("the read checker lists a collaboration's schemas for its ACTIVE members") {
  auto m = given_association();
  auto list = op(op_kind::list_schemas, creator);
  const std::string plain = R"({"name":"visits","creatorAccountId":"222222222222",)"
                            R"("analysisRuleTypes":[]})";
  const std::string ruled = R"({"name":"visits","creatorAccountId":"222222222222",)"
                            R"("analysisRuleTypes":["CUSTOM"]})";
  THEN("an ACTIVE member lists it; others are refused") {
    CHECK(m.predict(list).status == 200);
    CHECK(check_read(m, list, {R"({"schemaSummaries":[)" + plain + "]}"}).empty());
    CHECK(m.predict(op(op_kind::list_schemas, outsider)).status == 403);
  }
  THEN("a missing, doubled or misdescribed schema is found") {
    CHECK(check_read(m, list, {R"({"schemaSummaries":[]})"}) == "schema visits is not listed");
    CHECK(check_read(m, list, {R"({"schemaSummaries":[)" + plain + "," + plain + "]}"}) ==
          "schema visits listed twice");
    auto other = plain;
    other.replace(other.find("222222222222"), 12, "111111111111");
    CHECK(check_read(m, list, {R"({"schemaSummaries":[)" + other + "]}"})
              .find("listed with creator 111111111111, the model says 222222222222") !=
          std::string::npos);
    CHECK(check_read(m, list, {R"({"schemaSummaries":[)" + ruled + "]}"}) ==
          "schema visits listed with analysisRuleTypes other than the model's");
  }
  THEN("ListConfiguredTableAssociations lists the membership's own, in any membership status") {
    auto mine = op(op_kind::list_associations, invitee);
    mine.membership_id = "m2";
    const std::string row =
        R"({"id":"a1","name":"visits","configuredTableId":"t1","membershipId":"m2"})";
    CHECK(m.predict(mine).status == 200);
    CHECK(
        check_read(m, mine, {R"({"configuredTableAssociationSummaries":[)" + row + "]}"}).empty());
    CHECK(check_read(m, mine, {R"({"configuredTableAssociationSummaries":[]})"}) ==
          "association a1 (visits) is not listed");
    auto wrong = row;
    wrong.replace(wrong.find("t1"), 2, "t9");
    CHECK(check_read(m, mine, {R"({"configuredTableAssociationSummaries":[)" + wrong + "]}"})
              .find("of table t9 in membership m2, the model says visits of t1 in m2") !=
          std::string::npos);
    auto theirs = mine;
    theirs.membership_id = "m1";  // the creator's membership holds none
    theirs.caller = creator;
    CHECK(check_read(m, theirs, {R"({"configuredTableAssociationSummaries":[)" + row + "]}"}) ==
          "association a1 listed, the model has not");
    theirs.caller = invitee;  // not the invitee's membership: as unknown
    CHECK(m.predict(theirs).status == 404);
    auto remove = op(op_kind::delete_member, creator);
    remove.account = invitee;
    m.apply(remove, "");
    CHECK(m.predict(mine).status == 200);  // a REMOVED membership still lists its own
    CHECK(
        check_read(m, mine, {R"({"configuredTableAssociationSummaries":[)" + row + "]}"}).empty());
    CHECK(render_request(mine).target == "/memberships/m2/configuredTableAssociations");
  }
  THEN("the table's rule shows in it, and it goes when its member is removed") {
    auto rule = op(op_kind::create_table_rule, invitee, "");
    rule.table_id = "t1";
    m.apply(rule, "");
    CHECK(check_read(m, list, {R"({"schemaSummaries":[)" + ruled + "]}"}).empty());
    auto remove = op(op_kind::delete_member, creator);
    remove.account = invitee;
    REQUIRE(m.predict(remove).status == 204);
    m.apply(remove, "");
    CHECK(check_read(m, list, {R"({"schemaSummaries":[]})"}).empty());
    CHECK(check_read(m, list, {R"({"schemaSummaries":[)" + ruled + "]}"}) ==
          "schema visits listed, the model has not");
    CHECK(render_request(list).target == "/collaborations/c1/schemas");
  }
}

TEST_CASE("the read checker lists change requests newest first, with the votes that count") {
  // given: c1 with the invitee joined, and two requests to add the outsider and a fourth account
  auto m = given_collaboration();
  m.apply(op(op_kind::create_membership, creator), "m1");
  m.apply(op(op_kind::create_membership, invitee), "m2");
  auto add = op(op_kind::create_change_request, creator);
  add.account = outsider;
  m.apply(add, "cr1");
  add.account = "444444444444";
  m.apply(add, "cr2");
  auto row = [](const std::string& id, const std::string& account, const std::string& votes) {
    return R"({"id":")" + id + R"(","status":"PENDING","changes":[{"specificationType":"MEMBER",)" +
           R"("specification":{"member":{"accountId":")" + account + R"("}}}])" + votes + "}";
  };
  const std::string pending = R"(,"approvals":{"222222222222":{"status":"PENDING"}})";
  auto list = op(op_kind::list_change_requests, invitee);
  const std::string newest_first = R"({"collaborationChangeRequestSummaries":[)" +
                                   row("cr2", "444444444444", pending) + "," +
                                   row("cr1", outsider, pending) + "]}";
  CHECK(check_read(m, list, {newest_first}).empty());
  const std::string oldest_first = R"({"collaborationChangeRequestSummaries":[)" +
                                   row("cr1", outsider, pending) + "," +
                                   row("cr2", "444444444444", pending) + "]}";
  CHECK_FALSE(check_read(m, list, {oldest_first}).empty());
  // when the voter leaves, its pending vote no longer counts (SPEC.md 16.4)
  auto leave = op(op_kind::delete_membership, invitee);
  leave.membership_id = "m2";
  m.apply(leave, "");
  list.caller = creator;
  list.status_filter = "APPROVED";  // no vote left to wait for
  const std::string approved = R"({"collaborationChangeRequestSummaries":[)" +
                               row("cr2", "444444444444", "") + "," + row("cr1", outsider, "") +
                               "]}";
  std::string fixed = approved;
  for (auto at = fixed.find("PENDING"); at != std::string::npos; at = fixed.find("PENDING"))
    fixed.replace(at, 7, "APPROVED");
  CHECK(check_read(m, list, {fixed}).empty());
  CHECK(check_read(m, list, {newest_first}).find("status PENDING") != std::string::npos);
  // APPROVED, but still showing the departed voter's pending vote
  std::string stale = newest_first;
  const std::string pending_row = R"("status":"PENDING","changes")";
  for (auto at = stale.find(pending_row); at != std::string::npos; at = stale.find(pending_row))
    stale.replace(at, pending_row.size(), R"("status":"APPROVED","changes")");
  CHECK(check_read(m, list, {stale}) == "change request 0 (cr2): approvals differ from the model");
  // a page longer than the maxResults asked
  list.page_size = 1;
  CHECK(check_read(m, list, {fixed}).find("maxResults was 1") != std::string::npos);
}

TEST_CASE("the read checker lists a membership's queries and those whose results go to it") {
  // given: the invitee queries, the creator receives (c1's creator can query and receive; here a
  // collaboration where they are split)
  reference_model m;
  auto c = op(op_kind::create_collaboration, creator, "");
  c.members = {{creator, false, true, std::nullopt}, {invitee, true, false, std::nullopt}};
  m.apply(c, "c1");
  m.apply(op(op_kind::create_membership, creator), "m1");
  m.apply(op(op_kind::create_membership, invitee), "m2");
  auto start = op(op_kind::start_query, invitee);
  start.membership_id = "m2";
  m.apply(start, "q1");
  m.apply(start, "q2");
  auto row = [](const std::string& id) {
    return R"({"id":")" + id + R"(","membershipId":"m2","status":"SUBMITTED",)" +
           R"("receiverConfigurations":[{"analysisType":"DIRECT_ANALYSIS","configurationDetails":)" +
           R"({"directAnalysisConfigurationDetails":{"receiverAccountIds":["111111111111"]}}}]})";
  };
  const std::string both = R"({"protectedQueries":[)" + row("q2") + "," + row("q1") + "]}";
  auto through_receiver = op(op_kind::list_queries, creator);
  through_receiver.membership_id = "m1";  // the receiver's membership sees them too
  CHECK(check_read(m, through_receiver, {both}).empty());
  auto through_querier = op(op_kind::list_queries, invitee);
  through_querier.membership_id = "m2";
  CHECK(check_read(m, through_querier, {both}).empty());
  CHECK_FALSE(check_read(m, through_querier,
                         {R"({"protectedQueries":[)" + row("q1") + "," + row("q2") + "]}"})
                  .empty());  // oldest first
  auto wrong_receiver = both;
  wrong_receiver.replace(wrong_receiver.find("111111111111"), 12, "222222222222");
  CHECK(check_read(m, through_querier, {wrong_receiver}).find("receivers differ") !=
        std::string::npos);
  through_querier.status_filter = "STARTED";
  CHECK(check_read(m, through_querier, {R"({"protectedQueries":[]})"}).empty());
  CHECK(check_read(m, through_querier, {both}) == "2 queries listed, the model has 0");
}

TEST_CASE("the reference model keeps tags per ARN for resources that exist (SPEC.md 15)") {
  auto m = given_collaboration();
  m.apply(op(op_kind::create_membership, invitee), "m2");
  auto tag = op(op_kind::tag_resource, creator);
  tag.arn = collaboration_arn(creator, "c1");
  tag.tags = {{"team", "a"}};
  CHECK(m.predict(tag) == expectation{200, ""});
  m.apply(tag, "");
  auto list = op(op_kind::list_tags, creator);
  list.arn = tag.arn;
  CHECK(check_read(m, list, {R"({"tags":{"team":"a"}})"}).empty());
  CHECK_FALSE(check_read(m, list, {R"({"tags":{}})"}).empty());
  list.caller = invitee;  // a member, but not the ARN's account: as if it did not exist
  CHECK(m.predict(list).status == 404);
  tag.tags = {{"aws:x", "y"}};  // reserved: a shape error before anything else
  tag.caller = outsider;
  CHECK(m.predict(tag).status == 400);
  auto untag = op(op_kind::untag_resource, creator);
  untag.arn = list.arn;
  untag.tag_keys = {"env"};  // absent: accepted, changes nothing
  CHECK(m.predict(untag).status == 200);
  CHECK_FALSE(m.predict(untag).writes);
  untag.tag_keys = {"team", "env"};
  CHECK(m.predict(untag).writes);
  auto mine = op(op_kind::list_tags, invitee);
  mine.arn = membership_arn(invitee, "m2");
  CHECK(m.predict(mine).status == 200);
  CHECK(check_read(m, mine, {R"({"tags":{}})"}).empty());
  auto leave = op(op_kind::delete_membership, invitee);
  leave.membership_id = "m2";
  m.apply(leave, "");
  CHECK(m.predict(mine).status == 404);  // gone with its membership
  m.apply(op(op_kind::delete_collaboration, creator), "");
  list.caller = creator;
  CHECK(m.predict(list).status == 404);  // and with the collaboration
}

TEST_CASE("a List's page token goes out percent-encoded, with the filter and page size") {
  operation o = op(op_kind::list_memberships, invitee);
  o.status_filter = "REMOVED";
  o.page_size = 7;
  const auto r = render_request(o, "a+b/c=");
  CHECK(r.method == "GET");
  CHECK(r.target == "/memberships?status=REMOVED&maxResults=7&nextToken=a%2Bb%2Fc%3D");
  auto members = op(op_kind::list_members, invitee);
  CHECK(render_request(members).target == "/collaborations/c1/members");
  auto untag = op(op_kind::untag_resource, invitee);
  untag.arn = membership_arn(invitee, "m2");
  untag.tag_keys = {"team", "cost center"};
  CHECK(render_request(untag).target ==
        "/tags/arn%3Aaws%3Acleanrooms%3Aus-east-1%3A222222222222%3Amembership%2Fm2"
        "?tagKeys=team&tagKeys=cost%20center");
}
