// Collaboration change requests (SPEC.md 14). Collaboration-addressed: a collaboration the caller
// cannot see (unknown, deleted, or the caller LEFT/REMOVED) is 403; a change request that is not
// this collaboration's is 404 COLLABORATION with the request id (SPEC.md 3.3, 2.4). Invited and
// active members read; who may create, vote, cancel and commit is the actor's decision.
#include "api/operations/access.hpp"
#include "api/operations/call.hpp"
#include "api/operations/shapes.hpp"
#include "projections/collaboration_rows.hpp"
#include "projections/keys.hpp"
#include "projections/reader.hpp"

namespace crs::api {
namespace {

namespace keys = projections::keys;
using shapes::path;

constexpr std::string_view spec_type_values = "MEMBER, COLLABORATION";
constexpr std::string_view auto_type_values =
    "ADD_MEMBER, GRANT_RECEIVE_RESULTS_ABILITY, REVOKE_RECEIVE_RESULTS_ABILITY";
constexpr std::string_view status_values = "PENDING, APPROVED, CANCELLED, DENIED, COMMITTED";
constexpr std::string_view action_values = "APPROVE, DENY, CANCEL, COMMIT";
constexpr std::size_t max_changes = 10;

std::optional<collaboration::change_spec_type> parse_spec_type(std::string_view s) {
  if (s == "MEMBER") return collaboration::change_spec_type::member;
  if (s == "COLLABORATION") return collaboration::change_spec_type::collaboration;
  return std::nullopt;
}

// MemberChangeSpecification.
std::optional<member_change> member_change_spec(validator& v, const boost::json::object& o,
                                                const std::string& p) {
  auto account = v.str(o, "accountId", path(p, "accountId"), account_rule, true);
  auto abilities = shapes::abilities(v, o, "memberAbilities", path(p, "memberAbilities"), true);
  auto name = v.str(o, "displayName", path(p, "displayName"), name_rule, false);
  if (!account || !abilities) return std::nullopt;
  return member_change{*account, *abilities, name};
}

// CollaborationChangeSpecification.
std::optional<collaboration_change> collaboration_spec(validator& v, const boost::json::object& o,
                                                       const std::string& p) {
  const auto errors = v.errors().size();
  collaboration_change out;
  out.auto_approved =
      shapes::enum_list(v, o, "autoApprovedChangeTypes", path(p, "autoApprovedChangeTypes"),
                        &parse_auto_approved_change_type, auto_type_values, false);
  if (v.errors().size() != errors) return std::nullopt;
  return out;
}

// ChangeInput: specificationType and a ChangeSpecification union with exactly one member. Which
// member matches which type is the decider's check (SPEC.md 14 check 3).
std::optional<collaboration::change_input> change_item(validator& v, const boost::json::value& item,
                                                       const std::string& p) {
  const auto* o = v.object_item(item, p);
  if (!o) return std::nullopt;
  auto declared = v.enumeration(*o, "specificationType", path(p, "specificationType"),
                                &parse_spec_type, spec_type_values, true);
  const std::string sp = path(p, "specification");
  const auto* u = v.object(*o, "specification", sp, true);
  if (!u) return std::nullopt;
  const auto* member = u->if_contains("member");
  const auto* collab = u->if_contains("collaboration");
  const bool has_member = member && !member->is_null();
  const bool has_collab = collab && !collab->is_null();
  if (has_member == has_collab) {
    v.add(sp, "Member must have exactly one of its union members set");
    return std::nullopt;
  }
  collaboration::change_input out;
  if (has_member) {
    const auto* m = v.object(*u, "member", path(sp, "member"), true);
    auto spec = m ? member_change_spec(v, *m, path(sp, "member")) : std::nullopt;
    if (!spec) return std::nullopt;
    out.spec = std::move(*spec);
  } else {
    const auto* x = v.object(*u, "collaboration", path(sp, "collaboration"), true);
    auto spec = x ? collaboration_spec(v, *x, path(sp, "collaboration")) : std::nullopt;
    if (!spec) return std::nullopt;
    out.spec = std::move(*spec);
  }
  if (!declared) return std::nullopt;
  out.declared = *declared;
  return out;
}

void request_not_found(call& c, const std::string& id) {
  c.fail(not_found("Change request " + id + " does not exist in the collaboration", id,
                   "COLLABORATION"));
}

}  // namespace

void create_collaboration_change_request(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "collaborationIdentifier", uuid_rule);
  collaboration::create_change_request cmd;
  if (const auto* arr = v.array(c.body, "changes", "changes", 1, max_changes, true))
    for (std::size_t i = 0; i < arr->size(); ++i)
      if (auto ch = change_item(v, (*arr)[i], path("changes", i)))
        cmd.changes.push_back(std::move(*ch));
  if (!v.ok() || !label_ok) return c.fail(v.to_error());
  if (!visible_fragment(c, c.labels[0])) return c.fail(access_denied(not_visible));
  c.send(c.labels[0], std::move(cmd), c.context());
}

void get_collaboration_change_request(call& c) {
  validator v;
  v.check(c.labels.at(0), "collaborationIdentifier", uuid_rule);
  v.check(c.labels.at(1), "changeRequestIdentifier", uuid_rule);
  if (!v.ok()) return c.fail(v.to_error());
  const auto& cid = c.labels[0];
  if (!visible_fragment(c, cid)) return c.fail(access_denied(not_visible));
  auto row = c.svc.store.get_view(keys::change_request(cid, c.labels[1]));
  if (!row) return request_not_found(c, c.labels[1]);
  c.ok("{\"collaborationChangeRequest\":" + *row + "}");
}

void list_collaboration_change_requests(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "collaborationIdentifier", uuid_rule);
  auto status = c.query_value("status");
  if (status && !parse_change_request_status(*status))
    v.add("status", validator::enum_message(*status, "status", status_values));
  const std::string& cid = c.labels[0];
  const std::string filter = cid + "|" + status.value_or("");
  auto args = read_page_args(c, v, filter);
  if (!v.ok() || !label_ok || !args) return c.fail(v.to_error());
  if (!visible_fragment(c, cid)) return c.fail(access_denied(not_visible));
  const std::string wanted = status.value_or("");
  auto page = projections::read_page(c.svc.store, keys::change_requests_prefix(cid), args->cursor,
                                     args->limit, [&](std::string_view value) {
                                       std::string_view st, json;
                                       return projections::split_status_row(value, st, json) &&
                                              (wanted.empty() || st == wanted);
                                     });
  std::vector<std::string> items;
  for (const auto& [key, value] : page.rows) {
    std::string_view st, json;
    if (projections::split_status_row(value, st, json)) items.emplace_back(json);
  }
  c.ok(list_body(c, "collaborationChangeRequestSummaries", items,
                 page.rows.empty() ? "" : page.rows.back().first, page.more, filter));
}

void update_collaboration_change_request(call& c) {
  validator v;
  const bool cid_ok = v.check(c.labels.at(0), "collaborationIdentifier", uuid_rule);
  const bool id_ok = v.check(c.labels.at(1), "changeRequestIdentifier", uuid_rule);
  auto action =
      v.enumeration(c.body, "action", "action", &parse_change_request_action, action_values, true);
  if (!v.ok() || !cid_ok || !id_ok) return c.fail(v.to_error());
  if (!visible_fragment(c, c.labels[0])) return c.fail(access_denied(not_visible));
  c.send(c.labels[0], collaboration::update_change_request{c.labels[1], *action}, c.context());
}

}  // namespace crs::api
