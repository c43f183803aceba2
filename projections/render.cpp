#include "projections/render.hpp"

#include "projections/json_writer.hpp"
#include "projections/value_json.hpp"

namespace crs::projections {
namespace {

using collaboration::member_record;
using collaboration::membership_record;
using collaboration::state;

template <class E>
void enum_list(json_writer& w, const std::vector<E>& items) {
  w.begin_array();
  for (auto v : items) w.string(to_string(v));
  w.end_array();
}

void ml_abilities(json_writer& w, const std::optional<std::vector<ml_ability>>& ml,
                  std::string_view member) {
  if (!ml) return;
  w.key(member).begin_object().key("customMLMemberAbilities");
  enum_list(w, *ml);
  w.end_object();
}

void membership_common(json_writer& w, const state& s, const membership_record& m) {
  w.key("id").string(m.id);
  w.key("arn").string(collaboration::membership_arn(m));
  w.key("collaborationArn").string(collaboration::collaboration_arn(s));
  w.key("collaborationId").string(s.info.collaboration_id);
  w.key("collaborationCreatorAccountId").string(s.info.creator);
  w.key("collaborationCreatorDisplayName").string(s.info.creator_display_name);
  w.key("collaborationName").string(s.info.name);
  w.key("createTime").timestamp(m.create_time);
  w.key("updateTime").timestamp(m.update_time);
  w.key("status").string(to_string(m.status));
  const auto* member = s.member(m.account);
  w.key("memberAbilities");
  enum_list(w, member ? member->spec.abilities : std::vector<member_ability>{});
  if (member) ml_abilities(w, member->spec.ml_abilities, "mlMemberAbilities");
}

}  // namespace

std::string collaboration_json(const state& s) {
  json_writer w;
  w.begin_object();
  w.key("id").string(s.info.collaboration_id);
  w.key("arn").string(collaboration::collaboration_arn(s));
  w.key("name").string(s.info.name);
  w.key("description").string(s.info.description);
  w.key("creatorAccountId").string(s.info.creator);
  w.key("creatorDisplayName").string(s.info.creator_display_name);
  w.key("createTime").timestamp(s.create_time);
  w.key("updateTime").timestamp(s.update_time);
  if (const auto& e = s.info.encryption) {
    w.key("dataEncryptionMetadata").begin_object();
    w.key("allowCleartext").boolean(e->allow_cleartext);
    w.key("allowDuplicates").boolean(e->allow_duplicates);
    w.key("allowJoinsOnColumnsWithDifferentNames")
        .boolean(e->allow_joins_on_columns_with_different_names);
    w.key("preserveNulls").boolean(e->preserve_nulls);
    w.end_object();
  }
  w.key("queryLogStatus").string(to_string(s.info.query_log));
  if (s.info.job_log) w.key("jobLogStatus").string(to_string(*s.info.job_log));
  if (s.info.engine) w.key("analyticsEngine").string(to_string(*s.info.engine));
  if (s.info.auto_approved) {
    w.key("autoApprovedChangeTypes");
    enum_list(w, *s.info.auto_approved);
  }
  if (s.info.allowed_result_regions) {
    w.key("allowedResultRegions").begin_array();
    for (const auto& r : *s.info.allowed_result_regions) w.string(r);
    w.end_array();
  }
  if (s.info.metrics_enabled) w.key("isMetricsEnabled").boolean(*s.info.metrics_enabled);
  w.end_object();
  return w.take();
}

std::string caller_fragment(const state& s, const member_record& m) {
  json_writer w;
  w.begin_object();
  w.key("memberStatus").string(to_string(m.status));
  if (m.membership_id) {
    if (const auto* ms = s.membership(*m.membership_id)) {
      w.key("membershipId").string(ms->id);
      w.key("membershipArn").string(collaboration::membership_arn(*ms));
    }
  }
  w.end_object();
  const auto out = w.str();
  return std::string(out.substr(1, out.size() - 2));
}

std::string splice(std::string_view object_json, std::string_view fragment) {
  std::string out(object_json.substr(0, object_json.size() - 1));
  if (!fragment.empty()) {
    if (out.size() > 1) out += ',';
    out.append(fragment);
  }
  out += '}';
  return out;
}

std::string collaboration_for(const state& s, const member_record& m) {
  return splice(collaboration_json(s), caller_fragment(s, m));
}

std::string collaboration_summary_head(const state& s) {
  json_writer w;
  w.begin_object();
  w.key("id").string(s.info.collaboration_id);
  w.key("arn").string(collaboration::collaboration_arn(s));
  w.key("name").string(s.info.name);
  w.key("creatorAccountId").string(s.info.creator);
  w.key("creatorDisplayName").string(s.info.creator_display_name);
  w.key("createTime").timestamp(s.create_time);
  w.key("updateTime").timestamp(s.update_time);
  if (s.info.engine) w.key("analyticsEngine").string(to_string(*s.info.engine));
  w.end_object();
  const auto out = w.str();
  return std::string(out.substr(1, out.size() - 2));
}

std::string collaboration_summary_json(std::string_view head, std::string_view caller) {
  std::string out;
  out.reserve(head.size() + caller.size() + 3);
  out += '{';
  out += head;
  if (!head.empty() && !caller.empty()) out += ',';
  out += caller;
  out += '}';
  return out;
}

std::string member_summary_json(const state& s, const member_record& m) {
  json_writer w;
  w.begin_object();
  w.key("accountId").string(m.spec.account);
  w.key("status").string(to_string(m.status));
  w.key("displayName").string(m.spec.display_name);
  w.key("abilities");
  enum_list(w, m.spec.abilities);
  ml_abilities(w, m.spec.ml_abilities, "mlAbilities");
  w.key("createTime").timestamp(m.create_time);
  w.key("updateTime").timestamp(m.update_time);
  const bool planted = m.status == member_status::removed &&
                       collaboration::planted_bug_for_tests() ==
                           collaboration::planted_bug::removed_member_listed_without_membership;
  if (m.membership_id && !planted) {
    if (const auto* ms = s.membership(*m.membership_id)) {
      w.key("membershipId").string(ms->id);
      w.key("membershipArn").string(collaboration::membership_arn(*ms));
    }
  }
  write_payment(w.key("paymentConfiguration"), collaboration::resolved_payment(s, m),
                payment_form::api);
  w.end_object();
  return w.take();
}

namespace {

// The members membership_json adds to the common ones, after them.
void membership_rest(json_writer& w, const membership_record& m) {
  w.key("queryLogStatus").string(to_string(m.query_log));
  if (m.job_log) w.key("jobLogStatus").string(to_string(*m.job_log));
  if (m.default_result) write_query_result(w.key("defaultResultConfiguration"), *m.default_result);
  if (m.default_job_result)
    write_job_result(w.key("defaultJobResultConfiguration"), *m.default_job_result);
  write_payment(w.key("paymentConfiguration"), m.payment, payment_form::api);
  if (m.metrics_enabled) w.key("isMetricsEnabled").boolean(*m.metrics_enabled);
}

}  // namespace

std::string membership_json(const state& s, const membership_record& m) {
  json_writer w;
  w.begin_object();
  membership_common(w, s, m);
  membership_rest(w, m);
  w.end_object();
  return w.take();
}

membership_texts membership_both(const state& s, const membership_record& m) {
  json_writer common;
  common.begin_object();
  membership_common(common, s, m);
  const auto members = common.str().substr(1);  // without the brace: spliced into both
  membership_texts out;
  {
    json_writer w;
    w.begin_object().members(members);
    membership_rest(w, m);
    w.end_object();
    out.full = w.take();
  }
  json_writer w;
  w.begin_object().members(members);
  write_payment(w.key("paymentConfiguration"), m.payment, payment_form::api);
  w.end_object();
  out.summary = w.take();
  return out;
}

std::string tags_json(const tag_map& tags) {
  json_writer w;
  w.begin_object();
  for (const auto& [k, v] : tags) w.key(k).string(v);
  w.end_object();
  return w.take();
}

}  // namespace crs::projections
