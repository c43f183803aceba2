// The shared values' FlatBuffers encoding (see value_codec.hpp). The byte layout written here is
// part of the event log's format: keep the order in which fields are added.
#include "events/value_codec.hpp"

namespace crs::codec {
namespace {

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
CRS_SAME_ENUM(fb::PaymentDimension::MAX, payment_dimension_count - 1);
#undef CRS_SAME_ENUM
// PaymentConfig has one field per dimension: a new dimension needs a new schema field.
static_assert(payment_dimension_count == 5, "add the new dimension to PaymentConfig");

}  // namespace

// ---------------------------------------------------------------- encode

fb_string value_encoder::str(const std::string& s) {
  return b.CreateString(s);
}

fb_string value_encoder::str(const std::optional<std::string>& s) {
  return s ? b.CreateString(*s) : 0;
}

flatbuffers::Offset<flatbuffers::Vector<fb_string>> value_encoder::strings(
    const std::vector<std::string>& v) {
  std::vector<fb_string> out;
  out.reserve(v.size());
  for (const auto& s : v) out.push_back(b.CreateString(s));
  return b.CreateVector(out);
}

flatbuffers::Offset<fb::DataEncryptionMetadata> value_encoder::value(
    const data_encryption_metadata& m) {
  return fb::CreateDataEncryptionMetadata(b, m.allow_cleartext, m.allow_duplicates,
                                          m.allow_joins_on_columns_with_different_names,
                                          m.preserve_nulls);
}

flatbuffers::Offset<fb::PaymentConfig> value_encoder::value(const payment_config& p) {
  auto dim = [&](payment_dimension d) { return opt(p.at(d)); };
  return fb::CreatePaymentConfig(
      b, dim(payment_dimension::query_compute), dim(payment_dimension::job_compute),
      dim(payment_dimension::model_training), dim(payment_dimension::model_inference),
      dim(payment_dimension::synthetic_data_generation), p.machine_learning_sent);
}

flatbuffers::Offset<fb::QueryResultConfig> value_encoder::value(const query_result_config& c) {
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

flatbuffers::Offset<fb::JobResultConfig> value_encoder::value(const job_result_config& c) {
  auto bucket = str(c.bucket);
  auto key_prefix = str(c.key_prefix);
  auto role_arn = str(c.role_arn);
  return fb::CreateJobResultConfig(b, bucket, key_prefix, role_arn);
}

flatbuffers::Offset<fb::MemberSpec> value_encoder::value(const member_spec& m) {
  auto account = str(m.account);
  auto display_name = str(m.display_name);
  auto abilities = enums<fb::MemberAbility>(m.abilities);
  flatbuffers::Offset<flatbuffers::Vector<fb::MlAbility>> ml;
  if (m.ml_abilities) ml = enums<fb::MlAbility>(*m.ml_abilities);
  auto payment = value(m.payment);
  return fb::CreateMemberSpec(b, account, display_name, abilities, ml, payment);
}

flatbuffers::Offset<fb_tags> value_encoder::tags(const tag_map& tags) {
  std::vector<flatbuffers::Offset<fb::Tag>> out;
  out.reserve(tags.size());
  for (const auto& [k, v] : tags) {
    auto key = str(k);
    auto val = str(v);
    out.push_back(fb::CreateTag(b, key, val));
  }
  return b.CreateVector(out);
}

// ---------------------------------------------------------------- decode

std::string value_reader::str(const flatbuffers::String* s) {
  if (s) return s->str();
  // Strict: fields the snapshot requires; the check keeps a null from ever being dereferenced.
  if (mode_ == mode::strict) fail("a required string is missing");
  return {};
}

std::vector<std::string> value_reader::strings(
    const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v) {
  std::vector<std::string> out;
  if (!v) return out;
  out.reserve(v->size());
  for (const auto* s : *v) out.push_back(s ? s->str() : std::string());
  return out;
}

data_encryption_metadata value_reader::value(const fb::DataEncryptionMetadata& m) {
  data_encryption_metadata out;
  out.allow_cleartext = m.allow_cleartext();
  out.allow_duplicates = m.allow_duplicates();
  out.allow_joins_on_columns_with_different_names = m.allow_joins_on_columns_with_different_names();
  out.preserve_nulls = m.preserve_nulls();
  return out;
}

payment_config value_reader::value(const fb::PaymentConfig& p) {
  payment_config out;
  out.at(payment_dimension::query_compute) = opt(p.query_compute());
  out.at(payment_dimension::job_compute) = opt(p.job_compute());
  out.at(payment_dimension::model_training) = opt(p.model_training());
  out.at(payment_dimension::model_inference) = opt(p.model_inference());
  out.at(payment_dimension::synthetic_data_generation) = opt(p.synthetic_data_generation());
  out.machine_learning_sent = p.machine_learning_sent();
  return out;
}

query_result_config value_reader::value(const fb::QueryResultConfig& c) {
  query_result_config out;
  out.format = enum_of<result_format>(c.format(), "bad result format");
  out.bucket = str(c.bucket());
  out.key_prefix = opt_str(c.key_prefix());
  out.single_file_output = opt(c.single_file_output());
  out.role_arn = opt_str(c.role_arn());
  return out;
}

job_result_config value_reader::value(const fb::JobResultConfig& c) {
  job_result_config out;
  out.bucket = str(c.bucket());
  out.key_prefix = opt_str(c.key_prefix());
  out.role_arn = str(c.role_arn());
  return out;
}

member_spec value_reader::value(const fb::MemberSpec& m) {
  member_spec out;
  out.account = str(m.account());
  out.display_name = str(m.display_name());
  if (!m.abilities() && mode_ == mode::strict) fail("member abilities missing");
  out.abilities = enums<member_ability>(m.abilities(), "bad member ability");
  if (m.ml_abilities()) out.ml_abilities = enums<ml_ability>(m.ml_abilities(), "bad ML ability");
  if (m.payment()) out.payment = value(*m.payment());
  return out;
}

tag_map value_reader::tags(const fb_tags* v) {
  tag_map out;
  if (!v) return out;
  for (const auto* tag : *v) {
    auto key = str(tag->key());
    auto val = str(tag->value());
    if (mode_ == mode::strict) {
      if (!out.emplace(std::move(key), std::move(val)).second) fail("duplicate tag key");
    } else {
      out.insert_or_assign(std::move(key), std::move(val));
    }
  }
  return out;
}

}  // namespace crs::codec
