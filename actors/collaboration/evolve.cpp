// evolve: the only way state changes. Pure: every input is in the event and its time.
#include <algorithm>
#include <cctype>
#include "events/overloaded.hpp"

#include "actors/collaboration/state.hpp"

namespace crs::collaboration {
namespace {

void set_request_status(state& s, const std::string& id, change_request_status status, time_ms at) {
  auto it = s.change_requests.find(id);
  if (it == s.change_requests.end()) return;
  it->second.status = status;
  it->second.update_time = at;
}

query_record* set_query_status(state& s, const std::string& id, query_status status, time_ms at) {
  auto it = s.queries.find(id);
  if (it == s.queries.end()) return nullptr;
  it->second.status = status;
  it->second.update_time = at;
  return &it->second;
}

}  // namespace

const member_record* state::member(std::string_view account) const {
  for (const auto& m : members)
    if (m.spec.account == account) return &m;
  return nullptr;
}

member_record* state::member(std::string_view account) {
  for (auto& m : members)
    if (m.spec.account == account) return &m;
  return nullptr;
}

const membership_record* state::membership(std::string_view id) const {
  auto it = memberships.find(std::string(id));
  return it == memberships.end() ? nullptr : &it->second;
}

const association_record* state::association(std::string_view id) const {
  auto it = associations.find(std::string(id));
  return it == associations.end() ? nullptr : &it->second;
}

const association_record* state::association_named(std::string_view name) const {
  auto same = [&](const std::string& other) {
    return other.size() == name.size() &&
           std::equal(other.begin(), other.end(), name.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) ==
                    std::tolower(static_cast<unsigned char>(b));
           });
  };
  for (const auto& [id, a] : associations) {
    const auto* ms = membership(a.membership_id);
    if (same(a.name) && ms && ms->status == membership_status::active) return &a;
  }
  return nullptr;
}

const query_record* state::unfinished_reader(std::string_view association_id) const {
  for (const auto& [id, q] : queries)
    if (!is_terminal(q.status) && std::find(q.associations.begin(), q.associations.end(),
                                            association_id) != q.associations.end())
      return &q;
  return nullptr;
}

bool state::visible_to(std::string_view account) const {
  if (!created || deleted) return false;
  const auto* m = member(account);
  return m && (m->status == member_status::invited || m->status == member_status::active);
}

std::string stream_id(std::string_view collaboration_id) {
  return "collaboration-" + std::string(collaboration_id);
}

namespace {
// "arn:aws:cleanrooms:<region>:<account><kind><id>", in one allocation: every rendered row of a
// membership carries two ARNs, and growing the string piece by piece was a visible share of a
// projection rebuild.
std::string make_arn(std::string_view region, std::string_view account, std::string_view kind,
                     std::string_view id) {
  constexpr std::string_view head = "arn:aws:cleanrooms:";
  std::string arn;
  arn.reserve(head.size() + region.size() + 1 + account.size() + kind.size() + id.size());
  arn.append(head).append(region).append(":").append(account).append(kind).append(id);
  return arn;
}
}  // namespace

std::string make_collaboration_arn(std::string_view region, std::string_view account,
                                   std::string_view id) {
  return make_arn(region, account, ":collaboration/", id);
}

std::string make_membership_arn(std::string_view region, std::string_view account,
                                std::string_view id) {
  return make_arn(region, account, ":membership/", id);
}

std::string association_arn(const association_record& a) {
  return make_membership_arn(a.region, a.account, a.membership_id) +
         "/configuredtableassociation/" + a.id;
}

std::string template_arn(const template_record& t) {
  return make_membership_arn(t.region, t.account, t.membership_id) + "/analysistemplate/" + t.id;
}

std::string collaboration_arn(const state& s) {
  return make_collaboration_arn(s.info.region, s.info.creator, s.info.collaboration_id);
}

std::string membership_arn(const membership_record& m) {
  return make_membership_arn(m.region, m.account, m.id);
}

namespace {
planted_bug planted = planted_bug::none;  // see plant_bug_for_tests
}  // namespace

void plant_bug_for_tests(planted_bug bug) {
  planted = bug;
}
planted_bug planted_bug_for_tests() {
  return planted;
}

void apply(state& s, const events::event_payload& event, time_ms at) {
  std::visit(overloaded{
                 [&](const events::collaboration_created& e) {
                   s.created = true;
                   s.info = e;
                   s.create_time = s.update_time = at;
                   s.tags[collaboration_arn(s)];  // the collaboration is taggable from now on
                 },
                 [&](const events::member_invited& e) {
                   s.members.push_back(member_record{e.member, member_status::invited, {}, at, at});
                 },
                 [&](const events::payment_assigned& e) {
                   s.payers[static_cast<int>(e.dimension)] = payer{e.account, e.accepted};
                 },
                 [&](const events::membership_created& e) {
                   membership_record m;
                   m.id = e.membership_id;
                   m.account = e.account;
                   m.region = e.region;
                   m.query_log = e.query_log;
                   m.job_log = e.job_log;
                   m.default_result = e.default_result;
                   m.default_job_result = e.default_job_result;
                   m.payment = e.payment;
                   m.metrics_enabled = e.metrics_enabled;
                   m.create_time = m.update_time = at;
                   s.tags[membership_arn(m)];
                   s.memberships[m.id] = std::move(m);
                   if (auto* mem = s.member(e.account)) {
                     mem->status = member_status::active;
                     mem->membership_id = e.membership_id;
                     mem->update_time = at;
                   }
                 },
                 [&](const events::membership_updated& e) {
                   auto it = s.memberships.find(e.membership_id);
                   if (it == s.memberships.end()) return;
                   auto& m = it->second;
                   if (e.query_log) m.query_log = *e.query_log;
                   if (e.job_log) m.job_log = e.job_log;
                   if (e.default_result) m.default_result = e.default_result;
                   if (e.default_job_result) m.default_job_result = e.default_job_result;
                   m.update_time = at;
                 },
                 [&](const events::membership_status_changed& e) {
                   auto it = s.memberships.find(e.membership_id);
                   if (it == s.memberships.end()) return;
                   it->second.status = e.status;
                   it->second.update_time = at;
                 },
                 [&](const events::membership_deleted& e) {
                   auto it = s.memberships.find(e.membership_id);
                   if (it == s.memberships.end()) return;
                   s.tags.erase(membership_arn(it->second));
                   s.memberships.erase(it);
                   if (auto* mem = s.member(e.account)) mem->membership_id.reset();
                 },
                 [&](const events::member_left& e) {
                   if (auto* mem = s.member(e.account)) {
                     if (planted == planted_bug::member_left_stays_active) return;
                     mem->status = member_status::left;
                     mem->update_time = at;
                   }
                 },
                 [&](const events::member_removed& e) {
                   if (auto* mem = s.member(e.account)) {
                     if (planted == planted_bug::invitee_removal_ignored &&
                         mem->status == member_status::invited)
                       return;
                     mem->status = member_status::removed;
                     mem->update_time = at;
                   }
                 },
                 [&](const events::collaboration_updated& e) {
                   if (e.name) s.info.name = *e.name;
                   if (e.description) s.info.description = *e.description;
                   if (e.engine) s.info.engine = e.engine;
                   s.update_time = at;
                 },
                 [&](const events::collaboration_deleted&) {
                   s.deleted = true;
                   s.tags.erase(collaboration_arn(s));
                 },
                 [&](const events::tags_changed& e) {
                   auto& tags = s.tags[e.resource_arn];
                   for (const auto& [k, v] : e.set) tags[k] = v;
                   for (const auto& k : e.removed) tags.erase(k);
                 },
                 [&](const events::association_created& e) {
                   association_record a;
                   a.id = e.association_id;
                   a.membership_id = e.membership_id;
                   a.configured_table_id = e.configured_table_id;
                   a.account = e.account;
                   a.region = e.region;
                   a.name = e.name;
                   a.description = e.description;
                   a.role_arn = e.role_arn;
                   a.create_time = a.update_time = at;
                   s.tags[association_arn(a)];
                   s.associations[a.id] = std::move(a);
                 },
                 [&](const events::association_updated& e) {
                   auto it = s.associations.find(e.association_id);
                   if (it == s.associations.end()) return;
                   if (e.description) it->second.description = e.description;
                   if (e.role_arn) it->second.role_arn = *e.role_arn;
                   it->second.update_time = at;
                 },
                 [&](const events::association_deleted& e) {
                   auto it = s.associations.find(e.association_id);
                   if (it == s.associations.end()) return;
                   s.tags.erase(association_arn(it->second));
                   s.associations.erase(it);
                 },
                 [&](const events::association_rule_created& e) {
                   auto it = s.associations.find(e.association_id);
                   if (it == s.associations.end()) return;
                   it->second.rules[e.type] = association_rule_record{e.policy, at, at};
                 },
                 [&](const events::association_rule_updated& e) {
                   auto it = s.associations.find(e.association_id);
                   if (it == s.associations.end()) return;
                   auto r = it->second.rules.find(e.type);
                   if (r == it->second.rules.end()) return;
                   r->second.policy = e.policy;
                   r->second.update_time = at;
                 },
                 [&](const events::association_rule_deleted& e) {
                   auto it = s.associations.find(e.association_id);
                   if (it == s.associations.end()) return;
                   it->second.rules.erase(e.type);
                 },
                 [&](const events::analysis_template_created& e) {
                   template_record t;
                   t.id = e.template_id;
                   t.membership_id = e.membership_id;
                   t.account = e.account;
                   t.region = e.region;
                   t.name = e.name;
                   t.description = e.description;
                   t.format = e.format;
                   t.source = e.source;
                   t.referenced_tables = e.referenced_tables;
                   t.parameters = e.parameters;
                   t.detailed_errors = e.detailed_errors;
                   t.create_time = t.update_time = at;
                   s.tags[template_arn(t)];
                   s.templates[t.id] = std::move(t);
                 },
                 [&](const events::analysis_template_updated& e) {
                   auto it = s.templates.find(e.template_id);
                   if (it == s.templates.end()) return;
                   if (e.description) it->second.description = e.description;
                   it->second.update_time = at;
                 },
                 [&](const events::analysis_template_deleted& e) {
                   auto it = s.templates.find(e.template_id);
                   if (it == s.templates.end()) return;
                   s.tags.erase(template_arn(it->second));
                   s.templates.erase(it);
                 },
                 [&](const events::change_request_created& e) {
                   change_request_record r;
                   r.id = e.change_request_id;
                   r.changes = e.changes;
                   r.auto_approved = e.auto_approved;
                   r.status = e.status;
                   for (const auto& a : e.approvers) r.approvals[a] = approval_status::pending;
                   r.create_time = r.update_time = at;
                   s.change_requests[r.id] = std::move(r);
                 },
                 [&](const events::change_request_voted& e) {
                   auto it = s.change_requests.find(e.change_request_id);
                   if (it == s.change_requests.end()) return;
                   it->second.approvals[e.account] =
                       e.approve ? approval_status::approved : approval_status::denied;
                   it->second.update_time = at;
                 },
                 [&](const events::change_request_approved& e) {
                   set_request_status(s, e.change_request_id, change_request_status::approved, at);
                 },
                 [&](const events::change_request_denied& e) {
                   set_request_status(s, e.change_request_id, change_request_status::denied, at);
                 },
                 [&](const events::change_request_cancelled& e) {
                   set_request_status(s, e.change_request_id, change_request_status::cancelled, at);
                 },
                 [&](const events::change_request_committed& e) {
                   set_request_status(s, e.change_request_id, change_request_status::committed, at);
                 },
                 [&](const events::member_abilities_changed& e) {
                   if (auto* mem = s.member(e.account)) {
                     mem->spec.abilities = e.abilities;
                     mem->update_time = at;
                     if (mem->membership_id) {
                       auto ms = s.memberships.find(*mem->membership_id);
                       if (ms != s.memberships.end()) ms->second.update_time = at;
                     }
                   }
                 },
                 [&](const events::auto_approved_changed& e) {
                   s.info.auto_approved = e.types;
                   s.update_time = at;
                 },
                 [&](const events::query_started& e) {
                   query_record q;
                   q.id = e.query_id;
                   q.membership_id = e.membership_id;
                   q.account = e.account;
                   q.sql = e.sql;
                   q.output = e.output;
                   q.compute = e.compute;
                   q.receivers = e.receivers;
                   q.receiver_memberships = e.receiver_memberships;
                   q.associations = e.associations;
                   q.create_time = q.update_time = at;
                   s.queries[q.id] = std::move(q);
                 },
                 [&](const events::query_running& e) {
                   set_query_status(s, e.query_id, query_status::started, at);
                 },
                 [&](const events::query_cancel_requested& e) {
                   set_query_status(s, e.query_id, query_status::cancelling, at);
                 },
                 [&](const events::query_completed& e) {
                   auto status = e.status;
                   if (planted == planted_bug::cancelled_query_succeeds &&
                       status == query_status::cancelled)
                     status = query_status::success;
                   if (auto* q = set_query_status(s, e.query_id, status, at)) {
                     q->duration_ms = e.duration_ms;
                     q->result_location = e.result_location;
                     q->result_rows = e.result_rows;
                     q->error_code = e.error_code;
                     q->error_message = e.error_message;
                   }
                 },
                 // Events of other aggregates never reach this stream (check.cpp refuses them).
                 [&](const events::configured_table_created&) {},
                 [&](const events::configured_table_updated&) {},
                 [&](const events::configured_table_deleted&) {},
                 [&](const events::analysis_rule_created&) {},
                 [&](const events::analysis_rule_updated&) {},
                 [&](const events::analysis_rule_deleted&) {},
             },
             event);
  ++s.version;
}

state evolve(state s, const events::event_payload& e, time_ms at) {
  apply(s, e, at);
  return s;
}

// SPEC.md 19.2: queryCompute always; another dimension when configured for this member or
// when this member is its payer.
payment_config resolved_payment(const state& s, const member_record& m) {
  payment_config out;
  for (int d = 0; d < payment_dimension_count; ++d) {
    const auto& p = s.payers[d];
    const bool is_payer = p && p->account == m.spec.account;
    const bool configured = m.spec.payment && m.spec.payment->dims[d].has_value();
    if (d == static_cast<int>(payment_dimension::query_compute) || is_payer || configured)
      out.dims[d] = is_payer;
  }
  return out;
}

}  // namespace crs::collaboration
