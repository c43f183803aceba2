// The domain events: facts, named in the past tense, each carrying everything evolve needs.
// The recorded time, the acting account and the request id live in the envelope
// (events/envelope.hpp), never in the payload, so one fact is never stored twice.
#pragma once

#include <string_view>
#include <variant>

#include "events/query_values.hpp"
#include "events/table_values.hpp"
#include "events/template_values.hpp"
#include "events/values.hpp"

namespace crs::events {

// A collaboration came into being. Its member records arrive as MemberInvited events that
// follow in the same append (the creator's first, then the invitees in request order).
struct collaboration_created {
  std::string collaboration_id;
  std::string region;
  std::string name;
  std::string description;
  account_id creator;
  std::string creator_display_name;
  std::optional<data_encryption_metadata> encryption;
  log_status query_log = log_status::disabled;
  std::optional<log_status> job_log;
  std::optional<analytics_engine> engine;
  std::optional<std::vector<auto_approved_change_type>> auto_approved;
  std::optional<std::vector<std::string>> allowed_result_regions;
  std::optional<bool> metrics_enabled;
};

// An account received a member record with status INVITED (the creator included).
struct member_invited {
  member_spec member;  // payment is the configuration exactly as the creator wrote it
};

// The payer of one cost dimension was decided (accepted = false, at creation) or that payer
// accepted the responsibility by joining (accepted = true).
struct payment_assigned {
  payment_dimension dimension = payment_dimension::query_compute;
  account_id account;
  bool accepted = false;
};

// An invited account joined: its membership exists and its member record is ACTIVE.
struct membership_created {
  std::string membership_id;
  account_id account;
  std::string region;  // the region of the membership ARN
  log_status query_log = log_status::disabled;
  std::optional<log_status> job_log;
  std::optional<query_result_config> default_result;
  std::optional<job_result_config> default_job_result;
  payment_config payment;  // the accepted responsibilities (SPEC.md 19.3 rule 3)
  std::optional<bool> metrics_enabled;
};

// The owner replaced some settings of its membership; absent members mean unchanged.
struct membership_updated {
  std::string membership_id;
  std::optional<log_status> query_log;
  std::optional<log_status> job_log;
  std::optional<query_result_config> default_result;
  std::optional<job_result_config> default_job_result;
};

// A cascade moved a membership out of ACTIVE (REMOVED or COLLABORATION_DELETED).
struct membership_status_changed {
  std::string membership_id;
  membership_status status = membership_status::removed;
};

// The owner deleted its membership record.
struct membership_deleted {
  std::string membership_id;
  account_id account;
};

// An ACTIVE member left by deleting its membership; its member record is LEFT for good.
struct member_left {
  account_id account;
};

// The creator removed a member (or withdrew an invitation); the record is REMOVED for good.
struct member_removed {
  account_id account;
};

struct collaboration_updated {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<analytics_engine> engine;
};

struct collaboration_deleted {};

// Tags of one resource owned by this stream changed: `set` added or overwritten, then
// `removed` keys dropped.
struct tags_changed {
  std::string resource_arn;
  tag_map set;
  std::vector<std::string> removed;
};

// ---- the configured table stream ("configured-table-<id>"), SPEC.md 8 and 9 ----

// An account configured one of its catalog tables for use in collaborations.
struct configured_table_created {
  std::string configured_table_id;
  std::string region;
  account_id owner;
  std::string name;
  std::optional<std::string> description;
  table_reference reference;
  std::vector<std::string> allowed_columns;
  analysis_method method = analysis_method::direct_query;
  std::optional<std::vector<selected_analysis_method>> selected_methods;
};

// The owner replaced some members; absent means unchanged. `selected_methods` present and empty
// means cleared (the method stopped being MULTIPLE).
struct configured_table_updated {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<table_reference> reference;
  std::optional<std::vector<std::string>> allowed_columns;
  std::optional<analysis_method> method;
  std::optional<std::vector<selected_analysis_method>> selected_methods;
};

// The table is gone, and its analysis rule and tags with it.
struct configured_table_deleted {};

// The table's (only) analysis rule; its type is the policy's union member.
struct analysis_rule_created {
  analysis_rule_policy policy;
};

// The rule's policy was replaced whole; the type never changes.
struct analysis_rule_updated {
  analysis_rule_policy policy;
};

struct analysis_rule_deleted {
  analysis_rule_type type = analysis_rule_type::aggregation;
};

// ---- associations, in the collaboration stream (SPEC.md 10) ----

// A member linked one of its configured tables into the collaboration through its ACTIVE
// membership, under `name` (the schema name used in queries).
struct association_created {
  std::string association_id;
  std::string membership_id;
  std::string configured_table_id;
  account_id account;  // owns the membership and the configured table
  std::string region;
  std::string name;
  std::optional<std::string> description;
  std::string role_arn;
};

struct association_updated {
  std::string association_id;
  std::optional<std::string> description;
  std::optional<std::string> role_arn;
};

// The association is gone, and its association-level analysis rules and tags with it.
struct association_deleted {
  std::string association_id;
};

// An association-level ("collaboration") analysis rule was created or replaced whole.
struct association_rule_created {
  std::string association_id;
  analysis_rule_type type = analysis_rule_type::aggregation;
  association_rule_policy policy;
};

struct association_rule_updated {
  std::string association_id;
  analysis_rule_type type = analysis_rule_type::aggregation;
  association_rule_policy policy;
};

struct association_rule_deleted {
  std::string association_id;
  analysis_rule_type type = analysis_rule_type::aggregation;
};

// ---- analysis templates, in the collaboration stream (SPEC.md 13) ----

// A member published a template through its ACTIVE membership.
struct analysis_template_created {
  std::string template_id;
  std::string membership_id;
  account_id account;  // owns the membership
  std::string region;
  std::string name;
  std::optional<std::string> description;
  analysis_format format = analysis_format::sql;
  analysis_source source;
  // schema.referencedTables as sent, or derived from the SQL when the request had none.
  std::vector<std::string> referenced_tables;
  std::optional<std::vector<analysis_parameter>> parameters;
  bool detailed_errors = false;  // errorMessageConfiguration {type: DETAILED}
};

// Templates are immutable but for their description.
struct analysis_template_updated {
  std::string template_id;
  std::optional<std::string> description;
};

struct analysis_template_deleted {
  std::string template_id;
};

// ---- collaboration change requests, in the collaboration stream (SPEC.md 14, 16.4) ----

// The creator asked for changes. `status` is PENDING, or APPROVED when nobody is left to vote or
// when every change type is auto-approved (then `auto_approved`, and the commit follows in the
// same append). `approvers` get a PENDING vote each.
struct change_request_created {
  std::string change_request_id;
  std::vector<change> changes;  // with their computed types
  bool auto_approved = false;
  change_request_status status = change_request_status::pending;
  std::vector<account_id> approvers;
};

// One member's vote (APPROVE or DENY) on a PENDING request.
struct change_request_voted {
  std::string change_request_id;
  account_id account;
  bool approve = true;
};

// The request's own transitions (SPEC.md 16.4).
struct change_request_approved {
  std::string change_request_id;
};
struct change_request_denied {
  std::string change_request_id;
};
struct change_request_cancelled {
  std::string change_request_id;
};
// The changes were applied: the MemberInvited / MemberAbilitiesChanged /
// AutoApprovedChangeTypesChanged events that carry them precede this one in the same append.
struct change_request_committed {
  std::string change_request_id;
};

// A committed GRANT_/REVOKE_RECEIVE_RESULTS_ABILITY: the member's abilities are now these.
struct member_abilities_changed {
  account_id account;
  std::vector<member_ability> abilities;
};

// A committed EDIT_AUTO_APPROVED_CHANGE_TYPES: the collaboration's list is now this.
struct auto_approved_changed {
  std::vector<auto_approved_change_type> types;
};

// ---- protected queries, in the collaboration stream (SPEC.md 12, 16.3) ----
// The work itself (parsing, rule checks, execution) happens outside the actors; these events
// record what it decided, so replay never runs a query again.

// A querier's StartProtectedQuery was accepted: status SUBMITTED.
struct query_started {
  std::string query_id;
  std::string membership_id;
  account_id account;  // owns the membership
  query_sql_parameters sql;
  // The effective output (the request's, else the membership's default); absent when the
  // results go to the collaboration's result receivers.
  std::optional<query_output> output;
  std::optional<query_compute> compute;
  // The accounts that receive the results, each with its membership at the time (SPEC.md 12).
  std::vector<account_id> receivers;
  std::vector<std::string> receiver_memberships;
  // The associations whose schemas the SQL reads, by id: while the query is unfinished they
  // cannot be deleted (SPEC.md Q22). Empty in events recorded before this field existed.
  std::vector<std::string> associations;
};

// The engine picked the query up: SUBMITTED -> STARTED.
struct query_running {
  std::string query_id;
};

// The querier asked to cancel a STARTED query: STARTED -> CANCELLING.
struct query_cancel_requested {
  std::string query_id;
};

// The query reached a terminal status: SUCCESS, FAILED, CANCELLED or TIMED_OUT.
struct query_completed {
  std::string query_id;
  query_status status = query_status::success;
  std::int64_t duration_ms = 0;  // statistics.totalDurationInMillis: time spent executing
  std::optional<std::string> result_location;  // SUCCESS with an S3 output: s3://bucket/...
  std::int64_t result_rows = 0;                // rows written (audit only; not in the API)
  std::optional<std::string> error_code;       // FAILED / TIMED_OUT
  std::optional<std::string> error_message;
};

using event_payload =
    std::variant<collaboration_created, member_invited, payment_assigned, membership_created,
                 membership_updated, membership_status_changed, membership_deleted, member_left,
                 member_removed, collaboration_updated, collaboration_deleted, tags_changed,
                 configured_table_created, configured_table_updated, configured_table_deleted,
                 analysis_rule_created, analysis_rule_updated, analysis_rule_deleted,
                 association_created, association_updated, association_deleted,
                 association_rule_created, association_rule_updated, association_rule_deleted,
                 analysis_template_created, analysis_template_updated, analysis_template_deleted,
                 change_request_created, change_request_voted, change_request_approved,
                 change_request_denied, change_request_cancelled, change_request_committed,
                 member_abilities_changed, auto_approved_changed, query_started, query_running,
                 query_cancel_requested, query_completed>;

// The stable type name written into the envelope ("CollaborationCreated", ...).
std::string_view type_name(const event_payload& e);

bool operator==(const collaboration_created& a, const collaboration_created& b);
bool operator==(const member_invited& a, const member_invited& b);
bool operator==(const payment_assigned& a, const payment_assigned& b);
bool operator==(const membership_created& a, const membership_created& b);
bool operator==(const membership_updated& a, const membership_updated& b);
bool operator==(const membership_status_changed& a, const membership_status_changed& b);
bool operator==(const membership_deleted& a, const membership_deleted& b);
bool operator==(const member_left& a, const member_left& b);
bool operator==(const member_removed& a, const member_removed& b);
bool operator==(const collaboration_updated& a, const collaboration_updated& b);
bool operator==(const collaboration_deleted& a, const collaboration_deleted& b);
bool operator==(const tags_changed& a, const tags_changed& b);

bool operator==(const configured_table_created& a, const configured_table_created& b);
bool operator==(const configured_table_updated& a, const configured_table_updated& b);
bool operator==(const configured_table_deleted& a, const configured_table_deleted& b);
bool operator==(const analysis_rule_created& a, const analysis_rule_created& b);
bool operator==(const analysis_rule_updated& a, const analysis_rule_updated& b);
bool operator==(const analysis_rule_deleted& a, const analysis_rule_deleted& b);
bool operator==(const association_created& a, const association_created& b);
bool operator==(const association_updated& a, const association_updated& b);
bool operator==(const association_deleted& a, const association_deleted& b);
bool operator==(const association_rule_created& a, const association_rule_created& b);
bool operator==(const association_rule_updated& a, const association_rule_updated& b);
bool operator==(const association_rule_deleted& a, const association_rule_deleted& b);

bool operator==(const analysis_template_created& a, const analysis_template_created& b);
bool operator==(const analysis_template_updated& a, const analysis_template_updated& b);
bool operator==(const analysis_template_deleted& a, const analysis_template_deleted& b);
bool operator==(const change_request_created& a, const change_request_created& b);
bool operator==(const change_request_voted& a, const change_request_voted& b);
bool operator==(const change_request_approved& a, const change_request_approved& b);
bool operator==(const change_request_denied& a, const change_request_denied& b);
bool operator==(const change_request_cancelled& a, const change_request_cancelled& b);
bool operator==(const change_request_committed& a, const change_request_committed& b);
bool operator==(const member_abilities_changed& a, const member_abilities_changed& b);
bool operator==(const auto_approved_changed& a, const auto_approved_changed& b);

bool operator==(const query_started& a, const query_started& b);
bool operator==(const query_running& a, const query_running& b);
bool operator==(const query_cancel_requested& a, const query_cancel_requested& b);
bool operator==(const query_completed& a, const query_completed& b);

}  // namespace crs::events
