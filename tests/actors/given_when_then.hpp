// given(events) / when(command) / then(events or error) for the collaboration decider.
#pragma once

#include <catch2/catch.hpp>

#include "actors/collaboration/check.hpp"
#include "actors/collaboration/decide.hpp"
#include "then.hpp"

namespace crs::testing {

inline const std::string creator = "111111111111";
inline const std::string querier = "222222222222";
inline const std::string provider = "333333333333";
inline const std::string outsider = "444444444444";
inline const std::string cid = "0b8a5f4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b";

struct scenario {
  collaboration::state state;
  time_ms clock = 1'700'000'000'000;
  int ids = 0;

  decide_context as(const std::string& account) {
    decide_context ctx;
    ctx.caller = account;
    ctx.region = "us-east-1";
    ctx.request_id = "req";
    ctx.now = clock += 1000;
    char buf[40];
    std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", ++ids);
    ctx.fresh_id = buf;
    return ctx;
  }
  // given: apply events as history.
  scenario& given(const std::vector<events::event_payload>& evs) {
    for (const auto& e : evs) collaboration::apply(state, e, clock);
    return *this;
  }
  // when: decide, and on success apply (so scenarios can chain commands).
  collaboration::decision when(const collaboration::command& c, const decide_context& ctx) {
    auto d = collaboration::decide(state, c, ctx);
    if (d) {
      // Whatever decide emits must pass the check verify runs over the log.
      for (const auto& e : d.value()) {
        auto why = collaboration::why_not_applicable(state, e);
        INFO(why.value_or(""));
        REQUIRE_FALSE(why.has_value());
        collaboration::apply(state, e, clock);
      }
    }
    return d;
  }
  collaboration::decision when(const collaboration::command& c, const std::string& account) {
    return when(c, as(account));
  }
};

inline member_spec spec(const std::string& account, std::vector<member_ability> abilities,
                        std::optional<payment_config> payment = std::nullopt) {
  return member_spec{account, "member " + account, std::move(abilities), std::nullopt,
                     std::move(payment)};
}

inline payment_config pays_query(bool v) {
  payment_config p;
  p.at(payment_dimension::query_compute) = v;
  return p;
}

// CreateCollaboration by `creator` with a querier and a pure data provider.
inline collaboration::create_collaboration standard_create() {
  collaboration::create_collaboration c;
  c.name = "campaign";
  c.description = "joint analysis";
  c.creator_display_name = "Creator";
  c.creator_abilities = {member_ability::can_receive_results};
  c.members = {spec(querier, {member_ability::can_query, member_ability::can_receive_results}),
               spec(provider, {})};
  c.query_log = log_status::enabled;
  return c;
}

// A collaboration created with `standard_create` under the fixed id `cid`.
inline scenario created() {
  scenario s;
  auto ctx = s.as(creator);
  ctx.fresh_id = cid;
  auto d = s.when(standard_create(), ctx);
  REQUIRE(d.ok());
  return s;
}

inline collaboration::create_membership join_cmd() {
  collaboration::create_membership m;
  m.query_log = log_status::disabled;
  return m;
}

template <class E>
const E* find_event(const std::vector<events::event_payload>& evs, std::size_t nth = 0) {
  for (const auto& e : evs)
    if (const auto* p = std::get_if<E>(&e))
      if (nth-- == 0) return p;
  return nullptr;
}

template <class E>
std::size_t count_events(const std::vector<events::event_payload>& evs) {
  std::size_t n = 0;
  for (const auto& e : evs) n += std::holds_alternative<E>(e);
  return n;
}

#define THEN_ERROR(decision, kind_, reason_)       \
  do {                                             \
    REQUIRE_FALSE((decision).ok());                \
    CHECK((decision).error().kind == (kind_));     \
    CHECK((decision).error().reason == (reason_)); \
  } while (0)

// standard_create (creator, querier, provider), everyone joined.
struct three_joined {
  scenario s;
  std::string creator_mid, querier_mid, provider_mid;
};

inline three_joined joined(std::optional<analytics_engine> engine = std::nullopt) {
  three_joined t;
  auto create = standard_create();
  create.engine = engine;
  auto ctx = t.s.as(creator);
  ctx.fresh_id = cid;
  REQUIRE(t.s.when(create, ctx).ok());
  auto c = t.s.as(creator);
  REQUIRE(t.s.when(join_cmd(), c).ok());
  t.creator_mid = c.fresh_id;
  auto q = t.s.as(querier);
  REQUIRE(t.s.when(join_cmd(), q).ok());
  t.querier_mid = q.fresh_id;
  auto p = t.s.as(provider);
  REQUIRE(t.s.when(join_cmd(), p).ok());
  t.provider_mid = p.fresh_id;
  return t;
}

}  // namespace crs::testing
