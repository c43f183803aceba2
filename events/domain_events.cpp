#include "events/domain_events.hpp"

#include <tuple>

namespace crs::events {
namespace {
struct type_namer {
  std::string_view operator()(const collaboration_created&) const { return "CollaborationCreated"; }
  std::string_view operator()(const member_invited&) const { return "MemberInvited"; }
  std::string_view operator()(const payment_assigned&) const { return "PaymentAssigned"; }
  std::string_view operator()(const membership_created&) const { return "MembershipCreated"; }
  std::string_view operator()(const membership_updated&) const { return "MembershipUpdated"; }
  std::string_view operator()(const membership_status_changed&) const {
    return "MembershipStatusChanged";
  }
  std::string_view operator()(const membership_deleted&) const { return "MembershipDeleted"; }
  std::string_view operator()(const member_left&) const { return "MemberLeft"; }
  std::string_view operator()(const member_removed&) const { return "MemberRemoved"; }
  std::string_view operator()(const collaboration_updated&) const { return "CollaborationUpdated"; }
  std::string_view operator()(const collaboration_deleted&) const { return "CollaborationDeleted"; }
  std::string_view operator()(const tags_changed&) const { return "TagsChanged"; }
  std::string_view operator()(const configured_table_created&) const {
    return "ConfiguredTableCreated";
  }
  std::string_view operator()(const configured_table_updated&) const {
    return "ConfiguredTableUpdated";
  }
  std::string_view operator()(const configured_table_deleted&) const {
    return "ConfiguredTableDeleted";
  }
  std::string_view operator()(const analysis_rule_created&) const {
    return "ConfiguredTableAnalysisRuleCreated";
  }
  std::string_view operator()(const analysis_rule_updated&) const {
    return "ConfiguredTableAnalysisRuleUpdated";
  }
  std::string_view operator()(const analysis_rule_deleted&) const {
    return "ConfiguredTableAnalysisRuleDeleted";
  }
  std::string_view operator()(const association_created&) const {
    return "ConfiguredTableAssociationCreated";
  }
  std::string_view operator()(const association_updated&) const {
    return "ConfiguredTableAssociationUpdated";
  }
  std::string_view operator()(const association_deleted&) const {
    return "ConfiguredTableAssociationDeleted";
  }
  std::string_view operator()(const association_rule_created&) const {
    return "ConfiguredTableAssociationAnalysisRuleCreated";
  }
  std::string_view operator()(const association_rule_updated&) const {
    return "ConfiguredTableAssociationAnalysisRuleUpdated";
  }
  std::string_view operator()(const association_rule_deleted&) const {
    return "ConfiguredTableAssociationAnalysisRuleDeleted";
  }
  std::string_view operator()(const analysis_template_created&) const {
    return "AnalysisTemplateCreated";
  }
  std::string_view operator()(const analysis_template_updated&) const {
    return "AnalysisTemplateUpdated";
  }
  std::string_view operator()(const analysis_template_deleted&) const {
    return "AnalysisTemplateDeleted";
  }
  std::string_view operator()(const change_request_created&) const {
    return "ChangeRequestCreated";
  }
  std::string_view operator()(const change_request_voted&) const { return "ChangeRequestVoted"; }
  std::string_view operator()(const change_request_approved&) const {
    return "ChangeRequestApproved";
  }
  std::string_view operator()(const change_request_denied&) const { return "ChangeRequestDenied"; }
  std::string_view operator()(const change_request_cancelled&) const {
    return "ChangeRequestCancelled";
  }
  std::string_view operator()(const change_request_committed&) const {
    return "ChangeRequestCommitted";
  }
  std::string_view operator()(const member_abilities_changed&) const {
    return "MemberAbilitiesChanged";
  }
  std::string_view operator()(const auto_approved_changed&) const {
    return "AutoApprovedChangeTypesChanged";
  }
  std::string_view operator()(const query_started&) const { return "QueryStarted"; }
  std::string_view operator()(const query_running&) const { return "QueryRunning"; }
  std::string_view operator()(const query_cancel_requested&) const {
    return "QueryCancelRequested";
  }
  std::string_view operator()(const query_completed&) const { return "QueryCompleted"; }
};
}  // namespace

std::string_view type_name(const event_payload& e) {
  return std::visit(type_namer{}, e);
}

bool operator==(const collaboration_created& a, const collaboration_created& b) {
  return std::tie(a.collaboration_id, a.region, a.name, a.description, a.creator,
                  a.creator_display_name, a.encryption, a.query_log, a.job_log, a.engine,
                  a.auto_approved, a.allowed_result_regions, a.metrics_enabled) ==
         std::tie(b.collaboration_id, b.region, b.name, b.description, b.creator,
                  b.creator_display_name, b.encryption, b.query_log, b.job_log, b.engine,
                  b.auto_approved, b.allowed_result_regions, b.metrics_enabled);
}
bool operator==(const member_invited& a, const member_invited& b) {
  return a.member == b.member;
}
bool operator==(const payment_assigned& a, const payment_assigned& b) {
  return std::tie(a.dimension, a.account, a.accepted) ==
         std::tie(b.dimension, b.account, b.accepted);
}
bool operator==(const membership_created& a, const membership_created& b) {
  return std::tie(a.membership_id, a.account, a.region, a.query_log, a.job_log, a.default_result,
                  a.default_job_result, a.payment, a.metrics_enabled) ==
         std::tie(b.membership_id, b.account, b.region, b.query_log, b.job_log, b.default_result,
                  b.default_job_result, b.payment, b.metrics_enabled);
}
bool operator==(const membership_updated& a, const membership_updated& b) {
  return std::tie(a.membership_id, a.query_log, a.job_log, a.default_result,
                  a.default_job_result) ==
         std::tie(b.membership_id, b.query_log, b.job_log, b.default_result, b.default_job_result);
}
bool operator==(const membership_status_changed& a, const membership_status_changed& b) {
  return a.membership_id == b.membership_id && a.status == b.status;
}
bool operator==(const membership_deleted& a, const membership_deleted& b) {
  return a.membership_id == b.membership_id && a.account == b.account;
}
bool operator==(const member_left& a, const member_left& b) {
  return a.account == b.account;
}
bool operator==(const member_removed& a, const member_removed& b) {
  return a.account == b.account;
}
bool operator==(const collaboration_updated& a, const collaboration_updated& b) {
  return std::tie(a.name, a.description, a.engine) == std::tie(b.name, b.description, b.engine);
}
bool operator==(const collaboration_deleted&, const collaboration_deleted&) {
  return true;
}
bool operator==(const tags_changed& a, const tags_changed& b) {
  return std::tie(a.resource_arn, a.set, a.removed) == std::tie(b.resource_arn, b.set, b.removed);
}

bool operator==(const configured_table_created& a, const configured_table_created& b) {
  return std::tie(a.configured_table_id, a.region, a.owner, a.name, a.description, a.reference,
                  a.allowed_columns, a.method, a.selected_methods) ==
         std::tie(b.configured_table_id, b.region, b.owner, b.name, b.description, b.reference,
                  b.allowed_columns, b.method, b.selected_methods);
}
bool operator==(const configured_table_updated& a, const configured_table_updated& b) {
  return std::tie(a.name, a.description, a.reference, a.allowed_columns, a.method,
                  a.selected_methods) == std::tie(b.name, b.description, b.reference,
                                                  b.allowed_columns, b.method, b.selected_methods);
}
bool operator==(const configured_table_deleted&, const configured_table_deleted&) {
  return true;
}
bool operator==(const analysis_rule_created& a, const analysis_rule_created& b) {
  return a.policy == b.policy;
}
bool operator==(const analysis_rule_updated& a, const analysis_rule_updated& b) {
  return a.policy == b.policy;
}
bool operator==(const analysis_rule_deleted& a, const analysis_rule_deleted& b) {
  return a.type == b.type;
}
bool operator==(const association_created& a, const association_created& b) {
  return std::tie(a.association_id, a.membership_id, a.configured_table_id, a.account, a.region,
                  a.name, a.description,
                  a.role_arn) == std::tie(b.association_id, b.membership_id, b.configured_table_id,
                                          b.account, b.region, b.name, b.description, b.role_arn);
}
bool operator==(const association_updated& a, const association_updated& b) {
  return std::tie(a.association_id, a.description, a.role_arn) ==
         std::tie(b.association_id, b.description, b.role_arn);
}
bool operator==(const association_deleted& a, const association_deleted& b) {
  return a.association_id == b.association_id;
}
bool operator==(const association_rule_created& a, const association_rule_created& b) {
  return std::tie(a.association_id, a.type, a.policy) ==
         std::tie(b.association_id, b.type, b.policy);
}
bool operator==(const association_rule_updated& a, const association_rule_updated& b) {
  return std::tie(a.association_id, a.type, a.policy) ==
         std::tie(b.association_id, b.type, b.policy);
}
bool operator==(const association_rule_deleted& a, const association_rule_deleted& b) {
  return a.association_id == b.association_id && a.type == b.type;
}

bool operator==(const analysis_template_created& a, const analysis_template_created& b) {
  return std::tie(a.template_id, a.membership_id, a.account, a.region, a.name, a.description,
                  a.format, a.source, a.referenced_tables, a.parameters, a.detailed_errors) ==
         std::tie(b.template_id, b.membership_id, b.account, b.region, b.name, b.description,
                  b.format, b.source, b.referenced_tables, b.parameters, b.detailed_errors);
}
bool operator==(const analysis_template_updated& a, const analysis_template_updated& b) {
  return a.template_id == b.template_id && a.description == b.description;
}
bool operator==(const analysis_template_deleted& a, const analysis_template_deleted& b) {
  return a.template_id == b.template_id;
}
bool operator==(const change_request_created& a, const change_request_created& b) {
  return std::tie(a.change_request_id, a.changes, a.auto_approved, a.status, a.approvers) ==
         std::tie(b.change_request_id, b.changes, b.auto_approved, b.status, b.approvers);
}
bool operator==(const change_request_voted& a, const change_request_voted& b) {
  return std::tie(a.change_request_id, a.account, a.approve) ==
         std::tie(b.change_request_id, b.account, b.approve);
}
bool operator==(const change_request_approved& a, const change_request_approved& b) {
  return a.change_request_id == b.change_request_id;
}
bool operator==(const change_request_denied& a, const change_request_denied& b) {
  return a.change_request_id == b.change_request_id;
}
bool operator==(const change_request_cancelled& a, const change_request_cancelled& b) {
  return a.change_request_id == b.change_request_id;
}
bool operator==(const change_request_committed& a, const change_request_committed& b) {
  return a.change_request_id == b.change_request_id;
}
bool operator==(const member_abilities_changed& a, const member_abilities_changed& b) {
  return a.account == b.account && a.abilities == b.abilities;
}
bool operator==(const auto_approved_changed& a, const auto_approved_changed& b) {
  return a.types == b.types;
}

bool operator==(const query_started& a, const query_started& b) {
  return std::tie(a.query_id, a.membership_id, a.account, a.sql, a.output, a.compute, a.receivers,
                  a.receiver_memberships, a.associations) ==
         std::tie(b.query_id, b.membership_id, b.account, b.sql, b.output, b.compute, b.receivers,
                  b.receiver_memberships, b.associations);
}
bool operator==(const query_running& a, const query_running& b) {
  return a.query_id == b.query_id;
}
bool operator==(const query_cancel_requested& a, const query_cancel_requested& b) {
  return a.query_id == b.query_id;
}
bool operator==(const query_completed& a, const query_completed& b) {
  return std::tie(a.query_id, a.status, a.duration_ms, a.result_location, a.result_rows,
                  a.error_code, a.error_message) == std::tie(b.query_id, b.status, b.duration_ms,
                                                             b.result_location, b.result_rows,
                                                             b.error_code, b.error_message);
}

}  // namespace crs::events
