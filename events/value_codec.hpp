// FlatBuffers encoding of the shared values (schema: events/schema/values.fbs, namespace crs::fb):
// the enums, payment_config, data_encryption_metadata, query_result_config, job_result_config,
// member_spec, tag maps, the configured-table values (table_reference, analysis_rule_policy,
// association_rule_policy), the template and change request values (analysis parameters,
// analysis_source, change) and the protected query values (query_sql_parameters, query_output,
// query_compute). Used by the event codec (events/codec*.cpp) and the snapshot codec
// (snapshots/collaboration_snapshot.cpp). Pure: no RocksDB, no I/O.
//
// Encoding maps every std::optional to "field absent" and every present value, even a default
// one, to "field written", so decoding what was encoded gives back exactly the same value.
// Decoding expects a buffer the FlatBuffers Verifier has accepted; what the Verifier cannot
// prove (enum ranges, union tags, and in strict mode required strings, required lists, required
// nested tables and unique tag keys) is checked here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "events/query_values.hpp"
#include "events/table_values.hpp"
#include "events/template_values.hpp"
#include "events/values.hpp"
#include "values_generated.h"

namespace crs::codec {

using builder = flatbuffers::FlatBufferBuilder;
using fb_string = flatbuffers::Offset<flatbuffers::String>;
using fb_tags = flatbuffers::Vector<flatbuffers::Offset<fb::Tag>>;

// A C++ enum as its schema enum (same ordinals, static_asserted in value_codec.cpp).
template <class Fb, class Cpp>
Fb to_fb(Cpp v) {
  return static_cast<Fb>(static_cast<std::uint8_t>(v));
}

// Writes the shared values into one builder. The event and snapshot encoders derive from it.
struct value_encoder {
  builder& b;

  fb_string str(const std::string& s);
  fb_string str(const std::optional<std::string>& s);  // nullopt -> 0 (absent)
  flatbuffers::Offset<flatbuffers::Vector<fb_string>> strings(const std::vector<std::string>& v);

  template <class Fb, class Cpp>
  flatbuffers::Offset<flatbuffers::Vector<Fb>> enums(const std::vector<Cpp>& v) {
    std::vector<Fb> out;
    out.reserve(v.size());
    for (Cpp e : v) out.push_back(to_fb<Fb>(e));
    return b.CreateVector(out);
  }

  // An optional list: nullopt -> 0 (absent vector); present, even empty -> written.
  template <class Fb, class Cpp>
  flatbuffers::Offset<flatbuffers::Vector<Fb>> opt_enums(const std::optional<std::vector<Cpp>>& v) {
    return v ? enums<Fb>(*v) : 0;
  }
  flatbuffers::Offset<flatbuffers::Vector<fb_string>> opt_strings(
      const std::optional<std::vector<std::string>>& v) {
    return v ? strings(*v) : 0;
  }

  template <class Fb, class Cpp>
  static flatbuffers::Optional<Fb> opt(const std::optional<Cpp>& v) {
    return v ? flatbuffers::Optional<Fb>(to_fb<Fb>(*v)) : flatbuffers::nullopt;
  }
  static flatbuffers::Optional<bool> opt(const std::optional<bool>& v) { return opt<bool>(v); }

  flatbuffers::Offset<fb::DataEncryptionMetadata> value(const data_encryption_metadata& m);
  flatbuffers::Offset<fb::PaymentConfig> value(const payment_config& p);
  flatbuffers::Offset<fb::QueryResultConfig> value(const query_result_config& c);
  flatbuffers::Offset<fb::JobResultConfig> value(const job_result_config& c);
  flatbuffers::Offset<fb::MemberSpec> value(const member_spec& m);
  flatbuffers::Offset<fb::TableReference> value(const table_reference& r);
  flatbuffers::Offset<fb::AnalysisRulePolicy> value(const analysis_rule_policy& p);
  flatbuffers::Offset<fb::AssociationRulePolicy> value(const association_rule_policy& p);
  flatbuffers::Offset<fb::S3Location> value(const s3_location& l);
  flatbuffers::Offset<fb::AnalysisParameter> value(const analysis_parameter& p);
  flatbuffers::Offset<fb::Change> value(const change& c);
  // Named, not `value`: a std::string or a template_artifacts converts to analysis_source.
  flatbuffers::Offset<fb::AnalysisSource> source(const analysis_source& s);
  flatbuffers::Offset<fb::QuerySqlParameters> value(const query_sql_parameters& p);
  flatbuffers::Offset<fb::QueryLocation> value(const query_location& l);
  flatbuffers::Offset<fb::QueryOutput> value(const query_output& o);
  flatbuffers::Offset<fb::QueryCompute> value(const query_compute& c);

  // A list of tables, each through value(); the optional form writes nullopt as absent.
  template <class Cpp>
  auto values(const std::vector<Cpp>& v)
      -> flatbuffers::Offset<flatbuffers::Vector<decltype(value(v.front()))>> {
    std::vector<decltype(value(v.front()))> out;
    out.reserve(v.size());
    for (const auto& x : v) out.push_back(value(x));
    return b.CreateVector(out);
  }
  template <class Cpp>
  auto opt_values(const std::optional<std::vector<Cpp>>& v) -> decltype(values(*v)) {
    return v ? values(*v) : 0;
  }

  // nullopt -> 0 (absent table).
  template <class T>
  auto value(const std::optional<T>& v) -> decltype(value(*v)) {
    return v ? value(*v) : 0;
  }

  // In key order (the map's).
  flatbuffers::Offset<fb_tags> tags(const tag_map& tags);
};

// Reads the shared values back, collecting the first problem instead of threading result<>
// through every field: after reading, `problem` empty means every value is exact.
class value_reader {
 public:
  enum class mode {
    // The log: an absent required string reads as empty and absent member abilities as none
    // (a later schema may stop writing them); a repeated tag key keeps the last value.
    lenient,
    // Snapshots: each of those is a problem, so the snapshot is rejected.
    strict,
  };

  explicit value_reader(mode m) : mode_(m) {}

  std::string problem;

  void fail(const char* what) {
    if (problem.empty()) problem = what;
  }

  // A schema enum as its C++ enum; out of range -> problem (and a default value).
  template <class Cpp, class Fb>
  Cpp enum_of(Fb v, const char* what) {
    auto raw = static_cast<std::uint8_t>(v);
    if (raw > static_cast<std::uint8_t>(Fb::MAX)) {
      fail(what);
      return Cpp{};
    }
    return static_cast<Cpp>(raw);
  }

  template <class Cpp, class Fb>
  std::optional<Cpp> enum_of(const flatbuffers::Optional<Fb>& v, const char* what) {
    if (!v) return std::nullopt;
    return enum_of<Cpp>(*v, what);
  }

  // An absent vector reads as empty.
  template <class Cpp, class Fb>
  std::vector<Cpp> enums(const flatbuffers::Vector<Fb>* v, const char* what) {
    std::vector<Cpp> out;
    if (!v) return out;
    out.reserve(v->size());
    for (auto e : *v) out.push_back(enum_of<Cpp>(e, what));
    return out;
  }

  // An optional list: absent -> nullopt, present (even empty) -> the list.
  template <class Cpp, class Fb>
  std::optional<std::vector<Cpp>> opt_enums(const flatbuffers::Vector<Fb>* v, const char* what) {
    if (!v) return std::nullopt;
    return enums<Cpp>(v, what);
  }

  // A list the value requires (a non-optional std::vector): absent reads as empty (lenient) or
  // is a problem (strict), like a required string.
  void require_list(const void* v) {
    if (!v && mode_ == mode::strict) fail("a required list is missing");
  }
  // A nested table the value requires but can default (an S3 location): absent reads as the
  // default (lenient) or is a problem (strict).
  void require_table(const void* v, const char* what) {
    if (!v && mode_ == mode::strict) fail(what);
  }

  static std::optional<bool> opt(const flatbuffers::Optional<bool>& v) {
    return v ? std::optional<bool>(*v) : std::nullopt;
  }

  // A required string; absent -> empty (lenient) or a problem (strict).
  std::string str(const flatbuffers::String* s);
  static std::optional<std::string> opt_str(const flatbuffers::String* s) {
    return s ? std::optional<std::string>(s->str()) : std::nullopt;
  }
  // An absent vector reads as empty.
  static std::vector<std::string> strings(
      const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v);
  static std::optional<std::vector<std::string>> opt_strings(
      const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v) {
    if (!v) return std::nullopt;
    return strings(v);
  }

  data_encryption_metadata value(const fb::DataEncryptionMetadata& m);
  payment_config value(const fb::PaymentConfig& p);
  query_result_config value(const fb::QueryResultConfig& c);
  job_result_config value(const fb::JobResultConfig& c);
  member_spec value(const fb::MemberSpec& m);
  // A union holder whose kind is NONE, unknown to this build or missing its table is a problem
  // in both modes: a union has no neutral value to fall back on.
  table_reference value(const fb::TableReference& r);
  analysis_rule_policy value(const fb::AnalysisRulePolicy& p);
  association_rule_policy value(const fb::AssociationRulePolicy& p);
  // The union members (public so that derived readers can `using value_reader::value`).
  glue_table_reference value(const fb::GlueTableReference& t);
  snowflake_table_reference value(const fb::SnowflakeTableReference& t);
  athena_table_reference value(const fb::AthenaTableReference& t);
  aggregation_rule value(const fb::AggregationRule& t);
  list_rule value(const fb::ListRule& t);
  custom_rule value(const fb::CustomRule& t);

  s3_location value(const fb::S3Location& l);
  analysis_parameter value(const fb::AnalysisParameter& p);
  // Like the holders above: a kind that is NONE, unknown or missing its table is a problem.
  analysis_source value(const fb::AnalysisSource& s);
  std::string value(const fb::AnalysisSourceText& t);
  template_artifacts value(const fb::AnalysisSourceArtifacts& t);
  change value(const fb::Change& c);
  member_change value(const fb::MemberChange& t);
  collaboration_change value(const fb::CollaborationChange& t);

  query_sql_parameters value(const fb::QuerySqlParameters& p);
  // Like the holders above: a kind that is NONE, unknown or missing its table is a problem.
  query_location value(const fb::QueryLocation& l);
  query_s3_output value(const fb::QueryS3Output& t);
  query_member_output value(const fb::QueryMemberOutput& t);
  query_output value(const fb::QueryOutput& o);
  query_compute value(const fb::QueryCompute& c);

  // A list of tables, each through value(); absent reads as empty (optional form: nullopt).
  template <class Fb>
  auto values(const flatbuffers::Vector<flatbuffers::Offset<Fb>>* v)
      -> std::vector<decltype(value(std::declval<const Fb&>()))> {
    std::vector<decltype(value(std::declval<const Fb&>()))> out;
    if (!v) return out;
    out.reserve(v->size());
    for (const auto* t : *v) out.push_back(value(*t));
    return out;
  }
  template <class Fb>
  auto opt_values(const flatbuffers::Vector<flatbuffers::Offset<Fb>>* v)
      -> std::optional<decltype(values(v))> {
    if (!v) return std::nullopt;
    return values(v);
  }

  // Absent nested table -> nullopt.
  template <class Fb>
  auto opt_value(const Fb* t) -> std::optional<decltype(value(*t))> {
    if (!t) return std::nullopt;
    return value(*t);
  }

  // An absent vector reads as no tags.
  tag_map tags(const fb_tags* v);
  // Query parameters, name -> value; a repeated name keeps the last value (lenient) or is a
  // problem (strict), like a repeated tag key. An absent vector reads as no parameters.
  std::map<std::string, std::string> parameters(
      const flatbuffers::Vector<flatbuffers::Offset<fb::QueryParameter>>* v);

 private:
  mode mode_;
};

}  // namespace crs::codec
