// Read models: the rendered API shapes, the row layout, and replay == live through the real store.
#include <filesystem>
#include <limits>
#include <random>
#include <set>

#include <boost/json.hpp>

#include "../actors/given_when_then.hpp"
#include "events/event_store.hpp"
#include "projections/collaboration_rows.hpp"
#include "projections/json_writer.hpp"
#include "projections/keys.hpp"
#include "projections/render.hpp"
#include "projections/value_json.hpp"

using namespace crs;
using namespace crs::testing;
namespace keys = crs::projections::keys;
namespace json = boost::json;

namespace {

json::object parse(const std::string& s) {
  return json::parse(s).as_object();
}

bool has_null(const json::value& v) {
  if (v.is_null()) return true;
  if (v.is_object())
    for (const auto& kv : v.as_object())
      if (has_null(kv.value())) return true;
  if (v.is_array())
    for (const auto& x : v.as_array())
      if (has_null(x)) return true;
  return false;
}

std::string S(const json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
}

bool starts(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

TEST_CASE("rows render the API shapes of SPEC.md Appendix A") {
  auto s = created();
  auto qctx = s.as(querier);
  REQUIRE(s.when(join_cmd(), qctx).ok());
  const auto rows = projections::rows(s.state);

  SECTION("the collaboration, without caller-relative members") {
    auto c = parse(rows.at(keys::collaboration(cid)));
    CHECK(S(c.at("id")) == cid);
    CHECK(S(c.at("arn")) == "arn:aws:cleanrooms:us-east-1:111111111111:collaboration/" + cid);
    CHECK(S(c.at("creatorAccountId")) == creator);
    CHECK(S(c.at("queryLogStatus")) == "ENABLED");
    CHECK(c.at("createTime").is_double());
    CHECK_FALSE(c.contains("memberStatus"));
    CHECK_FALSE(c.contains("jobLogStatus"));  // not sent: omitted, never null
    CHECK_FALSE(has_null(c));
  }
  SECTION("caller fragments splice into a valid object") {
    auto frag = rows.at(keys::caller("us-east-1", cid, querier));
    auto full = parse(projections::splice(rows.at(keys::collaboration(cid)), frag));
    CHECK(S(full.at("memberStatus")) == "ACTIVE");
    CHECK(S(full.at("membershipId")) == qctx.fresh_id);
    auto invited = parse(projections::splice(rows.at(keys::collaboration(cid)),
                                             rows.at(keys::caller("us-east-1", cid, provider))));
    CHECK(S(invited.at("memberStatus")) == "INVITED");
    CHECK_FALSE(invited.contains("membershipId"));
  }
  SECTION("member summaries in invitation order with resolved payment") {
    auto first = parse(rows.at(keys::member(cid, 0)));
    auto second = parse(rows.at(keys::member(cid, 1)));
    CHECK(S(first.at("accountId")) == creator);
    CHECK(S(second.at("accountId")) == querier);
    CHECK(second.at("paymentConfiguration").at("queryCompute").at("isResponsible").as_bool() ==
          true);
    CHECK(first.at("paymentConfiguration").at("queryCompute").at("isResponsible").as_bool() ==
          false);
    CHECK(starts(S(second.at("membershipArn")),
                 "arn:aws:cleanrooms:us-east-1:222222222222:membership/"));
  }
  SECTION("membership rows carry owner, collaboration and the Membership shape") {
    projections::membership_row m;
    const auto& raw = rows.at(keys::membership("us-east-1", qctx.fresh_id));
    REQUIRE(projections::parse_membership_row(raw, m));
    CHECK(m.owner == querier);
    CHECK(m.collaboration_id == cid);
    auto ms = parse(std::string(m.json));
    CHECK(S(ms.at("collaborationName")) == "campaign");
    CHECK(S(ms.at("status")) == "ACTIVE");
    CHECK(ms.at("paymentConfiguration").at("queryCompute").at("isResponsible").as_bool() == true);
  }
  SECTION("summaries built from shared pieces carry exactly their shape's members") {
    // core_rows renders the summary head once per collaboration and a membership's common
    // members once for both of its rows.
    const auto head = projections::collaboration_summary_head(s.state);
    for (const auto& m : s.state.members) {
      INFO(m.spec.account);
      auto o = parse(
          projections::collaboration_summary_json(head, projections::caller_fragment(s.state, m)));
      std::set<std::string> names;
      for (const auto& kv : o) names.insert(std::string(kv.key()));
      std::set<std::string> want{
          "id",         "arn",        "name",        "creatorAccountId", "creatorDisplayName",
          "createTime", "updateTime", "memberStatus"};
      if (m.membership_id) want.insert({"membershipId", "membershipArn"});
      CHECK(names == want);
      CHECK(S(o.at("id")) == cid);
      CHECK(S(o.at("creatorAccountId")) == creator);
      CHECK(S(o.at("memberStatus")) == std::string(to_string(m.status)));
      if (m.membership_id) CHECK(S(o.at("membershipId")) == *m.membership_id);
    }
    // Empty pieces join as splice() joins them.
    for (std::string_view h : {"", "\"a\":1"})
      for (std::string_view c : {"", "\"b\":2"})
        CHECK(projections::collaboration_summary_json(h, c) ==
              projections::splice("{" + std::string(h) + "}", c));
    // A membership's summary is its full shape less the members only the full one has.
    REQUIRE_FALSE(s.state.memberships.empty());
    for (const auto& [mid, m] : s.state.memberships) {
      const auto both = projections::membership_both(s.state, m);
      CHECK(both.full == projections::membership_json(s.state, m));
      auto full = parse(both.full), summary = parse(both.summary);
      for (const char* only_full : {"queryLogStatus", "jobLogStatus", "defaultResultConfiguration",
                                    "defaultJobResultConfiguration", "isMetricsEnabled"})
        full.erase(only_full);
      CHECK(summary == full);
      CHECK(S(summary.at("id")) == mid);
    }
  }
  SECTION("per-account lists list only INVITED and ACTIVE collaborations") {
    CHECK(rows.count(
              keys::account_collaboration("us-east-1", provider, s.state.create_time, cid)) == 1);
    CHECK(
        starts(rows.at(keys::account_collaboration("us-east-1", querier, s.state.create_time, cid)),
               "ACTIVE|"));
    REQUIRE(s.when(collaboration::delete_member{provider}, creator).ok());
    auto after = projections::rows(s.state);
    CHECK(after.count(
              keys::account_collaboration("us-east-1", provider, s.state.create_time, cid)) == 0);
    CHECK(
        starts(after.at(keys::caller("us-east-1", cid, provider)), "\"memberStatus\":\"REMOVED\""));
  }
  SECTION("a deleted collaboration leaves only its memberships and their tags") {
    REQUIRE(s.when(collaboration::delete_collaboration{}, creator).ok());
    auto after = projections::rows(s.state);
    CHECK(after.count(keys::collaboration(cid)) == 0);
    CHECK(after.count(keys::caller("us-east-1", cid, querier)) == 0);
    CHECK(after.count(keys::created_quota("us-east-1", creator, cid)) == 0);
    REQUIRE(after.count(keys::membership("us-east-1", qctx.fresh_id)) == 1);
    CHECK(after.at(keys::membership("us-east-1", qctx.fresh_id)).find("COLLABORATION_DELETED") !=
          std::string::npos);
  }
}

TEST_CASE("newer collaborations sort first in per-account lists") {
  CHECK(keys::inverted_time(2000) < keys::inverted_time(1000));
  // The stored keys' spelling: max int64 - ms as 16 lowercase hex digits.
  CHECK(keys::inverted_time(0) == "7fffffffffffffff");
  CHECK(keys::inverted_time(1732147200123) == "7ffffe6cb3fb3f84");
  CHECK(keys::inverted_time(std::numeric_limits<std::int64_t>::max()) == "0000000000000000");
  // Member rows: at least four digits, so they sort by index.
  CHECK(keys::member("c", 0) == "cm/c/0000");
  CHECK(keys::member("c", 42) == "cm/c/0042");
  CHECK(keys::member("c", 9999) == "cm/c/9999");
  CHECK(keys::member("c", 123456) == "cm/c/123456");
  CHECK(keys::account_collaboration("r", "a", 5, "x") <
        keys::account_collaboration("r", "a", 4, "x"));
}

TEST_CASE("diff turns two row sets into puts and deletes") {
  projections::row_set before{{"a", "1"}, {"b", "2"}, {"c", "3"}};
  projections::row_set after{{"b", "2"}, {"c", "33"}, {"d", "4"}};
  auto d = projections::diff(before, after);
  REQUIRE(d.size() == 3);
  CHECK((d[0].key == "a" && d[0].erase));
  CHECK((d[1].key == "c" && d[1].value == "33" && !d[1].erase));
  CHECK((d[2].key == "d" && d[2].value == "4" && !d[2].erase));
  CHECK(projections::diff(after, after).empty());
}

TEST_CASE("strings are escaped so hostile names stay valid JSON") {
  scenario s;
  auto cmd = standard_create();
  cmd.name = "quote \" backslash \\ tab \t unicode \xC3\xA9 \x01";
  auto ctx = s.as(creator);
  ctx.fresh_id = cid;
  REQUIRE(s.when(cmd, ctx).ok());
  auto c = parse(projections::rows(s.state).at(keys::collaboration(cid)));
  CHECK(S(c.at("name")) == cmd.name);
}

TEST_CASE("json_writer escapes exactly JSON's mandatory characters, in runs") {
  auto quoted = [](std::string_view in) {
    projections::json_writer w;
    w.string(in);
    return std::string(w.str());
  };
  CHECK(quoted("") == R"("")");
  CHECK(quoted("plain text") == R"("plain text")");
  CHECK(quoted("\"") == R"("\"")");
  CHECK(quoted("a\\b") == R"("a\\b")");
  CHECK(quoted("\n\r\t") == R"("\n\r\t")");
  CHECK(quoted(std::string_view("\x00\x01\x1f", 3)) == R"("\u0000\u0001\u001f")");
  CHECK(quoted("\x7f \xC3\xA9 /") == "\"\x7f \xC3\xA9 /\"");  // DEL, UTF-8 and / pass through
  CHECK(quoted("x\"y\"z") == R"("x\"y\"z")");                 // runs between escapes are kept whole
  // Whatever the input, boost.json reads back exactly the bytes written.
  std::mt19937 rng(7);
  for (int i = 0; i < 500; ++i) {
    std::string in(rng() % 40, ' ');
    for (auto& c : in) c = static_cast<char>(rng() % 0x80);
    CHECK(boost::json::parse(quoted(in)).as_string() == in);
  }
}

TEST_CASE("json_writer's eight-byte scan finds every byte that needs an escape, anywhere") {
  // The byte-at-a-time rule the scan must agree with.
  auto reference = [](std::string_view in) {
    std::string out = "\"";
    for (unsigned char c : in) {
      if (c == '"')
        out += "\\\"";
      else if (c == '\\')
        out += "\\\\";
      else if (c == '\n')
        out += "\\n";
      else if (c == '\r')
        out += "\\r";
      else if (c == '\t')
        out += "\\t";
      else if (c < 0x20) {
        static constexpr char hex[] = "0123456789abcdef";
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xf];
      } else {
        out += static_cast<char>(c);
      }
    }
    return out + "\"";
  };
  // Bytes that need an escape, and their neighbours that must not be escaped (borrows in the
  // scan's arithmetic run from low bytes to high ones, so high bytes sit around them too).
  const unsigned char probes[] = {0x00, 0x01, 0x0a, 0x1f, '"',  '\\', 0x20, 0x21,
                                  0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xa2, 0xdc, 0xff};
  const unsigned char fillers[] = {'a', 0x21, 0x80, 0xff};
  for (std::size_t len = 1; len <= 24; ++len)
    for (unsigned char fill : fillers)
      for (std::size_t at = 0; at < len; ++at)
        for (unsigned char probe : probes) {
          std::string in(len, static_cast<char>(fill));
          in[at] = static_cast<char>(probe);
          if (at + 1 < len) in[at + 1] = static_cast<char>(probe ^ 0x80);  // a second, in the block
          projections::json_writer w;
          w.string(in);
          INFO("len " << len << " fill " << int(fill) << " at " << at << " probe " << int(probe));
          REQUIRE(w.str() == reference(in));
        }
}

TEST_CASE("json_writer's buffer grows, is reused and hands out whole texts, at any size") {
  // Worst cases for the raw cursor: every byte escaped six-fold, around the length where
  // quoted() stops reserving the worst case up front, and texts far past the first buffer.
  auto escaped = [](std::size_t n, char c) {
    std::string out = "\"";
    for (std::size_t i = 0; i < n; ++i) out += c == '\x01' ? "\\u0001" : "\\\"";
    return out + "\"";
  };
  for (std::size_t n : {0u, 1u, 170u, 255u, 256u, 257u, 1000u, 5000u, 40000u})
    for (char c : {'\x01', '"'}) {
      INFO("n " << n << " byte " << int(c));
      projections::json_writer w;
      w.begin_array();
      for (int k = 0; k < 3; ++k) w.string(std::string(n, c));
      w.number(-9223372036854775807LL - 1).boolean(false).raw("{}").end_array();
      const auto one = escaped(n, c);
      const auto want = "[" + one + "," + one + "," + one + ",-9223372036854775808,false,{}]";
      REQUIRE(w.str() == want);
      REQUIRE(w.take() == want);
    }
  // A writer after one whose large text was moved out, and after many small ones: each starts
  // empty, whatever its pooled buffer held.
  for (int round = 0; round < 20; ++round) {
    projections::json_writer w;
    w.begin_object().key("k").string(std::string(static_cast<std::size_t>(round) * 997, 'x'));
    w.end_object();
    const auto text = w.take();
    REQUIRE(text.size() == round * 997u + 8);
    projections::json_writer next;
    next.begin_object().key("a").number(round).end_object();
    REQUIRE(next.str() == "{\"a\":" + std::to_string(round) + "}");
  }
}

TEST_CASE("json_writer writes literal keys as given and escapes the keys of data") {
  projections::json_writer w;
  const std::string tag = "team \"a\"";  // a tag key: data, escaped
  w.begin_object();
  w.key("id").string("1");
  w.key(tag).string("x");
  w.key("tags").begin_object().key(std::string_view("k")).string("v").end_object();
  w.end_object();
  CHECK(w.str() == R"({"id":"1","team \"a\"":"x","tags":{"k":"v"}})");
  CHECK(boost::json::parse(w.str()).as_object().at("team \"a\"").as_string() == "x");
}

TEST_CASE("json_writer timestamps are epoch seconds with three decimals") {
  auto stamp = [](std::int64_t ms) {
    projections::json_writer w;
    w.timestamp(ms);
    return std::string(w.str());
  };
  CHECK(stamp(1732147200123) == "1732147200.123");
  CHECK(stamp(1732147200000) == "1732147200.000");
  CHECK(stamp(1732147200007) == "1732147200.007");
  CHECK(stamp(999) == "0.999");
  CHECK(stamp(0) == "0.000");
  // Before the epoch (never produced by the server): the sign of a whole second is kept, a
  // fraction alone loses it, as the snprintf version did.
  CHECK(stamp(-1500) == "-1.500");
  CHECK(stamp(-500) == "0.500");
}

// The property that makes replay and rebuild trustworthy: run a random command mix through the
// decider, append each decision with its row diff to a real RocksDB store, then replay the log.
TEST_CASE("replaying the log equals live state and live views, through the real store") {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("crs-proj-" + std::to_string(std::random_device{}()));
  auto opened = events::event_store::open(dir.string(), {});
  REQUIRE(opened.ok());
  auto& store = *opened.value();

  std::mt19937_64 rng(42);
  const std::vector<std::string> accounts{creator, querier, provider, outsider};
  scenario s;
  auto append = [&](const collaboration::command& c, const std::string& who) {
    auto before = s.state;
    auto ctx = s.as(who);
    if (std::holds_alternative<collaboration::create_collaboration>(c)) ctx.fresh_id = cid;
    auto d = collaboration::decide(s.state, c, ctx);
    if (!d || d.value().empty()) return;
    for (const auto& e : d.value()) collaboration::apply(s.state, e, ctx.now);
    events::append_request req{
        collaboration::stream_id(cid),
        before.version,
        ctx.now,
        who,
        "req",
        d.value(),
        projections::diff(projections::rows(before), projections::rows(s.state)),
        std::nullopt};
    auto out = store.append_batch({&req});
    REQUIRE(out.at(0).ok());
  };
  append(standard_create(), creator);
  for (int i = 0; i < 300; ++i) {
    const auto& who = accounts[rng() % accounts.size()];
    switch (rng() % 6) {
      case 0:
        append(join_cmd(), who);
        break;
      case 1:
        append(collaboration::update_collaboration{"n" + std::to_string(i), {}, {}}, who);
        break;
      case 2:
        append(collaboration::delete_member{accounts[rng() % 3]}, who);
        break;
      case 3:
        if (!s.state.memberships.empty()) {
          auto it = s.state.memberships.begin();
          std::advance(it, rng() % s.state.memberships.size());
          collaboration::update_membership u;
          u.membership_id = it->first;
          u.query_log = (rng() & 1) ? log_status::enabled : log_status::disabled;
          append(u, who);
        }
        break;
      case 4:
        append(collaboration::tag_resource{collaboration::collaboration_arn(s.state),
                                           {{"k" + std::to_string(rng() % 5), "v"}}},
               who);
        break;
      case 5:
        if (!s.state.memberships.empty())
          append(collaboration::delete_membership{s.state.memberships.begin()->first}, who);
        break;
    }
  }
  auto evs = store.read_stream(collaboration::stream_id(cid));
  REQUIRE(evs.ok());
  collaboration::state replayed;
  for (const auto& e : evs.value()) collaboration::apply(replayed, e.payload, e.env.time);
  CHECK(replayed.version == s.state.version);
  CHECK(store.head_version(collaboration::stream_id(cid)) == s.state.version);

  const auto expected = projections::rows(replayed);
  CHECK(expected == projections::rows(s.state));
  projections::row_set live;
  store.scan_views("", "", [&](std::string_view k, std::string_view v) {
    live.emplace(std::string(k), std::string(v));
    return true;
  });
  CHECK(live == expected);
  store.close();
  std::filesystem::remove_all(dir);
}

TEST_CASE("payment JSON: the API hides an empty machineLearning, the recorded form keeps it") {
  payment_config p;
  p.at(payment_dimension::query_compute) = true;
  p.machine_learning_sent = true;  // sent as {} with no dimension
  projections::json_writer api, recorded;
  projections::write_payment(api, p, projections::payment_form::api);
  projections::write_payment(recorded, p, projections::payment_form::recorded);
  CHECK(api.str() == R"({"queryCompute":{"isResponsible":true}})");
  CHECK(recorded.str() == R"({"queryCompute":{"isResponsible":true},"machineLearning":{}})");
  payment_config none;  // nothing sent: the API still answers the required queryCompute
  projections::json_writer api_none, recorded_none;
  projections::write_payment(api_none, none, projections::payment_form::api);
  projections::write_payment(recorded_none, none, projections::payment_form::recorded);
  CHECK(api_none.str() == R"({"queryCompute":{"isResponsible":false}})");
  CHECK(recorded_none.str() == "{}");
}
