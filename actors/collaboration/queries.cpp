#include "actors/collaboration/queries.hpp"

#include <algorithm>
#include <set>

#include "actors/collaboration/membership_access.hpp"
#include "actors/collaboration/payment.hpp"

namespace crs::collaboration {
namespace {

using events::event_payload;
using event_list = std::vector<event_payload>;

domain_error invalid_query(std::string message) {
  return {error_kind::validation, std::move(message), "INVALID_QUERY", {}, {}, {}, 0};
}

domain_error query_not_found(const std::string& id) {
  return not_found("Protected query " + id + " does not exist", id, "MEMBERSHIP");
}

bool unfinished(query_status st) {
  return !is_terminal(st);
}

// An ACTIVE member that holds CAN_RECEIVE_RESULTS.
bool active_receiver(const state& s, const account_id& account) {
  const auto* m = s.member(account);
  return m && m->status == member_status::active &&
         holds(m->spec, member_ability::can_receive_results);
}

query_s3_output from_default(const query_result_config& d) {
  return {d.format, d.bucket, d.key_prefix, d.single_file_output};
}

// Check 5: the template is this collaboration's, is SQL, and the parameters fit it.
std::optional<domain_error> check_template(const state& s, const query_sql_parameters& sql) {
  const auto* t = template_by_arn(s, *sql.analysis_template_arn);
  if (!t)
    return not_found(
        "Analysis template " + *sql.analysis_template_arn + " does not exist in this collaboration",
        *sql.analysis_template_arn, "MEMBERSHIP");
  if (t->format != analysis_format::sql)
    return invalid_query("Analysis template " + t->name + " is " +
                         std::string(to_string(t->format)) +
                         "; protected queries run SQL templates only");
  std::set<std::string> declared;
  if (t->parameters)
    for (const auto& p : *t->parameters) declared.insert(p.name);
  if (sql.parameters)
    for (const auto& [name, value] : *sql.parameters)
      if (!declared.count(name))
        return invalid_query("Parameter " + name + " is not declared by analysis template " +
                             t->name);
  if (t->parameters)
    for (const auto& p : *t->parameters)
      if (!p.default_value && (!sql.parameters || !sql.parameters->count(p.name)))
        return invalid_query("Parameter " + p.name + " of analysis template " + t->name +
                             " has no defaultValue and must be supplied");
  return std::nullopt;
}

struct destination {
  std::optional<query_output> output;  // the effective one
  std::vector<account_id> receivers;
  std::optional<domain_error> error;
};

std::optional<domain_error> check_s3(const state& s, const query_s3_output& o) {
  if (o.format != result_format::csv)
    return invalid_configuration("resultFormat " + std::string(to_string(o.format)) +
                                 " is not supported by the local engine; use CSV");
  // The results directory stands in for S3: a prefix that climbs out of it is refused here,
  // where the client still gets an answer, rather than failing the query later [decision].
  if (o.key_prefix) {
    const auto& k = *o.key_prefix;
    for (std::size_t start = 0; start <= k.size();) {
      auto end = k.find('/', start);
      if (end == std::string::npos) end = k.size();
      if (k.compare(start, end - start, "..") == 0 && end - start == 2)
        return invalid_configuration("keyPrefix '" + k +
                                     "' has a '..' segment, which the local results directory "
                                     "cannot hold");
      start = end + 1;
    }
  }
  if (o.single_file_output == true && s.info.engine != analytics_engine::spark)
    return invalid_configuration(
        "singleFileOutput requires the collaboration's analyticsEngine to be SPARK");
  return std::nullopt;
}

// Check 7 (SPEC.md 12): where the results may go, and who receives them.
destination resolve_destination(const state& s, const membership_record& ms,
                                const std::optional<query_output>& requested,
                                const account_id& caller) {
  destination d;
  const auto* me = s.member(caller);
  const bool receives = me && holds(me->spec, member_ability::can_receive_results);
  auto fail = [&](std::string message) {
    d.error = invalid_configuration(std::move(message));
    return d;
  };
  if (!requested) {
    if (receives) {
      if (!ms.default_result)
        return fail("resultConfiguration is required: membership " + ms.id +
                    " has no defaultResultConfiguration");
      query_output out;
      out.locations.emplace_back(from_default(*ms.default_result));
      if (auto e = check_s3(s, std::get<query_s3_output>(out.locations[0]))) {
        d.error = e;
        return d;
      }
      d.output = std::move(out);
      d.receivers = {caller};
      return d;
    }
    // A querier that cannot receive results sends them to the collaboration's receivers
    // [decision, SPEC.md 12 check 7].
    for (const auto& m : s.members)
      if (active_receiver(s, m.spec.account)) d.receivers.push_back(m.spec.account);
    if (d.receivers.empty()) return fail("No member of the collaboration can receive results");
    return d;
  }
  const auto& out = *requested;
  if (out.distribute && s.info.engine != analytics_engine::spark)
    return fail("distribute output requires the collaboration's analyticsEngine to be SPARK");
  std::size_t s3_count = 0;
  for (const auto& loc : out.locations) {
    if (const auto* s3 = std::get_if<query_s3_output>(&loc)) {
      if (!receives)
        return fail("Member " + caller +
                    " cannot receive results, so the output cannot be s3; name a member that "
                    "can receive results");
      if (auto e = check_s3(s, *s3)) {
        d.error = e;
        return d;
      }
      ++s3_count;
      if (std::find(d.receivers.begin(), d.receivers.end(), caller) == d.receivers.end())
        d.receivers.push_back(caller);
      continue;
    }
    const auto& member = std::get<query_member_output>(loc).account;
    if (out.distribute && member == caller)
      return fail("A distribute member location cannot name the querier; use an s3 location");
    if (!active_receiver(s, member))
      return fail("Account " + member + " is not an active member that can receive results");
    if (std::find(d.receivers.begin(), d.receivers.end(), member) == d.receivers.end())
      d.receivers.push_back(member);
  }
  if (s3_count > 1) return fail("distribute allows at most one s3 location");
  d.output = out;
  return d;
}

decision start(const state& s, const start_query& c, const decide_context& ctx) {
  // 2. The membership, and an ACTIVE one.
  const auto* ms = owned_membership(s, c.membership_id, ctx);
  if (!ms) return membership_not_found(c.membership_id);
  if (auto e = must_be_active(*ms, "run protected queries")) return *e;
  // 3. CAN_QUERY.
  const auto* me = s.member(ctx.caller);
  if (!me || !holds(me->spec, member_ability::can_query))
    return access_denied("Member " + ctx.caller +
                         " does not hold CAN_QUERY and cannot run protected queries");
  // 4. Exactly one of queryString / analysisTemplateArn; parameters only with a template.
  const auto& sql = c.sql;
  if (sql.query_string.has_value() == sql.analysis_template_arn.has_value())
    return invalid_configuration(
        "sqlParameters must contain exactly one of queryString and analysisTemplateArn");
  if (sql.parameters && !sql.analysis_template_arn)
    return invalid_configuration("sqlParameters.parameters requires analysisTemplateArn");
  // 5. The template.
  if (sql.analysis_template_arn)
    if (auto e = check_template(s, sql)) return *e;
  // 6. An active query-compute payer.
  const auto& payer = s.payers[static_cast<int>(payment_dimension::query_compute)];
  const auto* paying = payer ? s.member(payer->account) : nullptr;
  if (!paying || paying->status != member_status::active)
    return invalid_configuration(
        "The collaboration has no active member paying for query compute, so no query can run");
  // 7. Result destination.
  auto dest = resolve_destination(s, *ms, c.output, ctx.caller);
  if (dest.error) return *dest.error;
  // 8. The SQL against the analysis rules (checked outside, see start_query).
  if (c.rule_violation) return invalid_query(*c.rule_violation);
  // 9. Concurrency.
  std::size_t ongoing = 0;
  for (const auto& [id, q] : s.queries)
    if (q.membership_id == ms->id && unfinished(q.status)) ++ongoing;
  if (ongoing >= ongoing_queries_per_membership)
    return quota_exceeded("Concurrent ongoing queries per membership",
                          static_cast<double>(ongoing_queries_per_membership));

  events::query_started e;
  e.query_id = ctx.fresh_id;
  e.membership_id = ms->id;
  e.account = ctx.caller;
  e.sql = sql;
  e.output = std::move(dest.output);
  e.compute = c.compute;
  for (const auto& account : dest.receivers) {
    const auto* m = s.member(account);
    e.receivers.push_back(account);
    e.receiver_memberships.push_back(m && m->membership_id ? *m->membership_id : std::string());
  }
  // A name no visible schema answers to any more (deleted since the check read the
  // projections) holds nothing up: the runner's own check refuses the query then.
  for (const auto& name : c.schemas)
    if (const auto* a = s.association_named(name);
        a && std::find(e.associations.begin(), e.associations.end(), a->id) == e.associations.end())
      e.associations.push_back(a->id);
  return event_list{std::move(e)};
}

const query_record* live(const state& s, const std::string& id) {
  auto it = s.queries.find(id);
  return it == s.queries.end() ? nullptr : &it->second;
}

events::query_completed cancelled(const std::string& id, std::int64_t duration_ms) {
  events::query_completed e;
  e.query_id = id;
  e.status = query_status::cancelled;
  e.duration_ms = duration_ms;
  return e;
}

decision cancel(const state& s, const cancel_query& c, const decide_context& ctx) {
  const auto* ms = owned_membership(s, c.membership_id, ctx);
  if (!ms) return membership_not_found(c.membership_id);
  const auto* q = live(s, c.query_id);
  if (!q || q->membership_id != ms->id) return query_not_found(c.query_id);
  switch (q->status) {
    case query_status::submitted:  // never picked up: cancelled at once [decision]
      return event_list{cancelled(q->id, 0)};
    case query_status::started:
      return event_list{events::query_cancel_requested{q->id}};
    case query_status::cancelling:
    case query_status::cancelled:  // idempotent (SPEC.md 12 check 3)
      return event_list{};
    default:
      return conflict("Protected query " + q->id + " is " + std::string(to_string(q->status)) +
                          " and can no longer be cancelled",
                      q->id, "MEMBERSHIP", "INVALID_STATE");
  }
}

// The runner picked the query up. An unknown or finished query, or one being cancelled, is
// not to be run: the runner learns it from the error (CANCELLING is completed here).
decision begin(const state& s, const begin_query& c) {
  const auto* q = live(s, c.query_id);
  if (!q) return query_not_found(c.query_id);
  switch (q->status) {
    case query_status::submitted:
      return event_list{events::query_running{q->id}};
    case query_status::started:  // resumed after a restart: already recorded
      return event_list{};
    case query_status::cancelling:
      return event_list{cancelled(q->id, 0)};
    default:
      return conflict("Protected query " + q->id + " is " + std::string(to_string(q->status)),
                      q->id, "MEMBERSHIP", "INVALID_STATE");
  }
}

// The runner finished. A query cancelled meanwhile stays CANCELLED whatever the engine did.
decision finish(const state& s, const finish_query& c) {
  const auto* q = live(s, c.query_id);
  if (!q) return query_not_found(c.query_id);
  if (is_terminal(q->status))
    return conflict("Protected query " + q->id + " is already " + std::string(to_string(q->status)),
                    q->id, "MEMBERSHIP", "INVALID_STATE");
  if (!is_terminal(c.status)) return internal_error("finish_query needs a terminal status");
  if (q->status == query_status::cancelling) return event_list{cancelled(q->id, c.duration_ms)};
  events::query_completed e;
  e.query_id = q->id;
  e.status = c.status;
  e.duration_ms = c.duration_ms;
  if (c.status == query_status::success) {
    e.result_location = c.result_location;
    e.result_rows = c.result_rows;
  } else {
    e.error_code = c.error_code;
    e.error_message = c.error_message;
  }
  return event_list{std::move(e)};
}

}  // namespace

const template_record* template_by_arn(const state& s, const std::string& arn) {
  for (const auto& [id, t] : s.templates)
    if (template_arn(t) == arn) return &t;
  return nullptr;
}

std::vector<event_payload> cancel_unfinished_queries(const state& s,
                                                     const std::string& membership_id) {
  event_list out;
  for (const auto& [id, q] : s.queries)
    if (unfinished(q.status) && (membership_id.empty() || q.membership_id == membership_id))
      out.emplace_back(cancelled(id, 0));
  return out;
}

decision decide_query(const state& s, const start_query& c, const decide_context& ctx) {
  return start(s, c, ctx);
}
decision decide_query(const state& s, const cancel_query& c, const decide_context& ctx) {
  return cancel(s, c, ctx);
}
decision decide_query(const state& s, const begin_query& c, const decide_context&) {
  return begin(s, c);
}
decision decide_query(const state& s, const finish_query& c, const decide_context&) {
  return finish(s, c);
}

}  // namespace crs::collaboration
