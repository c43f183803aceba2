// FlatBuffers encoding of events (schema: events/schema/events.fbs). Encoding maps every
// std::optional to "field absent" and every present value, even a default one, to "field
// written", so decode(encode(x)) == x exactly. Decoding trusts nothing: the Verifier runs
// first, then every enum and union tag is range-checked, so arbitrary bytes give an error.
#include "events/codec.hpp"

#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>

#include "events_generated.h"

namespace crs::events {
namespace {

// Bump only when readers of the old format must refuse the new one (see events.fbs).
constexpr std::uint16_t current_format = 1;

using builder = flatbuffers::FlatBufferBuilder;
using fb_string = flatbuffers::Offset<flatbuffers::String>;

// The schema enums are the C++ enums by ordinal; a reordering on either side must not compile.
#define CRS_SAME_ENUM(fb_value, cpp_value) \
  static_assert(static_cast<int>(fb_value) == static_cast<int>(cpp_value), #cpp_value)
CRS_SAME_ENUM(fb::MemberAbility::CanQuery, member_ability::can_query);
CRS_SAME_ENUM(fb::MemberAbility::CanReceiveResults, member_ability::can_receive_results);
CRS_SAME_ENUM(fb::MemberAbility::CanRunJob, member_ability::can_run_job);
CRS_SAME_ENUM(fb::MlAbility::CanReceiveModelOutput, ml_ability::can_receive_model_output);
CRS_SAME_ENUM(fb::MlAbility::CanReceiveInferenceOutput, ml_ability::can_receive_inference_output);
CRS_SAME_ENUM(fb::LogStatus::Enabled, log_status::enabled);
CRS_SAME_ENUM(fb::LogStatus::Disabled, log_status::disabled);
CRS_SAME_ENUM(fb::AnalyticsEngine::Spark, analytics_engine::spark);
CRS_SAME_ENUM(fb::AnalyticsEngine::CleanRoomsSql, analytics_engine::clean_rooms_sql);
CRS_SAME_ENUM(fb::MembershipStatus::Active, membership_status::active);
CRS_SAME_ENUM(fb::MembershipStatus::Removed, membership_status::removed);
CRS_SAME_ENUM(fb::MembershipStatus::CollaborationDeleted, membership_status::collaboration_deleted);
CRS_SAME_ENUM(fb::AutoApprovedChangeType::AddMember, auto_approved_change_type::add_member);
CRS_SAME_ENUM(fb::AutoApprovedChangeType::GrantReceiveResultsAbility,
              auto_approved_change_type::grant_receive_results_ability);
CRS_SAME_ENUM(fb::AutoApprovedChangeType::RevokeReceiveResultsAbility,
              auto_approved_change_type::revoke_receive_results_ability);
CRS_SAME_ENUM(fb::ResultFormat::Csv, result_format::csv);
CRS_SAME_ENUM(fb::ResultFormat::Parquet, result_format::parquet);
CRS_SAME_ENUM(fb::PaymentDimension::QueryCompute, payment_dimension::query_compute);
CRS_SAME_ENUM(fb::PaymentDimension::JobCompute, payment_dimension::job_compute);
CRS_SAME_ENUM(fb::PaymentDimension::ModelTraining, payment_dimension::model_training);
CRS_SAME_ENUM(fb::PaymentDimension::ModelInference, payment_dimension::model_inference);
CRS_SAME_ENUM(fb::PaymentDimension::SyntheticDataGeneration,
              payment_dimension::synthetic_data_generation);
#undef CRS_SAME_ENUM
// PaymentConfig has one field per dimension: a new dimension needs a new schema field.
static_assert(payment_dimension_count == 5, "add the new dimension to PaymentConfig");
static_assert(std::variant_size_v<event_payload> == 12, "add the new event to Payload");

template <class Fb, class Cpp>
Fb to_fb(Cpp v) {
  return static_cast<Fb>(static_cast<std::uint8_t>(v));
}

// ---------------------------------------------------------------- encode

struct encoder {
  builder& b;

  fb_string str(const std::string& s) { return b.CreateString(s); }
  fb_string str(const std::optional<std::string>& s) { return s ? b.CreateString(*s) : 0; }

  template <class Fb, class Cpp>
  flatbuffers::Offset<flatbuffers::Vector<Fb>> enums(const std::vector<Cpp>& v) {
    std::vector<Fb> out;
    out.reserve(v.size());
    for (Cpp e : v) out.push_back(to_fb<Fb>(e));
    return b.CreateVector(out);
  }

  flatbuffers::Offset<flatbuffers::Vector<fb_string>> strings(const std::vector<std::string>& v) {
    std::vector<fb_string> out;
    out.reserve(v.size());
    for (const auto& s : v) out.push_back(b.CreateString(s));
    return b.CreateVector(out);
  }

  flatbuffers::Offset<fb::DataEncryptionMetadata> value(const data_encryption_metadata& m) {
    return fb::CreateDataEncryptionMetadata(b, m.allow_cleartext, m.allow_duplicates,
                                            m.allow_joins_on_columns_with_different_names,
                                            m.preserve_nulls);
  }

  flatbuffers::Offset<fb::PaymentConfig> value(const payment_config& p) {
    auto dim = [&](payment_dimension d) -> flatbuffers::Optional<bool> {
      const auto& v = p.at(d);
      return v ? flatbuffers::Optional<bool>(*v) : flatbuffers::nullopt;
    };
    return fb::CreatePaymentConfig(
        b, dim(payment_dimension::query_compute), dim(payment_dimension::job_compute),
        dim(payment_dimension::model_training), dim(payment_dimension::model_inference),
        dim(payment_dimension::synthetic_data_generation), p.machine_learning_sent);
  }

  flatbuffers::Offset<fb::QueryResultConfig> value(const query_result_config& c) {
    auto bucket = str(c.bucket);
    auto key_prefix = str(c.key_prefix);
    auto role_arn = str(c.role_arn);
    fb::QueryResultConfigBuilder t(b);
    t.add_format(to_fb<fb::ResultFormat>(c.format));
    t.add_bucket(bucket);
    if (!key_prefix.IsNull()) t.add_key_prefix(key_prefix);
    if (c.single_file_output) t.add_single_file_output(*c.single_file_output);
    if (!role_arn.IsNull()) t.add_role_arn(role_arn);
    return t.Finish();
  }

  flatbuffers::Offset<fb::JobResultConfig> value(const job_result_config& c) {
    auto bucket = str(c.bucket);
    auto key_prefix = str(c.key_prefix);
    auto role_arn = str(c.role_arn);
    return fb::CreateJobResultConfig(b, bucket, key_prefix, role_arn);
  }

  flatbuffers::Offset<fb::MemberSpec> value(const member_spec& m) {
    auto account = str(m.account);
    auto display_name = str(m.display_name);
    auto abilities = enums<fb::MemberAbility>(m.abilities);
    flatbuffers::Offset<flatbuffers::Vector<fb::MlAbility>> ml;
    if (m.ml_abilities) ml = enums<fb::MlAbility>(*m.ml_abilities);
    flatbuffers::Offset<fb::PaymentConfig> payment;
    if (m.payment) payment = value(*m.payment);
    return fb::CreateMemberSpec(b, account, display_name, abilities, ml, payment);
  }

  template <class T>
  auto value(const std::optional<T>& v) -> decltype(value(*v)) {
    return v ? value(*v) : 0;
  }

  template <class Fb, class Cpp>
  static flatbuffers::Optional<Fb> opt(const std::optional<Cpp>& v) {
    return v ? flatbuffers::Optional<Fb>(to_fb<Fb>(*v)) : flatbuffers::nullopt;
  }

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
    std::vector<flatbuffers::Offset<fb::Tag>> tags;
    tags.reserve(e.set.size());
    for (const auto& [k, v] : e.set) {
      auto key = str(k);
      auto val = str(v);
      tags.push_back(fb::CreateTag(b, key, val));
    }
    auto set = b.CreateVector(tags);
    auto removed = strings(e.removed);
    return {fb::Payload::TagsChanged, fb::CreateTagsChanged(b, arn, set, removed).Union()};
  }
};

}  // namespace

std::string encode(const envelope& env, const event_payload& payload) {
  builder b(512);
  encoder enc{b};
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

}  // namespace crs::events
