// The shared values' FlatBuffers encoding (see value_codec.hpp). The byte layout written here is
// part of the event log's format: keep the order in which fields are added.
#include "events/value_codec.hpp"
#include "events/overloaded.hpp"

#include <type_traits>
#include <variant>

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

CRS_SAME_ENUM(fb::AnalysisMethod::DirectQuery, analysis_method::direct_query);
CRS_SAME_ENUM(fb::AnalysisMethod::DirectJob, analysis_method::direct_job);
CRS_SAME_ENUM(fb::AnalysisMethod::Multiple, analysis_method::multiple);
CRS_SAME_ENUM(fb::SelectedAnalysisMethod::DirectQuery, selected_analysis_method::direct_query);
CRS_SAME_ENUM(fb::SelectedAnalysisMethod::DirectJob, selected_analysis_method::direct_job);
CRS_SAME_ENUM(fb::AnalysisRuleType::Aggregation, analysis_rule_type::aggregation);
CRS_SAME_ENUM(fb::AnalysisRuleType::List, analysis_rule_type::list);
CRS_SAME_ENUM(fb::AnalysisRuleType::Custom, analysis_rule_type::custom);
CRS_SAME_ENUM(fb::AnalysisRuleType::MAX, analysis_rule_type_count - 1);
CRS_SAME_ENUM(fb::AggregateFunction::Sum, aggregate_function::sum);
CRS_SAME_ENUM(fb::AggregateFunction::SumDistinct, aggregate_function::sum_distinct);
CRS_SAME_ENUM(fb::AggregateFunction::Count, aggregate_function::count);
CRS_SAME_ENUM(fb::AggregateFunction::CountDistinct, aggregate_function::count_distinct);
CRS_SAME_ENUM(fb::AggregateFunction::Avg, aggregate_function::avg);
CRS_SAME_ENUM(fb::JoinOperator::Or, join_operator::or_op);
CRS_SAME_ENUM(fb::JoinOperator::And, join_operator::and_op);
CRS_SAME_ENUM(fb::AdditionalAnalyses::Allowed, additional_analyses::allowed);
CRS_SAME_ENUM(fb::AdditionalAnalyses::Required, additional_analyses::required);
CRS_SAME_ENUM(fb::AdditionalAnalyses::NotAllowed, additional_analyses::not_allowed);
CRS_SAME_ENUM(fb::ScalarFunction::Abs, scalar_function::abs);
CRS_SAME_ENUM(fb::ScalarFunction::Cast, scalar_function::cast);
CRS_SAME_ENUM(fb::ScalarFunction::Ceiling, scalar_function::ceiling);
CRS_SAME_ENUM(fb::ScalarFunction::Coalesce, scalar_function::coalesce);
CRS_SAME_ENUM(fb::ScalarFunction::Convert, scalar_function::convert);
CRS_SAME_ENUM(fb::ScalarFunction::CurrentDate, scalar_function::current_date);
CRS_SAME_ENUM(fb::ScalarFunction::DateAdd, scalar_function::dateadd);
CRS_SAME_ENUM(fb::ScalarFunction::Extract, scalar_function::extract);
CRS_SAME_ENUM(fb::ScalarFunction::Floor, scalar_function::floor);
CRS_SAME_ENUM(fb::ScalarFunction::GetDate, scalar_function::getdate);
CRS_SAME_ENUM(fb::ScalarFunction::Ln, scalar_function::ln);
CRS_SAME_ENUM(fb::ScalarFunction::Log, scalar_function::log);
CRS_SAME_ENUM(fb::ScalarFunction::Lower, scalar_function::lower);
CRS_SAME_ENUM(fb::ScalarFunction::Round, scalar_function::round);
CRS_SAME_ENUM(fb::ScalarFunction::RTrim, scalar_function::rtrim);
CRS_SAME_ENUM(fb::ScalarFunction::Sqrt, scalar_function::sqrt);
CRS_SAME_ENUM(fb::ScalarFunction::Substring, scalar_function::substring);
CRS_SAME_ENUM(fb::ScalarFunction::ToChar, scalar_function::to_char);
CRS_SAME_ENUM(fb::ScalarFunction::ToDate, scalar_function::to_date);
CRS_SAME_ENUM(fb::ScalarFunction::ToNumber, scalar_function::to_number);
CRS_SAME_ENUM(fb::ScalarFunction::ToTimestamp, scalar_function::to_timestamp);
CRS_SAME_ENUM(fb::ScalarFunction::Trim, scalar_function::trim);
CRS_SAME_ENUM(fb::ScalarFunction::Trunc, scalar_function::trunc);
CRS_SAME_ENUM(fb::ScalarFunction::Upper, scalar_function::upper);
CRS_SAME_ENUM(fb::ScalarFunction::MAX, scalar_function_count - 1);
// The unions' tags are the variants' indexes + 1 (0 is NONE).
CRS_SAME_ENUM(fb::TableReferenceKind::GlueTableReference, 1 + 0);
CRS_SAME_ENUM(fb::TableReferenceKind::SnowflakeTableReference, 1 + 1);
CRS_SAME_ENUM(fb::TableReferenceKind::AthenaTableReference, 1 + 2);
CRS_SAME_ENUM(fb::TableReferenceKind::MAX, std::variant_size_v<table_reference>);
CRS_SAME_ENUM(fb::AnalysisRulePolicyKind::AggregationRule,
              1 + static_cast<int>(analysis_rule_type::aggregation));
CRS_SAME_ENUM(fb::AnalysisRulePolicyKind::ListRule, 1 + static_cast<int>(analysis_rule_type::list));
CRS_SAME_ENUM(fb::AnalysisRulePolicyKind::CustomRule,
              1 + static_cast<int>(analysis_rule_type::custom));
CRS_SAME_ENUM(fb::AnalysisRulePolicyKind::MAX, std::variant_size_v<analysis_rule_policy>);

CRS_SAME_ENUM(fb::AnalysisFormat::Sql, analysis_format::sql);
CRS_SAME_ENUM(fb::AnalysisFormat::Pyspark10, analysis_format::pyspark_1_0);
CRS_SAME_ENUM(fb::ParameterType::Smallint, parameter_type::smallint);
CRS_SAME_ENUM(fb::ParameterType::Integer, parameter_type::integer);
CRS_SAME_ENUM(fb::ParameterType::Bigint, parameter_type::bigint);
CRS_SAME_ENUM(fb::ParameterType::Decimal, parameter_type::decimal);
CRS_SAME_ENUM(fb::ParameterType::Real, parameter_type::real);
CRS_SAME_ENUM(fb::ParameterType::DoublePrecision, parameter_type::double_precision);
CRS_SAME_ENUM(fb::ParameterType::Boolean, parameter_type::boolean);
CRS_SAME_ENUM(fb::ParameterType::Char, parameter_type::char_type);
CRS_SAME_ENUM(fb::ParameterType::Varchar, parameter_type::varchar);
CRS_SAME_ENUM(fb::ParameterType::Date, parameter_type::date);
CRS_SAME_ENUM(fb::ParameterType::Timestamp, parameter_type::timestamp);
CRS_SAME_ENUM(fb::ParameterType::Timestamptz, parameter_type::timestamptz);
CRS_SAME_ENUM(fb::ParameterType::Time, parameter_type::time);
CRS_SAME_ENUM(fb::ParameterType::Timetz, parameter_type::timetz);
CRS_SAME_ENUM(fb::ParameterType::Varbyte, parameter_type::varbyte);
CRS_SAME_ENUM(fb::ParameterType::Binary, parameter_type::binary);
CRS_SAME_ENUM(fb::ParameterType::Byte, parameter_type::byte);
CRS_SAME_ENUM(fb::ParameterType::Character, parameter_type::character);
CRS_SAME_ENUM(fb::ParameterType::Double, parameter_type::double_type);
CRS_SAME_ENUM(fb::ParameterType::Float, parameter_type::float_type);
CRS_SAME_ENUM(fb::ParameterType::Int, parameter_type::int_type);
CRS_SAME_ENUM(fb::ParameterType::Long, parameter_type::long_type);
CRS_SAME_ENUM(fb::ParameterType::Numeric, parameter_type::numeric);
CRS_SAME_ENUM(fb::ParameterType::Short, parameter_type::short_type);
CRS_SAME_ENUM(fb::ParameterType::String, parameter_type::string);
CRS_SAME_ENUM(fb::ParameterType::TimestampLtz, parameter_type::timestamp_ltz);
CRS_SAME_ENUM(fb::ParameterType::TimestampNtz, parameter_type::timestamp_ntz);
CRS_SAME_ENUM(fb::ParameterType::Tinyint, parameter_type::tinyint);
CRS_SAME_ENUM(fb::ParameterType::MAX, parameter_type_count - 1);
CRS_SAME_ENUM(fb::ChangeType::AddMember, change_type::add_member);
CRS_SAME_ENUM(fb::ChangeType::GrantReceiveResultsAbility,
              change_type::grant_receive_results_ability);
CRS_SAME_ENUM(fb::ChangeType::RevokeReceiveResultsAbility,
              change_type::revoke_receive_results_ability);
CRS_SAME_ENUM(fb::ChangeType::EditAutoApprovedChangeTypes,
              change_type::edit_auto_approved_change_types);
CRS_SAME_ENUM(fb::ChangeRequestStatus::Pending, change_request_status::pending);
CRS_SAME_ENUM(fb::ChangeRequestStatus::Approved, change_request_status::approved);
CRS_SAME_ENUM(fb::ChangeRequestStatus::Cancelled, change_request_status::cancelled);
CRS_SAME_ENUM(fb::ChangeRequestStatus::Denied, change_request_status::denied);
CRS_SAME_ENUM(fb::ChangeRequestStatus::Committed, change_request_status::committed);
CRS_SAME_ENUM(fb::ApprovalStatus::Approved, approval_status::approved);
CRS_SAME_ENUM(fb::ApprovalStatus::Denied, approval_status::denied);
CRS_SAME_ENUM(fb::ApprovalStatus::Pending, approval_status::pending);
CRS_SAME_ENUM(fb::AnalysisSourceKind::AnalysisSourceText, 1 + 0);
CRS_SAME_ENUM(fb::AnalysisSourceKind::AnalysisSourceArtifacts, 1 + 1);
CRS_SAME_ENUM(fb::AnalysisSourceKind::MAX, std::variant_size_v<analysis_source>);
CRS_SAME_ENUM(fb::ChangeSpecification::MemberChange, 1 + 0);
CRS_SAME_ENUM(fb::ChangeSpecification::CollaborationChange, 1 + 1);
CRS_SAME_ENUM(fb::ChangeSpecification::MAX, std::variant_size_v<decltype(change::spec)>);

CRS_SAME_ENUM(fb::QueryStatus::Submitted, query_status::submitted);
CRS_SAME_ENUM(fb::QueryStatus::Started, query_status::started);
CRS_SAME_ENUM(fb::QueryStatus::Cancelled, query_status::cancelled);
CRS_SAME_ENUM(fb::QueryStatus::Cancelling, query_status::cancelling);
CRS_SAME_ENUM(fb::QueryStatus::Failed, query_status::failed);
CRS_SAME_ENUM(fb::QueryStatus::Success, query_status::success);
CRS_SAME_ENUM(fb::QueryStatus::TimedOut, query_status::timed_out);
CRS_SAME_ENUM(fb::QueryStatus::MAX, query_status_count - 1);
CRS_SAME_ENUM(fb::QueryLocationKind::QueryS3Output, 1 + 0);
CRS_SAME_ENUM(fb::QueryLocationKind::QueryMemberOutput, 1 + 1);
CRS_SAME_ENUM(fb::QueryLocationKind::MAX, std::variant_size_v<query_location>);
#undef CRS_SAME_ENUM
static_assert(std::is_same_v<std::variant_alternative_t<0, table_reference>, glue_table_reference>);
static_assert(
    std::is_same_v<std::variant_alternative_t<1, table_reference>, snowflake_table_reference>);
static_assert(
    std::is_same_v<std::variant_alternative_t<2, table_reference>, athena_table_reference>);
static_assert(
    std::is_same_v<std::variant_alternative_t<0, analysis_rule_policy>, aggregation_rule>);
static_assert(std::is_same_v<std::variant_alternative_t<1, analysis_rule_policy>, list_rule>);
static_assert(std::is_same_v<std::variant_alternative_t<2, analysis_rule_policy>, custom_rule>);
static_assert(std::is_same_v<std::variant_alternative_t<0, analysis_source>, std::string>);
static_assert(std::is_same_v<std::variant_alternative_t<1, analysis_source>, template_artifacts>);
static_assert(std::is_same_v<std::variant_alternative_t<0, decltype(change::spec)>, member_change>);
static_assert(
    std::is_same_v<std::variant_alternative_t<1, decltype(change::spec)>, collaboration_change>);
static_assert(std::is_same_v<std::variant_alternative_t<0, query_location>, query_s3_output>);
static_assert(std::is_same_v<std::variant_alternative_t<1, query_location>, query_member_output>);
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

flatbuffers::Offset<fb::TableReference> value_encoder::value(const table_reference& r) {
  using kind = std::pair<fb::TableReferenceKind, flatbuffers::Offset<void>>;
  auto [tag, body] =
      std::visit(overloaded{
                     [&](const glue_table_reference& g) -> kind {
                       auto region = str(g.region);
                       auto database = str(g.database_name);
                       auto table = str(g.table_name);
                       return {fb::TableReferenceKind::GlueTableReference,
                               fb::CreateGlueTableReference(b, region, database, table).Union()};
                     },
                     [&](const snowflake_table_reference& s) -> kind {
                       auto secret = str(s.secret_arn);
                       auto account = str(s.account_identifier);
                       auto database = str(s.database_name);
                       auto table = str(s.table_name);
                       auto schema = str(s.schema_name);
                       std::vector<flatbuffers::Offset<fb::SnowflakeColumn>> columns;
                       columns.reserve(s.table_schema.size());
                       for (const auto& c : s.table_schema) {
                         auto name = str(c.name);
                         auto type = str(c.type);
                         columns.push_back(fb::CreateSnowflakeColumn(b, name, type));
                       }
                       auto columns_v = b.CreateVector(columns);
                       return {fb::TableReferenceKind::SnowflakeTableReference,
                               fb::CreateSnowflakeTableReference(b, secret, account, database,
                                                                 table, schema, columns_v)
                                   .Union()};
                     },
                     [&](const athena_table_reference& a) -> kind {
                       auto region = str(a.region);
                       auto work_group = str(a.work_group);
                       auto output = str(a.output_location);
                       auto database = str(a.database_name);
                       auto table = str(a.table_name);
                       auto catalog = str(a.catalog_name);
                       return {fb::TableReferenceKind::AthenaTableReference,
                               fb::CreateAthenaTableReference(b, region, work_group, output,
                                                              database, table, catalog)
                                   .Union()};
                     },
                 },
                 r);
  return fb::CreateTableReference(b, tag, body);
}

flatbuffers::Offset<fb::AnalysisRulePolicy> value_encoder::value(const analysis_rule_policy& p) {
  using kind = std::pair<fb::AnalysisRulePolicyKind, flatbuffers::Offset<void>>;
  auto [tag, body] = std::visit(
      overloaded{
          [&](const aggregation_rule& r) -> kind {
            std::vector<flatbuffers::Offset<fb::AggregateColumn>> columns;
            columns.reserve(r.aggregate_columns.size());
            for (const auto& c : r.aggregate_columns) {
              auto names = strings(c.column_names);
              columns.push_back(
                  fb::CreateAggregateColumn(b, names, to_fb<fb::AggregateFunction>(c.function)));
            }
            auto columns_v = b.CreateVector(columns);
            auto join = strings(r.join_columns);
            auto operators = opt_enums<fb::JoinOperator>(r.allowed_join_operators);
            auto dimensions = strings(r.dimension_columns);
            auto scalars = enums<fb::ScalarFunction>(r.scalar_functions);
            std::vector<flatbuffers::Offset<fb::AggregationConstraint>> constraints;
            constraints.reserve(r.output_constraints.size());
            for (const auto& c : r.output_constraints) {
              auto column = str(c.column_name);
              constraints.push_back(fb::CreateAggregationConstraint(b, column, c.minimum));
            }
            auto constraints_v = b.CreateVector(constraints);
            return {fb::AnalysisRulePolicyKind::AggregationRule,
                    fb::CreateAggregationRule(b, columns_v, join, r.join_required, operators,
                                              dimensions, scalars, constraints_v,
                                              opt<fb::AdditionalAnalyses>(r.additional))
                        .Union()};
          },
          [&](const list_rule& r) -> kind {
            auto join = strings(r.join_columns);
            auto operators = opt_enums<fb::JoinOperator>(r.allowed_join_operators);
            auto list = strings(r.list_columns);
            return {fb::AnalysisRulePolicyKind::ListRule,
                    fb::CreateListRule(b, join, operators, list,
                                       opt<fb::AdditionalAnalyses>(r.additional))
                        .Union()};
          },
          [&](const custom_rule& r) -> kind {
            auto analyses = strings(r.allowed_analyses);
            auto providers = opt_strings(r.allowed_analysis_providers);
            auto disallowed = opt_strings(r.disallowed_output_columns);
            auto privacy = opt_strings(r.differential_privacy_columns);
            return {
                fb::AnalysisRulePolicyKind::CustomRule,
                fb::CreateCustomRule(b, analyses, providers,
                                     opt<fb::AdditionalAnalyses>(r.additional), disallowed, privacy)
                    .Union()};
          },
      },
      p);
  return fb::CreateAnalysisRulePolicy(b, tag, body);
}

flatbuffers::Offset<fb::AssociationRulePolicy> value_encoder::value(
    const association_rule_policy& p) {
  auto receivers = opt_strings(p.allowed_result_receivers);
  auto additional = opt_strings(p.allowed_additional_analyses);
  return fb::CreateAssociationRulePolicy(b, receivers, additional);
}

flatbuffers::Offset<fb::S3Location> value_encoder::value(const s3_location& l) {
  auto bucket = str(l.bucket);
  auto key = str(l.key);
  return fb::CreateS3Location(b, bucket, key);
}

flatbuffers::Offset<fb::AnalysisParameter> value_encoder::value(const analysis_parameter& p) {
  auto name = str(p.name);
  auto default_value = str(p.default_value);
  return fb::CreateAnalysisParameter(b, name, to_fb<fb::ParameterType>(p.type), default_value);
}

flatbuffers::Offset<fb::AnalysisSource> value_encoder::source(const analysis_source& s) {
  using kind = std::pair<fb::AnalysisSourceKind, flatbuffers::Offset<void>>;
  auto [tag, body] = std::visit(
      overloaded{
          [&](const std::string& text) -> kind {
            auto t = str(text);
            return {fb::AnalysisSourceKind::AnalysisSourceText,
                    fb::CreateAnalysisSourceText(b, t).Union()};
          },
          [&](const template_artifacts& a) -> kind {
            auto entry = value(a.entry_point);
            auto additional = opt_values(a.additional_artifacts);
            auto role = str(a.role_arn);
            return {fb::AnalysisSourceKind::AnalysisSourceArtifacts,
                    fb::CreateAnalysisSourceArtifacts(b, entry, additional, role).Union()};
          },
      },
      s);
  return fb::CreateAnalysisSource(b, tag, body);
}

flatbuffers::Offset<fb::Change> value_encoder::value(const change& c) {
  using kind = std::pair<fb::ChangeSpecification, flatbuffers::Offset<void>>;
  auto [tag, body] =
      std::visit(overloaded{
                     [&](const member_change& m) -> kind {
                       auto account = str(m.account);
                       auto abilities = enums<fb::MemberAbility>(m.abilities);
                       auto display_name = str(m.display_name);
                       return {fb::ChangeSpecification::MemberChange,
                               fb::CreateMemberChange(b, account, abilities, display_name).Union()};
                     },
                     [&](const collaboration_change& m) -> kind {
                       auto types = opt_enums<fb::AutoApprovedChangeType>(m.auto_approved);
                       return {fb::ChangeSpecification::CollaborationChange,
                               fb::CreateCollaborationChange(b, types).Union()};
                     },
                 },
                 c.spec);
  auto types = enums<fb::ChangeType>(c.types);
  return fb::CreateChange(b, tag, body, types);
}

flatbuffers::Offset<fb::QuerySqlParameters> value_encoder::value(const query_sql_parameters& p) {
  auto query_string = str(p.query_string);
  auto template_arn = str(p.analysis_template_arn);
  flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fb::QueryParameter>>> parameters;
  if (p.parameters) {
    std::vector<flatbuffers::Offset<fb::QueryParameter>> out;
    out.reserve(p.parameters->size());
    for (const auto& [k, v] : *p.parameters) {  // in name order (the map's)
      auto name = str(k);
      auto val = str(v);
      out.push_back(fb::CreateQueryParameter(b, name, val));
    }
    parameters = b.CreateVector(out);
  }
  return fb::CreateQuerySqlParameters(b, query_string, template_arn, parameters);
}

flatbuffers::Offset<fb::QueryLocation> value_encoder::value(const query_location& l) {
  using kind = std::pair<fb::QueryLocationKind, flatbuffers::Offset<void>>;
  auto [tag, body] = std::visit(
      overloaded{
          [&](const query_s3_output& s3) -> kind {
            auto bucket = str(s3.bucket);
            auto key_prefix = str(s3.key_prefix);
            return {fb::QueryLocationKind::QueryS3Output,
                    fb::CreateQueryS3Output(b, to_fb<fb::ResultFormat>(s3.format), bucket,
                                            key_prefix, opt(s3.single_file_output))
                        .Union()};
          },
          [&](const query_member_output& m) -> kind {
            auto account = str(m.account);
            return {fb::QueryLocationKind::QueryMemberOutput,
                    fb::CreateQueryMemberOutput(b, account).Union()};
          },
      },
      l);
  return fb::CreateQueryLocation(b, tag, body);
}

flatbuffers::Offset<fb::QueryOutput> value_encoder::value(const query_output& o) {
  auto locations = values(o.locations);
  return fb::CreateQueryOutput(b, o.distribute, locations);
}

flatbuffers::Offset<fb::QueryCompute> value_encoder::value(const query_compute& c) {
  auto worker_type = str(c.worker_type);
  return fb::CreateQueryCompute(b, worker_type, c.number);
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

table_reference value_reader::value(const fb::TableReference& r) {
  using K = fb::TableReferenceKind;
  switch (r.kind_type()) {
    case K::GlueTableReference:
      if (const auto* t = r.kind_as_GlueTableReference()) return value(*t);
      break;
    case K::SnowflakeTableReference:
      if (const auto* t = r.kind_as_SnowflakeTableReference()) return value(*t);
      break;
    case K::AthenaTableReference:
      if (const auto* t = r.kind_as_AthenaTableReference()) return value(*t);
      break;
    default:  // NONE, or a kind of a newer writer: the Verifier did not look inside it
      break;
  }
  fail("bad table reference kind");
  return {};
}

glue_table_reference value_reader::value(const fb::GlueTableReference& t) {
  glue_table_reference out;
  out.region = opt_str(t.region());
  out.database_name = str(t.database_name());
  out.table_name = str(t.table_name());
  return out;
}

snowflake_table_reference value_reader::value(const fb::SnowflakeTableReference& t) {
  snowflake_table_reference out;
  out.secret_arn = str(t.secret_arn());
  out.account_identifier = str(t.account_identifier());
  out.database_name = str(t.database_name());
  out.table_name = str(t.table_name());
  out.schema_name = str(t.schema_name());
  require_list(t.table_schema());
  if (const auto* columns = t.table_schema()) {
    out.table_schema.reserve(columns->size());
    for (const auto* c : *columns) out.table_schema.push_back({str(c->name()), str(c->type())});
  }
  return out;
}

athena_table_reference value_reader::value(const fb::AthenaTableReference& t) {
  athena_table_reference out;
  out.region = opt_str(t.region());
  out.work_group = str(t.work_group());
  out.output_location = opt_str(t.output_location());
  out.database_name = str(t.database_name());
  out.table_name = str(t.table_name());
  out.catalog_name = opt_str(t.catalog_name());
  return out;
}

analysis_rule_policy value_reader::value(const fb::AnalysisRulePolicy& p) {
  using K = fb::AnalysisRulePolicyKind;
  switch (p.kind_type()) {
    case K::AggregationRule:
      if (const auto* t = p.kind_as_AggregationRule()) return value(*t);
      break;
    case K::ListRule:
      if (const auto* t = p.kind_as_ListRule()) return value(*t);
      break;
    case K::CustomRule:
      if (const auto* t = p.kind_as_CustomRule()) return value(*t);
      break;
    default:  // NONE, or a kind of a newer writer: the Verifier did not look inside it
      break;
  }
  fail("bad analysis rule policy kind");
  return {};
}

aggregation_rule value_reader::value(const fb::AggregationRule& t) {
  aggregation_rule out;
  require_list(t.aggregate_columns());
  if (const auto* columns = t.aggregate_columns()) {
    out.aggregate_columns.reserve(columns->size());
    for (const auto* c : *columns) {
      require_list(c->column_names());
      out.aggregate_columns.push_back(
          {strings(c->column_names()),
           enum_of<aggregate_function>(c->function(), "bad aggregate function")});
    }
  }
  require_list(t.join_columns());
  out.join_columns = strings(t.join_columns());
  out.join_required = t.join_required();
  out.allowed_join_operators =
      opt_enums<join_operator>(t.allowed_join_operators(), "bad join operator");
  require_list(t.dimension_columns());
  out.dimension_columns = strings(t.dimension_columns());
  require_list(t.scalar_functions());
  out.scalar_functions = enums<scalar_function>(t.scalar_functions(), "bad scalar function");
  require_list(t.output_constraints());
  if (const auto* constraints = t.output_constraints()) {
    out.output_constraints.reserve(constraints->size());
    for (const auto* c : *constraints)
      out.output_constraints.push_back({str(c->column_name()), c->minimum()});
  }
  out.additional = enum_of<additional_analyses>(t.additional_analyses(), "bad additional analyses");
  return out;
}

list_rule value_reader::value(const fb::ListRule& t) {
  list_rule out;
  require_list(t.join_columns());
  out.join_columns = strings(t.join_columns());
  out.allowed_join_operators =
      opt_enums<join_operator>(t.allowed_join_operators(), "bad join operator");
  require_list(t.list_columns());
  out.list_columns = strings(t.list_columns());
  out.additional = enum_of<additional_analyses>(t.additional_analyses(), "bad additional analyses");
  return out;
}

custom_rule value_reader::value(const fb::CustomRule& t) {
  custom_rule out;
  require_list(t.allowed_analyses());
  out.allowed_analyses = strings(t.allowed_analyses());
  out.allowed_analysis_providers = opt_strings(t.allowed_analysis_providers());
  out.additional = enum_of<additional_analyses>(t.additional_analyses(), "bad additional analyses");
  out.disallowed_output_columns = opt_strings(t.disallowed_output_columns());
  out.differential_privacy_columns = opt_strings(t.differential_privacy_columns());
  return out;
}

association_rule_policy value_reader::value(const fb::AssociationRulePolicy& p) {
  association_rule_policy out;
  out.allowed_result_receivers = opt_strings(p.allowed_result_receivers());
  out.allowed_additional_analyses = opt_strings(p.allowed_additional_analyses());
  return out;
}

s3_location value_reader::value(const fb::S3Location& l) {
  s3_location out;
  out.bucket = str(l.bucket());
  out.key = str(l.key());
  return out;
}

analysis_parameter value_reader::value(const fb::AnalysisParameter& p) {
  analysis_parameter out;
  out.name = str(p.name());
  out.type = enum_of<parameter_type>(p.type(), "bad parameter type");
  out.default_value = opt_str(p.default_value());
  return out;
}

analysis_source value_reader::value(const fb::AnalysisSource& s) {
  using K = fb::AnalysisSourceKind;
  switch (s.kind_type()) {
    case K::AnalysisSourceText:
      if (const auto* t = s.kind_as_AnalysisSourceText()) return value(*t);
      break;
    case K::AnalysisSourceArtifacts:
      if (const auto* t = s.kind_as_AnalysisSourceArtifacts()) return value(*t);
      break;
    default:  // NONE, or a kind of a newer writer: the Verifier did not look inside it
      break;
  }
  fail("bad analysis source kind");
  return {};
}

std::string value_reader::value(const fb::AnalysisSourceText& t) {
  return str(t.text());
}

template_artifacts value_reader::value(const fb::AnalysisSourceArtifacts& t) {
  template_artifacts out;
  require_table(t.entry_point(), "artifacts entry point missing");
  if (const auto* entry = t.entry_point()) out.entry_point = value(*entry);
  out.additional_artifacts = opt_values(t.additional_artifacts());
  out.role_arn = str(t.role_arn());
  return out;
}

change value_reader::value(const fb::Change& c) {
  using K = fb::ChangeSpecification;
  change out;
  switch (c.spec_type()) {
    case K::MemberChange:
      if (const auto* t = c.spec_as_MemberChange()) {
        out.spec = value(*t);
        break;
      }
      fail("bad change specification kind");
      break;
    case K::CollaborationChange:
      if (const auto* t = c.spec_as_CollaborationChange()) {
        out.spec = value(*t);
        break;
      }
      fail("bad change specification kind");
      break;
    default:  // NONE, or a kind of a newer writer
      fail("bad change specification kind");
      break;
  }
  require_list(c.types());
  out.types = enums<change_type>(c.types(), "bad change type");
  return out;
}

member_change value_reader::value(const fb::MemberChange& t) {
  member_change out;
  out.account = str(t.account());
  require_list(t.abilities());
  out.abilities = enums<member_ability>(t.abilities(), "bad member ability");
  out.display_name = opt_str(t.display_name());
  return out;
}

collaboration_change value_reader::value(const fb::CollaborationChange& t) {
  collaboration_change out;
  out.auto_approved =
      opt_enums<auto_approved_change_type>(t.auto_approved(), "bad auto-approved change type");
  return out;
}

query_sql_parameters value_reader::value(const fb::QuerySqlParameters& p) {
  query_sql_parameters out;
  out.query_string = opt_str(p.query_string());
  out.analysis_template_arn = opt_str(p.analysis_template_arn());
  if (p.parameters()) out.parameters = parameters(p.parameters());
  return out;
}

query_location value_reader::value(const fb::QueryLocation& l) {
  using K = fb::QueryLocationKind;
  switch (l.kind_type()) {
    case K::QueryS3Output:
      if (const auto* t = l.kind_as_QueryS3Output()) return value(*t);
      break;
    case K::QueryMemberOutput:
      if (const auto* t = l.kind_as_QueryMemberOutput()) return value(*t);
      break;
    default:  // NONE, or a kind of a newer writer: the Verifier did not look inside it
      break;
  }
  fail("bad query output location kind");
  return {};
}

query_s3_output value_reader::value(const fb::QueryS3Output& t) {
  query_s3_output out;
  out.format = enum_of<result_format>(t.format(), "bad result format");
  out.bucket = str(t.bucket());
  out.key_prefix = opt_str(t.key_prefix());
  out.single_file_output = opt(t.single_file_output());
  return out;
}

query_member_output value_reader::value(const fb::QueryMemberOutput& t) {
  return query_member_output{str(t.account())};
}

query_output value_reader::value(const fb::QueryOutput& o) {
  query_output out;
  out.distribute = o.distribute();
  require_list(o.locations());
  out.locations = values(o.locations());
  return out;
}

query_compute value_reader::value(const fb::QueryCompute& c) {
  query_compute out;
  out.worker_type = str(c.worker_type());
  out.number = c.number();
  return out;
}

std::map<std::string, std::string> value_reader::parameters(
    const flatbuffers::Vector<flatbuffers::Offset<fb::QueryParameter>>* v) {
  std::map<std::string, std::string> out;
  if (!v) return out;
  for (const auto* p : *v) {
    auto name = str(p->name());
    auto val = str(p->value());
    if (mode_ == mode::strict) {
      if (!out.emplace(std::move(name), std::move(val)).second) fail("duplicate query parameter");
    } else {
      out.insert_or_assign(std::move(name), std::move(val));
    }
  }
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
