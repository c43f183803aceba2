#include "sim/model.hpp"

#include <algorithm>

namespace crs::sim {
namespace {

const expectation ok{200, ""};
const expectation no_content{204, ""};
const expectation denied{403, "AccessDeniedException"};
const expectation not_found{404, "ResourceNotFoundException"};
const expectation conflict{409, "ConflictException"};
const expectation invalid{400, "ValidationException"};
const expectation over_quota{402, "ServiceQuotaExceededException"};

bool gone(const m_member* m) {
  return m && (m->status == m_status::left || m->status == m_status::removed);
}
bool open(m_cr_status s) {
  return s == m_cr_status::pending || s == m_cr_status::approved;
}
const char* change_type(const m_change_request& r) {
  if (r.add) return "ADD_MEMBER";
  return r.receive ? "GRANT_RECEIVE_RESULTS_ABILITY" : "REVOKE_RECEIVE_RESULTS_ABILITY";
}
// "Members invited per collaboration": invitees (not the creator) still INVITED or ACTIVE.
std::size_t invitees(const m_collaboration& c) {
  return static_cast<std::size_t>(
      std::count_if(c.members.begin(), c.members.end(), [&](const m_member& m) {
        return m.account != c.creator &&
               (m.status == m_status::invited || m.status == m_status::active);
      }));
}
// SPEC.md 16.4: every vote that still counts is APPROVED (a pending vote of a member who left or
// was removed no longer counts).
bool all_approved(const m_collaboration& c, const m_change_request& r) {
  for (const auto& [voter, vote] : r.votes) {
    if (vote == m_vote::pending && gone(c.member(voter))) continue;
    if (vote != m_vote::approved) return false;
  }
  return true;
}
// Whether a committed change still applies (UpdateCollaborationChangeRequest re-checks).
bool still_applies(const m_collaboration& c, const m_change_request& r, std::size_t quota) {
  const auto* m = c.member(r.account);
  if (r.add) return !m && invitees(c) + 1 <= quota;
  if (!m || gone(m)) return false;
  return m->can_receive != r.receive && invitees(c) <= quota;
}

}  // namespace

const char* op_name(op_kind k) {
  switch (k) {
    case op_kind::create_collaboration:
      return "CreateCollaboration";
    case op_kind::get_collaboration:
      return "GetCollaboration";
    case op_kind::update_collaboration:
      return "UpdateCollaboration";
    case op_kind::delete_collaboration:
      return "DeleteCollaboration";
    case op_kind::delete_member:
      return "DeleteMember";
    case op_kind::create_membership:
      return "CreateMembership";
    case op_kind::delete_membership:
      return "DeleteMembership";
    case op_kind::create_change_request:
      return "CreateCollaborationChangeRequest";
    case op_kind::update_change_request:
      return "UpdateCollaborationChangeRequest";
    case op_kind::malformed:
      return "Malformed";
    case op_kind::create_configured_table:
      return "CreateConfiguredTable";
    case op_kind::create_table_rule:
      return "CreateConfiguredTableAnalysisRule";
    case op_kind::delete_table_rule:
      return "DeleteConfiguredTableAnalysisRule";
    case op_kind::create_association:
      return "CreateConfiguredTableAssociation";
    case op_kind::delete_association:
      return "DeleteConfiguredTableAssociation";
    case op_kind::start_query:
      return "StartProtectedQuery";
    case op_kind::cancel_query:
      return "UpdateProtectedQuery";
    case op_kind::begin_query:
      return "engine:BeginQuery";
    case op_kind::finish_query:
      return "engine:FinishQuery";
    case op_kind::update_membership:
      return "UpdateMembership";
    case op_kind::list_members:
      return "ListMembers";
    case op_kind::get_membership:
      return "GetMembership";
    case op_kind::list_memberships:
      return "ListMemberships";
    case op_kind::list_collaborations:
      return "ListCollaborations";
    case op_kind::list_schemas:
      return "ListSchemas";
    case op_kind::list_associations:
      return "ListConfiguredTableAssociations";
    case op_kind::list_change_requests:
      return "ListCollaborationChangeRequests";
    case op_kind::list_queries:
      return "ListProtectedQueries";
    case op_kind::tag_resource:
      return "TagResource";
    case op_kind::untag_resource:
      return "UntagResource";
    case op_kind::list_tags:
      return "ListTagsForResource";
  }
  return "?";
}

const char* status_name(m_status s) {
  static const char* names[] = {"INVITED", "ACTIVE", "LEFT", "REMOVED"};
  return names[static_cast<int>(s)];
}
const char* status_name(m_membership_status s) {
  static const char* names[] = {"ACTIVE", "REMOVED", "COLLABORATION_DELETED"};
  return names[static_cast<int>(s)];
}
const char* status_name(m_cr_status s) {
  static const char* names[] = {"PENDING", "APPROVED", "DENIED", "CANCELLED", "COMMITTED"};
  return names[static_cast<int>(s)];
}
const char* status_name(m_vote v) {
  static const char* names[] = {"PENDING", "APPROVED", "DENIED"};
  return names[static_cast<int>(v)];
}
const char* status_name(m_query_status s) {
  static const char* names[] = {"SUBMITTED", "STARTED", "CANCELLING", "CANCELLED",
                                "SUCCESS",   "FAILED",  "TIMED_OUT"};
  return names[static_cast<int>(s)];
}

std::string collaboration_arn(const std::string& creator, const std::string& id) {
  return "arn:aws:cleanrooms:us-east-1:" + creator + ":collaboration/" + id;
}
std::string membership_arn(const std::string& account, const std::string& id) {
  return "arn:aws:cleanrooms:us-east-1:" + account + ":membership/" + id;
}

const char* action_name(cr_action a) {
  switch (a) {
    case cr_action::approve:
      return "APPROVE";
    case cr_action::deny:
      return "DENY";
    case cr_action::cancel:
      return "CANCEL";
    case cr_action::commit:
      return "COMMIT";
  }
  return "?";
}

const m_member* m_collaboration::member(const std::string& account) const {
  for (const auto& m : members)
    if (m.account == account) return &m;
  return nullptr;
}
m_member* m_collaboration::member(const std::string& account) {
  for (auto& m : members)
    if (m.account == account) return &m;
  return nullptr;
}
bool m_collaboration::visible_to(const std::string& account) const {
  const auto* m = member(account);
  return !deleted && m && (m->status == m_status::invited || m->status == m_status::active);
}
std::optional<std::string> m_collaboration::query_payer() const {
  for (const auto& m : members)
    if (m.pays_queries == true) return m.account;
  for (const auto& m : members)
    if (m.can_query) return m.account;
  return std::nullopt;
}

std::size_t reference_model::created_by(const std::string& account) const {
  auto it = created_.find(account);
  return it == created_.end() ? 0 : it->second;
}

const m_collaboration* reference_model::find(const std::string& id) const {
  auto it = collabs_.find(id);
  return it == collabs_.end() ? nullptr : &it->second;
}

const std::set<std::string>& reference_model::memberships_of(const std::string& account) const {
  static const std::set<std::string> none;
  auto it = memberships_by_account_.find(account);
  return it == memberships_by_account_.end() ? none : it->second;
}

expectation reference_model::predict(const operation& op) const {
  const auto* c = find(op.collaboration_id);
  switch (op.kind) {
    case op_kind::malformed:
      return invalid;
    case op_kind::create_collaboration:
      return create_collaboration(op);
    case op_kind::get_collaboration:
      return c && c->visible_to(op.caller) ? ok : denied;
    case op_kind::update_collaboration:
    case op_kind::delete_collaboration:
      if (!c || !c->visible_to(op.caller) || c->creator != op.caller) return denied;
      return op.kind == op_kind::update_collaboration ? ok : no_content;
    case op_kind::delete_member:
      return delete_member(op);
    case op_kind::create_membership:
      return create_membership(op);
    case op_kind::delete_membership:
      return delete_membership(op);
    case op_kind::create_change_request:
      return create_change_request(op);
    case op_kind::update_change_request:
      return update_change_request(op);
    case op_kind::create_configured_table:
      return ok;
    case op_kind::create_table_rule: {
      auto t = tables_.find(op.table_id);
      if (t == tables_.end() || t->second.owner != op.caller) return not_found;
      return t->second.rule ? conflict : ok;
    }
    case op_kind::delete_table_rule: {
      auto t = tables_.find(op.table_id);
      if (t == tables_.end() || t->second.owner != op.caller || !t->second.rule) return not_found;
      // SPEC.md 9 strict mode, Q22: not while a query reads the table through an association.
      return strict_rule_deletion_ && read_by_unfinished_query(op.table_id) ? conflict : no_content;
    }
    case op_kind::create_association:
      return create_association(op);
    case op_kind::delete_association: {
      const auto* ms = owned(op.membership_id, op.caller);
      if (!ms) return not_found;
      const auto& a = collabs_.at(ms->collaboration_id).associations;
      auto it = a.find(op.association_id);
      if (it == a.end() || it->second.membership_id != ms->id) return not_found;
      // SPEC.md Q22: not while a query that reads its schema has not finished.
      for (const auto& [id, q] : collabs_.at(ms->collaboration_id).queries)
        if (q.unfinished() && q.association == op.association_id) return conflict;
      return no_content;
    }
    case op_kind::start_query:
      return start_query(op);
    case op_kind::cancel_query:
    case op_kind::begin_query:
    case op_kind::finish_query:
      return query_report(op);
    case op_kind::update_membership:
      return update_membership(op);
    case op_kind::list_members:  // INVITED and ACTIVE members see who else is in it
    case op_kind::list_change_requests:
      return c && c->visible_to(op.caller) ? ok : denied;
    case op_kind::get_membership:
    case op_kind::list_associations:
    case op_kind::list_queries:  // in every membership status
      return owned(op.membership_id, op.caller) ? ok : not_found;
    case op_kind::list_memberships:  // anyone: only the caller's own are listed
    case op_kind::list_collaborations:
      return ok;
    case op_kind::list_schemas: {  // SPEC.md 11: ACTIVE members of a live collaboration
      const auto* m = c && !c->deleted ? c->member(op.caller) : nullptr;
      return m && m->status == m_status::active ? ok : denied;
    }
    case op_kind::tag_resource:
    case op_kind::untag_resource:
    case op_kind::list_tags:
      return tagging(op);
  }
  return invalid;
}

// SPEC.md 6 CreateCollaboration, checks 2-6 (the per-account quota is set out of reach).
expectation reference_model::create_collaboration(const operation& op) const {
  std::set<std::string> seen{op.caller};
  std::size_t queriers = 0, payers = 0;
  for (std::size_t i = 0; i < op.members.size(); ++i) {
    const auto& m = op.members[i];
    if (i > 0 && !seen.insert(m.account).second) return invalid;  // repeated, or the caller
    queriers += m.can_query;
    payers += m.pays_queries == true;
  }
  if (queriers > 1 || payers > 1) return invalid;
  if (payers == 0)
    for (const auto& m : op.members)
      if (m.can_query && m.pays_queries == false) return invalid;  // SPEC.md 19.1 rule 2
  if (op.members.size() - 1 > members_quota) return over_quota;
  if (created_by(op.caller) >= collaborations_quota) return over_quota;
  return ok;
}

// SPEC.md 7 CreateMembership, checks 2-5 and 19.3.
expectation reference_model::create_membership(const operation& op) const {
  const auto* c = find(op.collaboration_id);
  const auto* m = c ? c->member(op.caller) : nullptr;
  if (!c || c->deleted || !m) return denied;
  if (m->status == m_status::active) return conflict;
  if (m->status != m_status::invited) return denied;
  const bool responsible = c->query_payer() == op.caller;
  if (!op.accepts_payment) {
    if (responsible && !m->can_query) return invalid;
  } else if (*op.accepts_payment != responsible) {
    return invalid;
  }
  if (op.query_log == true && !c->query_log) return invalid;  // check 7: INVALID_CONFIGURATION
  return ok;
}

// SPEC.md 15: the reserved prefix is a shape error; then only the account in the ARN, and only
// for a resource that exists, else 404 (these operations model no 403).
expectation reference_model::tagging(const operation& op) const {
  for (const auto& [k, v] : op.tags)
    if (k.size() >= 4 && k.compare(0, 4, "aws:") == 0) return invalid;
  auto it = tags_.find(op.arn);
  const auto account = op.arn.substr(std::string_view("arn:aws:cleanrooms:us-east-1:").size(), 12);
  if (it == tags_.end() || account != op.caller) return not_found;
  expectation e = ok;
  if (op.kind == op_kind::tag_resource) e.writes = !op.tags.empty();
  if (op.kind == op_kind::untag_resource) {
    e.writes = false;
    for (const auto& k : op.tag_keys) e.writes = e.writes || it->second.count(k) > 0;
  }
  return e;
}

// SPEC.md 7 UpdateMembership: the owner's, ACTIVE, and the settings CreateMembership allows. A
// call that supplies nothing changes nothing.
expectation reference_model::update_membership(const operation& op) const {
  const auto* ms = owned(op.membership_id, op.caller);
  if (!ms) return not_found;
  if (ms->status != m_membership_status::active) return denied;
  if (op.query_log == true && !collabs_.at(ms->collaboration_id).query_log) return invalid;
  expectation e = ok;
  e.writes = op.query_log.has_value();
  return e;
}

// SPEC.md 7 DeleteMembership: associations and running queries block it.
expectation reference_model::delete_membership(const operation& op) const {
  auto it = memberships_.find(op.membership_id);
  if (it == memberships_.end() || it->second.account != op.caller) return not_found;
  const auto* c = find(it->second.collaboration_id);
  if (c && !c->deleted && c->creator == op.caller) return conflict;
  for (const auto& [id, a] : c->associations)
    if (a.membership_id == op.membership_id) return conflict;  // SUBRESOURCES_EXIST
  for (const auto& [id, q] : c->queries)
    if (q.membership_id == op.membership_id && q.unfinished()) return conflict;  // INVALID_STATE
  return no_content;
}

// SPEC.md 6 DeleteMember.
expectation reference_model::delete_member(const operation& op) const {
  const auto* c = find(op.collaboration_id);
  if (!c || !c->visible_to(op.caller) || c->creator != op.caller) return denied;
  if (op.account == c->creator) return invalid;
  const auto* m = c->member(op.account);
  if (!m) return not_found;
  if (gone(m)) return conflict;
  return no_content;
}

// SPEC.md 14 CreateCollaborationChangeRequest with one MEMBER change.
expectation reference_model::create_change_request(const operation& op) const {
  const auto* c = find(op.collaboration_id);
  if (!c || !c->visible_to(op.caller) || c->creator != op.caller) return denied;
  if (c->member(op.caller)->status != m_status::active) return denied;
  if (op.account == c->creator) return invalid;
  const auto* m = c->member(op.account);
  if (!m && !op.with_display_name) return invalid;
  if (gone(m)) return invalid;
  if (m && m->can_receive == op.receive) return invalid;
  for (const auto& [id, r] : c->change_requests)
    if (open(r.status) && r.account == op.account) return conflict;
  if (invitees(*c) + (m ? 0 : 1) > members_quota) return over_quota;
  return ok;
}

// SPEC.md 14 UpdateCollaborationChangeRequest.
expectation reference_model::update_change_request(const operation& op) const {
  const auto* c = find(op.collaboration_id);
  if (!c || !c->visible_to(op.caller)) return denied;
  auto it = c->change_requests.find(op.change_request_id);
  if (it == c->change_requests.end()) return not_found;
  const auto& r = it->second;
  switch (op.action) {
    case cr_action::approve:
    case cr_action::deny: {
      if (op.caller == c->creator) return denied;
      auto v = r.votes.find(op.caller);
      if (v == r.votes.end()) return denied;
      if (r.status != m_cr_status::pending || v->second != m_vote::pending) return conflict;
      return ok;
    }
    case cr_action::cancel:
      if (op.caller != c->creator) return denied;
      return open(r.status) ? ok : conflict;
    case cr_action::commit:
      if (op.caller != c->creator) return denied;
      if (r.status != m_cr_status::approved) return conflict;
      return still_applies(*c, r, members_quota) ? ok : conflict;
  }
  return invalid;
}

const m_membership* reference_model::owned(const std::string& id, const std::string& caller) const {
  auto it = memberships_.find(id);
  return it == memberships_.end() || it->second.account != caller ? nullptr : &it->second;
}

bool reference_model::schema_visible(const m_collaboration& c, const std::string& name) const {
  for (const auto& [id, a] : c.associations)
    if (a.name == name && memberships_.at(a.membership_id).status == m_membership_status::active)
      return true;
  return false;
}

// SPEC.md 10 CreateConfiguredTableAssociation: the membership (from the projections), the
// table (the table actor's check), then the collaboration's decision.
expectation reference_model::create_association(const operation& op) const {
  const auto* ms = owned(op.membership_id, op.caller);
  if (!ms) return not_found;
  if (ms->status != m_membership_status::active) return denied;
  auto t = tables_.find(op.table_id);
  if (t == tables_.end() || t->second.owner != op.caller) return not_found;
  const auto& c = collabs_.at(ms->collaboration_id);
  if (schema_visible(c, op.schema)) return conflict;
  std::size_t mine = 0;
  for (const auto& [id, a] : c.associations) {
    if (a.membership_id != ms->id) continue;
    ++mine;
    if (a.table_id == op.table_id) return conflict;
  }
  if (mine >= 25) return over_quota;
  return ok;
}

std::vector<std::string> reference_model::tables_read_in(
    const std::string& collaboration_id) const {
  std::vector<std::string> out;
  const auto* c = find(collaboration_id);
  if (!c) return out;
  for (auto it = unfinished_.lower_bound({collaboration_id, std::string()});
       it != unfinished_.end() && it->first == collaboration_id; ++it) {
    auto a = c->associations.find(c->queries.at(it->second).association);
    if (a != c->associations.end()) out.push_back(a->second.table_id);
  }
  return out;
}

bool reference_model::read_by_unfinished_query(const std::string& table_id) const {
  for (const auto& [cid, qid] : unfinished_) {
    const auto& c = collabs_.at(cid);
    auto a = c.associations.find(c.queries.at(qid).association);
    if (a != c.associations.end() && a->second.table_id == table_id) return true;
  }
  return false;
}

// SPEC.md 12 StartProtectedQuery, checks 2-9 for a query string on one table.
expectation reference_model::start_query(const operation& op) const {
  const auto* ms = owned(op.membership_id, op.caller);
  if (!ms) return not_found;
  if (ms->status != m_membership_status::active) return denied;
  const auto& c = collabs_.at(ms->collaboration_id);
  const auto* me = c.member(op.caller);
  if (!me || !me->can_query) return denied;
  const auto payer = c.query_payer();
  const auto* paying = payer ? c.member(*payer) : nullptr;
  if (!paying || paying->status != m_status::active) return invalid;
  if (me->can_receive) {
    if (!op.with_output) return invalid;  // no defaultResultConfiguration in the workload
  } else {
    if (op.with_output) return invalid;  // s3 only for a result receiver
    bool receiver = false;
    for (const auto& m : c.members)
      receiver = receiver || (m.status == m_status::active && m.can_receive);
    if (!receiver) return invalid;
  }
  bool readable = false;  // a visible schema whose table has a rule that allows the caller
  for (const auto& [id, a] : c.associations)
    if (a.name == op.schema &&
        memberships_.at(a.membership_id).status == m_membership_status::active)
      readable = tables_.count(a.table_id) && tables_.at(a.table_id).rule;
  if (!readable) return invalid;  // INVALID_QUERY
  std::size_t ongoing = 0;
  for (const auto& [id, q] : c.queries) ongoing += q.membership_id == ms->id && q.unfinished();
  if (ongoing >= 5) return over_quota;
  return ok;
}

// UpdateProtectedQuery (CANCELLED) and the engine's reports (SPEC.md 16.3).
expectation reference_model::query_report(const operation& op) const {
  const auto* c = find(op.collaboration_id);
  if (op.kind == op_kind::cancel_query) {
    const auto* ms = owned(op.membership_id, op.caller);
    if (!ms) return not_found;
    c = find(ms->collaboration_id);
  }
  auto it = c ? c->queries.find(op.query_id) : decltype(c->queries.end()){};
  if (!c || it == c->queries.end()) return not_found;
  const auto& q = it->second;
  expectation no_op = ok;
  no_op.writes = false;
  switch (op.kind) {
    case op_kind::cancel_query:
      if (q.membership_id != op.membership_id) return not_found;
      if (q.status == m_query_status::submitted || q.status == m_query_status::started) return ok;
      if (q.status == m_query_status::cancelling || q.status == m_query_status::cancelled)
        return no_op;
      return conflict;
    case op_kind::begin_query:
      if (q.status == m_query_status::submitted || q.status == m_query_status::cancelling)
        return ok;
      if (q.status == m_query_status::started) return no_op;
      return conflict;
    default:  // finish_query
      return q.unfinished() ? ok : conflict;
  }
}

void reference_model::set_status(m_collaboration& c, m_query& q, m_query_status s) {
  q.status = s;
  if (q.unfinished())
    unfinished_.insert({c.id, q.id});
  else
    unfinished_.erase({c.id, q.id});
}

void reference_model::cancel_unfinished(m_collaboration& c, const std::string& membership_id) {
  for (auto& [id, q] : c.queries)
    if (q.unfinished() && (membership_id.empty() || q.membership_id == membership_id))
      set_status(c, q, m_query_status::cancelled);
}

void reference_model::apply_commit(m_collaboration& c, const m_change_request& r) {
  if (r.add) {
    m_member m;
    m.account = r.account;
    m.can_receive = r.receive;
    c.members.push_back(std::move(m));
  } else if (auto* m = c.member(r.account)) {
    m->can_receive = r.receive;
  }
}

void reference_model::reevaluate(m_collaboration& c, const std::string& gone_account) {
  for (auto& [id, r] : c.change_requests) {
    if (r.status != m_cr_status::pending) continue;
    auto v = r.votes.find(gone_account);
    if (v == r.votes.end() || v->second != m_vote::pending) continue;
    if (all_approved(c, r)) r.status = m_cr_status::approved;
  }
}

void reference_model::apply(const operation& op, const std::string& fresh_id) {
  auto cit = collabs_.find(op.collaboration_id);
  m_collaboration* c = cit == collabs_.end() ? nullptr : &cit->second;
  switch (op.kind) {
    case op_kind::malformed:
    case op_kind::get_collaboration:
    case op_kind::update_collaboration:
    case op_kind::list_members:
    case op_kind::get_membership:
    case op_kind::list_memberships:
    case op_kind::list_collaborations:
    case op_kind::list_schemas:
    case op_kind::list_associations:
    case op_kind::list_change_requests:
    case op_kind::list_queries:
    case op_kind::list_tags:
      return;
    case op_kind::tag_resource:
      for (const auto& [k, v] : op.tags) tags_.at(op.arn)[k] = v;
      return;
    case op_kind::untag_resource:
      for (const auto& k : op.tag_keys) tags_.at(op.arn).erase(k);
      return;
    case op_kind::update_membership:
      if (op.query_log) memberships_.at(op.membership_id).query_log = *op.query_log;
      return;
    case op_kind::create_collaboration: {
      m_collaboration n;
      n.id = fresh_id;
      n.creator = op.caller;
      n.query_log = op.query_log == true;
      for (const auto& p : op.members) {
        m_member m;
        m.account = p.account;
        m.can_query = p.can_query;
        m.can_receive = p.can_receive;
        m.pays_queries = p.pays_queries;
        n.members.push_back(std::move(m));
      }
      n.auto_approved.insert(op.auto_approved.begin(), op.auto_approved.end());
      collabs_[fresh_id] = std::move(n);
      collab_order_.push_back(fresh_id);
      tags_[collaboration_arn(op.caller, fresh_id)];
      ++created_[op.caller];
      return;
    }
    case op_kind::delete_collaboration:
      c->deleted = true;
      tags_.erase(collaboration_arn(c->creator, c->id));
      --created_[c->creator];
      for (auto& [id, ms] : memberships_)
        if (ms.collaboration_id == c->id && ms.status == m_membership_status::active)
          ms.status = m_membership_status::collaboration_deleted;
      for (auto& [id, r] : c->change_requests)
        if (open(r.status)) r.status = m_cr_status::cancelled;
      cancel_unfinished(*c, "");
      return;
    case op_kind::delete_member: {
      auto* m = c->member(op.account);
      m->status = m_status::removed;
      if (m->membership_id) {
        memberships_.at(*m->membership_id).status = m_membership_status::removed;
        cancel_unfinished(*c, *m->membership_id);
      }
      reevaluate(*c, op.account);
      return;
    }
    case op_kind::create_membership: {
      auto* m = c->member(op.caller);
      m->status = m_status::active;
      m->membership_id = fresh_id;
      memberships_[fresh_id] = m_membership{fresh_id, c->id, op.caller, m_membership_status::active,
                                            op.query_log == true};
      memberships_by_account_[op.caller].insert(fresh_id);
      membership_order_.push_back(fresh_id);
      tags_[membership_arn(op.caller, fresh_id)];
      return;
    }
    case op_kind::delete_membership: {
      auto it = memberships_.find(op.membership_id);
      auto& owner = collabs_.at(it->second.collaboration_id);
      auto* m = owner.member(op.caller);
      m->membership_id.reset();
      tags_.erase(membership_arn(op.caller, op.membership_id));
      const bool leaves = !owner.deleted && m->status == m_status::active;
      memberships_by_account_[it->second.account].erase(op.membership_id);
      memberships_.erase(it);
      if (leaves) {
        m->status = m_status::left;
        reevaluate(owner, op.caller);
      }
      return;
    }
    case op_kind::create_change_request: {
      m_change_request r;
      r.id = fresh_id;
      r.account = op.account;
      r.add = c->member(op.account) == nullptr;
      r.receive = op.receive;
      r.created = c->change_requests.size();
      if (c->auto_approved.count(change_type(r))) {
        r.status = m_cr_status::committed;
        apply_commit(*c, r);
      } else {
        for (const auto& m : c->members)
          if (m.status == m_status::active && m.account != c->creator)
            r.votes[m.account] = m_vote::pending;
        r.status = r.votes.empty() ? m_cr_status::approved : m_cr_status::pending;
      }
      c->change_requests[fresh_id] = std::move(r);
      return;
    }
    case op_kind::create_configured_table:
      tables_[fresh_id] = m_table{fresh_id, op.caller, false};
      table_order_.push_back(fresh_id);
      return;
    case op_kind::create_table_rule:
      tables_.at(op.table_id).rule = true;
      return;
    case op_kind::delete_table_rule:
      tables_.at(op.table_id).rule = false;
      return;
    case op_kind::create_association: {
      auto& owner = collabs_.at(memberships_.at(op.membership_id).collaboration_id);
      owner.associations[fresh_id] = m_association{fresh_id, op.membership_id, op.table_id,
                                                   op.schema, owner.associations_created++};
      return;
    }
    case op_kind::delete_association:
      collabs_.at(memberships_.at(op.membership_id).collaboration_id)
          .associations.erase(op.association_id);
      return;
    case op_kind::start_query: {
      auto& owner = collabs_.at(memberships_.at(op.membership_id).collaboration_id);
      const auto created = owner.queries.size();
      auto& q = owner.queries[fresh_id];
      q.id = fresh_id;
      q.membership_id = op.membership_id;
      q.created = created;
      for (const auto& [id, a] : owner.associations)
        if (a.name == op.schema &&
            memberships_.at(a.membership_id).status == m_membership_status::active)
          q.association = id;
      if (owner.member(op.caller)->can_receive) {
        q.receivers = {op.caller};
        q.receiver_memberships = {op.membership_id};
      } else {
        for (const auto& m : owner.members)
          if (m.status == m_status::active && m.can_receive) {
            q.receivers.push_back(m.account);
            q.receiver_memberships.push_back(m.membership_id.value_or(""));
          }
      }
      set_status(owner, q, m_query_status::submitted);
      return;
    }
    case op_kind::cancel_query: {
      auto& owner = collabs_.at(memberships_.at(op.membership_id).collaboration_id);
      auto& q = owner.queries.at(op.query_id);
      if (q.status == m_query_status::submitted)
        set_status(owner, q, m_query_status::cancelled);
      else if (q.status == m_query_status::started)
        set_status(owner, q, m_query_status::cancelling);
      return;
    }
    case op_kind::begin_query: {
      auto& q = c->queries.at(op.query_id);
      if (q.status == m_query_status::submitted)
        set_status(*c, q, m_query_status::started);
      else if (q.status == m_query_status::cancelling)
        set_status(*c, q, m_query_status::cancelled);
      return;
    }
    case op_kind::finish_query: {
      auto& q = c->queries.at(op.query_id);
      m_query_status to = op.finish_status == "SUCCESS"  ? m_query_status::success
                          : op.finish_status == "FAILED" ? m_query_status::failed
                                                         : m_query_status::timed_out;
      if (q.status == m_query_status::cancelling) to = m_query_status::cancelled;
      set_status(*c, q, to);
      return;
    }
    case op_kind::update_change_request: {
      auto& r = c->change_requests.at(op.change_request_id);
      switch (op.action) {
        case cr_action::approve:
          r.votes[op.caller] = m_vote::approved;
          if (all_approved(*c, r)) r.status = m_cr_status::approved;
          return;
        case cr_action::deny:
          r.votes[op.caller] = m_vote::denied;
          r.status = m_cr_status::denied;
          return;
        case cr_action::cancel:
          r.status = m_cr_status::cancelled;
          return;
        case cr_action::commit:
          apply_commit(*c, r);
          r.status = m_cr_status::committed;
          return;
      }
    }
  }
}

}  // namespace crs::sim
