#include "sim/reads.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include <boost/json.hpp>

namespace crs::sim {
namespace {

namespace json = boost::json;

std::string text(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string("<absent>");
}

// The strings of an array member (abilities, rule types), as a set.
std::set<std::string> string_set(const json::object& o, std::string_view key) {
  std::set<std::string> out;
  if (const auto* v = o.if_contains(key); v && v->is_array())
    for (const auto& a : v->get_array())
      if (a.is_string()) out.emplace(a.get_string());
  return out;
}
std::set<std::string> abilities(const m_member& m) {
  std::set<std::string> out;
  if (m.can_query) out.emplace("CAN_QUERY");
  if (m.can_receive) out.emplace("CAN_RECEIVE_RESULTS");
  return out;
}

// paymentConfiguration.queryCompute.isResponsible, or -1 when it is not there.
int pays(const json::object& o) {
  const auto* p = o.if_contains("paymentConfiguration");
  if (!p || !p->is_object()) return -1;
  const auto* q = p->get_object().if_contains("queryCompute");
  if (!q || !q->is_object()) return -1;
  const auto* r = q->get_object().if_contains("isResponsible");
  return r && r->is_bool() ? r->get_bool() : -1;
}

// The object under `key` of a Get's one answer, or nothing when the answer is not that shape.
std::optional<json::object> object_in(const std::vector<page>& pages, std::string_view key) {
  const json::value none;
  const auto& v = pages.size() == 1 ? pages.front().json : none;
  const auto* o = v.is_object() ? v.get_object().if_contains(key) : nullptr;
  if (!o || !o->is_object()) return std::nullopt;
  return o->get_object();
}

// What the checkers compare: the items of a read's pages, in order, where the pages hold them.
using items = std::vector<std::reference_wrapper<const json::object>>;

// The items of every page under `list`, in order; false if a page is not the expected shape or
// holds more than the maxResults asked (`limit`, 0: none asked).
bool items_of(const std::vector<page>& pages, std::string_view list, std::size_t limit, items& out,
              std::string& why) {
  for (const auto& p : pages) {
    const auto& v = p.json;
    const auto* items = v.is_object() ? v.get_object().if_contains(list) : nullptr;
    if (!items || !items->is_array()) {
      why = "a page without " + std::string(list) + ": " + p.body.substr(0, 200);
      return false;
    }
    if (limit && items->get_array().size() > limit) {
      why = "a page of " + std::to_string(items->get_array().size()) + " " + std::string(list) +
            ", maxResults was " + std::to_string(limit);
      return false;
    }
    for (const auto& item : items->get_array()) {
      if (!item.is_object()) {
        why = "an item of " + std::string(list) + " is no object";
        return false;
      }
      out.push_back(std::cref(item.get_object()));
    }
  }
  return true;
}

std::string members(const reference_model& model, const operation& op, std::size_t& compared,
                    const std::vector<page>& pages) {
  items got;
  std::string why;
  if (!items_of(pages, "memberSummaries", op.page_size, got, why)) return why;
  compared = got.size();
  const auto& c = model.collaborations().at(op.collaboration_id);
  if (got.size() != c.members.size())
    return std::to_string(got.size()) + " members listed, the model has " +
           std::to_string(c.members.size());
  const auto payer = c.query_payer();
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto& g = got[i];
    const auto& m = c.members[i];
    const std::string at = "member " + std::to_string(i) + " (" + m.account + "): ";
    if (text(g, "accountId") != m.account) return at + "listed as " + text(g, "accountId");
    if (text(g, "status") != status_name(m.status))
      return at + "status " + text(g, "status") + ", the model says " + status_name(m.status);
    if (string_set(g, "abilities") != abilities(m)) return at + "abilities differ from the model";
    const std::string want_ms = m.membership_id ? *m.membership_id : "<absent>";
    if (text(g, "membershipId") != want_ms)
      return at + "membershipId " + text(g, "membershipId") + ", the model says " + want_ms;
    if (pays(g) != (payer == m.account ? 1 : 0))
      return at + "paymentConfiguration.queryCompute.isResponsible differs from the model";
  }
  return {};
}

std::string membership(const reference_model& model, const operation& op, std::size_t& compared,
                       const std::vector<page>& pages) {
  const auto m = object_in(pages, "membership");
  if (!m) return "no membership object in the answer";
  const auto& g = *m;
  compared = 1;
  const auto& want = model.memberships().at(op.membership_id);
  const auto& c = model.collaborations().at(want.collaboration_id);
  const auto* member = c.member(want.account);
  if (text(g, "id") != want.id) return "membership id " + text(g, "id");
  if (text(g, "collaborationId") != want.collaboration_id)
    return "collaborationId " + text(g, "collaborationId") + ", the model says " +
           want.collaboration_id;
  if (text(g, "status") != status_name(want.status))
    return "status " + text(g, "status") + ", the model says " + status_name(want.status);
  if (text(g, "queryLogStatus") != (want.query_log ? "ENABLED" : "DISABLED"))
    return "queryLogStatus " + text(g, "queryLogStatus") + " differs from the model";
  if (!member || string_set(g, "memberAbilities") != abilities(*member))
    return "memberAbilities differ from the model";
  if (pays(g) != (c.query_payer() == want.account ? 1 : 0))
    return "paymentConfiguration.queryCompute.isResponsible differs from the model";
  return {};
}

std::string memberships(const reference_model& model, const operation& op, std::size_t& compared,
                        const std::vector<page>& pages) {
  items got;
  std::string why;
  if (!items_of(pages, "membershipSummaries", op.page_size, got, why)) return why;
  compared = got.size();
  std::map<std::string, std::string> want, seen;  // id -> status
  for (const auto& id : model.memberships_of(op.caller)) {
    const std::string status = status_name(model.memberships().at(id).status);
    if (op.status_filter.empty() || op.status_filter == status) want[id] = status;
  }
  for (const auto& g : got) {
    const auto id = text(g, "id");
    if (!seen.emplace(id, text(g, "status")).second) return "membership " + id + " listed twice";
    auto it = model.memberships().find(id);
    if (it != model.memberships().end() &&
        text(g, "collaborationId") != it->second.collaboration_id)
      return "membership " + id + " listed with collaborationId " + text(g, "collaborationId");
  }
  if (seen == want) return {};
  for (const auto& [id, status] : want) {
    auto it = seen.find(id);
    if (it == seen.end()) return "membership " + id + " (" + status + ") is not listed";
    if (it->second != status)
      return "membership " + id + " listed " + it->second + ", the model says " + status;
  }
  for (const auto& [id, status] : seen)
    if (!want.count(id)) return "membership " + id + " (" + status + ") listed, the model has not";
  return "listed memberships differ from the model";
}

// SPEC.md 6: the live collaborations where the caller is an INVITED or ACTIVE member (under the
// memberStatus filter), each with its creator, the caller's status and, once joined, its
// membership. The order is the server's (creation time), which the model does not keep.
std::string collaborations(const reference_model& model, const operation& op, std::size_t& compared,
                           const std::vector<page>& pages) {
  items got;
  std::string why;
  if (!items_of(pages, "collaborationList", op.page_size, got, why)) return why;
  compared = got.size();
  std::map<std::string, const m_member*> want;
  for (const auto& [id, c] : model.collaborations()) {
    const auto* m = c.member(op.caller);
    if (c.deleted || !m || (m->status != m_status::invited && m->status != m_status::active))
      continue;
    if (op.status_filter.empty() || op.status_filter == status_name(m->status)) want[id] = m;
  }
  std::set<std::string> seen;
  for (const auto& g : got) {
    const auto id = text(g, "id");
    if (!seen.insert(id).second) return "collaboration " + id + " listed twice";
    auto it = want.find(id);
    if (it == want.end()) return "collaboration " + id + " listed, the model has not";
    const m_member& m = *it->second;
    if (text(g, "memberStatus") != status_name(m.status))
      return "collaboration " + id + " listed with memberStatus " + text(g, "memberStatus") +
             ", the model says " + status_name(m.status);
    if (text(g, "creatorAccountId") != model.collaborations().at(id).creator)
      return "collaboration " + id + " listed with creator " + text(g, "creatorAccountId");
    const std::string membership = m.membership_id.value_or("<absent>");
    if (text(g, "membershipId") != membership)
      return "collaboration " + id + " listed with membershipId " + text(g, "membershipId") +
             ", the model says " + membership;
  }
  for (const auto& [id, m] : want)
    if (!seen.count(id))
      return "collaboration " + id + " (" + status_name(m->status) + ") is not listed";
  return {};
}

// SPEC.md 2.5: by createTime, newest first. `created` gives each listed item's place in
// creation order (the items are known to be the model's).
template <class Created>
std::string newest_first(const items& got, std::string_view key, const Created& created) {
  for (std::size_t i = 1; i < got.size(); ++i)
    if (created(text(got[i - 1], key)) < created(text(got[i], key)))
      return text(got[i], key) + " is listed after " + text(got[i - 1], key) + ", which is older";
  return {};
}

// SPEC.md 11: a schema per association whose membership is ACTIVE, named as the association,
// created by the membership's account, with the analysis rule types of its table (the workload
// gives tables a CUSTOM rule or none), newest first.
std::string schemas(const reference_model& model, const operation& op, std::size_t& compared,
                    const std::vector<page>& pages) {
  items got;
  std::string why;
  if (!items_of(pages, "schemaSummaries", op.page_size, got, why)) return why;
  compared = got.size();
  const auto& c = model.collaborations().at(op.collaboration_id);
  std::map<std::string, const m_association*> want;
  for (const auto& [id, a] : c.associations) {
    auto ms = model.memberships().find(a.membership_id);
    if (ms != model.memberships().end() && ms->second.status == m_membership_status::active)
      want[a.name] = &a;
  }
  std::set<std::string> seen;
  for (const auto& g : got) {
    const auto name = text(g, "name");
    if (!seen.insert(name).second) return "schema " + name + " listed twice";
    auto it = want.find(name);
    if (it == want.end()) return "schema " + name + " listed, the model has not";
    const m_association& a = *it->second;
    const auto& account = model.memberships().at(a.membership_id).account;
    if (text(g, "creatorAccountId") != account)
      return "schema " + name + " listed with creator " + text(g, "creatorAccountId") +
             ", the model says " + account;
    std::set<std::string> want_types;
    if (model.tables().at(a.table_id).rule) want_types.insert("CUSTOM");
    if (string_set(g, "analysisRuleTypes") != want_types)
      return "schema " + name + " listed with analysisRuleTypes other than the model's";
  }
  for (const auto& [name, a] : want)
    if (!seen.count(name)) return "schema " + name + " is not listed";
  return newest_first(got, "name", [&](const std::string& name) { return want.at(name)->created; });
}

// SPEC.md 3.3: exactly the membership's own associations, each with its name, table and
// membership, newest first.
std::string associations(const reference_model& model, const operation& op, std::size_t& compared,
                         const std::vector<page>& pages) {
  items got;
  std::string why;
  if (!items_of(pages, "configuredTableAssociationSummaries", op.page_size, got, why)) return why;
  compared = got.size();
  const auto& ms = model.memberships().at(op.membership_id);
  std::map<std::string, const m_association*> want;
  for (const auto& [id, a] : model.collaborations().at(ms.collaboration_id).associations)
    if (a.membership_id == op.membership_id) want[id] = &a;
  std::set<std::string> seen;
  for (const auto& g : got) {
    const auto id = text(g, "id");
    if (!seen.insert(id).second) return "association " + id + " listed twice";
    auto it = want.find(id);
    if (it == want.end()) return "association " + id + " listed, the model has not";
    const m_association& a = *it->second;
    if (text(g, "name") != a.name || text(g, "configuredTableId") != a.table_id ||
        text(g, "membershipId") != a.membership_id)
      return "association " + id + " listed as " + text(g, "name") + " of table " +
             text(g, "configuredTableId") + " in membership " + text(g, "membershipId") +
             ", the model says " + a.name + " of " + a.table_id + " in " + a.membership_id;
  }
  for (const auto& [id, a] : want)
    if (!seen.count(id)) return "association " + id + " (" + a->name + ") is not listed";
  return newest_first(got, "id", [&](const std::string& id) { return want.at(id)->created; });
}

// The member a change request is about: changes[0].specification.member.accountId.
std::string change_account(const json::object& o) {
  const auto* changes = o.if_contains("changes");
  if (!changes || !changes->is_array() || changes->get_array().empty()) return "<absent>";
  const auto& first = changes->get_array().front();
  const auto* spec = first.is_object() ? first.get_object().if_contains("specification") : nullptr;
  const auto* member =
      spec && spec->is_object() ? spec->get_object().if_contains("member") : nullptr;
  return member && member->is_object() ? text(member->get_object(), "accountId") : "<absent>";
}

// approvals: voter -> status, as listed.
std::map<std::string, std::string> approvals(const json::object& o) {
  std::map<std::string, std::string> out;
  if (const auto* a = o.if_contains("approvals"); a && a->is_object())
    for (const auto& [voter, v] : a->get_object())
      out[std::string(voter)] = v.is_object() ? text(v.get_object(), "status") : "<no object>";
  return out;
}

// SPEC.md 14: newest first; each with its status, its member, and the votes that still count
// (16.4: a pending vote of a member who left or was removed does not).
std::string change_requests(const reference_model& model, const operation& op,
                            std::size_t& compared, const std::vector<page>& pages) {
  items got;
  std::string why;
  if (!items_of(pages, "collaborationChangeRequestSummaries", op.page_size, got, why)) return why;
  compared = got.size();
  const auto& c = model.collaborations().at(op.collaboration_id);
  std::vector<const m_change_request*> want;
  for (const auto& [id, r] : c.change_requests)
    if (op.status_filter.empty() || op.status_filter == status_name(r.status)) want.push_back(&r);
  std::sort(want.begin(), want.end(), [](const m_change_request* a, const m_change_request* b) {
    return a->created > b->created;
  });
  if (got.size() != want.size())
    return std::to_string(got.size()) + " change requests listed, the model has " +
           std::to_string(want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto& g = got[i];
    const auto& r = *want[i];
    const std::string at = "change request " + std::to_string(i) + " (" + r.id + "): ";
    if (text(g, "id") != r.id) return at + "listed as " + text(g, "id") + " (order or content)";
    if (text(g, "status") != status_name(r.status))
      return at + "status " + text(g, "status") + ", the model says " + status_name(r.status);
    if (change_account(g) != r.account) return at + "about " + change_account(g);
    std::map<std::string, std::string> votes;
    for (const auto& [voter, vote] : r.votes) {
      const auto* m = c.member(voter);
      const bool gone = m && (m->status == m_status::left || m->status == m_status::removed);
      if (vote == m_vote::pending && gone) continue;
      votes[voter] = status_name(vote);
    }
    if (approvals(g) != votes) return at + "approvals differ from the model";
  }
  return {};
}

// receiverConfigurations[0].configurationDetails.directAnalysisConfigurationDetails
// .receiverAccountIds, in order.
std::vector<std::string> receivers(const json::object& o) {
  std::vector<std::string> out;
  const auto* configs = o.if_contains("receiverConfigurations");
  if (!configs || !configs->is_array() || configs->get_array().empty()) return {"<absent>"};
  const json::value* v = &configs->get_array().front();
  for (std::string_view key :
       {"configurationDetails", "directAnalysisConfigurationDetails", "receiverAccountIds"}) {
    v = v->is_object() ? v->get_object().if_contains(key) : nullptr;
    if (!v) return {"<absent>"};
  }
  if (!v->is_array()) return {"<absent>"};
  for (const auto& a : v->get_array())
    out.push_back(a.is_string() ? std::string(a.get_string()) : "?");
  return out;
}

// SPEC.md 12: through a membership, the queries it started and those whose results go to it,
// newest first; each with its status, its membership and its receivers.
std::string queries(const reference_model& model, const operation& op, std::size_t& compared,
                    const std::vector<page>& pages) {
  items got;
  std::string why;
  if (!items_of(pages, "protectedQueries", op.page_size, got, why)) return why;
  compared = got.size();
  const auto& ms = model.memberships().at(op.membership_id);
  const auto& c = model.collaborations().at(ms.collaboration_id);
  std::vector<const m_query*> want;
  for (const auto& [id, q] : c.queries) {
    const auto& r = q.receiver_memberships;
    const bool visible =
        q.membership_id == ms.id || std::find(r.begin(), r.end(), ms.id) != r.end();
    const char* status = status_name(q.status);
    if (visible && (op.status_filter.empty() || op.status_filter == status)) want.push_back(&q);
  }
  std::sort(want.begin(), want.end(),
            [](const m_query* a, const m_query* b) { return a->created > b->created; });
  if (got.size() != want.size())
    return std::to_string(got.size()) + " queries listed, the model has " +
           std::to_string(want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto& g = got[i];
    const auto& q = *want[i];
    const std::string at = "query " + std::to_string(i) + " (" + q.id + "): ";
    if (text(g, "id") != q.id) return at + "listed as " + text(g, "id") + " (order or content)";
    if (text(g, "status") != status_name(q.status))
      return at + "status " + text(g, "status") + ", the model says " + status_name(q.status);
    if (text(g, "membershipId") != q.membership_id)
      return at + "membershipId " + text(g, "membershipId");
    if (receivers(g) != q.receivers) return at + "receivers differ from the model";
  }
  return {};
}

// SPEC.md 15: exactly the resource's tags.
std::string tags(const reference_model& model, const operation& op, std::size_t& compared,
                 const std::vector<page>& pages) {
  const auto t = object_in(pages, "tags");
  if (!t) return "no tags object in the answer";
  std::map<std::string, std::string> got;
  for (const auto& [k, value] : *t)
    got[std::string(k)] = value.is_string() ? std::string(value.get_string()) : "<no string>";
  compared = got.size();
  if (got != model.tags().at(op.arn)) return "tags of " + op.arn + " differ from the model";
  return {};
}

}  // namespace

page parse_page(std::string body) {
  page p;
  json::error_code ec;
  p.json = json::parse(body, ec);
  if (ec) p.json = nullptr;
  p.body = std::move(body);
  return p;
}

std::string next_token_of(const page& p) {
  if (!p.json.is_object()) return {};
  const auto* t = p.json.get_object().if_contains("nextToken");
  return t && t->is_string() ? std::string(t->get_string()) : std::string();
}

std::string check_read(const reference_model& model, const operation& op,
                       const std::vector<page>& pages, std::size_t* compared) {
  std::size_t n = 0;
  std::string problem;
  switch (op.kind) {
    case op_kind::list_members:
      problem = members(model, op, n, pages);
      break;
    case op_kind::get_membership:
      problem = membership(model, op, n, pages);
      break;
    case op_kind::list_memberships:
      problem = memberships(model, op, n, pages);
      break;
    case op_kind::list_collaborations:
      problem = collaborations(model, op, n, pages);
      break;
    case op_kind::list_schemas:
      problem = schemas(model, op, n, pages);
      break;
    case op_kind::list_associations:
      problem = associations(model, op, n, pages);
      break;
    case op_kind::list_change_requests:
      problem = change_requests(model, op, n, pages);
      break;
    case op_kind::list_queries:
      problem = queries(model, op, n, pages);
      break;
    case op_kind::list_tags:
      problem = tags(model, op, n, pages);
      break;
    default:
      break;
  }
  if (compared) *compared = n;
  return problem;
}

}  // namespace crs::sim
