#include "actors/collaboration/check.hpp"
#include "events/overloaded.hpp"

namespace crs::collaboration {
std::optional<std::string> why_not_applicable(const state& s, const events::event_payload& e) {
  using R = std::optional<std::string>;
  const bool live = s.created && !s.deleted;
  auto membership = [&](const std::string& id) -> R {
    if (!s.membership(id)) return "membership " + id + " does not exist";
    return std::nullopt;
  };
  auto association = [&](const std::string& id) -> R {
    if (!s.association(id)) return "association " + id + " does not exist";
    return std::nullopt;
  };
  auto association_rule = [&](const std::string& id, analysis_rule_type t) -> R {
    if (auto why = association(id)) return why;
    if (!s.association(id)->rules.count(t))
      return "association " + id + " has no " + std::string(to_string(t)) + " rule";
    return std::nullopt;
  };
  auto templ = [&](const std::string& id) -> R {
    if (!s.templates.count(id)) return "analysis template " + id + " does not exist";
    return std::nullopt;
  };
  auto request_in = [&](const std::string& id,
                        std::initializer_list<change_request_status> allowed) -> R {
    auto it = s.change_requests.find(id);
    if (it == s.change_requests.end()) return "change request " + id + " does not exist";
    for (auto st : allowed)
      if (it->second.status == st) return std::nullopt;
    return "change request " + id + " is " + std::string(to_string(it->second.status));
  };
  auto query_in = [&](const std::string& id, std::initializer_list<query_status> allowed) -> R {
    auto it = s.queries.find(id);
    if (it == s.queries.end()) return "protected query " + id + " does not exist";
    for (auto st : allowed)
      if (it->second.status == st) return std::nullopt;
    return "protected query " + id + " is " + std::string(to_string(it->second.status));
  };
  auto foreign = []() -> R { return "a configured table event in a collaboration stream"; };
  return std::visit(
      overloaded{
          [&](const events::collaboration_created&) -> R {
            if (s.created) return "the collaboration was already created";
            return std::nullopt;
          },
          [&](const events::member_invited& x) -> R {
            if (!live) return "no live collaboration to invite into";
            if (s.member(x.member.account))
              return "account " + x.member.account + " is already a member";
            return std::nullopt;
          },
          [&](const events::payment_assigned& x) -> R {
            if (!live) return "no live collaboration";
            if (!s.member(x.account)) return "payer " + x.account + " is not a member";
            return std::nullopt;
          },
          [&](const events::membership_created& x) -> R {
            if (!live) return "no live collaboration to join";
            const auto* m = s.member(x.account);
            if (!m || m->status != member_status::invited)
              return "account " + x.account + " is not an invited member";
            if (s.membership(x.membership_id)) return "membership id reused";
            return std::nullopt;
          },
          [&](const events::membership_updated& x) -> R { return membership(x.membership_id); },
          [&](const events::membership_status_changed& x) -> R {
            if (auto why = membership(x.membership_id)) return why;
            if (s.membership(x.membership_id)->status != membership_status::active)
              return "membership " + x.membership_id + " is no longer ACTIVE";
            return std::nullopt;
          },
          [&](const events::membership_deleted& x) -> R { return membership(x.membership_id); },
          [&](const events::member_left& x) -> R {
            const auto* m = s.member(x.account);
            if (!live || !m || m->status != member_status::active)
              return "account " + x.account + " is not an ACTIVE member of a live collaboration";
            return std::nullopt;
          },
          [&](const events::member_removed& x) -> R {
            const auto* m = s.member(x.account);
            if (!live || !m ||
                (m->status != member_status::invited && m->status != member_status::active))
              return "account " + x.account + " is not an INVITED or ACTIVE member";
            return std::nullopt;
          },
          [&](const events::collaboration_updated&) -> R {
            if (!live) return "no live collaboration to update";
            return std::nullopt;
          },
          [&](const events::collaboration_deleted&) -> R {
            if (!live) return "no live collaboration to delete";
            return std::nullopt;
          },
          [&](const events::tags_changed& x) -> R {
            if (!s.tags.count(x.resource_arn)) return "resource " + x.resource_arn + " is not live";
            return std::nullopt;
          },
          [&](const events::association_created& x) -> R {
            if (!live) return "no live collaboration to associate a table with";
            const auto* m = s.membership(x.membership_id);
            if (!m || m->status != membership_status::active || m->account != x.account)
              return "membership " + x.membership_id + " is not an ACTIVE membership of " +
                     x.account;
            if (s.association(x.association_id)) return "association id reused";
            if (s.association_named(x.name)) return "schema name " + x.name + " is taken";
            return std::nullopt;
          },
          [&](const events::association_updated& x) -> R { return association(x.association_id); },
          [&](const events::association_deleted& x) -> R {
            if (auto why = association(x.association_id)) return why;
            if (s.unfinished_reader(x.association_id))
              return "association " + x.association_id + " is still read by an unfinished query";
            return std::nullopt;
          },
          [&](const events::association_rule_created& x) -> R {
            if (auto why = association(x.association_id)) return why;
            if (s.association(x.association_id)->rules.count(x.type))
              return "association " + x.association_id + " already has a " +
                     std::string(to_string(x.type)) + " rule";
            return std::nullopt;
          },
          [&](const events::association_rule_updated& x) -> R {
            return association_rule(x.association_id, x.type);
          },
          [&](const events::association_rule_deleted& x) -> R {
            return association_rule(x.association_id, x.type);
          },
          [&](const events::analysis_template_created& x) -> R {
            if (!live) return "no live collaboration to publish a template in";
            const auto* m = s.membership(x.membership_id);
            if (!m || m->status != membership_status::active || m->account != x.account)
              return "membership " + x.membership_id + " is not an ACTIVE membership of " +
                     x.account;
            if (s.templates.count(x.template_id)) return "template id reused";
            return std::nullopt;
          },
          [&](const events::analysis_template_updated& x) -> R { return templ(x.template_id); },
          [&](const events::analysis_template_deleted& x) -> R { return templ(x.template_id); },
          [&](const events::change_request_created& x) -> R {
            if (!live) return "no live collaboration to change";
            if (s.change_requests.count(x.change_request_id)) return "change request id reused";
            return std::nullopt;
          },
          [&](const events::change_request_voted& x) -> R {
            if (auto why = request_in(x.change_request_id, {change_request_status::pending}))
              return why;
            const auto& votes = s.change_requests.at(x.change_request_id).approvals;
            auto v = votes.find(x.account);
            if (v == votes.end() || v->second != approval_status::pending)
              return "account " + x.account + " has no pending vote";
            return std::nullopt;
          },
          [&](const events::change_request_approved& x) -> R {
            return request_in(x.change_request_id, {change_request_status::pending});
          },
          [&](const events::change_request_denied& x) -> R {
            return request_in(x.change_request_id, {change_request_status::pending});
          },
          [&](const events::change_request_cancelled& x) -> R {
            return request_in(x.change_request_id,
                              {change_request_status::pending, change_request_status::approved});
          },
          [&](const events::change_request_committed& x) -> R {
            return request_in(x.change_request_id, {change_request_status::approved});
          },
          [&](const events::member_abilities_changed& x) -> R {
            const auto* m = s.member(x.account);
            if (!live || !m ||
                (m->status != member_status::invited && m->status != member_status::active))
              return "account " + x.account + " is not an INVITED or ACTIVE member";
            return std::nullopt;
          },
          [&](const events::auto_approved_changed&) -> R {
            if (!live) return "no live collaboration to change";
            return std::nullopt;
          },
          [&](const events::query_started& x) -> R {
            if (!live) return "no live collaboration to query";
            if (auto why = membership(x.membership_id)) return why;
            if (s.queries.count(x.query_id)) return "protected query id reused";
            if (x.receivers.size() != x.receiver_memberships.size())
              return "receivers and receiver memberships differ in length";
            for (const auto& id : x.associations)
              if (!s.associations.count(id)) return "the query reads an unknown association " + id;
            return std::nullopt;
          },
          [&](const events::query_running& x) -> R {
            return query_in(x.query_id, {query_status::submitted});
          },
          [&](const events::query_cancel_requested& x) -> R {
            return query_in(x.query_id, {query_status::started});
          },
          [&](const events::query_completed& x) -> R {
            if (!is_terminal(x.status)) return "a completion with a non-terminal status";
            return query_in(x.query_id, {query_status::submitted, query_status::started,
                                         query_status::cancelling});
          },
          [&](const events::configured_table_created&) -> R { return foreign(); },
          [&](const events::configured_table_updated&) -> R { return foreign(); },
          [&](const events::configured_table_deleted&) -> R { return foreign(); },
          [&](const events::analysis_rule_created&) -> R { return foreign(); },
          [&](const events::analysis_rule_updated&) -> R { return foreign(); },
          [&](const events::analysis_rule_deleted&) -> R { return foreign(); },
      },
      e);
}

}  // namespace crs::collaboration
