#include "actors/collaboration/decide.hpp"

#include <algorithm>
#include <set>

#include "actors/collaboration/associations.hpp"
#include "actors/collaboration/change_requests.hpp"
#include "actors/collaboration/membership_access.hpp"
#include "actors/collaboration/payment.hpp"
#include "actors/collaboration/queries.hpp"
#include "actors/collaboration/templates.hpp"
#include "actors/tags.hpp"

namespace crs::collaboration {
namespace {

using events::event_payload;
using event_list = std::vector<event_payload>;

constexpr const char* not_visible =
    "The collaboration does not exist or the caller is not a member of it";

template <class T>
bool has_duplicates(const std::vector<T>& v) {
  std::set<T> seen(v.begin(), v.end());
  return seen.size() != v.size();
}

// --- CreateCollaboration (SPEC.md 6, checks 2-7) ---------------------------------------------
decision create(const state& s, const create_collaboration& c, const decide_context& ctx) {
  if (s.created) return internal_error("collaboration id already in use");

  std::vector<member_spec> all;
  all.push_back(member_spec{ctx.caller, c.creator_display_name, c.creator_abilities,
                            c.creator_ml_abilities, c.creator_payment});
  all.insert(all.end(), c.members.begin(), c.members.end());

  std::set<std::string> accounts;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& m = all[i];
    if (i > 0 && m.account == ctx.caller)
      return invalid_configuration("The creator's own account " + m.account +
                                   " cannot be listed in members");
    if (!accounts.insert(m.account).second)
      return invalid_configuration("Account " + m.account + " is listed more than once");
    if (has_duplicates(m.abilities))
      return invalid_configuration("Member " + m.account + " lists an ability more than once");
    if (m.ml_abilities && has_duplicates(*m.ml_abilities))
      return invalid_configuration("Member " + m.account + " lists an ML ability more than once");
  }
  for (auto ability : {member_ability::can_query, member_ability::can_run_job}) {
    auto n = std::count_if(all.begin(), all.end(),
                           [&](const member_spec& m) { return holds(m, ability); });
    if (n > 1)
      return invalid_configuration("Only one member can hold " + std::string(to_string(ability)) +
                                   "; " + std::to_string(n) + " members do");
  }
  const auto payers = resolve_payers(all);
  if (!payers.error.empty()) return invalid_configuration(payers.error);
  if (c.members.size() > ctx.quotas.members_per_collaboration)
    return quota_exceeded("Members invited per collaboration",
                          static_cast<double>(ctx.quotas.members_per_collaboration));
  if (ctx.caller_collaborations_created >= ctx.quotas.collaborations_per_account)
    return quota_exceeded("Collaborations created per account",
                          static_cast<double>(ctx.quotas.collaborations_per_account));

  events::collaboration_created created;
  created.collaboration_id = ctx.fresh_id;
  created.region = ctx.region;
  created.name = c.name;
  created.description = c.description;
  created.creator = ctx.caller;
  created.creator_display_name = c.creator_display_name;
  created.encryption = c.encryption;
  created.query_log = c.query_log;
  created.job_log = c.job_log;
  created.engine = c.engine;
  if (c.auto_approved) {  // deduplicated, first occurrence wins the order
    std::vector<auto_approved_change_type> dedup;
    for (auto t : *c.auto_approved)
      if (std::find(dedup.begin(), dedup.end(), t) == dedup.end()) dedup.push_back(t);
    created.auto_approved = std::move(dedup);
  }
  created.allowed_result_regions = c.allowed_result_regions;
  created.metrics_enabled = c.metrics_enabled;

  event_list out;
  out.emplace_back(std::move(created));
  for (const auto& m : all) out.emplace_back(events::member_invited{m});
  for (int d = 0; d < payment_dimension_count; ++d)
    if (payers.payer[d])
      out.emplace_back(events::payment_assigned{static_cast<payment_dimension>(d),
                                                all[*payers.payer[d]].account, false});
  if (!c.tags.empty())
    out.emplace_back(events::tags_changed{
        make_collaboration_arn(ctx.region, ctx.caller, ctx.fresh_id), c.tags, {}});
  return out;
}

// --- UpdateCollaboration / DeleteCollaboration / DeleteMember (SPEC.md 6) ---------------------
// Resources are regional: a request signed for another region does not see them.
bool visible(const state& s, const decide_context& ctx) {
  return s.visible_to(ctx.caller) && s.info.region == ctx.region;
}

std::optional<domain_error> require_creator(const state& s, const decide_context& ctx,
                                            const char* action) {
  if (!visible(s, ctx)) return access_denied(not_visible);
  if (s.info.creator != ctx.caller)
    return access_denied(std::string("Only the collaboration creator can ") + action);
  return std::nullopt;
}

decision update(const state& s, const update_collaboration& c, const decide_context& ctx) {
  if (auto e = require_creator(s, ctx, "update the collaboration")) return *e;
  if (!c.name && !c.description && !c.engine) return event_list{};  // a no-op, not an error
  return event_list{events::collaboration_updated{c.name, c.description, c.engine}};
}

decision remove(const state& s, const delete_collaboration&, const decide_context& ctx) {
  if (auto e = require_creator(s, ctx, "delete the collaboration")) return *e;
  event_list out{events::collaboration_deleted{}};
  for (const auto& [id, m] : s.memberships)
    if (m.status == membership_status::active)
      out.emplace_back(
          events::membership_status_changed{id, membership_status::collaboration_deleted});
  // Open change requests are cancelled (SPEC.md 6, DeleteCollaboration), and so are the
  // queries still running (SPEC.md 16.3).
  for (auto& e : cancel_open_requests(s)) out.push_back(std::move(e));
  for (auto& e : cancel_unfinished_queries(s, {})) out.push_back(std::move(e));
  return out;
}

decision remove_member(const state& s, const delete_member& c, const decide_context& ctx) {
  if (auto e = require_creator(s, ctx, "remove members")) return *e;
  if (c.account == s.info.creator)
    return invalid_configuration("The collaboration creator cannot remove its own account");
  const auto* m = s.member(c.account);
  if (!m)
    return not_found("Account " + c.account + " is not a member of the collaboration", c.account,
                     "COLLABORATION");
  if (m->status == member_status::removed || m->status == member_status::left)
    return conflict("Member " + c.account + " is already " + std::string(to_string(m->status)),
                    c.account, "COLLABORATION", "INVALID_STATE");
  event_list out{events::member_removed{c.account}};
  if (m->membership_id) {
    const auto* ms = s.membership(*m->membership_id);
    if (ms && ms->status == membership_status::active)
      out.emplace_back(events::membership_status_changed{ms->id, membership_status::removed});
    if (ms)
      for (auto& e : cancel_unfinished_queries(s, ms->id)) out.push_back(std::move(e));
  }
  // Its pending votes stop counting (change_requests.hpp, vote_counts): a request waiting only
  // for this member is approved now.
  for (auto& e : approve_without_voter(s, c.account)) out.push_back(std::move(e));
  return out;
}

// --- Memberships (SPEC.md 7) -------------------------------------------------------------------
// Checks 6-7 of CreateMembership, shared with UpdateMembership for the fields supplied.
std::optional<domain_error> check_settings(const state& s, const member_record& m,
                                           std::optional<log_status> query_log,
                                           std::optional<log_status> job_log,
                                           const std::optional<query_result_config>& result,
                                           const std::optional<job_result_config>& job_result) {
  const bool receives = holds(m.spec, member_ability::can_receive_results);
  if (result && !receives)
    return invalid_configuration(
        "defaultResultConfiguration can only be set by a member with CAN_RECEIVE_RESULTS");
  if (job_result && !receives)
    return invalid_configuration(
        "defaultJobResultConfiguration can only be set by a member with CAN_RECEIVE_RESULTS");
  if (result && result->single_file_output == true && s.info.engine != analytics_engine::spark)
    return invalid_configuration(
        "singleFileOutput requires the collaboration's analyticsEngine to be SPARK");
  if (query_log == log_status::enabled && s.info.query_log != log_status::enabled)
    return invalid_configuration(
        "queryLogStatus cannot be ENABLED: the collaboration has query logging DISABLED");
  if (job_log == log_status::enabled && s.info.job_log != log_status::enabled)
    return invalid_configuration(
        "jobLogStatus cannot be ENABLED: the collaboration has job logging disabled");
  return std::nullopt;
}

decision join(const state& s, const create_membership& c, const decide_context& ctx) {
  const auto* m =
      s.created && !s.deleted && s.info.region == ctx.region ? s.member(ctx.caller) : nullptr;
  if (!m) return access_denied(not_visible);
  if (m->status == member_status::active)
    return conflict("The caller already has a membership in this collaboration",
                    m->membership_id.value_or(""), "MEMBERSHIP", "ALREADY_EXISTS");
  if (m->status != member_status::invited)
    return access_denied("A member that left or was removed cannot join again");

  // 19.3: accept exactly the responsibilities the creator assigned.
  payment_config accepted;
  for (int d = 0; d < payment_dimension_count; ++d) {
    const auto dim = static_cast<payment_dimension>(d);
    const bool responsible = s.payers[d] && s.payers[d]->account == ctx.caller;
    // Two plain bools, not a copied optional: GCC 12 misreports the optional as uninitialized.
    const bool sent = c.payment && c.payment->dims[d].has_value();
    const bool sent_value = sent && *c.payment->dims[d];
    const std::string name(to_string(dim));
    if (sent && sent_value != responsible)
      return invalid_configuration(
          "paymentConfiguration." + name + ".isResponsible must be " +
          (responsible ? "true: the collaboration creator made this member responsible"
                       : "false: the collaboration creator did not make this member responsible"));
    if (!sent && responsible && !accepts_implicitly(m->spec, dim))
      return invalid_configuration("This member is responsible for " + name +
                                   " costs and must accept with paymentConfiguration." + name +
                                   ".isResponsible = true");
    if (dim == payment_dimension::query_compute || responsible || sent)
      accepted.dims[d] = responsible;
  }

  if (auto e =
          check_settings(s, *m, c.query_log, c.job_log, c.default_result, c.default_job_result))
    return *e;
  if (c.metrics_enabled == true) {
    if (s.info.metrics_enabled != true)
      return invalid_configuration(
          "isMetricsEnabled requires metrics to be enabled for the collaboration");
    bool payer = false;
    for (const auto& p : s.payers) payer = payer || (p && p->account == ctx.caller);
    if (!payer && !holds(m->spec, member_ability::can_query) &&
        !holds(m->spec, member_ability::can_run_job))
      return invalid_configuration(
          "isMetricsEnabled can only be set by the member who can query or run jobs, or a payer");
  }
  if (ctx.caller_memberships >= ctx.quotas.memberships_per_account)
    return quota_exceeded("Memberships per account",
                          static_cast<double>(ctx.quotas.memberships_per_account));

  event_list out;
  out.emplace_back(events::membership_created{ctx.fresh_id, ctx.caller, ctx.region, c.query_log,
                                              c.job_log, c.default_result, c.default_job_result,
                                              accepted, c.metrics_enabled});
  for (int d = 0; d < payment_dimension_count; ++d)
    if (s.payers[d] && s.payers[d]->account == ctx.caller)
      out.emplace_back(
          events::payment_assigned{static_cast<payment_dimension>(d), ctx.caller, true});
  if (!c.tags.empty())
    out.emplace_back(events::tags_changed{
        make_membership_arn(ctx.region, ctx.caller, ctx.fresh_id), c.tags, {}});
  return out;
}

decision update_ms(const state& s, const update_membership& c, const decide_context& ctx) {
  const auto* ms = owned_membership(s, c.membership_id, ctx);
  if (!ms) return membership_not_found(c.membership_id);
  if (auto e = must_be_active(*ms, "its settings")) return *e;
  const auto* m = s.member(ctx.caller);
  if (!m) return internal_error("membership without a member record");
  if (auto e =
          check_settings(s, *m, c.query_log, c.job_log, c.default_result, c.default_job_result))
    return *e;
  if (!c.query_log && !c.job_log && !c.default_result && !c.default_job_result) return event_list{};
  return event_list{events::membership_updated{c.membership_id, c.query_log, c.job_log,
                                               c.default_result, c.default_job_result}};
}

decision leave(const state& s, const delete_membership& c, const decide_context& ctx) {
  const auto* ms = owned_membership(s, c.membership_id, ctx);
  if (!ms) return membership_not_found(c.membership_id);
  if (ctx.caller == s.info.creator && !s.deleted)
    return conflict("The collaboration creator can leave only by deleting the collaboration",
                    ms->id, "MEMBERSHIP", "INVALID_STATE");
  for (const auto& [id, a] : s.associations)
    if (a.membership_id == ms->id)
      return conflict("Membership " + ms->id + " still has configured table association " + a.name +
                          " (" + id + "); delete its sub-resources first",
                      ms->id, "MEMBERSHIP", "SUBRESOURCES_EXIST");
  for (const auto& [id, t] : s.templates)
    if (t.membership_id == ms->id)
      return conflict("Membership " + ms->id + " still has analysis template " + t.name + " (" +
                          id + "); delete its sub-resources first",
                      ms->id, "MEMBERSHIP", "SUBRESOURCES_EXIST");
  // SPEC.md 7: queries still running through the membership block it (they are history once
  // finished); the member cancels them first, or waits for them.
  for (const auto& [id, q] : s.queries)
    if (q.membership_id == ms->id && !is_terminal(q.status))
      return conflict("Membership " + ms->id + " still has protected query " + id + " " +
                          std::string(to_string(q.status)) +
                          "; cancel it or wait for it to finish first",
                      ms->id, "MEMBERSHIP", "INVALID_STATE");
  event_list out;
  out.emplace_back(events::membership_deleted{ms->id, ms->account});
  const auto* m = s.member(ctx.caller);
  if (!s.deleted && m && m->status == member_status::active) {
    out.emplace_back(events::member_left{ctx.caller});
    // A leaver's pending vote stops counting, as a removed member's does (SPEC.md 16.4).
    for (auto& e : approve_without_voter(s, ctx.caller)) out.push_back(std::move(e));
  }
  return out;
}

// --- Tags (SPEC.md 15): only the account that owns the ARN; failures are 404 ---------------------
std::optional<domain_error> owned_arn(const state& s, const std::string& arn,
                                      const decide_context& ctx) {
  const bool live = s.tags.count(arn) > 0;
  bool owner = false;  // the ARN's account, in the region the request was signed for
  if (live && s.created && !s.deleted && collaboration_arn(s) == arn)
    owner = s.info.creator == ctx.caller && s.info.region == ctx.region;
  for (const auto& [id, m] : s.memberships)
    if (membership_arn(m) == arn) owner = m.account == ctx.caller && m.region == ctx.region;
  for (const auto& [id, a] : s.associations)
    if (association_arn(a) == arn) owner = a.account == ctx.caller && a.region == ctx.region;
  for (const auto& [id, t] : s.templates)
    if (template_arn(t) == arn) owner = t.account == ctx.caller && t.region == ctx.region;
  if (!live || !owner) {
    // Analysis template ARNs live under their membership (SPEC.md 2.4 has no template type).
    const char* type = arn.find("/configuredtableassociation/") != std::string::npos
                           ? "CONFIGURED_TABLE_ASSOCIATION"
                       : arn.find(":membership/") != std::string::npos ? "MEMBERSHIP"
                                                                       : "COLLABORATION";
    return not_found("Resource " + arn + " does not exist", arn, type);
  }
  return std::nullopt;
}

decision tag(const state& s, const tag_resource& c, const decide_context& ctx) {
  if (auto e = owned_arn(s, c.resource_arn, ctx)) return *e;
  return decide_tagging(c.resource_arn, s.tags.at(c.resource_arn), c.tags,
                        ctx.quotas.tags_per_resource);
}

decision untag(const state& s, const untag_resource& c, const decide_context& ctx) {
  if (auto e = owned_arn(s, c.resource_arn, ctx)) return *e;
  return decide_untagging(c.resource_arn, s.tags.at(c.resource_arn), c.keys);
}

}  // namespace

decision decide(const state& s, const command& c, const decide_context& ctx) {
  return std::visit(
      [&](const auto& cmd) -> decision {
        using T = std::decay_t<decltype(cmd)>;
        if constexpr (std::is_same_v<T, create_collaboration>)
          return create(s, cmd, ctx);
        else if constexpr (std::is_same_v<T, update_collaboration>)
          return update(s, cmd, ctx);
        else if constexpr (std::is_same_v<T, delete_collaboration>)
          return remove(s, cmd, ctx);
        else if constexpr (std::is_same_v<T, delete_member>)
          return remove_member(s, cmd, ctx);
        else if constexpr (std::is_same_v<T, create_membership>)
          return join(s, cmd, ctx);
        else if constexpr (std::is_same_v<T, update_membership>)
          return update_ms(s, cmd, ctx);
        else if constexpr (std::is_same_v<T, delete_membership>)
          return leave(s, cmd, ctx);
        else if constexpr (std::is_same_v<T, tag_resource>)
          return tag(s, cmd, ctx);
        else if constexpr (std::is_same_v<T, untag_resource>)
          return untag(s, cmd, ctx);
        else if constexpr (std::is_same_v<T, create_analysis_template> ||
                           std::is_same_v<T, update_analysis_template> ||
                           std::is_same_v<T, delete_analysis_template>)
          return decide_template(s, cmd, ctx);
        else if constexpr (std::is_same_v<T, create_change_request> ||
                           std::is_same_v<T, update_change_request>)
          return decide_change_request(s, cmd, ctx);
        else if constexpr (std::is_same_v<T, start_query> || std::is_same_v<T, cancel_query> ||
                           std::is_same_v<T, begin_query> || std::is_same_v<T, finish_query>)
          return decide_query(s, cmd, ctx);
        else
          return decide_association(s, cmd, ctx);
      },
      c);
}

}  // namespace crs::collaboration
