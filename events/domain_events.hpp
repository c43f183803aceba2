// The domain events: facts, named in the past tense, each carrying everything evolve needs.
// The recorded time, the acting account and the request id live in the envelope
// (events/envelope.hpp), never in the payload, so one fact is never stored twice.
#pragma once

#include <string_view>
#include <variant>

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

using event_payload =
    std::variant<collaboration_created, member_invited, payment_assigned, membership_created,
                 membership_updated, membership_status_changed, membership_deleted, member_left,
                 member_removed, collaboration_updated, collaboration_deleted, tags_changed>;

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

}  // namespace crs::events
