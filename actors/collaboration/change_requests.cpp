#include "actors/collaboration/change_requests.hpp"

#include <algorithm>
#include <set>

#include "actors/collaboration/payment.hpp"

namespace crs::collaboration {
namespace {

using events::event_payload;
using event_list = std::vector<event_payload>;

constexpr const char* not_visible =
    "The collaboration does not exist or the caller is not a member of it";

bool visible(const state& s, const decide_context& ctx) {
  return s.visible_to(ctx.caller) && s.info.region == ctx.region;
}

bool open(change_request_status st) {
  return st == change_request_status::pending || st == change_request_status::approved;
}

bool gone(const member_record* m) {
  return m && (m->status == member_status::left || m->status == member_status::removed);
}

std::string at(std::size_t i) {
  return "changes." + std::to_string(i) + ": ";
}

std::string status_name(change_request_status st) {
  return std::string(to_string(st));
}

bool receives(const std::vector<member_ability>& abilities) {
  return std::find(abilities.begin(), abilities.end(), member_ability::can_receive_results) !=
         abilities.end();
}

// The abilities after a GRANT_/REVOKE_RECEIVE_RESULTS_ABILITY change: CAN_RECEIVE_RESULTS added
// at the end or removed; the other abilities (CAN_QUERY, CAN_RUN_JOB) are never touched by a
// change request (SPEC.md 14).
std::vector<member_ability> with_receive(std::vector<member_ability> abilities, bool grant) {
  abilities.erase(
      std::remove(abilities.begin(), abilities.end(), member_ability::can_receive_results),
      abilities.end());
  if (grant) abilities.push_back(member_ability::can_receive_results);
  return abilities;
}

// The list an EDIT_AUTO_APPROVED_CHANGE_TYPES change installs: deduplicated, first occurrence
// keeps its place (as CreateCollaboration stores it).
std::vector<auto_approved_change_type> dedup(
    const std::optional<std::vector<auto_approved_change_type>>& types) {
  std::vector<auto_approved_change_type> out;
  if (types)
    for (auto t : *types)
      if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  return out;
}

bool same_setting(const std::vector<auto_approved_change_type>& wanted, const state& s) {
  std::set<auto_approved_change_type> a(wanted.begin(), wanted.end());
  std::set<auto_approved_change_type> b;
  if (s.info.auto_approved) b.insert(s.info.auto_approved->begin(), s.info.auto_approved->end());
  return a == b;
}

// EDIT_AUTO_APPROVED_CHANGE_TYPES is not an AutoApprovedChangeType: it never auto-approves.
std::optional<auto_approved_change_type> as_auto(change_type t) {
  switch (t) {
    case change_type::add_member:
      return auto_approved_change_type::add_member;
    case change_type::grant_receive_results_ability:
      return auto_approved_change_type::grant_receive_results_ability;
    case change_type::revoke_receive_results_ability:
      return auto_approved_change_type::revoke_receive_results_ability;
    case change_type::edit_auto_approved_change_types:
      break;
  }
  return std::nullopt;
}

bool auto_approves(const state& s, const std::vector<change>& changes) {
  if (!s.info.auto_approved) return false;
  const auto& allowed = *s.info.auto_approved;
  for (const auto& ch : changes)
    for (auto t : ch.types) {
      auto a = as_auto(t);
      if (!a || std::find(allowed.begin(), allowed.end(), *a) == allowed.end()) return false;
    }
  return true;
}

// "Members invited per collaboration": the creator's invitees still in the collaboration.
std::size_t invited_members(const state& s) {
  return static_cast<std::size_t>(
      std::count_if(s.members.begin(), s.members.end(), [&](const member_record& m) {
        return m.spec.account != s.info.creator &&
               (m.status == member_status::invited || m.status == member_status::active);
      }));
}

std::size_t additions(const std::vector<change>& changes) {
  std::size_t n = 0;
  for (const auto& ch : changes)
    n += static_cast<std::size_t>(
        std::count(ch.types.begin(), ch.types.end(), change_type::add_member));
  return n;
}

domain_error no_longer_applicable(const std::string& id, const std::string& why) {
  return conflict("Change request " + id + " can no longer be committed: " + why, id,
                  "COLLABORATION", "INVALID_STATE");
}

// The events that apply `changes` to the collaboration, re-checking that each still applies
// (SPEC.md 14 UpdateCollaborationChangeRequest: COMMIT re-checks; a failure is a conflict).
decision commit_events(const state& s, const std::vector<change>& changes, const std::string& id,
                       const decide_context& ctx) {
  event_list out;
  for (const auto& ch : changes) {
    if (const auto* m = std::get_if<member_change>(&ch.spec)) {
      const auto* rec = s.member(m->account);
      if (ch.types == std::vector<change_type>{change_type::add_member}) {
        if (rec)
          return no_longer_applicable(id, "account " + m->account + " is a member already (" +
                                              std::string(to_string(rec->status)) + ")");
        out.emplace_back(events::member_invited{member_spec{
            m->account, m->display_name.value_or(""), m->abilities, std::nullopt, std::nullopt}});
        continue;
      }
      const bool grant =
          ch.types == std::vector<change_type>{change_type::grant_receive_results_ability};
      if (!rec || gone(rec))
        return no_longer_applicable(
            id, "account " + m->account + " is no longer a member of the collaboration");
      if (receives(rec->spec.abilities) == grant)
        return no_longer_applicable(id, "member " + m->account +
                                            (grant ? " already holds" : " no longer holds") +
                                            " CAN_RECEIVE_RESULTS");
      out.emplace_back(
          events::member_abilities_changed{m->account, with_receive(rec->spec.abilities, grant)});
    } else {
      auto wanted = dedup(std::get<collaboration_change>(ch.spec).auto_approved);
      if (same_setting(wanted, s))
        return no_longer_applicable(id, "autoApprovedChangeTypes already has this value");
      out.emplace_back(events::auto_approved_changed{std::move(wanted)});
    }
  }
  if (invited_members(s) + additions(changes) > ctx.quotas.members_per_collaboration)
    return no_longer_applicable(
        id, "the collaboration would exceed the quota Members invited per collaboration (" +
                std::to_string(ctx.quotas.members_per_collaboration) + ")");
  return out;
}

// Whether every vote that still counts is APPROVED, leaving out `except` (a voter about to go).
bool all_counted_approved(const state& s, const change_request_record& r,
                          const account_id& except) {
  for (const auto& [voter, vote] : r.approvals) {
    if (voter == except || !vote_counts(s, voter, vote)) continue;
    if (vote != approval_status::approved) return false;
  }
  return true;
}

// --- CreateCollaborationChangeRequest (SPEC.md 14, checks 2-7) --------------------------------

std::optional<domain_error> check_specification_types(const create_change_request& c) {
  for (std::size_t i = 0; i < c.changes.size(); ++i) {
    const auto& in = c.changes[i];
    const bool member = std::holds_alternative<member_change>(in.spec);
    if (member != (in.declared == change_spec_type::member))
      return invalid_configuration(at(i) + "specificationType " +
                                   (member ? "COLLABORATION" : "MEMBER") +
                                   " does not match the specification member sent (" +
                                   (member ? "member" : "collaboration") + ")");
  }
  return std::nullopt;
}

std::optional<domain_error> check_member_changes(const state& s, const create_change_request& c) {
  std::set<account_id> seen;
  for (std::size_t i = 0; i < c.changes.size(); ++i) {
    const auto* m = std::get_if<member_change>(&c.changes[i].spec);
    if (!m) continue;
    const bool only_receive =
        m->abilities.empty() ||
        (m->abilities.size() == 1 && m->abilities[0] == member_ability::can_receive_results);
    if (!only_receive)
      return invalid_configuration(
          at(i) +
          "memberAbilities must be [] or [CAN_RECEIVE_RESULTS]; change requests cannot grant "
          "CAN_QUERY or CAN_RUN_JOB");
    if (m->account == s.info.creator)
      return invalid_configuration(at(i) + "account " + m->account +
                                   " is the collaboration creator's own account");
    if (!seen.insert(m->account).second)
      return invalid_configuration(at(i) + "account " + m->account +
                                   " appears in more than one change of the request");
    const auto* rec = s.member(m->account);
    if (!rec) {
      if (!m->display_name)
        return invalid_configuration(at(i) + "displayName is required to add account " +
                                     m->account + " as a new member");
    } else if (gone(rec)) {
      return invalid_configuration(at(i) + "account " + m->account + " is " +
                                   std::string(to_string(rec->status)) +
                                   "; a member that left or was removed cannot be added again");
    } else if (receives(rec->spec.abilities) == receives(m->abilities)) {
      return invalid_configuration(at(i) + "member " + m->account +
                                   " already has these abilities; the change would change nothing");
    }
  }
  return std::nullopt;
}

std::optional<domain_error> check_collaboration_changes(const state& s,
                                                        const create_change_request& c) {
  bool edits = false;
  for (std::size_t i = 0; i < c.changes.size(); ++i) {
    const auto* x = std::get_if<collaboration_change>(&c.changes[i].spec);
    if (!x) continue;
    if (edits)
      return invalid_configuration(at(i) +
                                   "autoApprovedChangeTypes is edited by more than one change");
    edits = true;
    if (same_setting(dedup(x->auto_approved), s))
      return invalid_configuration(
          at(i) + "autoApprovedChangeTypes is identical to the collaboration's current setting");
  }
  return std::nullopt;
}

// SPEC.md 14 check 6: one open request per account, and one open edit of the auto-approval.
std::optional<domain_error> check_open_requests(const state& s, const create_change_request& c) {
  std::set<account_id> accounts;
  bool edits = false;
  for (const auto& in : c.changes) {
    if (const auto* m = std::get_if<member_change>(&in.spec))
      accounts.insert(m->account);
    else
      edits = true;
  }
  for (const auto& [id, r] : s.change_requests) {
    if (!open(r.status)) continue;
    for (const auto& ch : r.changes) {
      const auto* m = std::get_if<member_change>(&ch.spec);
      if (m && accounts.count(m->account))
        return conflict("Change request " + id + " (" + status_name(r.status) +
                            ") already changes account " + m->account,
                        id, "COLLABORATION", "INVALID_STATE");
      if (!m && edits)
        return conflict("Change request " + id + " (" + status_name(r.status) +
                            ") already edits autoApprovedChangeTypes",
                        id, "COLLABORATION", "INVALID_STATE");
    }
  }
  return std::nullopt;
}

// The computed types (SPEC.md 14 table); the checks above guarantee exactly one per change.
std::vector<change> with_types(const state& s, const create_change_request& c) {
  std::vector<change> out;
  for (const auto& in : c.changes) {
    change ch{in.spec, {}};
    if (const auto* m = std::get_if<member_change>(&in.spec)) {
      const auto* rec = s.member(m->account);
      if (!rec)
        ch.types = {change_type::add_member};
      else if (receives(m->abilities))
        ch.types = {change_type::grant_receive_results_ability};
      else
        ch.types = {change_type::revoke_receive_results_ability};
    } else {
      ch.types = {change_type::edit_auto_approved_change_types};
    }
    out.push_back(std::move(ch));
  }
  return out;
}

// --- UpdateCollaborationChangeRequest (SPEC.md 14, 16.4) --------------------------------------

domain_error wrong_status(const change_request_record& r, change_request_action action) {
  return conflict("Change request " + r.id + " is " + status_name(r.status) + "; " +
                      std::string(to_string(action)) + " is not allowed in that status",
                  r.id, "COLLABORATION", "INVALID_STATE");
}

decision vote(const state& s, const change_request_record& r, bool approve,
              const decide_context& ctx) {
  const auto action = approve ? change_request_action::approve : change_request_action::deny;
  if (ctx.caller == s.info.creator)
    return access_denied("The collaboration creator cannot vote on its own change request");
  auto v = r.approvals.find(ctx.caller);
  if (v == r.approvals.end())
    return access_denied("Account " + ctx.caller + " is not an approver of change request " + r.id);
  if (r.status != change_request_status::pending) return wrong_status(r, action);
  if (v->second != approval_status::pending)
    return conflict("Account " + ctx.caller + " already voted " +
                        std::string(to_string(v->second)) + " on change request " + r.id,
                    r.id, "COLLABORATION", "INVALID_STATE");
  event_list out{events::change_request_voted{r.id, ctx.caller, approve}};
  if (!approve)
    out.emplace_back(events::change_request_denied{r.id});
  else if (all_counted_approved(s, r, ctx.caller))
    out.emplace_back(events::change_request_approved{r.id});
  return out;
}

}  // namespace

bool vote_counts(const state& s, const account_id& voter, approval_status vote) {
  return vote != approval_status::pending || !gone(s.member(voter));
}

decision decide_change_request(const state& s, const create_change_request& c,
                               const decide_context& ctx) {
  if (!visible(s, ctx)) return access_denied(not_visible);
  if (s.info.creator != ctx.caller)
    return access_denied("Only the collaboration creator can create change requests");
  const auto* me = s.member(ctx.caller);
  if (!me || me->status != member_status::active)
    return access_denied(
        "The collaboration creator must be an ACTIVE member (create its membership first) to "
        "create change requests");
  if (c.changes.empty()) return invalid_configuration("A change request needs at least one change");
  if (auto e = check_specification_types(c)) return *e;
  if (auto e = check_member_changes(s, c)) return *e;
  if (auto e = check_collaboration_changes(s, c)) return *e;
  if (auto e = check_open_requests(s, c)) return *e;

  auto changes = with_types(s, c);
  if (invited_members(s) + additions(changes) > ctx.quotas.members_per_collaboration)
    return quota_exceeded("Members invited per collaboration",
                          static_cast<double>(ctx.quotas.members_per_collaboration));

  const auto& id = ctx.fresh_id;
  if (auto_approves(s, changes)) {  // SPEC.md Q16: applied and COMMITTED in the same append
    auto applied = commit_events(s, changes, id, ctx);
    if (!applied) return applied.error();
    event_list out{
        events::change_request_created{id, changes, true, change_request_status::approved, {}}};
    for (auto& e : applied.value()) out.push_back(std::move(e));
    out.emplace_back(events::change_request_committed{id});
    return out;
  }
  std::vector<account_id> approvers;  // SPEC.md Q17, in member order
  for (const auto& m : s.members)
    if (m.status == member_status::active && m.spec.account != s.info.creator)
      approvers.push_back(m.spec.account);
  const auto status =
      approvers.empty() ? change_request_status::approved : change_request_status::pending;
  return event_list{
      events::change_request_created{id, std::move(changes), false, status, std::move(approvers)}};
}

decision decide_change_request(const state& s, const update_change_request& c,
                               const decide_context& ctx) {
  if (!visible(s, ctx)) return access_denied(not_visible);
  auto it = s.change_requests.find(c.change_request_id);
  if (it == s.change_requests.end())
    return not_found("Change request " + c.change_request_id + " does not exist",
                     c.change_request_id, "COLLABORATION");
  const auto& r = it->second;
  switch (c.action) {
    case change_request_action::approve:
      return vote(s, r, true, ctx);
    case change_request_action::deny:
      return vote(s, r, false, ctx);
    case change_request_action::cancel:
      if (ctx.caller != s.info.creator)
        return access_denied("Only the collaboration creator can cancel a change request");
      if (!open(r.status)) return wrong_status(r, c.action);
      return event_list{events::change_request_cancelled{r.id}};
    case change_request_action::commit: {
      if (ctx.caller != s.info.creator)
        return access_denied("Only the collaboration creator can commit a change request");
      if (r.status != change_request_status::approved) return wrong_status(r, c.action);
      auto applied = commit_events(s, r.changes, r.id, ctx);
      if (!applied) return applied.error();
      auto out = std::move(applied.value());
      out.emplace_back(events::change_request_committed{r.id});
      return out;
    }
  }
  return internal_error("unknown change request action");
}

std::vector<events::event_payload> cancel_open_requests(const state& s) {
  event_list out;
  for (const auto& [id, r] : s.change_requests)
    if (open(r.status)) out.emplace_back(events::change_request_cancelled{id});
  return out;
}

std::vector<events::event_payload> approve_without_voter(const state& s,
                                                         const account_id& removed) {
  event_list out;
  for (const auto& [id, r] : s.change_requests) {
    if (r.status != change_request_status::pending) continue;
    auto v = r.approvals.find(removed);
    if (v == r.approvals.end() || v->second != approval_status::pending) continue;
    if (all_counted_approved(s, r, removed)) out.emplace_back(events::change_request_approved{id});
  }
  return out;
}

}  // namespace crs::collaboration
