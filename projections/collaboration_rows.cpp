#include "projections/collaboration_rows.hpp"

#include "projections/change_request_rows.hpp"
#include "projections/keys.hpp"
#include "projections/query_rows.hpp"
#include "projections/render.hpp"
#include "projections/table_render.hpp"
#include "projections/template_rows.hpp"

namespace crs::projections {

row_set rows(const collaboration::state& s) {
  row_set out;
  if (!s.created) return out;
  const auto& cid = s.info.collaboration_id;
  const auto& region = s.info.region;
  if (!s.deleted) {
    out[keys::collaboration(cid)] = collaboration_json(s);
    out[keys::created_quota(region, s.info.creator, cid)] = "";
    for (std::size_t i = 0; i < s.members.size(); ++i) {
      const auto& m = s.members[i];
      out[keys::caller(region, cid, m.spec.account)] = caller_fragment(s, m);
      out[keys::member(cid, i)] = member_summary_json(s, m);
      if (m.status == member_status::invited || m.status == member_status::active)
        out[keys::account_collaboration(region, m.spec.account, s.create_time, cid)] =
            std::string(to_string(m.status)) + "|" + collaboration_summary_json(s, m);
    }
  }
  for (const auto& [mid, m] : s.memberships) {
    out[keys::membership(m.region, mid)] = m.account + "|" + cid + "|" + membership_json(s, m);
    out[keys::account_membership(m.region, m.account, m.create_time, mid)] =
        std::string(to_string(m.status)) + "|" + membership_summary_json(s, m);
    if (m.status != membership_status::collaboration_deleted)
      out[keys::membership_quota(m.region, m.account, mid)] = "";
  }
  for (const auto& [id, a] : s.associations) {
    out[keys::association(a.membership_id, id)] = association_json(a);
    out[keys::membership_association(a.membership_id, a.create_time, id)] =
        association_summary_json(a);
    for (const auto& [type, r] : a.rules)
      out[keys::association_rule(a.membership_id, id, to_string(type))] =
          association_rule_json(a, type, r);
    out[keys::table_link(a.configured_table_id, id)] = "";
    // SPEC.md 11: a schema is visible while its association's membership is ACTIVE in a live
    // collaboration.
    const auto* ms = s.membership(a.membership_id);
    if (!s.deleted && ms && ms->status == membership_status::active) {
      out[keys::schema(cid, a.name)] = schema_source_json(s, a);
      out[keys::schema_listing(cid, a.create_time, id)] = keys::lower(a.name);
    }
  }
  template_rows(s, out);
  change_request_rows(s, out);
  query_rows(s, out);
  for (const auto& [arn, tags] : s.tags) out[keys::tags(arn)] = tags_json(tags);
  return out;
}

std::vector<events::view_write> diff(const row_set& before, const row_set& after) {
  std::vector<events::view_write> out;
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->first < a->first)) {
      out.push_back({b->first, {}, true});
      ++b;
    } else if (b == before.end() || a->first < b->first) {
      out.push_back({a->first, a->second, false});
      ++a;
    } else {
      if (a->second != b->second) out.push_back({a->first, a->second, false});
      ++a;
      ++b;
    }
  }
  return out;
}

bool parse_membership_row(std::string_view value, membership_row& out) {
  auto p1 = value.find('|');
  if (p1 == std::string_view::npos) return false;
  auto p2 = value.find('|', p1 + 1);
  if (p2 == std::string_view::npos) return false;
  out.owner = value.substr(0, p1);
  out.collaboration_id = value.substr(p1 + 1, p2 - p1 - 1);
  out.json = value.substr(p2 + 1);
  return true;
}

bool split_status_row(std::string_view value, std::string_view& status, std::string_view& json) {
  auto p = value.find('|');
  if (p == std::string_view::npos) return false;
  status = value.substr(0, p);
  json = value.substr(p + 1);
  return true;
}

}  // namespace crs::projections
