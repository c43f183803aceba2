#include "actors/collaboration/associations.hpp"
#include "actors/collaboration/membership_access.hpp"

#include <algorithm>

#include "actors/configured_table/rules.hpp"

namespace crs::collaboration {
namespace {

using events::event_payload;
using event_list = std::vector<event_payload>;

domain_error rule_missing(const association_record& a, analysis_rule_type t) {
  return not_found("Configured table association " + a.id + " has no " + std::string(to_string(t)) +
                       " analysis rule",
                   a.id, "CONFIGURED_TABLE_ASSOCIATION");
}

// The union member of the policy must be the rule's type (SPEC.md 9 check 3, applied alike).
std::optional<domain_error> type_matches(analysis_rule_type type, analysis_rule_type sent) {
  if (type == sent) return std::nullopt;
  return invalid_configuration("analysisRulePolicy.v1 sets the " + std::string(to_string(sent)) +
                               " member but the rule type is " + std::string(to_string(type)));
}

// allowedResultReceivers must be members of this collaboration that can receive results.
std::optional<domain_error> receivers_are_members(const state& s,
                                                  const association_rule_policy& p) {
  if (!p.allowed_result_receivers) return std::nullopt;
  for (const auto& account : *p.allowed_result_receivers) {
    const auto* m = s.member(account);
    const bool can_receive =
        m && std::find(m->spec.abilities.begin(), m->spec.abilities.end(),
                       member_ability::can_receive_results) != m->spec.abilities.end();
    if (!can_receive)
      return invalid_configuration("allowedResultReceivers: account " + account +
                                   " is not a member of the collaboration that can receive "
                                   "results (CAN_RECEIVE_RESULTS)");
  }
  return std::nullopt;
}

}  // namespace

association_lookup find_association(const state& s, const std::string& membership_id,
                                    const std::string& association_id, const decide_context& ctx) {
  association_lookup out;
  out.membership = owned_membership(s, membership_id, ctx);
  if (!out.membership) {
    out.error = membership_not_found(membership_id);
    return out;
  }
  const auto* a = s.association(association_id);
  if (!a || a->membership_id != membership_id) {
    out.error = not_found("Configured table association " + association_id + " does not exist",
                          association_id, "CONFIGURED_TABLE_ASSOCIATION");
    return out;
  }
  out.association = a;
  return out;
}

decision decide_association(const state& s, const create_association& c,
                            const decide_context& ctx) {
  const auto* ms = owned_membership(s, c.membership_id, ctx);
  if (!ms) return membership_not_found(c.membership_id);
  if (auto e = must_be_active(*ms, "its associations")) return *e;
  if (const auto* same = s.association_named(c.name))
    return conflict("A schema named " + same->name + " already exists in the collaboration",
                    same->id, "CONFIGURED_TABLE_ASSOCIATION", "ALREADY_EXISTS");
  std::size_t mine = 0;
  for (const auto& [id, a] : s.associations) {
    if (a.membership_id != ms->id) continue;
    ++mine;
    if (a.configured_table_id == c.configured_table_id)
      return conflict("Configured table " + c.configured_table_id +
                          " is already associated through this membership as " + a.name,
                      a.id, "CONFIGURED_TABLE_ASSOCIATION", "ALREADY_EXISTS");
  }
  if (mine >= ctx.quotas.associations_per_membership)
    return quota_exceeded("Configured table associations per membership",
                          static_cast<double>(ctx.quotas.associations_per_membership));

  events::association_created e;
  e.association_id = ctx.fresh_id;
  e.membership_id = ms->id;
  e.configured_table_id = c.configured_table_id;
  e.account = ctx.caller;
  e.region = ms->region;
  e.name = c.name;
  e.description = c.description;
  e.role_arn = c.role_arn;
  event_list out;
  association_record shape;  // only for its ARN
  shape.id = e.association_id;
  shape.membership_id = e.membership_id;
  shape.account = e.account;
  shape.region = e.region;
  out.emplace_back(std::move(e));
  if (!c.tags.empty()) out.emplace_back(events::tags_changed{association_arn(shape), c.tags, {}});
  return out;
}

decision decide_association(const state& s, const update_association& c,
                            const decide_context& ctx) {
  auto found = find_association(s, c.membership_id, c.association_id, ctx);
  if (found.error) return *found.error;
  if (auto e = must_be_active(*found.membership, "its associations")) return *e;
  if (!c.description && !c.role_arn) return event_list{};
  return event_list{events::association_updated{c.association_id, c.description, c.role_arn}};
}

// Allowed through inactive memberships too: owners clean up before leaving (SPEC.md 10).
decision decide_association(const state& s, const delete_association& c,
                            const decide_context& ctx) {
  auto found = find_association(s, c.membership_id, c.association_id, ctx);
  if (found.error) return *found.error;
  // SPEC.md 10 / Q22: not while a query that reads its schema is unfinished. CANCELLING counts:
  // the engine is still reading until it reports the query done. The query's id is not named:
  // the association's owner may not see other members' queries (SPEC.md 12).
  if (const auto* q = s.unfinished_reader(c.association_id))
    return conflict("Configured table association " + c.association_id +
                        " is read by a protected query that is " +
                        std::string(to_string(q->status)) +
                        "; delete it once the query has finished",
                    c.association_id, "CONFIGURED_TABLE_ASSOCIATION", "INVALID_STATE");
  return event_list{events::association_deleted{c.association_id}};
}

decision decide_association(const state& s, const create_association_rule& c,
                            const decide_context& ctx) {
  auto found = find_association(s, c.membership_id, c.association_id, ctx);
  if (found.error) return *found.error;
  if (auto e = must_be_active(*found.membership, "its associations")) return *e;
  if (auto e = type_matches(c.type, c.policy_type)) return *e;
  if (found.association->rules.count(c.type))
    return conflict("Configured table association " + c.association_id + " already has a " +
                        std::string(to_string(c.type)) + " analysis rule",
                    c.association_id, "CONFIGURED_TABLE_ASSOCIATION", "ALREADY_EXISTS");
  if (auto e = configured_table::check_association_policy(c.policy)) return *e;
  if (auto e = receivers_are_members(s, c.policy)) return *e;
  return event_list{events::association_rule_created{c.association_id, c.type, c.policy}};
}

decision decide_association(const state& s, const update_association_rule& c,
                            const decide_context& ctx) {
  auto found = find_association(s, c.membership_id, c.association_id, ctx);
  if (found.error) return *found.error;
  if (!found.association->rules.count(c.type)) return rule_missing(*found.association, c.type);
  if (auto e = must_be_active(*found.membership, "its associations")) return *e;
  if (auto e = type_matches(c.type, c.policy_type)) return *e;
  if (auto e = configured_table::check_association_policy(c.policy)) return *e;
  if (auto e = receivers_are_members(s, c.policy)) return *e;
  if (found.association->rules.at(c.type).policy == c.policy) return event_list{};
  return event_list{events::association_rule_updated{c.association_id, c.type, c.policy}};
}

decision decide_association(const state& s, const delete_association_rule& c,
                            const decide_context& ctx) {
  auto found = find_association(s, c.membership_id, c.association_id, ctx);
  if (found.error) return *found.error;
  if (!found.association->rules.count(c.type)) return rule_missing(*found.association, c.type);
  return event_list{events::association_rule_deleted{c.association_id, c.type}};
}

}  // namespace crs::collaboration
