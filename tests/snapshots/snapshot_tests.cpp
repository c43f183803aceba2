// Snapshots: exact round-trips, refusal of anything doubtful, and the property activation rests
// on: snapshot + tail == replay from zero, through the real store.
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>

#include "actors/activation.hpp"
#include "actors/given_when_then.hpp"
#include "actors/registry.hpp"
#include "collaboration_snapshot_generated.h"
#include "events/event_store.hpp"
#include "events/journal.hpp"
#include "projections/collaboration_rows.hpp"
#include "snapshots/collaboration_snapshot.hpp"

using namespace crs;
using namespace crs::testing;
using snapshots::decode_snapshot;
using snapshots::encode_snapshot;
namespace snap = crs::snap;

namespace {

// Every field of the state, so a snapshot that loses something the rows do not show still fails.
void require_same(const collaboration::state& a, const collaboration::state& b) {
  CHECK(a.version == b.version);
  CHECK(a.created == b.created);
  CHECK(a.deleted == b.deleted);
  CHECK(a.info == b.info);
  CHECK(a.create_time == b.create_time);
  CHECK(a.update_time == b.update_time);
  REQUIRE(a.members.size() == b.members.size());
  for (std::size_t i = 0; i < a.members.size(); ++i) {
    CHECK(a.members[i].spec == b.members[i].spec);
    CHECK(a.members[i].status == b.members[i].status);
    CHECK(a.members[i].membership_id == b.members[i].membership_id);
    CHECK(a.members[i].create_time == b.members[i].create_time);
    CHECK(a.members[i].update_time == b.members[i].update_time);
  }
  REQUIRE(a.memberships.size() == b.memberships.size());
  for (auto x = a.memberships.begin(), y = b.memberships.begin(); x != a.memberships.end();
       ++x, ++y) {
    CHECK(x->first == y->first);
    const auto& m = x->second;
    const auto& n = y->second;
    CHECK(m.id == n.id);
    CHECK(m.account == n.account);
    CHECK(m.region == n.region);
    CHECK(m.status == n.status);
    CHECK(m.query_log == n.query_log);
    CHECK(m.job_log == n.job_log);
    CHECK(m.default_result == n.default_result);
    CHECK(m.default_job_result == n.default_job_result);
    CHECK(m.payment == n.payment);
    CHECK(m.metrics_enabled == n.metrics_enabled);
    CHECK(m.create_time == n.create_time);
    CHECK(m.update_time == n.update_time);
  }
  REQUIRE(a.associations.size() == b.associations.size());
  for (auto x = a.associations.begin(), y = b.associations.begin(); x != a.associations.end();
       ++x, ++y) {
    CHECK(x->first == y->first);
    const auto& m = x->second;
    const auto& n = y->second;
    CHECK(m.id == n.id);
    CHECK(m.membership_id == n.membership_id);
    CHECK(m.configured_table_id == n.configured_table_id);
    CHECK(m.account == n.account);
    CHECK(m.region == n.region);
    CHECK(m.name == n.name);
    CHECK(m.description == n.description);
    CHECK(m.role_arn == n.role_arn);
    CHECK(m.create_time == n.create_time);
    CHECK(m.update_time == n.update_time);
    REQUIRE(m.rules.size() == n.rules.size());
    for (auto r = m.rules.begin(), q = n.rules.begin(); r != m.rules.end(); ++r, ++q) {
      CHECK(r->first == q->first);
      CHECK(r->second.policy == q->second.policy);
      CHECK(r->second.create_time == q->second.create_time);
      CHECK(r->second.update_time == q->second.update_time);
    }
  }
  REQUIRE(a.templates.size() == b.templates.size());
  for (auto x = a.templates.begin(), y = b.templates.begin(); x != a.templates.end(); ++x, ++y) {
    CHECK(x->first == y->first);
    const auto& m = x->second;
    const auto& n = y->second;
    CHECK(m.id == n.id);
    CHECK(m.membership_id == n.membership_id);
    CHECK(m.account == n.account);
    CHECK(m.region == n.region);
    CHECK(m.name == n.name);
    CHECK(m.description == n.description);
    CHECK(m.format == n.format);
    CHECK(m.source == n.source);
    CHECK(m.referenced_tables == n.referenced_tables);
    CHECK(m.parameters == n.parameters);
    CHECK(m.detailed_errors == n.detailed_errors);
    CHECK(m.create_time == n.create_time);
    CHECK(m.update_time == n.update_time);
  }
  REQUIRE(a.change_requests.size() == b.change_requests.size());
  for (auto x = a.change_requests.begin(), y = b.change_requests.begin();
       x != a.change_requests.end(); ++x, ++y) {
    CHECK(x->first == y->first);
    const auto& m = x->second;
    const auto& n = y->second;
    CHECK(m.id == n.id);
    CHECK(m.changes == n.changes);
    CHECK(m.auto_approved == n.auto_approved);
    CHECK(m.status == n.status);
    CHECK(m.approvals == n.approvals);
    CHECK(m.create_time == n.create_time);
    CHECK(m.update_time == n.update_time);
  }
  REQUIRE(a.queries.size() == b.queries.size());
  for (auto x = a.queries.begin(), y = b.queries.begin(); x != a.queries.end(); ++x, ++y) {
    CHECK(x->first == y->first);
    const auto& m = x->second;
    const auto& n = y->second;
    CHECK(m.id == n.id);
    CHECK(m.membership_id == n.membership_id);
    CHECK(m.account == n.account);
    CHECK(m.sql == n.sql);
    CHECK(m.output == n.output);
    CHECK(m.compute == n.compute);
    CHECK(m.receivers == n.receivers);
    CHECK(m.receiver_memberships == n.receiver_memberships);
    CHECK(m.associations == n.associations);
    CHECK(m.status == n.status);
    CHECK(m.create_time == n.create_time);
    CHECK(m.update_time == n.update_time);
    CHECK(m.duration_ms == n.duration_ms);
    CHECK(m.result_location == n.result_location);
    CHECK(m.result_rows == n.result_rows);
    CHECK(m.error_code == n.error_code);
    CHECK(m.error_message == n.error_message);
  }
  CHECK(a.tags == b.tags);
  for (int d = 0; d < payment_dimension_count; ++d) {
    REQUIRE(a.payers[d].has_value() == b.payers[d].has_value());
    if (a.payers[d]) {
      CHECK(a.payers[d]->account == b.payers[d]->account);
      CHECK(a.payers[d]->accepted == b.payers[d]->accepted);
    }
  }
  CHECK(projections::rows(a) == projections::rows(b));
}

collaboration::state round_trip(const collaboration::state& s) {
  auto decoded = snapshots::try_decode_snapshot(encode_snapshot(s));
  if (!decoded) FAIL(decoded.error().message);
  return std::move(decoded).value();
}

collaboration::association_record association(const std::string& id,
                                              const collaboration::membership_record& m) {
  collaboration::association_record a;
  a.id = id;
  a.membership_id = m.id;
  a.configured_table_id = "ct-" + id;
  a.account = m.account;
  a.region = m.region;
  a.name = "table_" + id;
  a.role_arn = "arn:aws:iam::" + m.account + ":role/cr";
  a.create_time = 1767225600000;
  a.update_time = 1767225600000;
  return a;
}

// Associations written straight into the state (the decider's rules are not under test): one
// with every rule type and every optional present, present-but-empty or absent; one with an
// empty description and no rules; one with a single rule whose policy has nothing.
void add_associations(collaboration::state& st) {
  REQUIRE_FALSE(st.memberships.empty());
  const auto& m = st.memberships.begin()->second;
  auto full = association("cta-1", m);
  full.description = "orders, linked";
  full.update_time = 1767225609999;
  full.rules[analysis_rule_type::aggregation] = {
      association_rule_policy{std::vector<std::string>{querier, creator}, std::nullopt}, 11, 12};
  full.rules[analysis_rule_type::list] = {
      association_rule_policy{std::vector<std::string>{}, std::vector<std::string>{}}, 21, 22};
  full.rules[analysis_rule_type::custom] = {
      association_rule_policy{std::nullopt, std::vector<std::string>{"arn:aws:cleanrooms:x", ""}},
      -1, 0};
  auto empty = association("cta-2", m);
  empty.description = std::string();  // present and empty
  auto lone = association("cta-3", m);
  lone.rules[analysis_rule_type::custom] = {association_rule_policy{}, 5, 5};
  for (auto* a : {&full, &empty, &lone}) st.associations[a->id] = *a;
}

collaboration::template_record template_of(const std::string& id,
                                           const collaboration::membership_record& m) {
  collaboration::template_record t;
  t.id = id;
  t.membership_id = m.id;
  t.account = m.account;
  t.region = m.region;
  t.name = "template " + id;
  t.source = std::string("SELECT 1");
  t.referenced_tables = {"orders"};
  t.create_time = 1767225600000;
  t.update_time = 1767225600000;
  return t;
}

collaboration::change_request_record request_of(const std::string& id) {
  collaboration::change_request_record r;
  r.id = id;
  r.changes = {change{member_change{outsider, {member_ability::can_query}, std::nullopt},
                      {change_type::add_member}}};
  r.create_time = 1767225600000;
  r.update_time = 1767225600000;
  return r;
}

// Templates and change requests written straight into the state (the deciders are not under
// test): both source kinds, every parameter type, both change kinds, every approval status, and
// each optional present, present-but-empty and absent.
void add_templates_and_requests(collaboration::state& st) {
  REQUIRE_FALSE(st.memberships.empty());
  const auto& m = st.memberships.begin()->second;
  auto sql = template_of("at-1", m);
  sql.description = "per region";
  sql.source = std::string("SELECT region, COUNT(*)\nFROM orders GROUP BY region -- \xc3\xa9");
  sql.referenced_tables = {"orders", "customers"};
  sql.parameters = std::vector<analysis_parameter>{};
  for (int i = 0; i < parameter_type_count; ++i) {
    analysis_parameter p{"p" + std::to_string(i), static_cast<parameter_type>(i), std::nullopt};
    if (i % 2) p.default_value = i % 4 == 1 ? std::string() : "v" + std::to_string(i);
    sql.parameters->push_back(p);
  }
  sql.detailed_errors = true;
  sql.update_time = 1767225609999;
  auto pyspark = template_of("at-2", m);
  pyspark.format = analysis_format::pyspark_1_0;
  pyspark.description = std::string();  // present and empty
  pyspark.source = template_artifacts{{"code", "entry.py"},
                                      std::vector<s3_location>{{"code", "lib.zip"}, {"", ""}},
                                      "arn:aws:iam::111111111111:role/spark"};
  pyspark.referenced_tables = {};
  auto lone = template_of("at-3", m);
  lone.source = template_artifacts{{"b", "k"}, std::vector<s3_location>{}, "r"};
  auto bare = template_of("at-4", m);
  bare.source = template_artifacts{};
  for (auto* t : {&sql, &pyspark, &lone, &bare}) st.templates[t->id] = *t;

  auto pending = request_of("cr-1");
  pending.changes.push_back(change{member_change{querier, {}, std::string("Q")},
                                   {change_type::revoke_receive_results_ability}});
  pending.approvals = {{querier, approval_status::approved},
                       {provider, approval_status::denied},
                       {outsider, approval_status::pending}};
  pending.update_time = 1767225601234;
  auto committed = request_of("cr-2");
  committed.changes = {
      change{collaboration_change{std::vector<auto_approved_change_type>{
                 auto_approved_change_type::grant_receive_results_ability}},
             {change_type::edit_auto_approved_change_types}},
      change{collaboration_change{std::vector<auto_approved_change_type>{}}, {}},
      change{collaboration_change{}, {change_type::grant_receive_results_ability}}};
  committed.auto_approved = true;
  committed.status = change_request_status::committed;
  auto empty = request_of("cr-3");
  empty.changes = {};
  empty.status = change_request_status::cancelled;
  for (auto* r : {&pending, &committed, &empty}) st.change_requests[r->id] = *r;
}

collaboration::query_record query_of(const std::string& id,
                                     const collaboration::membership_record& m) {
  collaboration::query_record q;
  q.id = id;
  q.membership_id = m.id;
  q.account = m.account;
  q.sql.query_string = "SELECT COUNT(*) FROM orders";
  q.receivers = {m.account};
  q.receiver_memberships = {m.id};
  q.create_time = 1767225600000;
  q.update_time = 1767225600000;
  return q;
}

// Queries written straight into the state (the deciders are not under test): every status, both
// SQL kinds, every output shape, and each optional present, present-but-empty and absent.
void add_queries(collaboration::state& st) {
  REQUIRE(st.memberships.size() >= 2);
  const auto& first = st.memberships.begin()->second;
  const auto& second = std::next(st.memberships.begin())->second;
  auto submitted = query_of("q-1", first);  // the schema-default status
  submitted.output = query_output{
      false, {query_s3_output{result_format::parquet, "results", std::string("q/"), true}}};
  submitted.compute = query_compute{"CR.4X", 16};
  submitted.associations = {"a-1"};
  auto started = query_of("q-2", second);
  started.sql = query_sql_parameters{
      std::nullopt, std::string("arn:aws:cleanrooms:us-east-1:1:membership/m/analysistemplate/t"),
      std::map<std::string, std::string>{{"day", "2026-01-01"}, {"empty", ""}}};
  started.output = query_output{false, {query_member_output{second.account}}};
  started.status = query_status::started;
  started.associations = {"a-1", "a-2", ""};
  started.update_time = 1767225601000;
  auto cancelling = query_of("q-3", second);
  cancelling.output =
      query_output{true,
                   {query_member_output{first.account},
                    query_s3_output{result_format::csv, "b", std::nullopt, std::nullopt},
                    query_s3_output{result_format::parquet, "", std::string(), false}}};
  cancelling.receivers = {first.account, second.account};
  cancelling.receiver_memberships = {first.id, second.id};
  cancelling.status = query_status::cancelling;
  auto success = query_of("q-4", first);
  success.status = query_status::success;
  success.duration_ms = 4321;
  success.result_location = "s3://results/q/q-4/result.csv";
  success.result_rows = std::int64_t{1} << 40;
  success.update_time = 1767225609999;
  auto failed = query_of("q-5", first);
  failed.status = query_status::failed;
  failed.duration_ms = 12;
  failed.error_code = "SQL_ERROR";
  failed.error_message = "column \"ssn\" is not allowed\n\xc3\xa9";
  auto timed_out = query_of("q-6", first);
  timed_out.status = query_status::timed_out;
  timed_out.error_code = "TIMED_OUT";
  auto cancelled = query_of("q-7", first);
  cancelled.status = query_status::cancelled;
  auto bare = query_of("q-8", first);  // no SQL member, no receivers, no optionals
  bare.sql = query_sql_parameters{};
  bare.receivers = {};
  bare.receiver_memberships = {};
  auto empties = query_of("q-9", first);  // every optional present and empty
  empties.sql =
      query_sql_parameters{std::string(), std::string(), std::map<std::string, std::string>{}};
  empties.output = query_output{true, {}};
  empties.compute = query_compute{"", 0};
  empties.status = query_status::failed;
  empties.result_location = std::string();
  empties.error_code = std::string();
  empties.error_message = std::string();
  for (auto* q : {&submitted, &started, &cancelling, &success, &failed, &timed_out, &cancelled,
                  &bare, &empties})
    st.queries[q->id] = *q;
}

// A collaboration that exercises every optional: encryption, job logging, SPARK, change types,
// result regions, metrics, ML abilities, payment configurations, result configurations, tags on
// the collaboration and on memberships, a removed member and accepted payers.
scenario rich() {
  scenario s;
  auto c = standard_create();
  c.encryption = data_encryption_metadata{true, false, true, false};
  c.job_log = log_status::enabled;
  c.engine = analytics_engine::spark;
  c.auto_approved = {{auto_approved_change_type::add_member}};
  c.allowed_result_regions = {{"us-east-1", "eu-west-1"}};
  c.metrics_enabled = true;
  c.creator_ml_abilities = std::vector<ml_ability>{ml_ability::can_receive_model_output};
  c.creator_payment = pays_query(false);
  c.members[0].payment = pays_query(true);
  c.members[0].ml_abilities = std::vector<ml_ability>{};  // present but empty
  c.members.push_back(spec(outsider, {}));
  c.tags = {{"team", "ads"}, {"empty", ""}};
  auto ctx = s.as(creator);
  ctx.fresh_id = cid;
  REQUIRE(s.when(c, ctx).ok());

  auto join = join_cmd();
  join.query_log = log_status::enabled;
  join.job_log = log_status::disabled;
  join.default_result = query_result_config{result_format::parquet, "results", "prefix/", true,
                                            "arn:aws:iam::111111111111:role/r"};
  join.default_job_result = job_result_config{"jobs", std::nullopt, "arn:aws:iam::1:role/j"};
  join.metrics_enabled = false;
  join.tags = {{"owner", "creator"}};
  REQUIRE(s.when(join, creator).ok());
  auto q = join_cmd();
  q.payment = pays_query(true);
  q.payment->machine_learning_sent = true;
  // ML is in use (the creator has an ML ability), so the querier is the default ML payer and,
  // holding no ML ability itself, must accept those costs explicitly (SPEC.md 19.3).
  q.payment->at(payment_dimension::model_training) = true;
  q.payment->at(payment_dimension::model_inference) = true;
  q.payment->at(payment_dimension::synthetic_data_generation) = true;
  q.metrics_enabled = true;
  REQUIRE(s.when(q, querier).ok());
  REQUIRE(s.when(collaboration::delete_member{provider}, creator).ok());
  REQUIRE(s.when(collaboration::update_collaboration{"renamed", std::nullopt,
                                                     analytics_engine::clean_rooms_sql},
                 creator)
              .ok());
  REQUIRE(s.when(collaboration::tag_resource{collaboration::collaboration_arn(s.state),
                                             {{"stage", "prod"}}},
                 creator)
              .ok());
  add_associations(s.state);
  add_templates_and_requests(s.state);
  add_queries(s.state);
  return s;
}

// The payload behind the 16-byte header, and a header (the current format) for a payload.
std::string payload_of(const std::string& snapshot) {
  return snapshot.substr(snapshots::header_bytes);
}

std::string with_header(const std::string& payload) {
  std::string b = "CRSS";
  auto put = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  put(snapshots::collaboration_format);
  put(static_cast<std::uint32_t>(payload.size()));
  put(snapshots::crc32(payload));
  return b + payload;
}

// The one byte at which two encodings of near-identical states differ, so a test can forge what
// the encoder never writes (a map cannot hold duplicate keys) without hand-building FlatBuffers.
std::size_t only_difference(const std::string& a, const std::string& b) {
  REQUIRE(a.size() == b.size());
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) at.push_back(i);
  REQUIRE(at.size() == 1);
  return at[0];
}

struct temp_store {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("crs-snap-" + std::to_string(std::random_device{}()));
  std::unique_ptr<events::event_store> store;
  temp_store() {
    events::store_options opts;
    opts.sync = false;  // the tests append thousands of times; durability is not under test
    auto opened = events::event_store::open(dir.string(), opts);
    REQUIRE(opened.ok());
    store = std::move(opened.value());
  }
  ~temp_store() {
    store.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

// Writes only a snapshot: an append without events, at the current head.
result<events::append_outcome> put_snapshot(events::event_store& store, std::string bytes) {
  events::append_request req;
  req.stream = collaboration::stream_id(cid);
  req.expected_version = store.head_version(req.stream);
  req.snapshot = std::move(bytes);
  return std::move(store.append_batch({&req}).at(0));
}

collaboration::state full_replay(const events::event_store& store) {
  auto evs = store.read_stream(collaboration::stream_id(cid));
  REQUIRE(evs.ok());
  collaboration::state s;
  for (const auto& e : evs.value()) collaboration::apply(s, e.payload, e.env.time);
  return s;
}

// The registry's rule (snapshot_due) applied to a random command mix, appended to a real store.
struct driver {
  events::event_store& store;
  std::uint64_t every;
  scenario s;
  std::uint64_t snapshots_written = 0;

  void run(const collaboration::command& c, const std::string& who) {
    auto before = s.state;
    auto ctx = s.as(who);
    if (std::holds_alternative<collaboration::create_collaboration>(c)) ctx.fresh_id = cid;
    auto d = collaboration::decide(s.state, c, ctx);
    if (!d || d.value().empty()) return;
    for (const auto& e : d.value()) collaboration::apply(s.state, e, ctx.now);
    events::append_request req;
    req.stream = collaboration::stream_id(cid);
    req.expected_version = before.version;
    req.time = ctx.now;
    req.account = who;
    req.request_id = "req";
    req.events = d.value();
    if (snapshot_due(before.version, s.state.version, every)) {
      req.snapshot = encode_snapshot(s.state);
      ++snapshots_written;
    }
    REQUIRE(store.append_batch({&req}).at(0).ok());
  }

  void random_mix(std::mt19937_64& rng, int commands) {
    const std::vector<std::string> accounts{creator, querier, provider, outsider};
    auto c = standard_create();
    c.members.push_back(spec(outsider, {}));
    c.job_log = log_status::enabled;
    run(c, creator);
    for (int i = 0; i < commands; ++i) {
      // The creator half the time, so the mix is not mostly rejections.
      const auto& who = (rng() & 1) ? creator : accounts[rng() % accounts.size()];
      const auto& any_ms = [&]() -> std::string {
        if (s.state.memberships.empty()) return "none";
        auto it = s.state.memberships.begin();
        std::advance(it, rng() % s.state.memberships.size());
        return it->first;
      };
      switch (rng() % 8) {
        case 0: {
          auto j = join_cmd();
          if (rng() & 1)
            j.default_result = query_result_config{result_format::csv, "b", {}, {}, {}};
          if (rng() & 1) j.job_log = log_status::enabled;
          run(j, who);
          break;
        }
        case 1:
          run(collaboration::update_collaboration{"n" + std::to_string(i), std::nullopt,
                                                  analytics_engine::spark},
              who);
          break;
        case 2:
          if (rng() % 4 == 0) run(collaboration::delete_member{accounts[1 + rng() % 3]}, who);
          break;
        case 3: {
          collaboration::update_membership u;
          u.membership_id = any_ms();
          u.query_log = (rng() & 1) ? log_status::enabled : log_status::disabled;
          if (rng() & 1)
            u.default_job_result = job_result_config{"j" + std::to_string(i), "p/", "role"};
          run(u, who);
          break;
        }
        case 4:
          run(collaboration::tag_resource{collaboration::collaboration_arn(s.state),
                                          {{"k" + std::to_string(rng() % 5),
                                            "v" + std::to_string(i)}}},
              who);
          break;
        case 5: {
          auto arn = s.state.memberships.empty()
                         ? std::string("none")
                         : collaboration::membership_arn(s.state.memberships.begin()->second);
          run(collaboration::tag_resource{arn, {{"m" + std::to_string(rng() % 3), "x"}}}, who);
          break;
        }
        case 6:
          run(collaboration::untag_resource{collaboration::collaboration_arn(s.state),
                                            {"k" + std::to_string(rng() % 5)}},
              who);
          break;
        case 7:
          if (rng() % 10 == 0) run(collaboration::delete_membership{any_ms()}, who);
          break;
      }
    }
    // The end of a collaboration's life: the cascade, then leaving a deleted collaboration.
    run(collaboration::delete_collaboration{}, creator);
    for (const auto& who : accounts)
      if (const auto* m = s.state.member(who); m && m->membership_id)
        run(collaboration::delete_membership{*m->membership_id}, who);
  }
};

}  // namespace

TEST_CASE("a rich state round-trips exactly") {
  auto s = rich();
  const auto& st = s.state;
  REQUIRE(st.memberships.size() == 2);
  REQUIRE(st.payers[0].has_value());
  auto back = round_trip(st);
  require_same(st, back);

  // Spot checks of the optionals that are easiest to lose.
  const auto* creator_ms = back.membership(*back.member(creator)->membership_id);
  REQUIRE(creator_ms);
  REQUIRE(creator_ms->default_result);
  CHECK(creator_ms->default_result->single_file_output == true);
  CHECK(creator_ms->default_result->key_prefix == std::optional<std::string>("prefix/"));
  REQUIRE(creator_ms->default_job_result);
  CHECK_FALSE(creator_ms->default_job_result->key_prefix.has_value());
  CHECK(creator_ms->metrics_enabled == false);
  CHECK(creator_ms->job_log == log_status::disabled);
  const auto* q = back.member(querier);
  REQUIRE(q->spec.ml_abilities.has_value());
  CHECK(q->spec.ml_abilities->empty());
  CHECK(back.member(provider)->status == member_status::removed);
  CHECK_FALSE(back.member(provider)->membership_id.has_value());
  CHECK(back.member(outsider)->status == member_status::invited);
  CHECK(back.payers[0]->account == querier);
  CHECK(back.payers[0]->accepted);
  CHECK(back.info.name == "renamed");
  CHECK(back.info.engine == analytics_engine::clean_rooms_sql);
  CHECK(back.info.encryption == st.info.encryption);
  CHECK(back.tags.at(collaboration::collaboration_arn(back)).at("empty").empty());
  REQUIRE(back.associations.size() == 3);
  const auto& full = back.associations.at("cta-1");
  CHECK(full.description == std::optional<std::string>("orders, linked"));
  REQUIRE(full.rules.size() == 3);
  const auto& list = full.rules.at(analysis_rule_type::list).policy;
  REQUIRE(list.allowed_result_receivers.has_value());  // present and empty stays present
  CHECK(list.allowed_result_receivers->empty());
  REQUIRE(list.allowed_additional_analyses.has_value());
  const auto& aggregation = full.rules.at(analysis_rule_type::aggregation);
  CHECK_FALSE(aggregation.policy.allowed_additional_analyses.has_value());
  CHECK(aggregation.create_time == 11);
  CHECK(aggregation.update_time == 12);
  CHECK(full.rules.at(analysis_rule_type::custom).create_time == -1);
  CHECK(back.associations.at("cta-2").description == std::optional<std::string>(""));
  CHECK(back.associations.at("cta-2").rules.empty());
  CHECK_FALSE(back.associations.at("cta-3").description.has_value());
  CHECK(back.associations.at("cta-3").rules.at(analysis_rule_type::custom).policy ==
        association_rule_policy{});
  REQUIRE(back.templates.size() == 4);
  const auto& sql = back.templates.at("at-1");
  REQUIRE(sql.parameters.has_value());
  REQUIRE(sql.parameters->size() == parameter_type_count);
  CHECK(sql.parameters->at(1).default_value == std::optional<std::string>(""));
  CHECK_FALSE(sql.parameters->at(2).default_value.has_value());
  CHECK(sql.parameters->at(27).type == parameter_type::tinyint);
  CHECK(sql.detailed_errors);
  CHECK(back.templates.at("at-2").description == std::optional<std::string>(""));
  CHECK(back.templates.at("at-2").format == analysis_format::pyspark_1_0);
  CHECK(
      std::get<template_artifacts>(back.templates.at("at-3").source).additional_artifacts->empty());
  CHECK_FALSE(std::get<template_artifacts>(back.templates.at("at-4").source).additional_artifacts);
  CHECK_FALSE(back.templates.at("at-4").parameters.has_value());
  REQUIRE(back.change_requests.size() == 3);
  const auto& pending = back.change_requests.at("cr-1");
  CHECK(pending.approvals.at(provider) == approval_status::denied);
  CHECK(pending.approvals.at(outsider) == approval_status::pending);
  CHECK(pending.update_time == 1767225601234);
  const auto& committed = back.change_requests.at("cr-2");
  CHECK(committed.status == change_request_status::committed);
  CHECK(committed.auto_approved);
  CHECK(committed.approvals.empty());
  CHECK(std::get<collaboration_change>(committed.changes.at(1).spec).auto_approved->empty());
  CHECK_FALSE(std::get<collaboration_change>(committed.changes.at(2).spec).auto_approved);
  CHECK(back.change_requests.at("cr-3").changes.empty());
  REQUIRE(back.queries.size() == 9);
  std::set<int> statuses;
  for (const auto& [id, q] : back.queries) statuses.insert(static_cast<int>(q.status));
  CHECK(static_cast<int>(statuses.size()) == query_status_count);
  // SUBMITTED is the schema default: it must still read back as itself.
  CHECK(back.queries.at("q-1").status == query_status::submitted);
  CHECK(back.queries.at("q-1").output->locations.size() == 1);
  CHECK(back.queries.at("q-1").compute == std::optional<query_compute>(query_compute{"CR.4X", 16}));
  const auto& templated = back.queries.at("q-2").sql;
  CHECK_FALSE(templated.query_string.has_value());
  REQUIRE(templated.parameters.has_value());
  CHECK(templated.parameters->at("empty").empty());
  const auto& distributed = *back.queries.at("q-3").output;
  CHECK(distributed.distribute);
  REQUIRE(distributed.locations.size() == 3);
  CHECK(std::holds_alternative<query_member_output>(distributed.locations[0]));
  CHECK_FALSE(std::get<query_s3_output>(distributed.locations[1]).key_prefix.has_value());
  CHECK(std::get<query_s3_output>(distributed.locations[2]).key_prefix ==
        std::optional<std::string>(""));
  CHECK(std::get<query_s3_output>(distributed.locations[2]).single_file_output ==
        std::optional<bool>(false));
  CHECK(back.queries.at("q-4").result_rows == std::int64_t{1} << 40);
  CHECK(back.queries.at("q-6").error_code == std::optional<std::string>("TIMED_OUT"));
  CHECK_FALSE(back.queries.at("q-6").error_message.has_value());
  const auto& bare_q = back.queries.at("q-8");
  CHECK_FALSE(bare_q.sql.query_string.has_value());
  CHECK_FALSE(bare_q.sql.parameters.has_value());
  CHECK_FALSE(bare_q.output.has_value());
  CHECK_FALSE(bare_q.compute.has_value());
  CHECK_FALSE(bare_q.result_location.has_value());
  const auto& empty_q = back.queries.at("q-9");
  CHECK(empty_q.sql.parameters ==
        std::optional<std::map<std::string, std::string>>(std::map<std::string, std::string>{}));
  CHECK(empty_q.output->locations.empty());
  CHECK(empty_q.result_location == std::optional<std::string>(""));
  CHECK(empty_q.error_message == std::optional<std::string>(""));
  CHECK(encode_snapshot(back) == encode_snapshot(st));  // deterministic bytes
}

TEST_CASE("a deleted collaboration round-trips, memberships and all") {
  auto s = rich();
  REQUIRE(s.when(collaboration::delete_collaboration{}, creator).ok());
  REQUIRE(s.state.deleted);
  auto back = round_trip(s.state);
  require_same(s.state, back);
  for (const auto& [id, m] : back.memberships)
    CHECK(m.status == membership_status::collaboration_deleted);
}

TEST_CASE("absent optionals stay absent and present defaults stay present") {
  auto s = created();
  auto& st = s.state;
  st.info.job_log.reset();
  st.info.engine.reset();
  st.info.auto_approved = std::vector<auto_approved_change_type>{};
  st.info.allowed_result_regions.reset();
  st.info.metrics_enabled = false;
  st.members[0].spec.payment = payment_config{};  // present, every dimension absent
  st.members[1].spec.payment.reset();
  st.members[1].membership_id = std::string();  // present and empty
  collaboration::membership_record m;
  m.id = "ms";
  m.account = querier;
  m.region = "us-east-1";
  m.query_log = log_status::enabled;  // the C++ default is DISABLED
  m.job_log = log_status::disabled;   // equals the schema default, must still read as present
  m.default_result = query_result_config{};
  m.payment.at(payment_dimension::model_inference) = false;
  st.memberships[m.id] = m;
  st.tags["arn:empty"] = {};
  st.payers = {};
  st.payers[4] = collaboration::payer{provider, false};
  auto back = round_trip(st);
  require_same(st, back);
  CHECK(back.info.auto_approved.has_value());
  CHECK_FALSE(back.info.allowed_result_regions.has_value());
  CHECK(back.members[0].spec.payment.has_value());
  CHECK_FALSE(back.members[1].spec.payment.has_value());
  CHECK(back.members[1].membership_id == std::optional<std::string>(""));
  CHECK(back.memberships.at("ms").job_log == std::optional<log_status>(log_status::disabled));
  CHECK(back.tags.count("arn:empty") == 1);
  CHECK_FALSE(back.payers[0].has_value());
  CHECK(back.payers[4]->account == provider);
}

TEST_CASE("crc32 is the IEEE polynomial") {
  CHECK(snapshots::crc32("") == 0u);
  CHECK(snapshots::crc32("123456789") == 0xCBF43926u);
  // Eight bytes at a time must agree with the bit-at-a-time definition at every length and
  // alignment (the tail and the unaligned start included).
  auto reference = [](std::string_view bytes) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char ch : bytes) {
      c ^= ch;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
  };
  std::string buf(300, '\0');
  std::uint32_t x = 12345;
  for (auto& ch : buf) ch = static_cast<char>((x = x * 1103515245u + 12345u) >> 24);
  for (std::size_t start = 0; start < 8; ++start)
    for (std::size_t len = 0; len + start <= 80; ++len) {
      const std::string_view part(buf.data() + start, len);
      INFO("start " << start << " length " << len);
      REQUIRE(snapshots::crc32(part) == reference(part));
    }
  CHECK(snapshots::crc32(buf) == reference(buf));
}

TEST_CASE("decode refuses anything but the exact bytes it wrote") {
  const auto good = encode_snapshot(rich().state);
  REQUIRE(decode_snapshot(good).has_value());

  SECTION("wrong magic") {
    auto b = good;
    b[0] = 'X';
    CHECK_FALSE(decode_snapshot(b).has_value());
  }
  SECTION(
      "unknown format version, the formats before associations, templates, queries and the "
      "associations queries read too") {
    REQUIRE(snapshots::collaboration_format == 5);
    for (std::uint32_t v : {0u, 1u, 2u, 3u, 4u, 6u, 0xFFFFFFFFu}) {
      auto b = good;
      for (int i = 0; i < 4; ++i) b[4 + i] = static_cast<char>((v >> (8 * i)) & 0xff);
      auto r = snapshots::try_decode_snapshot(b);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == store_error::kind::corruption);
      CHECK(r.error().message.find("format") != std::string::npos);
    }
  }
  SECTION("any flipped bit anywhere") {
    for (std::size_t i = 0; i < good.size(); ++i)
      for (int bit : {0, 5}) {
        auto b = good;
        b[i] = static_cast<char>(b[i] ^ (1 << bit));
        if (decode_snapshot(b)) FAIL("accepted a flip of bit " << bit << " of byte " << i);
      }
  }
  SECTION("every truncation and any trailing byte") {
    for (std::size_t n = 0; n < good.size(); ++n)
      if (decode_snapshot(std::string_view(good).substr(0, n)))
        FAIL("accepted a prefix of " << n << " bytes");
    CHECK_FALSE(decode_snapshot(good + '\0').has_value());
  }
  SECTION("an unaligned copy decodes the same") {
    std::string shifted = "x" + good;
    auto back = decode_snapshot(std::string_view(shifted).substr(1));
    REQUIRE(back.has_value());
    CHECK(projections::rows(*back) == projections::rows(rich().state));
  }
}

TEST_CASE("decode survives garbage, also behind a valid header and checksum") {
  const auto good = encode_snapshot(rich().state);
  std::mt19937_64 rng(20261121);
  int accepted = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string junk(rng() % 600, '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    CHECK_FALSE(decode_snapshot(junk).has_value());
    // Past the checksum, only the Verifier and the range checks stand between us and a crash.
    CHECK_FALSE(decode_snapshot(with_header(junk)).has_value());
    // Valid FlatBuffers with a few bytes changed: refused or decoded, never a crash. What
    // decodes must be a state that encodes again.
    std::string payload = good.substr(snapshots::header_bytes);
    for (int k = 1 + rng() % 4; k > 0; --k)
      payload[rng() % payload.size()] = static_cast<char>(rng());
    if (auto s = decode_snapshot(with_header(payload))) {
      ++accepted;
      CHECK(decode_snapshot(encode_snapshot(*s)).has_value());
    }
  }
  // Most single-byte changes land in strings or scalars and still verify; the point is no crash.
  CHECK(accepted > 0);
}

TEST_CASE("enum values this build does not know are refused") {
  auto base = rich().state;
  SECTION("member status") {
    base.members[1].status = static_cast<member_status>(4);
  }
  SECTION("membership status") {
    base.memberships.begin()->second.status = static_cast<membership_status>(3);
  }
  SECTION("log status") {
    base.info.job_log = static_cast<log_status>(2);
  }
  SECTION("member ability") {
    base.members[0].spec.abilities.push_back(static_cast<member_ability>(9));
  }
  SECTION("result format") {
    base.memberships.begin()->second.default_result =
        query_result_config{static_cast<result_format>(2), "b", {}, {}, {}};
  }
  SECTION("change type") {
    base.info.auto_approved = {{static_cast<auto_approved_change_type>(3)}};
  }
  SECTION("association rule type") {
    base.associations.begin()->second.rules[static_cast<analysis_rule_type>(3)] = {};
  }
  SECTION("analysis format") {
    base.templates.begin()->second.format = static_cast<analysis_format>(2);
  }
  SECTION("parameter type") {
    base.templates.at("at-1").parameters->back().type = static_cast<parameter_type>(28);
  }
  SECTION("change type") {
    base.change_requests.begin()->second.changes[0].types.push_back(static_cast<change_type>(4));
  }
  SECTION("change request status") {
    base.change_requests.begin()->second.status = static_cast<change_request_status>(5);
  }
  SECTION("query status") {
    base.queries.at("q-2").status = static_cast<query_status>(query_status_count);
  }
  SECTION("result format of a query's output location") {
    std::get<query_s3_output>(base.queries.at("q-3").output->locations[1]).format =
        static_cast<result_format>(2);
  }
  SECTION("approval status") {
    base.change_requests.at("cr-1").approvals[creator] = static_cast<approval_status>(3);
  }
  SECTION("auto-approved change type in a change") {
    base.change_requests.at("cr-2").changes[0].spec =
        collaboration_change{{{static_cast<auto_approved_change_type>(3)}}};
  }
  auto r = snapshots::try_decode_snapshot(encode_snapshot(base));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("bad") != std::string::npos);
}

TEST_CASE("duplicate association keys are refused") {
  auto base = created().state;
  collaboration::membership_record m;
  m.id = "ms";
  m.account = creator;
  m.region = "us-east-1";
  base.memberships[m.id] = m;

  SECTION("two associations with one id") {
    auto a = base;
    auto b = base;
    for (const char* id : {"cta-1", "cta-2"}) a.associations[id] = association(id, m);
    for (const char* id : {"cta-1", "cta-3"}) b.associations[id] = association(id, m);
    // The records differ in their ids alone (the other fields do not depend on them)...
    a.associations.at("cta-2").configured_table_id = "ct";
    a.associations.at("cta-2").name = "n";
    b.associations.at("cta-3").configured_table_id = "ct";
    b.associations.at("cta-3").name = "n";
    auto bytes = payload_of(encode_snapshot(a));
    const auto at = only_difference(bytes, payload_of(encode_snapshot(b)));
    REQUIRE(bytes[at] == '2');
    REQUIRE(decode_snapshot(with_header(bytes)).has_value());  // re-headered, still good
    bytes[at] = '1';  // ... so one byte turns "cta-2" into a second "cta-1"
    auto r = snapshots::try_decode_snapshot(with_header(bytes));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "snapshot: duplicate association id");
  }
  SECTION("two rules of one type in one association") {
    auto a = base;
    auto b = base;
    auto record = association("cta-1", m);
    record.rules[analysis_rule_type::aggregation] = {};
    auto in_a = record;
    auto in_b = record;
    in_a.rules[analysis_rule_type::list] = {};
    in_b.rules[analysis_rule_type::custom] = {};
    a.associations[record.id] = in_a;
    b.associations[record.id] = in_b;
    auto bytes = payload_of(encode_snapshot(a));
    const auto at = only_difference(bytes, payload_of(encode_snapshot(b)));
    REQUIRE(bytes[at] == static_cast<char>(analysis_rule_type::list));
    REQUIRE(decode_snapshot(with_header(bytes)).has_value());
    bytes[at] = static_cast<char>(analysis_rule_type::aggregation);
    auto r = snapshots::try_decode_snapshot(with_header(bytes));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "snapshot: duplicate association rule type");
  }
}

TEST_CASE("duplicate template, change request and approval keys are refused") {
  auto base = created().state;
  collaboration::membership_record m;
  m.id = "ms";
  m.account = creator;
  m.region = "us-east-1";
  base.memberships[m.id] = m;

  // As above: two states whose encodings differ in one byte, the one that makes a key repeat.
  auto refused = [](const collaboration::state& a, const collaboration::state& b, char from,
                    char to, const std::string& why) {
    auto bytes = payload_of(encode_snapshot(a));
    const auto at = only_difference(bytes, payload_of(encode_snapshot(b)));
    REQUIRE(bytes[at] == from);
    REQUIRE(decode_snapshot(with_header(bytes)).has_value());  // re-headered, still good
    bytes[at] = to;
    auto r = snapshots::try_decode_snapshot(with_header(bytes));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "snapshot: " + why);
  };

  SECTION("two templates with one id") {
    auto a = base;
    auto b = base;
    for (const char* id : {"at-1", "at-2"}) a.templates[id] = template_of(id, m);
    for (const char* id : {"at-1", "at-3"}) b.templates[id] = template_of(id, m);
    a.templates.at("at-2").name = "n";
    b.templates.at("at-3").name = "n";
    refused(a, b, '2', '1', "duplicate template id");
  }
  SECTION("two change requests with one id") {
    auto a = base;
    auto b = base;
    for (const char* id : {"cr-1", "cr-2"}) a.change_requests[id] = request_of(id);
    for (const char* id : {"cr-1", "cr-3"}) b.change_requests[id] = request_of(id);
    refused(a, b, '2', '1', "duplicate change request id");
  }
  SECTION("two queries with one id") {
    auto a = base;
    auto b = base;
    for (const char* id : {"q-1", "q-2"}) a.queries[id] = query_of(id, m);
    for (const char* id : {"q-1", "q-3"}) b.queries[id] = query_of(id, m);
    refused(a, b, '2', '1', "duplicate query id");
  }
  SECTION("two parameters of one query with one name") {
    auto a = base;
    auto b = base;
    auto qa = query_of("q-1", m);
    auto qb = qa;
    qa.sql.parameters = std::map<std::string, std::string>{{"p1", "x"}, {"p2", "y"}};
    qb.sql.parameters = std::map<std::string, std::string>{{"p1", "x"}, {"p3", "y"}};
    a.queries[qa.id] = qa;
    b.queries[qb.id] = qb;
    refused(a, b, '2', '1', "duplicate query parameter");
  }
  SECTION("two approvals by one account") {
    auto a = base;
    auto b = base;
    auto ra = request_of("cr-1");
    auto rb = ra;
    ra.approvals = {{"111111111111", approval_status::pending},
                    {"111111111112", approval_status::pending}};
    rb.approvals = {{"111111111111", approval_status::pending},
                    {"111111111113", approval_status::pending}};
    a.change_requests[ra.id] = ra;
    b.change_requests[rb.id] = rb;
    refused(a, b, '2', '1', "duplicate approval account");
  }
}

namespace {

// The payload as a format-3 writer would have written it: the same tables without the
// queries field of the root (FlatBuffers marks an absent field with a 0 in the vtable).
std::string without_queries(std::string payload) {
  auto u16 = [&](std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(payload[at]) |
                                      static_cast<unsigned char>(payload[at + 1]) << 8);
  };
  auto u32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
      v |= static_cast<std::uint32_t>(static_cast<unsigned char>(payload[at + i])) << (8 * i);
    return v;
  };
  const std::size_t root = u32(0);
  const std::size_t vtable = root - static_cast<std::int32_t>(u32(root));
  constexpr std::size_t slot = snap::CollaborationState::VT_QUERIES;
  REQUIRE(u16(vtable) > slot);       // the vtable has the slot...
  REQUIRE(u16(vtable + slot) != 0);  // ... and it is set
  payload[vtable + slot] = 0;
  payload[vtable + slot + 1] = 0;
  // Only that field is gone.
  const auto* st = snap::GetCollaborationState(payload.data());
  REQUIRE(st->queries() == nullptr);
  REQUIRE(st->change_requests() != nullptr);
  REQUIRE(st->info() != nullptr);
  return payload;
}

std::string with_format(std::string snapshot, std::uint32_t format) {
  for (int i = 0; i < 4; ++i) snapshot[4 + i] = static_cast<char>((format >> (8 * i)) & 0xff);
  return snapshot;
}

}  // namespace

TEST_CASE("format-3 snapshots are refused: they would lose the queries") {
  const auto st = rich().state;
  REQUIRE_FALSE(st.queries.empty());
  const auto format3_payload = without_queries(payload_of(encode_snapshot(st)));

  SECTION("format-3 bytes, under their own header, are an unknown format") {
    auto r = snapshots::try_decode_snapshot(with_format(with_header(format3_payload), 3));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "snapshot: unknown format version 3");
  }
  SECTION("relabelled as the current format, they fail verification: queries is required") {
    auto r = snapshots::try_decode_snapshot(with_header(format3_payload));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "snapshot: verification failed");
  }
  SECTION("a snapshot with no queries still writes the empty list") {
    auto none = st;
    none.queries.clear();
    auto back = round_trip(none);
    CHECK(back.queries.empty());
    CHECK(payload_of(encode_snapshot(none)) != without_queries(payload_of(encode_snapshot(none))));
  }
}

TEST_CASE("a snapshot of a collaboration that never existed is refused") {
  CHECK_FALSE(decode_snapshot(encode_snapshot(collaboration::state{})).has_value());
}

TEST_CASE("snapshot + tail equals replay from zero, through the real store") {
  const std::uint64_t every = GENERATE(1, 7, 100);
  CAPTURE(every);
  temp_store t;
  auto& store = *t.store;
  driver d{store, every, {}, 0};
  std::mt19937_64 rng(every * 7919);
  d.random_mix(rng, 700);
  const auto head = store.head_version(collaboration::stream_id(cid));
  REQUIRE(head == d.s.state.version);
  REQUIRE(head > 100);
  REQUIRE(d.snapshots_written > 0);

  const auto replayed = full_replay(store);
  activation_stats stats;
  auto activated = activate(store, cid, &stats);
  REQUIRE(activated.ok());
  require_same(activated.value(), replayed);
  require_same(activated.value(), d.s.state);
  CHECK(stats.used_snapshot);
  CHECK(stats.snapshot_version + stats.events_replayed == head);
  CHECK(stats.events_replayed < every);
  CHECK(stats.events_replayed < head);

  SECTION("a corrupt snapshot falls back to a full replay with the same result") {
    auto bytes = *store.get_snapshot(collaboration::stream_id(cid));
    bytes[bytes.size() / 2] ^= 0x40;
    auto put = put_snapshot(store, bytes);
    REQUIRE(put.ok());
    CHECK(put.value().first_position == 0);  // no events written
    CHECK(put.value().new_version == head);
    CHECK(store.head_version(collaboration::stream_id(cid)) == head);
    activation_stats again;
    auto fallback = activate(store, cid, &again);
    REQUIRE(fallback.ok());
    CHECK_FALSE(again.used_snapshot);
    CHECK(again.events_replayed == head);
    require_same(fallback.value(), replayed);
  }
  SECTION("plain garbage is ignored the same way") {
    REQUIRE(put_snapshot(store, "not a snapshot at all").ok());
    activation_stats again;
    auto fallback = activate(store, cid, &again);
    REQUIRE(fallback.ok());
    CHECK_FALSE(again.used_snapshot);
    require_same(fallback.value(), replayed);
  }
  SECTION("a snapshot from the future is ignored") {
    auto future = replayed;
    future.version = head + 5;
    future.info.name = "from the future";
    REQUIRE(put_snapshot(store, encode_snapshot(future)).ok());
    activation_stats again;
    auto fallback = activate(store, cid, &again);
    REQUIRE(fallback.ok());
    CHECK_FALSE(again.used_snapshot);
    require_same(fallback.value(), replayed);
  }
  SECTION("a snapshot of another collaboration is ignored") {
    auto other = replayed;
    other.info.collaboration_id = "another";
    other.version = 1;
    REQUIRE(put_snapshot(store, encode_snapshot(other)).ok());
    activation_stats again;
    auto fallback = activate(store, cid, &again);
    REQUIRE(fallback.ok());
    CHECK_FALSE(again.used_snapshot);
    require_same(fallback.value(), replayed);
  }
  SECTION("a snapshot-only append must name the current head") {
    events::append_request req;
    req.stream = collaboration::stream_id(cid);
    req.expected_version = head - 1;
    req.snapshot = "stale writer";
    auto out = store.append_batch({&req});
    REQUIRE_FALSE(out.at(0).ok());
    CHECK(out.at(0).error().code == store_error::kind::version_conflict);
    CHECK(store.get_snapshot(collaboration::stream_id(cid)) !=
          std::optional<std::string>("stale writer"));
  }
}

TEST_CASE("activation at every point of a stream equals replay up to that point") {
  temp_store t;
  auto& store = *t.store;
  driver d{store, 7, {}, 0};
  std::mt19937_64 rng(99);
  d.run(standard_create(), creator);
  const std::vector<std::string> accounts{creator, querier, provider};
  for (int i = 0; i < 60; ++i) {
    const auto& who = accounts[rng() % accounts.size()];
    if (i % 3 == 0)
      d.run(join_cmd(), who);
    else
      d.run(collaboration::tag_resource{collaboration::collaboration_arn(d.s.state),
                                        {{"k", std::to_string(i)}}},
            creator);
    activation_stats stats;
    auto a = activate(store, cid, &stats);
    REQUIRE(a.ok());
    CHECK(stats.events_replayed < 7);
    require_same(a.value(), full_replay(store));
  }
}

TEST_CASE("no stream, no snapshot: activation yields the empty state") {
  temp_store t;
  activation_stats stats;
  auto a = activate(*t.store, "nothing-here", &stats);
  REQUIRE(a.ok());
  CHECK_FALSE(a->created);
  CHECK(a->version == 0);
  CHECK_FALSE(stats.used_snapshot);
  CHECK(stats.events_replayed == 0);
}

TEST_CASE("snapshot_due fires once per multiple crossed") {
  CHECK_FALSE(snapshot_due(0, 5, 0));
  CHECK(snapshot_due(0, 1, 1));
  CHECK(snapshot_due(6, 7, 7));
  CHECK_FALSE(snapshot_due(7, 13, 7));
  CHECK(snapshot_due(5, 9, 7));  // a multi-event command stepping over 7
  CHECK_FALSE(snapshot_due(0, 99, 100));
  CHECK(snapshot_due(99, 104, 100));
}

namespace {

// Sends one command through the registry and waits for its answer.
command_result send_and_wait(registry& reg, const collaboration::command& c, decide_context ctx) {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<command_result> answer;
  reg.send(cid, c, std::move(ctx), [&](command_result r) {
    std::lock_guard<std::mutex> lock(mu);
    answer.emplace(std::move(r));
    cv.notify_one();
  });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return answer.has_value(); });
  return std::move(*answer);
}

}  // namespace

TEST_CASE("the registry writes snapshots in the append batch and activates from them") {
  temp_store t;
  auto& store = *t.store;
  const auto stream = collaboration::stream_id(cid);
  scenario clock;  // only for its contexts
  auto ctx_for = [&](const std::string& who) { return clock.as(who); };
  {
    events::journal journal(store);
    registry_options opts;
    opts.snapshot_every = 5;
    registry reg(store, journal, opts);
    auto create_ctx = ctx_for(creator);
    create_ctx.fresh_id = cid;
    REQUIRE(send_and_wait(reg, standard_create(), create_ctx).ok());
    REQUIRE(send_and_wait(reg, join_cmd(), ctx_for(creator)).ok());
    for (int i = 0; i < 12; ++i)
      REQUIRE(send_and_wait(reg,
                            collaboration::tag_resource{
                                collaboration::make_collaboration_arn("us-east-1", creator, cid),
                                {{"k", std::to_string(i)}}},
                            ctx_for(creator))
                  .ok());
    reg.stop();
    journal.stop();
  }
  const auto head = store.head_version(stream);
  auto bytes = store.get_snapshot(stream);
  REQUIRE(bytes.has_value());
  auto snap = decode_snapshot(*bytes);
  REQUIRE(snap.has_value());
  CHECK(snap->version / 5 == head / 5);  // the latest multiple crossed
  CHECK(snap->version <= head);

  activation_stats stats;
  auto a = activate(store, cid, &stats);
  REQUIRE(a.ok());
  CHECK(stats.used_snapshot);
  require_same(a.value(), full_replay(store));

  // A restarted registry activates from the snapshot and keeps deciding on the right state.
  events::journal journal(store);
  registry reg(store, journal, {});
  auto r = send_and_wait(
      reg,
      collaboration::tag_resource{collaboration::make_collaboration_arn("us-east-1", creator, cid),
                                  {{"after", "1"}}},
      ctx_for(creator));
  REQUIRE(r.ok());
  reg.stop();
  journal.stop();
  auto final_state = full_replay(store);
  CHECK(final_state.version == head + 1);
  CHECK(final_state.tags.at(collaboration::make_collaboration_arn("us-east-1", creator, cid))
            .at("k") == "11");
}
