#include "projections/change_request_rows.hpp"

#include "actors/collaboration/change_requests.hpp"
#include "projections/json_writer.hpp"
#include "projections/keys.hpp"

namespace crs::projections {
namespace {

template <class E>
void enum_list(json_writer& w, const std::vector<E>& items) {
  w.begin_array();
  for (auto v : items) w.string(to_string(v));
  w.end_array();
}

void write_change(json_writer& w, const change& ch) {
  w.begin_object();
  if (const auto* m = std::get_if<member_change>(&ch.spec)) {
    w.key("specificationType").string("MEMBER");
    w.key("specification").begin_object().key("member").begin_object();
    w.key("accountId").string(m->account);
    enum_list(w.key("memberAbilities"), m->abilities);
    if (m->display_name) w.key("displayName").string(*m->display_name);
    w.end_object().end_object();
  } else {
    const auto& c = std::get<collaboration_change>(ch.spec);
    w.key("specificationType").string("COLLABORATION");
    w.key("specification").begin_object().key("collaboration").begin_object();
    if (c.auto_approved) enum_list(w.key("autoApprovedChangeTypes"), *c.auto_approved);
    w.end_object().end_object();
  }
  enum_list(w.key("types"), ch.types);
  w.end_object();
}

}  // namespace

std::string change_request_json(const collaboration::state& s,
                                const collaboration::change_request_record& r) {
  json_writer w;
  w.begin_object();
  w.key("id").string(r.id);
  w.key("collaborationId").string(s.info.collaboration_id);
  w.key("createTime").timestamp(r.create_time);
  w.key("updateTime").timestamp(r.update_time);
  w.key("status").string(to_string(r.status));
  w.key("isAutoApproved").boolean(r.auto_approved);
  w.key("changes").begin_array();
  for (const auto& ch : r.changes) write_change(w, ch);
  w.end_array();
  bool any = false;  // the model's map holds 1..50 entries: omit rather than send {}
  for (const auto& [voter, vote] : r.approvals) {
    if (!collaboration::vote_counts(s, voter, vote)) continue;
    if (!any) w.key("approvals").begin_object();
    any = true;
    w.key(voter).begin_object().key("status").string(to_string(vote)).end_object();
  }
  if (any) w.end_object();
  w.end_object();
  return w.take();
}

void change_request_rows(const collaboration::state& s, row_set& out) {
  if (!s.created || s.deleted) return;  // collaboration-addressed: gone with the collaboration
  const auto& cid = s.info.collaboration_id;
  for (const auto& [id, r] : s.change_requests) {
    auto json = change_request_json(s, r);
    out[keys::change_request_listing(cid, r.create_time, id)] =
        std::string(to_string(r.status)) + "|" + json;
    out[keys::change_request(cid, id)] = std::move(json);
  }
}

std::string change_request_response(const collaboration::state& s, const collaboration::command& c,
                                    const decide_context& ctx) {
  std::string id = ctx.fresh_id;
  if (const auto* u = std::get_if<collaboration::update_change_request>(&c))
    id = u->change_request_id;
  auto it = s.change_requests.find(id);
  if (it == s.change_requests.end()) return "{}";
  return "{\"collaborationChangeRequest\":" + change_request_json(s, it->second) + "}";
}

}  // namespace crs::projections
