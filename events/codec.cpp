// FlatBuffers encoding of events (schema: events/schema/events.fbs). Encoding maps every
// std::optional to "field absent" and every present value, even a default one, to "field
// written", so decode(encode(x)) == x exactly. Decoding trusts nothing: the Verifier runs
// first, then every enum and union tag is range-checked, so arbitrary bytes give an error.
#include "events/codec.hpp"

#include <cstdint>
#include <type_traits>
#include <variant>

#include "events/value_codec.hpp"
#include "events_generated.h"

namespace crs::events {
namespace {

// Bump only when readers of the old format must refuse the new one (see events.fbs).
constexpr std::uint16_t current_format = 1;

using codec::builder;
using codec::fb_string;
using codec::to_fb;

static_assert(std::variant_size_v<event_payload> == 39, "add the new event to Payload");
// Union tag == variant index + 1: the schema appends members in the variant's order.
static_assert(static_cast<std::size_t>(fb::Payload::MAX) == std::variant_size_v<event_payload>);
static_assert(static_cast<int>(fb::Payload::TagsChanged) == 12);
static_assert(static_cast<int>(fb::Payload::ConfiguredTableCreated) == 13);
static_assert(static_cast<int>(fb::Payload::ConfiguredTableAssociationAnalysisRuleDeleted) == 24);
static_assert(static_cast<int>(fb::Payload::AnalysisTemplateCreated) == 25);
static_assert(static_cast<int>(fb::Payload::ChangeRequestCreated) == 28);
static_assert(static_cast<int>(fb::Payload::ChangeRequestCommitted) == 33);
static_assert(static_cast<int>(fb::Payload::AutoApprovedChangeTypesChanged) == 35);
static_assert(static_cast<int>(fb::Payload::QueryStarted) == 36);
static_assert(static_cast<int>(fb::Payload::QueryCompleted) == 39);
// The anchors above, checked against the variant's own order.
static_assert(
    std::is_same_v<std::variant_alternative_t<24, event_payload>, analysis_template_created>);
static_assert(
    std::is_same_v<std::variant_alternative_t<27, event_payload>, change_request_created>);
static_assert(
    std::is_same_v<std::variant_alternative_t<32, event_payload>, change_request_committed>);
static_assert(std::is_same_v<std::variant_alternative_t<34, event_payload>, auto_approved_changed>);
static_assert(std::is_same_v<std::variant_alternative_t<35, event_payload>, query_started>);
static_assert(std::is_same_v<std::variant_alternative_t<38, event_payload>, query_completed>);

// ---------------------------------------------------------------- encode

// The shared values (enums, configs, member specs, tags) come from codec::value_encoder.
struct encoder : codec::value_encoder {
  // Each event: (union tag, table offset).
  using tagged = std::pair<fb::Payload, flatbuffers::Offset<void>>;

  tagged operator()(const collaboration_created& e) {
    auto id = str(e.collaboration_id);
    auto region = str(e.region);
    auto name = str(e.name);
    auto description = str(e.description);
    auto creator = str(e.creator);
    auto creator_display_name = str(e.creator_display_name);
    auto encryption = value(e.encryption);
    flatbuffers::Offset<flatbuffers::Vector<fb::AutoApprovedChangeType>> auto_approved;
    if (e.auto_approved) auto_approved = enums<fb::AutoApprovedChangeType>(*e.auto_approved);
    flatbuffers::Offset<flatbuffers::Vector<fb_string>> regions;
    if (e.allowed_result_regions) regions = strings(*e.allowed_result_regions);
    auto t = fb::CreateCollaborationCreated(
        b, id, region, name, description, creator, creator_display_name, encryption,
        to_fb<fb::LogStatus>(e.query_log), opt<fb::LogStatus>(e.job_log),
        opt<fb::AnalyticsEngine>(e.engine), auto_approved, regions, opt<bool>(e.metrics_enabled));
    return {fb::Payload::CollaborationCreated, t.Union()};
  }

  tagged operator()(const member_invited& e) {
    auto member = value(e.member);
    return {fb::Payload::MemberInvited, fb::CreateMemberInvited(b, member).Union()};
  }

  tagged operator()(const payment_assigned& e) {
    auto account = str(e.account);
    auto t =
        fb::CreatePaymentAssigned(b, to_fb<fb::PaymentDimension>(e.dimension), account, e.accepted);
    return {fb::Payload::PaymentAssigned, t.Union()};
  }

  tagged operator()(const membership_created& e) {
    auto id = str(e.membership_id);
    auto account = str(e.account);
    auto region = str(e.region);
    auto result = value(e.default_result);
    auto job_result = value(e.default_job_result);
    auto payment = value(e.payment);
    auto t = fb::CreateMembershipCreated(b, id, account, region, to_fb<fb::LogStatus>(e.query_log),
                                         opt<fb::LogStatus>(e.job_log), result, job_result, payment,
                                         opt<bool>(e.metrics_enabled));
    return {fb::Payload::MembershipCreated, t.Union()};
  }

  tagged operator()(const membership_updated& e) {
    auto id = str(e.membership_id);
    auto result = value(e.default_result);
    auto job_result = value(e.default_job_result);
    auto t = fb::CreateMembershipUpdated(b, id, opt<fb::LogStatus>(e.query_log),
                                         opt<fb::LogStatus>(e.job_log), result, job_result);
    return {fb::Payload::MembershipUpdated, t.Union()};
  }

  tagged operator()(const membership_status_changed& e) {
    auto id = str(e.membership_id);
    auto t = fb::CreateMembershipStatusChanged(b, id, to_fb<fb::MembershipStatus>(e.status));
    return {fb::Payload::MembershipStatusChanged, t.Union()};
  }

  tagged operator()(const membership_deleted& e) {
    auto id = str(e.membership_id);
    auto account = str(e.account);
    return {fb::Payload::MembershipDeleted, fb::CreateMembershipDeleted(b, id, account).Union()};
  }

  tagged operator()(const member_left& e) {
    auto account = str(e.account);
    return {fb::Payload::MemberLeft, fb::CreateMemberLeft(b, account).Union()};
  }

  tagged operator()(const member_removed& e) {
    auto account = str(e.account);
    return {fb::Payload::MemberRemoved, fb::CreateMemberRemoved(b, account).Union()};
  }

  tagged operator()(const collaboration_updated& e) {
    auto name = str(e.name);
    auto description = str(e.description);
    auto t =
        fb::CreateCollaborationUpdated(b, name, description, opt<fb::AnalyticsEngine>(e.engine));
    return {fb::Payload::CollaborationUpdated, t.Union()};
  }

  tagged operator()(const collaboration_deleted&) {
    return {fb::Payload::CollaborationDeleted, fb::CreateCollaborationDeleted(b).Union()};
  }

  tagged operator()(const tags_changed& e) {
    auto arn = str(e.resource_arn);
    auto set = tags(e.set);
    auto removed = strings(e.removed);
    return {fb::Payload::TagsChanged, fb::CreateTagsChanged(b, arn, set, removed).Union()};
  }

  tagged operator()(const configured_table_created& e) {
    auto id = str(e.configured_table_id);
    auto region = str(e.region);
    auto owner = str(e.owner);
    auto name = str(e.name);
    auto description = str(e.description);
    auto reference = value(e.reference);
    auto columns = strings(e.allowed_columns);
    auto selected = opt_enums<fb::SelectedAnalysisMethod>(e.selected_methods);
    auto t =
        fb::CreateConfiguredTableCreated(b, id, region, owner, name, description, reference,
                                         columns, to_fb<fb::AnalysisMethod>(e.method), selected);
    return {fb::Payload::ConfiguredTableCreated, t.Union()};
  }

  tagged operator()(const configured_table_updated& e) {
    auto name = str(e.name);
    auto description = str(e.description);
    auto reference = value(e.reference);
    auto columns = opt_strings(e.allowed_columns);
    auto selected = opt_enums<fb::SelectedAnalysisMethod>(e.selected_methods);
    auto t = fb::CreateConfiguredTableUpdated(b, name, description, reference, columns,
                                              opt<fb::AnalysisMethod>(e.method), selected);
    return {fb::Payload::ConfiguredTableUpdated, t.Union()};
  }

  tagged operator()(const configured_table_deleted&) {
    return {fb::Payload::ConfiguredTableDeleted, fb::CreateConfiguredTableDeleted(b).Union()};
  }

  tagged operator()(const analysis_rule_created& e) {
    auto policy = value(e.policy);
    return {fb::Payload::ConfiguredTableAnalysisRuleCreated,
            fb::CreateConfiguredTableAnalysisRuleCreated(b, policy).Union()};
  }

  tagged operator()(const analysis_rule_updated& e) {
    auto policy = value(e.policy);
    return {fb::Payload::ConfiguredTableAnalysisRuleUpdated,
            fb::CreateConfiguredTableAnalysisRuleUpdated(b, policy).Union()};
  }

  tagged operator()(const analysis_rule_deleted& e) {
    auto t = fb::CreateConfiguredTableAnalysisRuleDeleted(b, to_fb<fb::AnalysisRuleType>(e.type));
    return {fb::Payload::ConfiguredTableAnalysisRuleDeleted, t.Union()};
  }

  tagged operator()(const association_created& e) {
    auto id = str(e.association_id);
    auto membership = str(e.membership_id);
    auto table = str(e.configured_table_id);
    auto account = str(e.account);
    auto region = str(e.region);
    auto name = str(e.name);
    auto description = str(e.description);
    auto role = str(e.role_arn);
    auto t = fb::CreateConfiguredTableAssociationCreated(b, id, membership, table, account, region,
                                                         name, description, role);
    return {fb::Payload::ConfiguredTableAssociationCreated, t.Union()};
  }

  tagged operator()(const association_updated& e) {
    auto id = str(e.association_id);
    auto description = str(e.description);
    auto role = str(e.role_arn);
    auto t = fb::CreateConfiguredTableAssociationUpdated(b, id, description, role);
    return {fb::Payload::ConfiguredTableAssociationUpdated, t.Union()};
  }

  tagged operator()(const association_deleted& e) {
    auto id = str(e.association_id);
    return {fb::Payload::ConfiguredTableAssociationDeleted,
            fb::CreateConfiguredTableAssociationDeleted(b, id).Union()};
  }

  tagged operator()(const association_rule_created& e) {
    auto id = str(e.association_id);
    auto policy = value(e.policy);
    auto t = fb::CreateConfiguredTableAssociationAnalysisRuleCreated(
        b, id, to_fb<fb::AnalysisRuleType>(e.type), policy);
    return {fb::Payload::ConfiguredTableAssociationAnalysisRuleCreated, t.Union()};
  }

  tagged operator()(const association_rule_updated& e) {
    auto id = str(e.association_id);
    auto policy = value(e.policy);
    auto t = fb::CreateConfiguredTableAssociationAnalysisRuleUpdated(
        b, id, to_fb<fb::AnalysisRuleType>(e.type), policy);
    return {fb::Payload::ConfiguredTableAssociationAnalysisRuleUpdated, t.Union()};
  }

  tagged operator()(const association_rule_deleted& e) {
    auto id = str(e.association_id);
    auto t = fb::CreateConfiguredTableAssociationAnalysisRuleDeleted(
        b, id, to_fb<fb::AnalysisRuleType>(e.type));
    return {fb::Payload::ConfiguredTableAssociationAnalysisRuleDeleted, t.Union()};
  }

  tagged operator()(const analysis_template_created& e) {
    auto id = str(e.template_id);
    auto membership = str(e.membership_id);
    auto account = str(e.account);
    auto region = str(e.region);
    auto name = str(e.name);
    auto description = str(e.description);
    auto src = source(e.source);
    auto referenced = strings(e.referenced_tables);
    auto parameters = opt_values(e.parameters);
    auto t = fb::CreateAnalysisTemplateCreated(b, id, membership, account, region, name,
                                               description, to_fb<fb::AnalysisFormat>(e.format),
                                               src, referenced, parameters, e.detailed_errors);
    return {fb::Payload::AnalysisTemplateCreated, t.Union()};
  }

  tagged operator()(const analysis_template_updated& e) {
    auto id = str(e.template_id);
    auto description = str(e.description);
    return {fb::Payload::AnalysisTemplateUpdated,
            fb::CreateAnalysisTemplateUpdated(b, id, description).Union()};
  }

  tagged operator()(const analysis_template_deleted& e) {
    auto id = str(e.template_id);
    return {fb::Payload::AnalysisTemplateDeleted, fb::CreateAnalysisTemplateDeleted(b, id).Union()};
  }

  tagged operator()(const change_request_created& e) {
    auto id = str(e.change_request_id);
    auto changes = values(e.changes);
    auto approvers = strings(e.approvers);
    auto t = fb::CreateChangeRequestCreated(b, id, changes, e.auto_approved,
                                            to_fb<fb::ChangeRequestStatus>(e.status), approvers);
    return {fb::Payload::ChangeRequestCreated, t.Union()};
  }

  tagged operator()(const change_request_voted& e) {
    auto id = str(e.change_request_id);
    auto account = str(e.account);
    return {fb::Payload::ChangeRequestVoted,
            fb::CreateChangeRequestVoted(b, id, account, e.approve).Union()};
  }

  tagged operator()(const change_request_approved& e) {
    auto id = str(e.change_request_id);
    return {fb::Payload::ChangeRequestApproved, fb::CreateChangeRequestApproved(b, id).Union()};
  }

  tagged operator()(const change_request_denied& e) {
    auto id = str(e.change_request_id);
    return {fb::Payload::ChangeRequestDenied, fb::CreateChangeRequestDenied(b, id).Union()};
  }

  tagged operator()(const change_request_cancelled& e) {
    auto id = str(e.change_request_id);
    return {fb::Payload::ChangeRequestCancelled, fb::CreateChangeRequestCancelled(b, id).Union()};
  }

  tagged operator()(const change_request_committed& e) {
    auto id = str(e.change_request_id);
    return {fb::Payload::ChangeRequestCommitted, fb::CreateChangeRequestCommitted(b, id).Union()};
  }

  tagged operator()(const member_abilities_changed& e) {
    auto account = str(e.account);
    auto abilities = enums<fb::MemberAbility>(e.abilities);
    return {fb::Payload::MemberAbilitiesChanged,
            fb::CreateMemberAbilitiesChanged(b, account, abilities).Union()};
  }

  tagged operator()(const auto_approved_changed& e) {
    auto types = enums<fb::AutoApprovedChangeType>(e.types);
    return {fb::Payload::AutoApprovedChangeTypesChanged,
            fb::CreateAutoApprovedChangeTypesChanged(b, types).Union()};
  }

  tagged operator()(const query_started& e) {
    auto id = str(e.query_id);
    auto membership = str(e.membership_id);
    auto account = str(e.account);
    auto sql = value(e.sql);
    auto output = value(e.output);
    auto compute = value(e.compute);
    auto receivers = strings(e.receivers);
    auto receiver_memberships = strings(e.receiver_memberships);
    // Absent when none, as in the events written before the field existed.
    flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>>
        associations = e.associations.empty() ? 0 : strings(e.associations);
    auto t = fb::CreateQueryStarted(b, id, membership, account, sql, output, compute, receivers,
                                    receiver_memberships, associations);
    return {fb::Payload::QueryStarted, t.Union()};
  }

  tagged operator()(const query_running& e) {
    auto id = str(e.query_id);
    return {fb::Payload::QueryRunning, fb::CreateQueryRunning(b, id).Union()};
  }

  tagged operator()(const query_cancel_requested& e) {
    auto id = str(e.query_id);
    return {fb::Payload::QueryCancelRequested, fb::CreateQueryCancelRequested(b, id).Union()};
  }

  tagged operator()(const query_completed& e) {
    auto id = str(e.query_id);
    auto location = str(e.result_location);
    auto error_code = str(e.error_code);
    auto error_message = str(e.error_message);
    auto t = fb::CreateQueryCompleted(b, id, to_fb<fb::QueryStatus>(e.status), e.duration_ms,
                                      location, e.result_rows, error_code, error_message);
    return {fb::Payload::QueryCompleted, t.Union()};
  }
};

}  // namespace

std::string encode(const envelope& env, const event_payload& payload) {
  builder b(512);
  encoder enc{{b}};
  auto [tag, body] = std::visit(enc, payload);
  auto stream = b.CreateString(env.stream);
  // The type is derived from the payload so the stored name can never disagree with it.
  auto type = b.CreateString(type_name(payload));
  auto account = b.CreateString(env.account);
  auto request_id = b.CreateString(env.request_id);
  fb::EnvelopeBuilder eb(b);
  eb.add_format(current_format);
  eb.add_position(env.position);
  eb.add_stream(stream);
  eb.add_version(env.version);
  eb.add_type(type);
  eb.add_time_ms(env.time);
  eb.add_account(account);
  eb.add_request_id(request_id);
  eb.add_payload_type(tag);
  eb.add_payload(body);
  fb::FinishEnvelopeBuffer(b, eb.Finish());
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

// decode() lives in codec_decode.cpp.

std::string encode_appended(const append_request& request, std::uint64_t position,
                            std::uint64_t version, const event_payload& payload) {
  envelope env;
  env.position = position;
  env.stream = request.stream;
  env.version = version;  // the type comes from the payload (encode)
  env.time = request.time;
  env.account = request.account;
  env.request_id = request.request_id;
  return encode(env, payload);
}

}  // namespace crs::events
