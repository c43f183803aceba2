#include "projections/collaboration_rows.hpp"

#include <algorithm>

#include "projections/change_request_rows.hpp"
#include "projections/keys.hpp"
#include "projections/query_rows.hpp"
#include "projections/render.hpp"
#include "projections/table_render.hpp"
#include "projections/template_rows.hpp"

namespace crs::projections {

row_set core_rows(const collaboration::state& s) {
  row_set out;
  if (!s.created) return out;
  const auto& cid = s.info.collaboration_id;
  const auto& region = s.info.region;
  if (!s.deleted) {
    out[keys::collaboration(cid)] = collaboration_json(s);
    out[keys::created_quota(region, s.info.creator, cid)] = "";
    const auto summary_head = collaboration_summary_head(s);
    for (std::size_t i = 0; i < s.members.size(); ++i) {
      const auto& m = s.members[i];
      auto caller = caller_fragment(s, m);
      out[keys::member(cid, i)] = member_summary_json(s, m);
      if (m.status == member_status::invited || m.status == member_status::active)
        out[keys::account_collaboration(region, m.spec.account, s.create_time, cid)] =
            std::string(to_string(m.status)) + "|" +
            collaboration_summary_json(summary_head, caller);
      out[keys::caller(region, cid, m.spec.account)] = std::move(caller);
    }
  }
  for (const auto& [mid, m] : s.memberships) {
    auto texts = membership_both(s, m);
    out[keys::membership(m.region, mid)] = m.account + "|" + cid + "|" + texts.full;
    out[keys::account_membership(m.region, m.account, m.create_time, mid)] =
        std::string(to_string(m.status)) + "|" + texts.summary;
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
  for (const auto& [arn, tags] : s.tags) out[keys::tags(arn)] = tags_json(tags);
  return out;
}

namespace {

// What a query's rows depend on besides the query itself: which memberships exist (readers) and
// whether the collaboration is deleted (the work list).
bool same_query_context(const collaboration::state& a, const collaboration::state& b) {
  if (a.deleted != b.deleted || a.memberships.size() != b.memberships.size()) return false;
  for (auto i = a.memberships.begin(), j = b.memberships.begin(); i != a.memberships.end();
       ++i, ++j)
    if (i->first != j->first) return false;
  return true;
}

bool same_query(const collaboration::query_record& a, const collaboration::query_record& b) {
  return a.status == b.status && a.update_time == b.update_time && a.duration_ms == b.duration_ms &&
         a.result_location == b.result_location && a.error_code == b.error_code &&
         a.error_message == b.error_message;
}

}  // namespace

row_set rows(const collaboration::state& s) {
  row_set out = core_rows(s);
  if (s.created) query_rows(s, out);
  return out;
}

std::vector<events::view_write> changed_rows(const row_set& before_core,
                                             const collaboration::state& before,
                                             const collaboration::state& after,
                                             row_set& after_core) {
  after_core = core_rows(after);
  auto out = diff(before_core, after_core);
  row_set was, is;
  if (!same_query_context(before, after)) {
    if (before.created) query_rows(before, was);
    if (after.created) query_rows(after, is);
  } else {
    // Queries are never removed from the state; only new or changed ones are rendered.
    for (const auto& [id, q] : after.queries) {
      auto old = before.queries.find(id);
      if (old != before.queries.end() && same_query(old->second, q)) continue;
      if (old != before.queries.end()) query_rows(before, old->second, was);
      query_rows(after, q, is);
    }
  }
  for (auto& w : diff(was, is)) out.push_back(std::move(w));
  if (collaboration::planted_bug_for_tests() ==
      collaboration::planted_bug::stale_membership_quota_row)
    out.erase(std::remove_if(out.begin(), out.end(),
                             [](const events::view_write& w) {
                               return w.erase && w.key.rfind("q/ms/", 0) == 0;
                             }),
              out.end());
  return out;
}

std::vector<events::view_write> changed_rows(const collaboration::state& before,
                                             const collaboration::state& after) {
  row_set after_core;
  return changed_rows(core_rows(before), before, after, after_core);
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
