// Protected queries (SPEC.md 12). Membership-addressed: an unknown or foreign membership is 404
// MEMBERSHIP, and so is a query that membership may not see. StartProtectedQuery checks the SQL
// against the analysis rules here (api/operations/query_plan) and hands the verdict to the
// decider with the rest; once the query is recorded the runner (query/runner) takes over.
#include <boost/json/parse.hpp>

#include "api/operations/access.hpp"
#include "api/operations/call.hpp"
#include "api/operations/query_plan.hpp"
#include "api/operations/shapes.hpp"
#include "projections/keys.hpp"

namespace crs::api {
namespace {

namespace keys = projections::keys;
using shapes::path;

constexpr string_rule query_text_rule{0, 500000, pattern::none};
constexpr string_rule template_arn_rule{0, 200, pattern::analysis_template_arn};
constexpr string_rule parameter_value_rule{0, 1000, pattern::none};
constexpr std::size_t max_parameters = 50;
constexpr const char* status_values =
    "SUBMITTED, STARTED, CANCELLED, CANCELLING, FAILED, SUCCESS, TIMED_OUT";

std::optional<bool> parse_sql_type(std::string_view s) {
  if (s == "SQL") return true;
  return std::nullopt;
}
std::optional<bool> parse_cancelled(std::string_view s) {
  if (s == "CANCELLED") return true;
  return std::nullopt;
}
std::optional<std::string> parse_worker_type(std::string_view s) {
  if (s == "CR.1X" || s == "CR.4X") return std::string(s);
  return std::nullopt;
}

bool is_parameter_name(std::string_view s) {
  if (s.empty() || s.size() > 100) return false;
  for (char ch : s)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
          ch == '_'))
      return false;
  return true;
}

// ProtectedQuerySQLParameters; the "exactly one of" rule is the decider's (SPEC.md 12 check 4).
std::optional<query_sql_parameters> sql_parameters(validator& v, const boost::json::object& b) {
  const auto* o = v.object(b, "sqlParameters", "sqlParameters", true);
  if (!o) return std::nullopt;
  const auto errors = v.errors().size();
  query_sql_parameters out;
  out.query_string = v.str(*o, "queryString", "sqlParameters.queryString", query_text_rule, false);
  out.analysis_template_arn = v.str(*o, "analysisTemplateArn", "sqlParameters.analysisTemplateArn",
                                    template_arn_rule, false);
  if (const auto* params = v.object(*o, "parameters", "sqlParameters.parameters", false)) {
    out.parameters.emplace();
    if (params->size() > max_parameters)
      v.add("sqlParameters.parameters",
            "Member must have at most " + std::to_string(max_parameters) + " entries");
    for (const auto& [key, value] : *params) {
      const auto p = path("sqlParameters.parameters", std::string_view(key));
      if (!is_parameter_name(key)) {
        v.add(p, "Parameter names must match [0-9a-zA-Z_]+ and have 1 to 100 characters");
        continue;
      }
      if (auto s = v.str(*params, key, p, parameter_value_rule, true))
        (*out.parameters)[std::string(key)] = std::move(*s);
    }
  }
  if (v.errors().size() != errors) return std::nullopt;
  return out;
}

// ComputeConfiguration: {worker: {type?, number?}}; absent members take the model's defaults
// (CR.1X, 16) so the echo is always complete [decision].
std::optional<query_compute> compute(validator& v, const boost::json::object& b) {
  const auto* o = v.object(b, "computeConfiguration", "computeConfiguration", false);
  if (!o) return std::nullopt;
  const auto* w = v.object(*o, "worker", "computeConfiguration.worker", true);
  if (!w) return std::nullopt;
  query_compute out{"CR.1X", 16};
  if (auto t = v.enumeration(*w, "type", "computeConfiguration.worker.type", &parse_worker_type,
                             "CR.1X, CR.4X", false))
    out.worker_type = *t;
  if (auto n = v.integer(*w, "number", "computeConfiguration.worker.number", 2, 400, false))
    out.number = static_cast<std::int32_t>(*n);
  return out;
}

struct query_row {
  std::string membership_id;  // the querier's
  std::string status;
};
std::optional<query_row> read_row(std::string_view json) {
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  const auto* mid = o.if_contains("membershipId");
  const auto* st = o.if_contains("status");
  if (!mid || !st || !mid->is_string() || !st->is_string()) return std::nullopt;
  return query_row{std::string(mid->as_string()), std::string(st->as_string())};
}

aws_error query_not_found(const std::string& qid) {
  return not_found("Protected query " + qid + " does not exist", qid, "MEMBERSHIP");
}

// UpdateProtectedQuery on a query that is no longer running (SPEC.md 12 check 3).
http_response finished_answer(const std::string& rid, const std::string& qid,
                              const std::string& row, const query_row& q) {
  if (q.status == "CANCELLED" || q.status == "CANCELLING")
    return render_json(200, "{\"protectedQuery\":" + row + "}", rid);
  return render(
      conflict("Protected query " + qid + " is " + q.status + " and can no longer be cancelled",
               qid, "MEMBERSHIP", "INVALID_STATE"),
      rid);
}

}  // namespace

void start_protected_query(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "membershipIdentifier", uuid_rule);
  v.enumeration(c.body, "type", "type", &parse_sql_type, "SQL", true);
  auto sql = sql_parameters(v, c.body);
  collaboration::start_query cmd;
  cmd.output = shapes::query_output_config(v, c.body, "resultConfiguration", "resultConfiguration");
  cmd.compute = compute(v, c.body);
  if (!v.ok() || !label_ok) return c.fail(v.to_error());
  cmd.membership_id = c.labels[0];
  cmd.sql = std::move(*sql);
  auto ms = membership_of_caller(c, cmd.membership_id);
  if (!ms) return membership_not_found(c, cmd.membership_id);
  // The rule check reads the projections; its verdict is reported by the decider in SPEC.md
  // order, after the membership, ability, template, payer and destination checks.
  const bool one_source =
      cmd.sql.query_string.has_value() != cmd.sql.analysis_template_arn.has_value();
  if (ms->active() && one_source) {
    auto verdict = check_sql(c.svc.store, ms->collaboration_id, c.caller, cmd.sql);
    if (verdict)
      cmd.schemas = std::move(verdict.value().tables);
    else
      cmd.rule_violation = verdict.error().message;
  }
  auto ctx = c.context();
  const auto qid = ctx.fresh_id;
  c.svc.bus.send(
      ms->collaboration_id, std::move(cmd), std::move(ctx),
      [respond = c.respond, rid = c.request_id, run = c.svc.ports.run_query,
       cid = ms->collaboration_id, mid = c.labels[0], caller = c.caller, qid](command_result r) {
        if (!r.ok()) return respond(render(to_aws(r.error()), rid));
        respond(render_json(200, std::move(r.value()), rid));
        if (run) run(cid, mid, caller, qid, rid);
      });
}

void get_protected_query(call& c) {
  validator v;
  v.check(c.labels.at(0), "membershipIdentifier", uuid_rule);
  v.check(c.labels.at(1), "protectedQueryIdentifier", uuid_rule);
  if (!v.ok()) return c.fail(v.to_error());
  if (!membership_of_caller(c, c.labels[0])) return membership_not_found(c, c.labels[0]);
  auto row = c.svc.store.get_view(keys::protected_query(c.labels[0], c.labels[1]));
  if (!row) return c.fail(query_not_found(c.labels[1]));
  c.ok("{\"protectedQuery\":" + *row + "}");
}

void list_protected_queries(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "membershipIdentifier", uuid_rule);
  std::string status;
  if (auto raw = c.query_value("status")) {
    if (parse_query_status(*raw))
      status = *raw;
    else
      v.add("status", validator::enum_message(*raw, "status", status_values));
  }
  // The token is bound to the membership and the filter, so it cannot page another listing.
  const std::string filter = c.labels[0] + "|" + status;
  auto args = read_page_args(c, v, filter);
  if (!v.ok() || !label_ok || !args) return c.fail(v.to_error());
  if (!membership_of_caller(c, c.labels[0])) return membership_not_found(c, c.labels[0]);
  list_by_status(c, *args, keys::membership_queries_prefix(c.labels[0]), status, "protectedQueries",
                 filter);
}

void update_protected_query(call& c) {
  validator v;
  v.check(c.labels.at(0), "membershipIdentifier", uuid_rule);
  v.check(c.labels.at(1), "protectedQueryIdentifier", uuid_rule);
  v.enumeration(c.body, "targetStatus", "targetStatus", &parse_cancelled, "CANCELLED", true);
  if (!v.ok()) return c.fail(v.to_error());
  const auto& mid = c.labels[0];
  const auto& qid = c.labels[1];
  auto ms = membership_of_caller(c, mid);
  if (!ms) return membership_not_found(c, mid);
  auto row = c.svc.store.get_view(keys::protected_query(mid, qid));
  auto q = row ? read_row(*row) : std::nullopt;
  // Only the membership that started a query may cancel it; a receiver sees it but gets 404.
  if (!q || q->membership_id != mid) return c.fail(query_not_found(qid));
  if (q->status != "SUBMITTED" && q->status != "STARTED")
    return c.respond(finished_answer(c.request_id, qid, *row, *q));
  c.svc.bus.send(ms->collaboration_id, collaboration::cancel_query{mid, qid}, c.context(),
                 [respond = c.respond, rid = c.request_id, store = &c.svc.store,
                  cancel = c.svc.ports.cancel_query, mid, qid](command_result r) {
                   if (r.ok()) {
                     respond(render_json(200, std::move(r.value()), rid));
                     if (cancel) cancel(qid);
                     return;
                   }
                   // It finished between the read and the decision: answer as for a
                   // finished query.
                   auto again = store->get_view(keys::protected_query(mid, qid));
                   auto now = again ? read_row(*again) : std::nullopt;
                   auto st = now ? parse_query_status(now->status) : std::nullopt;
                   if (st && is_terminal(*st))
                     return respond(finished_answer(rid, qid, *again, *now));
                   respond(render(to_aws(r.error()), rid));
                 });
}

}  // namespace crs::api
