#include "sim/checkers.hpp"

#include <algorithm>

#include "events/query_values.hpp"
#include "events/template_values.hpp"
#include "events/values.hpp"

namespace crs::sim {
namespace {

using collaboration::state;

bool member_step_allowed(member_status from, member_status to) {
  if (from == to) return true;
  switch (from) {
    case member_status::invited:
      return to == member_status::active || to == member_status::removed;
    case member_status::active:
      return to == member_status::removed || to == member_status::left;
    case member_status::left:
    case member_status::removed:
      return false;  // terminal
  }
  return false;
}

bool membership_step_allowed(membership_status from, membership_status to) {
  return from == to || from == membership_status::active;
}

bool terminal(query_status s) {
  return s == query_status::success || s == query_status::failed || s == query_status::cancelled ||
         s == query_status::timed_out;
}

bool query_step_allowed(query_status from, query_status to) {
  if (from == to) return true;
  if (terminal(from)) return false;
  switch (from) {
    case query_status::submitted:
      return to == query_status::started || to == query_status::failed ||
             to == query_status::cancelled || to == query_status::cancelling;
    case query_status::started:
      return to == query_status::success || to == query_status::failed ||
             to == query_status::timed_out || to == query_status::cancelling ||
             to == query_status::cancelled;
    case query_status::cancelling:
      return to == query_status::cancelled;
    default:
      return false;
  }
}

bool request_step_allowed(change_request_status from, change_request_status to) {
  if (from == to) return true;
  switch (from) {
    case change_request_status::pending:
      return to == change_request_status::approved || to == change_request_status::denied ||
             to == change_request_status::cancelled;
    case change_request_status::approved:
      return to == change_request_status::committed || to == change_request_status::cancelled;
    default:
      return false;  // DENIED, CANCELLED, COMMITTED are terminal
  }
}

std::string who(const std::string& what, const std::string& id) {
  return what + " " + id + ": ";
}

}  // namespace

std::string check_state(const state& s) {
  if (!s.created) return {};
  std::size_t queriers = 0;
  for (const auto& m : s.members) {
    queriers +=
        std::count(m.spec.abilities.begin(), m.spec.abilities.end(), member_ability::can_query) > 0;
    const collaboration::membership_record* ms =
        m.membership_id ? s.membership(*m.membership_id) : nullptr;
    if (m.membership_id && !ms)
      return who("member", m.spec.account) + "names membership " + *m.membership_id +
             ", which does not exist";
    if (ms && ms->account != m.spec.account)
      return who("member", m.spec.account) + "names membership " + ms->id + " of account " +
             ms->account;
    if (!s.deleted) {
      const bool active = m.status == member_status::active;
      const bool membership_active = ms && ms->status == membership_status::active;
      if (active != membership_active)
        return who("member", m.spec.account) + "status " + std::string(to_string(m.status)) +
               " but its membership is " +
               (ms ? std::string(to_string(ms->status)) : std::string("absent"));
    }
  }
  if (queriers > 1) return "more than one member holds CAN_QUERY";
  for (int d = 0; d < payment_dimension_count; ++d) {
    std::size_t payers = 0;
    for (const auto& m : s.members) {
      const auto p = collaboration::resolved_payment(s, m);
      payers += p.dims[d] == true;
    }
    if (payers > 1)
      return "payment dimension " + std::to_string(d) + " has " + std::to_string(payers) +
             " payers";
  }
  for (const auto& [id, ms] : s.memberships) {
    const auto* m = s.member(ms.account);
    if (!m || m->membership_id != ms.id)
      return who("membership", id) + "is not its member's membership";
  }
  return {};
}

std::string check_transition(const state& before, const state& after) {
  if (after.version < before.version) return "the stream version went back";
  if (before.deleted && !after.deleted) return "a deleted collaboration came back";
  for (const auto& a : after.members) {
    const auto* b = before.member(a.spec.account);
    if (!b) {
      if (a.status != member_status::invited)
        return who("member", a.spec.account) + "appeared as " + std::string(to_string(a.status));
      continue;
    }
    if (!member_step_allowed(b->status, a.status))
      return who("member", a.spec.account) + std::string(to_string(b->status)) + " -> " +
             std::string(to_string(a.status)) + " is not a transition of SPEC.md 16.1";
  }
  for (const auto& b : before.members)
    if (!after.member(b.spec.account)) return who("member", b.spec.account) + "disappeared";
  for (const auto& [id, a] : after.memberships) {
    auto b = before.memberships.find(id);
    if (b == before.memberships.end()) {
      if (a.status != membership_status::active)
        return who("membership", id) + "appeared as " + std::string(to_string(a.status));
    } else if (!membership_step_allowed(b->second.status, a.status)) {
      return who("membership", id) + std::string(to_string(b->second.status)) + " -> " +
             std::string(to_string(a.status)) + " is not a transition of SPEC.md 16.2";
    }
  }
  for (const auto& [id, a] : after.queries) {
    auto b = before.queries.find(id);
    if (b == before.queries.end()) {
      if (a.status != query_status::submitted)
        return who("query", id) + "appeared as " + std::string(to_string(a.status));
      const auto* m = before.member(a.account);
      if (!m || std::find(m->spec.abilities.begin(), m->spec.abilities.end(),
                          member_ability::can_query) == m->spec.abilities.end())
        return who("query", id) + "started by " + a.account + ", who does not hold CAN_QUERY";
    } else if (!query_step_allowed(b->second.status, a.status)) {
      return who("query", id) + std::string(to_string(b->second.status)) + " -> " +
             std::string(to_string(a.status)) + " is not a transition of SPEC.md 16.3";
    }
  }
  for (const auto& [id, b] : before.queries)
    if (!after.queries.count(id)) return who("query", id) + "disappeared";
  for (const auto& [id, a] : after.change_requests) {
    auto b = before.change_requests.find(id);
    if (b == before.change_requests.end()) {
      // SPEC.md 16.4: PENDING, APPROVED (no voters), or COMMITTED when auto-approved.
      const bool allowed = a.status == change_request_status::pending ||
                           a.status == change_request_status::approved ||
                           (a.status == change_request_status::committed && a.auto_approved);
      if (!allowed)
        return who("change request", id) + "appeared as " + std::string(to_string(a.status));
      continue;
    }
    if (!request_step_allowed(b->second.status, a.status))
      return who("change request", id) + std::string(to_string(b->second.status)) + " -> " +
             std::string(to_string(a.status)) + " is not a transition of SPEC.md 16.4";
  }
  return {};
}

std::string check_actor(const state& before, const events::append_request& request) {
  if (!before.created) return {};  // the creator, creating
  const auto* m = before.member(request.account);
  if (m && (m->status == member_status::left || m->status == member_status::removed)) {
    // SPEC.md 3.3: an inactive membership's owner may still delete it and its sub-resources.
    for (const auto& e : request.events)
      if (!std::holds_alternative<events::membership_deleted>(e) &&
          !std::holds_alternative<events::association_deleted>(e) &&
          !std::holds_alternative<events::association_rule_deleted>(e) &&
          !std::holds_alternative<events::analysis_template_deleted>(e) &&
          !std::holds_alternative<events::tags_changed>(e))
        return "account " + request.account + " (" + std::string(to_string(m->status)) +
               ") changed the collaboration";
  }
  if (!m) return "account " + request.account + ", not a member, changed the collaboration";
  return {};
}

}  // namespace crs::sim
