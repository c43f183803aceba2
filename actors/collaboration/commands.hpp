// Commands of the collaboration aggregate, already shape-validated by api/ (SPEC.md 2.2).
// Business rules (who may call, states, payment, quotas) are the decider's.
#pragma once

#include <variant>

#include "events/query_values.hpp"
#include "events/table_values.hpp"
#include "events/template_values.hpp"
#include "events/values.hpp"

namespace crs::collaboration {

struct create_collaboration {
  std::string name;
  std::string description;
  std::string creator_display_name;
  std::vector<member_ability> creator_abilities;
  std::optional<std::vector<ml_ability>> creator_ml_abilities;
  std::optional<payment_config> creator_payment;
  std::vector<member_spec> members;
  std::optional<data_encryption_metadata> encryption;
  log_status query_log = log_status::disabled;
  std::optional<log_status> job_log;
  std::optional<analytics_engine> engine;
  std::optional<std::vector<auto_approved_change_type>> auto_approved;
  std::optional<std::vector<std::string>> allowed_result_regions;
  std::optional<bool> metrics_enabled;
  tag_map tags;
};

struct update_collaboration {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<analytics_engine> engine;
};

struct delete_collaboration {};

struct delete_member {
  account_id account;
};

struct create_membership {
  log_status query_log = log_status::disabled;
  std::optional<log_status> job_log;
  std::optional<query_result_config> default_result;
  std::optional<job_result_config> default_job_result;
  std::optional<payment_config> payment;
  std::optional<bool> metrics_enabled;
  tag_map tags;
};

struct update_membership {
  std::string membership_id;
  std::optional<log_status> query_log;
  std::optional<log_status> job_log;
  std::optional<query_result_config> default_result;
  std::optional<job_result_config> default_job_result;
};

struct delete_membership {
  std::string membership_id;
};

struct tag_resource {
  std::string resource_arn;
  tag_map tags;
};

struct untag_resource {
  std::string resource_arn;
  std::vector<std::string> keys;
};

// SPEC.md 10. The configured table's existence and ownership were checked by its own actor
// first (actors/association_flow.hpp); the collaboration checks the membership and the name.
struct create_association {
  std::string membership_id;
  std::string configured_table_id;
  std::string name;
  std::optional<std::string> description;
  std::string role_arn;
  tag_map tags;
};

struct update_association {
  std::string membership_id;
  std::string association_id;
  std::optional<std::string> description;
  std::optional<std::string> role_arn;
};

struct delete_association {
  std::string membership_id;
  std::string association_id;
};

// Association-level ("collaboration") analysis rules; `type` is analysisRuleType (create) or
// the path label (update/delete).
struct create_association_rule {
  std::string membership_id;
  std::string association_id;
  analysis_rule_type type = analysis_rule_type::aggregation;
  analysis_rule_type policy_type = analysis_rule_type::aggregation;  // the union member sent
  association_rule_policy policy;
};

struct update_association_rule {
  std::string membership_id;
  std::string association_id;
  analysis_rule_type type = analysis_rule_type::aggregation;
  analysis_rule_type policy_type = analysis_rule_type::aggregation;
  association_rule_policy policy;
};

struct delete_association_rule {
  std::string membership_id;
  std::string association_id;
  analysis_rule_type type = analysis_rule_type::aggregation;
};

// SPEC.md 13. `referenced_tables` absent: the decider derives them from the SQL text.
struct create_analysis_template {
  std::string membership_id;
  std::string name;
  std::optional<std::string> description;
  analysis_format format = analysis_format::sql;
  analysis_source source;
  std::optional<std::vector<std::string>> referenced_tables;
  std::optional<std::vector<analysis_parameter>> parameters;
  bool detailed_errors = false;
  tag_map tags;
};

struct update_analysis_template {
  std::string membership_id;
  std::string template_id;
  std::optional<std::string> description;
};

struct delete_analysis_template {
  std::string membership_id;
  std::string template_id;
};

// SPEC.md 14. One requested change: the declared specificationType and the union member sent.
enum class change_spec_type : std::uint8_t { member, collaboration };
struct change_input {
  change_spec_type declared = change_spec_type::member;
  std::variant<member_change, collaboration_change> spec;
};

struct create_change_request {
  std::vector<change_input> changes;
};

struct update_change_request {
  std::string change_request_id;
  change_request_action action = change_request_action::approve;
};

// ---- protected queries (SPEC.md 12, 16.3) ----

// StartProtectedQuery. The SQL is checked against the analysis rules outside the aggregate
// (query/sql, over the projections) and its verdict travels here as a plain fact, so the decider
// reports it in SPEC.md 12's order (check 8) and stays pure.
struct start_query {
  std::string membership_id;
  query_sql_parameters sql;
  std::optional<query_output> output;  // resultConfiguration.outputConfiguration as sent
  std::optional<query_compute> compute;
  std::optional<std::string> rule_violation;  // why the SQL may not run; none: it may
  // The schema names the SQL reads, as the same check found them (empty if it did not run):
  // recorded by association id, so their deletion waits for the query (SPEC.md Q22).
  std::vector<std::string> schemas;
};

// UpdateProtectedQuery {targetStatus: CANCELLED}.
struct cancel_query {
  std::string membership_id;
  std::string query_id;
};

// Reports of the query runner (query/runner), never built from a request: it picked the query
// up, and it finished. The decider turns them into the status events of SPEC.md 16.3.
struct begin_query {
  std::string query_id;
};
struct finish_query {
  std::string query_id;
  query_status status = query_status::success;  // SUCCESS, FAILED, TIMED_OUT or CANCELLED
  std::int64_t duration_ms = 0;
  std::optional<std::string> result_location;
  std::int64_t result_rows = 0;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
};

using command =
    std::variant<create_collaboration, update_collaboration, delete_collaboration, delete_member,
                 create_membership, update_membership, delete_membership, tag_resource,
                 untag_resource, create_association, update_association, delete_association,
                 create_association_rule, update_association_rule, delete_association_rule,
                 create_analysis_template, update_analysis_template, delete_analysis_template,
                 create_change_request, update_change_request, start_query, cancel_query,
                 begin_query, finish_query>;

}  // namespace crs::collaboration
