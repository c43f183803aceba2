// Collaborations and members (SPEC.md section 6).
#include "api/operations/access.hpp"
#include "api/operations/call.hpp"
#include "api/operations/shapes.hpp"
#include "projections/collaboration_rows.hpp"
#include "projections/keys.hpp"
#include "projections/reader.hpp"
#include "projections/render.hpp"

namespace crs::api {
namespace {

namespace keys = projections::keys;
using shapes::path;

std::optional<std::string> collaboration_label(call& c) {
  validator v;
  if (!v.check(c.labels.at(0), "collaborationIdentifier", uuid_rule)) {
    c.fail(v.to_error());
    return std::nullopt;
  }
  return c.labels[0];
}

}  // namespace

void create_collaboration(call& c) {
  validator v;
  const auto& b = c.body;
  collaboration::create_collaboration cmd;
  std::vector<member_spec> members;
  if (const auto* arr = v.array(b, "members", "members", 0, SIZE_MAX, true)) {
    for (std::size_t i = 0; i < arr->size(); ++i)
      if (auto m = shapes::member(v, (*arr)[i], path("members", i))) members.push_back(*m);
  }
  auto name = v.str(b, "name", "name", name_rule, true);
  auto description = v.str(b, "description", "description", description_rule, true);
  auto creator_abilities =
      shapes::abilities(v, b, "creatorMemberAbilities", "creatorMemberAbilities", true);
  cmd.creator_ml_abilities =
      shapes::ml_abilities(v, b, "creatorMLMemberAbilities", "creatorMLMemberAbilities");
  auto display = v.str(b, "creatorDisplayName", "creatorDisplayName", name_rule, true);
  cmd.encryption = shapes::encryption(v, b, "dataEncryptionMetadata", "dataEncryptionMetadata");
  auto query_log = v.enumeration(b, "queryLogStatus", "queryLogStatus", &parse_log_status,
                                 "ENABLED, DISABLED", true);
  cmd.job_log = v.enumeration(b, "jobLogStatus", "jobLogStatus", &parse_log_status,
                              "ENABLED, DISABLED", false);
  auto tags = v.tags(b, "tags", "tags", false);
  cmd.creator_payment =
      shapes::payment(v, b, "creatorPaymentConfiguration", "creatorPaymentConfiguration");
  cmd.engine = v.enumeration(b, "analyticsEngine", "analyticsEngine", &parse_analytics_engine,
                             "SPARK, CLEAN_ROOMS_SQL", false);
  cmd.auto_approved = shapes::enum_list(
      v, b, "autoApprovedChangeRequestTypes", "autoApprovedChangeRequestTypes",
      &parse_auto_approved_change_type,
      "ADD_MEMBER, GRANT_RECEIVE_RESULTS_ABILITY, REVOKE_RECEIVE_RESULTS_ABILITY", false);
  if (const auto* regions =
          v.array(b, "allowedResultRegions", "allowedResultRegions", 0, SIZE_MAX, false)) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < regions->size(); ++i) {
      const auto& r = (*regions)[i];
      const auto p = path("allowedResultRegions", i);
      if (!r.is_string())
        v.add(p, "Member must be a string");
      else if (!is_supported_s3_region(std::string_view(r.as_string())))
        v.add(p, validator::enum_message(std::string(r.as_string()), p,
                                         "a region of SupportedS3Region"));
      else
        out.emplace_back(r.as_string());
    }
    cmd.allowed_result_regions = std::move(out);
  }
  cmd.metrics_enabled = v.boolean(b, "isMetricsEnabled", "isMetricsEnabled", false);
  if (!v.ok()) return c.fail(v.to_error());

  cmd.name = *name;
  cmd.description = *description;
  cmd.creator_abilities = *creator_abilities;
  cmd.creator_display_name = *display;
  cmd.query_log = *query_log;
  cmd.members = std::move(members);
  if (tags) cmd.tags = std::move(*tags);

  auto ctx = c.context();
  const std::string cid = ctx.fresh_id;
  const auto prefix = keys::created_quota_prefix(c.region, c.caller);
  ctx.caller_collaborations_created =
      c.svc.quotas.reserve(c.svc.store, prefix, cid, ctx.quotas.collaborations_per_account + 1);
  c.send(cid, std::move(cmd), std::move(ctx),
         [gate = &c.svc.quotas, prefix, cid] { gate->release(prefix, cid); });
}

void get_collaboration(call& c) {
  auto cid = collaboration_label(c);
  if (!cid) return;
  auto frag = visible_fragment(c, *cid);
  auto row = frag ? c.svc.store.get_view(keys::collaboration(*cid)) : std::nullopt;
  if (!row) return c.fail(access_denied(not_visible));
  c.ok("{\"collaboration\":" + projections::splice(*row, *frag) + "}");
}

void update_collaboration(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "collaborationIdentifier", uuid_rule);
  collaboration::update_collaboration cmd;
  cmd.name = v.str(c.body, "name", "name", name_rule, false);
  cmd.description = v.str(c.body, "description", "description", description_rule, false);
  cmd.engine = v.enumeration(c.body, "analyticsEngine", "analyticsEngine", &parse_analytics_engine,
                             "SPARK, CLEAN_ROOMS_SQL", false);
  if (!v.ok() || !label_ok) return c.fail(v.to_error());
  if (!visible_fragment(c, c.labels[0])) return c.fail(access_denied(not_visible));
  c.send(c.labels[0], std::move(cmd), c.context());
}

void delete_collaboration(call& c) {
  auto cid = collaboration_label(c);
  if (!cid) return;
  if (!visible_fragment(c, *cid)) return c.fail(access_denied(not_visible));
  c.send_then(*cid, collaboration::delete_collaboration{}, c.context(),
              [cancel = c.svc.ports.cancel_queries_of, cid = *cid] {
                if (cancel) cancel(cid, {});
              });
}

void list_collaborations(call& c) {
  validator v;
  auto status = c.query_value("memberStatus");
  if (status && *status != "INVITED" && *status != "ACTIVE")
    v.add("memberStatus", validator::enum_message(*status, "memberStatus", "INVITED, ACTIVE"));
  const std::string filter = status.value_or("");
  auto args = read_page_args(c, v, filter);
  if (!v.ok() || !args) return c.fail(v.to_error());
  list_by_status(c, *args, keys::account_collaborations_prefix(c.region, c.caller), filter,
                 "collaborationList");
}

void list_members(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "collaborationIdentifier", uuid_rule);
  const std::string cid = c.labels[0];
  auto args = read_page_args(c, v, cid);
  if (!v.ok() || !label_ok || !args) return c.fail(v.to_error());
  if (!visible_fragment(c, cid)) return c.fail(access_denied(not_visible));
  auto page =
      projections::read_page(c.svc.store, keys::members_prefix(cid), args->cursor, args->limit);
  std::vector<std::string> items;
  for (const auto& [k, value] : page.rows) items.push_back(value);
  c.ok(list_body(c, "memberSummaries", items, page.rows.empty() ? "" : page.rows.back().first,
                 page.more, cid));
}

void delete_member(call& c) {
  validator v;
  const bool cid_ok = v.check(c.labels.at(0), "collaborationIdentifier", uuid_rule);
  const bool account_ok = v.check(c.labels.at(1), "accountId", account_rule);
  if (!cid_ok || !account_ok) return c.fail(v.to_error());
  if (!visible_fragment(c, c.labels[0])) return c.fail(access_denied(not_visible));
  c.send_then(c.labels[0], collaboration::delete_member{c.labels[1]}, c.context(),
              [cancel = c.svc.ports.cancel_queries_of, cid = c.labels[0], account = c.labels[1]] {
                if (cancel) cancel(cid, account);
              });
}

}  // namespace crs::api
