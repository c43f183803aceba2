// Memberships (SPEC.md section 7). Membership-addressed calls answer 404 for an unknown id and
// for another account's membership alike (SPEC.md 3.3).
#include "api/operations/access.hpp"
#include "api/operations/call.hpp"
#include "api/operations/shapes.hpp"
#include "projections/collaboration_rows.hpp"
#include "projections/keys.hpp"
#include "projections/reader.hpp"

namespace crs::api {
namespace {

namespace keys = projections::keys;

constexpr const char* log_values = "ENABLED, DISABLED";

}  // namespace

void create_membership(call& c) {
  validator v;
  const auto& b = c.body;
  auto cid = v.str(b, "collaborationIdentifier", "collaborationIdentifier", uuid_rule, true);
  collaboration::create_membership cmd;
  auto query_log =
      v.enumeration(b, "queryLogStatus", "queryLogStatus", &parse_log_status, log_values, true);
  cmd.job_log =
      v.enumeration(b, "jobLogStatus", "jobLogStatus", &parse_log_status, log_values, false);
  auto tags = v.tags(b, "tags", "tags", false);
  cmd.default_result =
      shapes::query_result(v, b, "defaultResultConfiguration", "defaultResultConfiguration");
  cmd.default_job_result =
      shapes::job_result(v, b, "defaultJobResultConfiguration", "defaultJobResultConfiguration");
  cmd.payment = shapes::payment(v, b, "paymentConfiguration", "paymentConfiguration");
  cmd.metrics_enabled = v.boolean(b, "isMetricsEnabled", "isMetricsEnabled", false);
  if (!v.ok()) return c.fail(v.to_error());
  cmd.query_log = *query_log;
  if (tags) cmd.tags = std::move(*tags);

  // A collaboration the caller has no record in does not get an actor woken up for it.
  if (!c.svc.store.get_view(keys::caller(c.region, *cid, c.caller)) ||
      !c.svc.store.get_view(keys::collaboration(*cid)))
    return c.fail(
        access_denied("The collaboration does not exist or the caller is not a member of it"));
  auto ctx = c.context();
  const auto prefix = keys::membership_quota_prefix(c.region, c.caller);
  const std::string mid = ctx.fresh_id;
  ctx.caller_memberships =
      c.svc.quotas.reserve(c.svc.store, prefix, mid, ctx.quotas.memberships_per_account + 1);
  c.send(*cid, std::move(cmd), std::move(ctx),
         [gate = &c.svc.quotas, prefix, mid] { gate->release(prefix, mid); });
}

void get_membership(call& c) {
  validator v;
  if (!v.check(c.labels.at(0), "membershipIdentifier", uuid_rule)) return c.fail(v.to_error());
  auto m = membership_of_caller(c, c.labels[0]);
  if (!m) return membership_not_found(c, c.labels[0]);
  c.ok("{\"membership\":" + m->json + "}");
}

void update_membership(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "membershipIdentifier", uuid_rule);
  const auto& b = c.body;
  collaboration::update_membership cmd;
  cmd.membership_id = c.labels[0];
  cmd.query_log =
      v.enumeration(b, "queryLogStatus", "queryLogStatus", &parse_log_status, log_values, false);
  cmd.job_log =
      v.enumeration(b, "jobLogStatus", "jobLogStatus", &parse_log_status, log_values, false);
  cmd.default_result =
      shapes::query_result(v, b, "defaultResultConfiguration", "defaultResultConfiguration");
  cmd.default_job_result =
      shapes::job_result(v, b, "defaultJobResultConfiguration", "defaultJobResultConfiguration");
  if (!v.ok() || !label_ok) return c.fail(v.to_error());
  auto m = membership_of_caller(c, c.labels[0]);
  if (!m) return membership_not_found(c, c.labels[0]);
  c.send(m->collaboration_id, std::move(cmd), c.context());
}

void delete_membership(call& c) {
  validator v;
  if (!v.check(c.labels.at(0), "membershipIdentifier", uuid_rule)) return c.fail(v.to_error());
  auto m = membership_of_caller(c, c.labels[0]);
  if (!m) return membership_not_found(c, c.labels[0]);
  // No query to interrupt afterwards: running queries block leaving (SPEC.md 7).
  c.send(m->collaboration_id, collaboration::delete_membership{c.labels[0]}, c.context());
}

void list_memberships(call& c) {
  validator v;
  auto status = c.query_value("status");
  if (status && !parse_membership_status(*status))
    v.add("status",
          validator::enum_message(*status, "status", "ACTIVE, REMOVED, COLLABORATION_DELETED"));
  const std::string filter = status.value_or("");
  auto args = read_page_args(c, v, filter);
  if (!v.ok() || !args) return c.fail(v.to_error());
  list_by_status(c, *args, keys::account_memberships_prefix(c.region, c.caller), filter,
                 "membershipSummaries");
}

}  // namespace crs::api
