#include "projections/table_render.hpp"

#include <algorithm>

#include "projections/json_writer.hpp"
#include "projections/table_json.hpp"

namespace crs::projections {
namespace {

template <class E>
void enum_list(json_writer& w, const std::vector<E>& items) {
  w.begin_array();
  for (auto v : items) w.string(to_string(v));
  w.end_array();
}

void strings(json_writer& w, const std::vector<std::string>& items) {
  w.begin_array();
  for (const auto& v : items) w.string(v);
  w.end_array();
}

void rule_types(json_writer& w, const configured_table::state& s) {
  w.key("analysisRuleTypes").begin_array();
  if (s.rule) w.string(to_string(type_of(s.rule->policy)));
  w.end_array();
}

void table_head(json_writer& w, const configured_table::state& s) {
  w.key("id").string(s.info.configured_table_id);
  w.key("arn").string(configured_table::configured_table_arn(s));
  w.key("name").string(s.info.name);
}

void method(json_writer& w, const configured_table::state& s) {
  w.key("analysisMethod").string(to_string(s.info.method));
  if (s.info.selected_methods)
    enum_list(w.key("selectedAnalysisMethods"), *s.info.selected_methods);
}

void association_head(json_writer& w, const collaboration::association_record& a) {
  w.key("id").string(a.id);
  w.key("arn").string(collaboration::association_arn(a));
  w.key("configuredTableId").string(a.configured_table_id);
  w.key("membershipId").string(a.membership_id);
  w.key("membershipArn")
      .string(collaboration::make_membership_arn(a.region, a.account, a.membership_id));
  w.key("name").string(a.name);
}

void association_rule_types(json_writer& w, const collaboration::association_record& a) {
  w.key("analysisRuleTypes").begin_array();
  for (const auto& [type, rule] : a.rules) w.string(to_string(type));
  w.end_array();
}

}  // namespace

std::string configured_table_json(const configured_table::state& s) {
  json_writer w;
  w.begin_object();
  table_head(w, s);
  if (s.info.description) w.key("description").string(*s.info.description);
  write_table_reference(w.key("tableReference"), s.info.reference);
  w.key("createTime").timestamp(s.create_time);
  w.key("updateTime").timestamp(s.update_time);
  rule_types(w, s);
  method(w, s);
  strings(w.key("allowedColumns"), s.info.allowed_columns);
  w.end_object();
  return w.take();
}

std::string configured_table_summary_json(const configured_table::state& s) {
  json_writer w;
  w.begin_object();
  table_head(w, s);
  w.key("createTime").timestamp(s.create_time);
  w.key("updateTime").timestamp(s.update_time);
  rule_types(w, s);
  method(w, s);
  w.end_object();
  return w.take();
}

std::string table_rule_json(const configured_table::state& s) {
  json_writer w;
  w.begin_object();
  w.key("configuredTableId").string(s.info.configured_table_id);
  w.key("configuredTableArn").string(configured_table::configured_table_arn(s));
  write_policy(w.key("policy"), s.rule->policy);
  w.key("type").string(to_string(type_of(s.rule->policy)));
  w.key("createTime").timestamp(s.rule->create_time);
  w.key("updateTime").timestamp(s.rule->update_time);
  w.end_object();
  return w.take();
}

std::string table_source_json(const configured_table::state& s) {
  json_writer w;
  w.begin_object();
  w.key("id").string(s.info.configured_table_id);
  w.key("arn").string(configured_table::configured_table_arn(s));
  w.key("owner").string(s.info.owner);
  w.key("region").string(s.info.region);
  strings(w.key("allowedColumns"), s.info.allowed_columns);
  write_table_reference(w.key("tableReference"), s.info.reference);
  method(w, s);
  w.key("updateTime").number(s.update_time);
  if (s.rule) {
    const auto& p = s.rule->policy;
    w.key("rule").begin_object();
    w.key("type").string(to_string(type_of(p)));
    write_policy_body(w.key("policy"), p);
    w.key("createTime").number(s.rule->create_time);
    w.key("updateTime").number(s.rule->update_time);
    // The facts SPEC.md 20.2 derives schema statuses from, so readers need not parse policies.
    const auto* custom = std::get_if<custom_rule>(&p);
    const bool provider_mode =
        custom &&
        std::all_of(custom->allowed_analyses.begin(), custom->allowed_analyses.end(),
                    [](const std::string& a) { return a == "ANY_QUERY" || a == "ANY_JOB"; });
    w.key("differentialPrivacy").boolean(custom && custom->differential_privacy_columns);
    w.key("noAllowedAnalyses").boolean(custom && custom->allowed_analyses.empty());
    w.key("providersMissing")
        .boolean(
            custom && !custom->allowed_analyses.empty() && provider_mode &&
            (!custom->allowed_analysis_providers || custom->allowed_analysis_providers->empty()));
    const auto additional = std::visit([](const auto& r) { return r.additional; }, p);
    w.key("additionalRequired").boolean(additional == additional_analyses::required);
    w.end_object();
  }
  w.end_object();
  return w.take();
}

std::string association_json(const collaboration::association_record& a) {
  json_writer w;
  w.begin_object();
  association_head(w, a);
  w.key("configuredTableArn")
      .string(
          configured_table::make_configured_table_arn(a.region, a.account, a.configured_table_id));
  w.key("roleArn").string(a.role_arn);
  if (a.description) w.key("description").string(*a.description);
  association_rule_types(w, a);
  w.key("createTime").timestamp(a.create_time);
  w.key("updateTime").timestamp(a.update_time);
  w.end_object();
  return w.take();
}

std::string association_summary_json(const collaboration::association_record& a) {
  json_writer w;
  w.begin_object();
  association_head(w, a);
  association_rule_types(w, a);
  w.key("createTime").timestamp(a.create_time);
  w.key("updateTime").timestamp(a.update_time);
  w.end_object();
  return w.take();
}

std::string association_rule_json(const collaboration::association_record& a,
                                  analysis_rule_type type,
                                  const collaboration::association_rule_record& r) {
  json_writer w;
  w.begin_object();
  w.key("membershipIdentifier").string(a.membership_id);
  w.key("configuredTableAssociationId").string(a.id);
  w.key("configuredTableAssociationArn").string(collaboration::association_arn(a));
  write_association_policy(w.key("policy"), type, r.policy);
  w.key("type").string(to_string(type));
  w.key("createTime").timestamp(r.create_time);
  w.key("updateTime").timestamp(r.update_time);
  w.end_object();
  return w.take();
}

std::string schema_source_json(const collaboration::state& s,
                               const collaboration::association_record& a) {
  json_writer w;
  w.begin_object();
  w.key("name").string(a.name);
  w.key("associationId").string(a.id);
  w.key("associationArn").string(collaboration::association_arn(a));
  w.key("configuredTableId").string(a.configured_table_id);
  w.key("account").string(a.account);
  if (a.description) w.key("description").string(*a.description);
  w.key("createTime").number(a.create_time);
  w.key("updateTime").number(a.update_time);
  w.key("collaborationId").string(s.info.collaboration_id);
  w.key("collaborationArn").string(collaboration::collaboration_arn(s));
  // Members other than the querier that receive results (SPEC.md 20.2): each needs the
  // association's permission unless it owns the table itself.
  w.key("otherReceivers").begin_array();
  for (const auto& m : s.members) {
    const auto& ab = m.spec.abilities;
    const bool receives =
        std::find(ab.begin(), ab.end(), member_ability::can_receive_results) != ab.end();
    const bool queries = std::find(ab.begin(), ab.end(), member_ability::can_query) != ab.end();
    const bool in = m.status == member_status::invited || m.status == member_status::active;
    if (receives && !queries && in && m.spec.account != a.account) w.string(m.spec.account);
  }
  w.end_array();
  w.key("rules").begin_object();
  for (const auto& [type, r] : a.rules) {
    w.key(to_string(type)).begin_object();
    write_association_policy_body(w.key("policy"), r.policy);
    w.key("createTime").number(r.create_time);
    w.key("updateTime").number(r.update_time);
    w.end_object();
  }
  w.end_object();
  w.end_object();
  return w.take();
}

}  // namespace crs::projections
