#include "projections/query_rows.hpp"

#include "projections/json_writer.hpp"
#include "projections/keys.hpp"

namespace crs::projections {
namespace {

using collaboration::query_record;

void write_s3(json_writer& w, const query_s3_output& o) {
  w.begin_object().key("s3").begin_object();
  w.key("resultFormat").string(to_string(o.format));
  w.key("bucket").string(o.bucket);
  if (o.key_prefix) w.key("keyPrefix").string(*o.key_prefix);
  if (o.single_file_output) w.key("singleFileOutput").boolean(*o.single_file_output);
  w.end_object().end_object();
}

void write_location(json_writer& w, const query_location& l) {
  if (const auto* s3 = std::get_if<query_s3_output>(&l)) return write_s3(w, *s3);
  w.begin_object().key("member").begin_object();
  w.key("accountId").string(std::get<query_member_output>(l).account);
  w.end_object().end_object();
}

void write_output(json_writer& w, const query_output& o) {
  w.key("resultConfiguration").begin_object().key("outputConfiguration");
  if (!o.distribute) {
    write_location(w, o.locations.at(0));
  } else {
    w.begin_object().key("distribute").begin_object().key("locations").begin_array();
    for (const auto& l : o.locations) write_location(w, l);
    w.end_array().end_object().end_object();
  }
  w.end_object();
}

// The member accounts a result goes to: member locations, or the receivers when no output was
// given (the querier cannot receive results itself).
std::vector<account_id> member_accounts(const query_record& q) {
  std::vector<account_id> out;
  if (!q.output) return q.receivers;
  for (const auto& l : q.output->locations)
    if (const auto* m = std::get_if<query_member_output>(&l)) out.push_back(m->account);
  return out;
}

void write_member_list(json_writer& w, const std::vector<account_id>& accounts) {
  w.key("memberList").begin_array();
  for (const auto& a : accounts) w.begin_object().key("accountId").string(a).end_object();
  w.end_array();
}

void write_result(json_writer& w, const query_record& q) {
  const auto members = member_accounts(q);
  w.key("result").begin_object().key("output").begin_object();
  if (q.output && q.output->distribute) {
    w.key("distribute").begin_object();
    if (q.result_location)
      w.key("s3").begin_object().key("location").string(*q.result_location).end_object();
    if (!members.empty()) write_member_list(w, members);
    w.end_object();
  } else if (q.result_location) {
    w.key("s3").begin_object().key("location").string(*q.result_location).end_object();
  } else {
    write_member_list(w, members);
  }
  w.end_object().end_object();
}

void write_head(json_writer& w, const collaboration::state& s, const query_record& q) {
  w.key("id").string(q.id);
  w.key("membershipId").string(q.membership_id);
  const auto* ms = s.membership(q.membership_id);
  w.key("membershipArn")
      .string(ms ? collaboration::membership_arn(*ms)
                 : collaboration::make_membership_arn(s.info.region, q.account, q.membership_id));
  w.key("createTime").timestamp(q.create_time);
}

std::string summary_json(const collaboration::state& s, const query_record& q) {
  json_writer w;
  w.begin_object();
  write_head(w, s, q);
  w.key("status").string(to_string(q.status));
  w.key("receiverConfigurations").begin_array().begin_object();
  w.key("analysisType").string("DIRECT_ANALYSIS");
  w.key("configurationDetails").begin_object().key("directAnalysisConfigurationDetails");
  w.begin_object().key("receiverAccountIds").begin_array();
  for (const auto& a : q.receivers) w.string(a);
  w.end_array().end_object().end_object();
  w.end_object().end_array();
  w.end_object();
  return w.take();
}

}  // namespace

std::string protected_query_json(const collaboration::state& s, const query_record& q) {
  json_writer w;
  w.begin_object();
  write_head(w, s, q);
  w.key("sqlParameters").begin_object();
  if (q.sql.query_string) w.key("queryString").string(*q.sql.query_string);
  if (q.sql.analysis_template_arn)
    w.key("analysisTemplateArn").string(*q.sql.analysis_template_arn);
  if (q.sql.parameters) {
    w.key("parameters").begin_object();
    for (const auto& [k, v] : *q.sql.parameters) w.key(k).string(v);
    w.end_object();
  }
  w.end_object();
  w.key("status").string(to_string(q.status));
  if (q.output) write_output(w, *q.output);
  if (is_terminal(q.status))
    w.key("statistics")
        .begin_object()
        .key("totalDurationInMillis")
        .number(q.duration_ms)
        .end_object();
  if (q.status == query_status::success) write_result(w, q);
  if ((q.status == query_status::failed || q.status == query_status::timed_out) && q.error_code) {
    w.key("error").begin_object();
    w.key("message").string(q.error_message.value_or(*q.error_code));
    w.key("code").string(*q.error_code);
    w.end_object();
  }
  if (q.compute) {
    w.key("computeConfiguration").begin_object().key("worker").begin_object();
    w.key("type").string(q.compute->worker_type).key("number").number(q.compute->number);
    w.end_object().end_object();
  }
  w.end_object();
  return w.take();
}

void query_rows(const collaboration::state& s, const query_record& q, row_set& out) {
  const auto& id = q.id;
  if (!is_terminal(q.status) && !s.deleted) {
    out[keys::unfinished_query(id)] =
        s.info.collaboration_id + "|" + q.membership_id + "|" + q.account;
    // From the query record alone, like every row here: changed_rows re-renders a query's rows
    // only when the query itself (or the memberships) changed.
    for (const auto& aid : q.associations)
      out[keys::association_reader(aid, id)] = s.info.collaboration_id;
  }
  std::vector<std::string> readers{q.membership_id};
  for (const auto& mid : q.receiver_memberships)
    if (!mid.empty() && mid != q.membership_id) readers.push_back(mid);
  std::string full, summary;
  for (const auto& mid : readers) {
    if (!s.membership(mid)) continue;
    if (full.empty()) {
      full = protected_query_json(s, q);
      summary = std::string(to_string(q.status)) + "|" + summary_json(s, q);
    }
    out[keys::protected_query(mid, id)] = full;
    out[keys::membership_query(mid, q.create_time, id)] = summary;
  }
}

void query_rows(const collaboration::state& s, row_set& out) {
  for (const auto& [id, q] : s.queries) query_rows(s, q, out);
}

std::string query_response(const collaboration::state& s, const collaboration::command& c,
                           const decide_context& ctx) {
  using namespace collaboration;
  const std::string id = std::visit(
      [&](const auto& cmd) -> std::string {
        using T = std::decay_t<decltype(cmd)>;
        if constexpr (std::is_same_v<T, start_query>)
          return ctx.fresh_id;
        else if constexpr (std::is_same_v<T, cancel_query> || std::is_same_v<T, begin_query> ||
                           std::is_same_v<T, finish_query>)
          return cmd.query_id;
        else
          return {};
      },
      c);
  auto it = s.queries.find(id);
  if (it == s.queries.end()) return "{}";
  return "{\"protectedQuery\":" + protected_query_json(s, it->second) + "}";
}

}  // namespace crs::projections
