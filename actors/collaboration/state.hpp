// The collaboration aggregate's state and its pure evolve: stream -> events -> state.
// One stream per collaboration ("collaboration-<id>"): the collaboration, its member records,
// the memberships of its members, their configured table associations and the tags of all.
#pragma once

#include <array>
#include <cstdint>
#include <map>

#include "events/domain_events.hpp"

namespace crs::collaboration {

struct member_record {
  member_spec spec;  // payment: as the creator wrote it
  member_status status = member_status::invited;
  std::optional<std::string> membership_id;  // while the membership record exists
  time_ms create_time = 0;
  time_ms update_time = 0;
};

struct membership_record {
  std::string id;
  account_id account;
  std::string region;
  membership_status status = membership_status::active;
  log_status query_log = log_status::disabled;
  std::optional<log_status> job_log;
  std::optional<query_result_config> default_result;
  std::optional<job_result_config> default_job_result;
  payment_config payment;
  std::optional<bool> metrics_enabled;
  time_ms create_time = 0;
  time_ms update_time = 0;
};

struct association_rule_record {
  association_rule_policy policy;
  time_ms create_time = 0;
  time_ms update_time = 0;
};

// A configured table association (SPEC.md 10): private to its membership, seen by the other
// members as a schema (SPEC.md 11, 20).
struct association_record {
  std::string id;
  std::string membership_id;
  std::string configured_table_id;
  account_id account;
  std::string region;
  std::string name;
  std::optional<std::string> description;
  std::string role_arn;
  time_ms create_time = 0;
  time_ms update_time = 0;
  std::map<analysis_rule_type, association_rule_record> rules;
};

// An analysis template (SPEC.md 13), owned by a membership, readable collaboration-wide.
struct template_record {
  std::string id;
  std::string membership_id;
  account_id account;
  std::string region;
  std::string name;
  std::optional<std::string> description;
  analysis_format format = analysis_format::sql;
  analysis_source source;
  std::vector<std::string> referenced_tables;
  std::optional<std::vector<analysis_parameter>> parameters;
  bool detailed_errors = false;
  time_ms create_time = 0;
  time_ms update_time = 0;
};

// A collaboration change request (SPEC.md 14); `approvals` empty for auto-approved ones.
struct change_request_record {
  std::string id;
  std::vector<change> changes;
  bool auto_approved = false;
  change_request_status status = change_request_status::pending;
  std::map<account_id, approval_status> approvals;
  time_ms create_time = 0;
  time_ms update_time = 0;
};

// A protected query (SPEC.md 12, 16.3): what QueryStarted recorded, then its status and, once
// terminal, its statistics and result or error (QueryCompleted). Kept whole, finished ones
// included, because the projections are a function of the state (collaboration_rows.hpp).
struct query_record {
  std::string id;
  std::string membership_id;
  account_id account;  // owns the membership
  query_sql_parameters sql;
  std::optional<query_output> output;  // the effective output; absent: the result receivers
  std::optional<query_compute> compute;
  std::vector<account_id> receivers;
  std::vector<std::string> receiver_memberships;
  std::vector<std::string> associations;  // whose schemas it reads (their deletion waits)
  query_status status = query_status::submitted;
  time_ms create_time = 0;
  time_ms update_time = 0;
  std::int64_t duration_ms = 0;
  std::optional<std::string> result_location;
  std::int64_t result_rows = 0;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
};

struct payer {
  account_id account;
  bool accepted = false;
};

struct state {
  std::uint64_t version = 0;  // events applied: the stream head
  bool created = false;
  bool deleted = false;
  events::collaboration_created info;  // name/description/engine kept current
  time_ms create_time = 0;
  time_ms update_time = 0;
  std::vector<member_record> members;                    // the creator first, then invitation order
  std::map<std::string, membership_record> memberships;  // by id
  std::map<std::string, association_record> associations;        // by id
  std::map<std::string, template_record> templates;              // by id
  std::map<std::string, change_request_record> change_requests;  // by id
  std::map<std::string, query_record> queries;                   // by id, finished ones too
  std::map<std::string, tag_map> tags;  // by resource ARN, live resources only
  std::array<std::optional<payer>, payment_dimension_count> payers;

  const member_record* member(std::string_view account) const;
  member_record* member(std::string_view account);
  const membership_record* membership(std::string_view id) const;
  const association_record* association(std::string_view id) const;
  // The association whose schema is visible under `name`, ignoring ASCII case (SPEC.md Q12):
  // its membership is ACTIVE. A REMOVED member's associations are no schema (SPEC.md 11), and
  // that membership can never be ACTIVE again, so their names are free.
  const association_record* association_named(std::string_view name) const;
  // An unfinished query (SUBMITTED, STARTED, CANCELLING) that reads the association's schema,
  // which may not be deleted meanwhile (SPEC.md Q22); null if none.
  const query_record* unfinished_reader(std::string_view association_id) const;
  // A live collaboration the account may see: its member record is INVITED or ACTIVE.
  bool visible_to(std::string_view account) const;
};

state evolve(state s, const events::event_payload& e, time_ms at);

// Test-only: a bug planted in evolve (or a projection) on purpose (`cleanroomsd sim --plant-bug`),
// to show that the simulator's checkers catch a wrong evolver within a bounded number of steps. Set
// once, before any actor runs; the server never sets it.
enum class planted_bug : std::uint8_t {
  none,
  member_left_stays_active,
  invitee_removal_ignored,
  cancelled_query_succeeds,
  // Not the evolver: ListMembers' rows drop a REMOVED member's membershipId, which replay,
  // rebuild and the state checkers cannot see (they render the same way); the simulator's
  // content reads (sim/reads.cpp) do.
  removed_member_listed_without_membership,
  // Not the evolver nor a rendering: the live path's view writes keep a membership's quota row
  // once the membership no longer counts (projections::changed_rows drops the erasure). No read
  // shows that row and rebuild renders it right; only comparing live views with the rebuilt ones
  // (the simulator's periodic check) can see it.
  stale_membership_quota_row
};
void plant_bug_for_tests(planted_bug bug);
[[nodiscard]] planted_bug planted_bug_for_tests();
void apply(state& s, const events::event_payload& e, time_ms at);  // in place, same rules

std::string stream_id(std::string_view collaboration_id);
std::string collaboration_arn(const state& s);
std::string membership_arn(const membership_record& m);
// SPEC.md Q1: the IAM form, arn:...:membership/<mid>/configuredtableassociation/<id>.
std::string association_arn(const association_record& a);
// arn:aws:cleanrooms:<region>:<account>:membership/<mid>/analysistemplate/<id> (SPEC.md 4.2).
std::string template_arn(const template_record& t);
std::string make_collaboration_arn(std::string_view region, std::string_view account,
                                   std::string_view id);
std::string make_membership_arn(std::string_view region, std::string_view account,
                                std::string_view id);

// SPEC.md 19.2: the configuration ListMembers shows for a member.
payment_config resolved_payment(const state& s, const member_record& m);

}  // namespace crs::collaboration
