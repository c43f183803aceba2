// Snapshot bytes of the collaboration aggregate (see collaboration_snapshot.hpp). Encoding maps
// every std::optional to "field absent" and every present value, even a default one, to "field
// written", so decode(encode(s)) == s exactly. Decoding checks the header and the checksum, runs
// the FlatBuffers Verifier (offsets, sizes, required fields), then range-checks every enum and
// refuses duplicate keys, so arbitrary bytes yield an error and never a half-trusted state.
#include "snapshots/collaboration_snapshot.hpp"

#include <array>
#include <cstring>
#include <memory>
#include <set>

#include "collaboration_snapshot_generated.h"

namespace crs::snapshots {
namespace {

constexpr char magic[4] = {'C', 'R', 'S', 'S'};
// Large enough for any real collaboration (members, memberships and tags are capped far below),
// small enough that a corrupt length field cannot make us trust a huge claim.
constexpr std::uint32_t max_payload_bytes = 256u << 20;

using builder = flatbuffers::FlatBufferBuilder;
using fb_string = flatbuffers::Offset<flatbuffers::String>;
namespace fb = crs::snap;

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
CRS_SAME_ENUM(fb::MemberStatus::Invited, member_status::invited);
CRS_SAME_ENUM(fb::MemberStatus::Active, member_status::active);
CRS_SAME_ENUM(fb::MemberStatus::Left, member_status::left);
CRS_SAME_ENUM(fb::MemberStatus::Removed, member_status::removed);
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
static_assert(payment_dimension_count == 5, "add the new dimension to PaymentConfig");

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint32_t get_u32(std::string_view in, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
  return v;
}

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

  template <class Fb, class Cpp>
  static flatbuffers::Optional<Fb> opt(const std::optional<Cpp>& v) {
    return v ? flatbuffers::Optional<Fb>(to_fb<Fb>(*v)) : flatbuffers::nullopt;
  }
  static flatbuffers::Optional<bool> opt(const std::optional<bool>& v) {
    return v ? flatbuffers::Optional<bool>(*v) : flatbuffers::nullopt;
  }

  flatbuffers::Offset<fb::DataEncryptionMetadata> value(const data_encryption_metadata& m) {
    return fb::CreateDataEncryptionMetadata(b, m.allow_cleartext, m.allow_duplicates,
                                            m.allow_joins_on_columns_with_different_names,
                                            m.preserve_nulls);
  }

  flatbuffers::Offset<fb::PaymentConfig> value(const payment_config& p) {
    auto dim = [&](payment_dimension d) { return opt(p.at(d)); };
    return fb::CreatePaymentConfig(
        b, dim(payment_dimension::query_compute), dim(payment_dimension::job_compute),
        dim(payment_dimension::model_training), dim(payment_dimension::model_inference),
        dim(payment_dimension::synthetic_data_generation), p.machine_learning_sent);
  }

  flatbuffers::Offset<fb::QueryResultConfig> value(const query_result_config& c) {
    auto bucket = str(c.bucket);
    auto key_prefix = str(c.key_prefix);
    auto role_arn = str(c.role_arn);
    return fb::CreateQueryResultConfig(b, to_fb<fb::ResultFormat>(c.format), bucket, key_prefix,
                                       opt(c.single_file_output), role_arn);
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
    auto payment = value(m.payment);
    return fb::CreateMemberSpec(b, account, display_name, abilities, ml, payment);
  }

  template <class T>
  auto value(const std::optional<T>& v) -> decltype(value(*v)) {
    return v ? value(*v) : 0;
  }

  flatbuffers::Offset<fb::CollaborationInfo> value(const events::collaboration_created& e) {
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
    if (e.allowed_result_regions) {
      std::vector<fb_string> out;
      for (const auto& r : *e.allowed_result_regions) out.push_back(str(r));
      regions = b.CreateVector(out);
    }
    return fb::CreateCollaborationInfo(
        b, id, region, name, description, creator, creator_display_name, encryption,
        to_fb<fb::LogStatus>(e.query_log), opt<fb::LogStatus>(e.job_log),
        opt<fb::AnalyticsEngine>(e.engine), auto_approved, regions, opt(e.metrics_enabled));
  }

  flatbuffers::Offset<fb::MemberRecord> value(const collaboration::member_record& m) {
    auto spec = value(m.spec);
    auto membership_id = str(m.membership_id);
    return fb::CreateMemberRecord(b, spec, to_fb<fb::MemberStatus>(m.status), membership_id,
                                  m.create_time, m.update_time);
  }

  flatbuffers::Offset<fb::MembershipRecord> value(const collaboration::membership_record& m) {
    auto id = str(m.id);
    auto account = str(m.account);
    auto region = str(m.region);
    auto result = value(m.default_result);
    auto job_result = value(m.default_job_result);
    auto payment = value(m.payment);
    return fb::CreateMembershipRecord(b, id, account, region, to_fb<fb::MembershipStatus>(m.status),
                                      to_fb<fb::LogStatus>(m.query_log),
                                      opt<fb::LogStatus>(m.job_log), result, job_result, payment,
                                      opt(m.metrics_enabled), m.create_time, m.update_time);
  }

  flatbuffers::Offset<fb::ResourceTags> value(const std::string& arn, const tag_map& tags) {
    auto a = str(arn);
    std::vector<flatbuffers::Offset<fb::Tag>> out;
    out.reserve(tags.size());
    for (const auto& [k, v] : tags) {
      auto key = str(k);
      auto val = str(v);
      out.push_back(fb::CreateTag(b, key, val));
    }
    auto list = b.CreateVector(out);
    return fb::CreateResourceTags(b, a, list);
  }

  flatbuffers::Offset<fb::CollaborationState> value(const collaboration::state& s) {
    auto info = value(s.info);
    std::vector<flatbuffers::Offset<fb::MemberRecord>> members;
    members.reserve(s.members.size());
    for (const auto& m : s.members) members.push_back(value(m));
    auto members_v = b.CreateVector(members);
    std::vector<flatbuffers::Offset<fb::MembershipRecord>> memberships;
    memberships.reserve(s.memberships.size());
    for (const auto& [id, m] : s.memberships) memberships.push_back(value(m));
    auto memberships_v = b.CreateVector(memberships);
    std::vector<flatbuffers::Offset<fb::ResourceTags>> tags;
    tags.reserve(s.tags.size());
    for (const auto& [arn, t] : s.tags) tags.push_back(value(arn, t));
    auto tags_v = b.CreateVector(tags);
    std::vector<flatbuffers::Offset<fb::Payer>> payers;
    for (int d = 0; d < payment_dimension_count; ++d) {
      const auto& p = s.payers[d];
      if (!p) continue;
      auto account = str(p->account);
      payers.push_back(
          fb::CreatePayer(b, static_cast<fb::PaymentDimension>(d), account, p->accepted));
    }
    auto payers_v = b.CreateVector(payers);
    return fb::CreateCollaborationState(b, s.version, s.created, s.deleted, info, s.create_time,
                                        s.update_time, members_v, memberships_v, tags_v, payers_v);
  }
};

// ---------------------------------------------------------------- decode

// Collects the first problem instead of threading result<> through every field.
struct reader {
  std::string problem;

  void fail(const char* what) {
    if (problem.empty()) problem = what;
  }

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

  template <class Cpp, class Fb>
  std::vector<Cpp> enums(const flatbuffers::Vector<Fb>& v, const char* what) {
    std::vector<Cpp> out;
    out.reserve(v.size());
    for (auto e : v) out.push_back(enum_of<Cpp>(e, what));
    return out;
  }

  static std::optional<bool> opt(const flatbuffers::Optional<bool>& v) {
    return v ? std::optional<bool>(*v) : std::nullopt;
  }

  // Fields marked (required) in the schema were proven present by the Verifier; the check here
  // keeps a null from ever being dereferenced should the schema and this code drift apart.
  std::string str(const flatbuffers::String* s) {
    if (!s) {
      fail("a required string is missing");
      return {};
    }
    return s->str();
  }
  static std::optional<std::string> opt_str(const flatbuffers::String* s) {
    return s ? std::optional<std::string>(s->str()) : std::nullopt;
  }

  data_encryption_metadata value(const fb::DataEncryptionMetadata& m) {
    data_encryption_metadata out;
    out.allow_cleartext = m.allow_cleartext();
    out.allow_duplicates = m.allow_duplicates();
    out.allow_joins_on_columns_with_different_names =
        m.allow_joins_on_columns_with_different_names();
    out.preserve_nulls = m.preserve_nulls();
    return out;
  }

  payment_config value(const fb::PaymentConfig& p) {
    payment_config out;
    out.at(payment_dimension::query_compute) = opt(p.query_compute());
    out.at(payment_dimension::job_compute) = opt(p.job_compute());
    out.at(payment_dimension::model_training) = opt(p.model_training());
    out.at(payment_dimension::model_inference) = opt(p.model_inference());
    out.at(payment_dimension::synthetic_data_generation) = opt(p.synthetic_data_generation());
    out.machine_learning_sent = p.machine_learning_sent();
    return out;
  }

  query_result_config value(const fb::QueryResultConfig& c) {
    query_result_config out;
    out.format = enum_of<result_format>(c.format(), "bad result format");
    out.bucket = str(c.bucket());
    out.key_prefix = opt_str(c.key_prefix());
    out.single_file_output = opt(c.single_file_output());
    out.role_arn = opt_str(c.role_arn());
    return out;
  }

  job_result_config value(const fb::JobResultConfig& c) {
    job_result_config out;
    out.bucket = str(c.bucket());
    out.key_prefix = opt_str(c.key_prefix());
    out.role_arn = str(c.role_arn());
    return out;
  }

  member_spec value(const fb::MemberSpec& m) {
    member_spec out;
    out.account = str(m.account());
    out.display_name = str(m.display_name());
    if (m.abilities())
      out.abilities = enums<member_ability>(*m.abilities(), "bad member ability");
    else
      fail("member abilities missing");
    if (m.ml_abilities()) out.ml_abilities = enums<ml_ability>(*m.ml_abilities(), "bad ML ability");
    if (m.payment()) out.payment = value(*m.payment());
    return out;
  }

  template <class Fb>
  auto opt_value(const Fb* t) -> std::optional<decltype(value(*t))> {
    if (!t) return std::nullopt;
    return value(*t);
  }

  events::collaboration_created value(const fb::CollaborationInfo& t) {
    events::collaboration_created e;
    e.collaboration_id = str(t.collaboration_id());
    e.region = str(t.region());
    e.name = str(t.name());
    e.description = str(t.description());
    e.creator = str(t.creator());
    e.creator_display_name = str(t.creator_display_name());
    e.encryption = opt_value(t.encryption());
    e.query_log = enum_of<log_status>(t.query_log(), "bad query log status");
    e.job_log = enum_of<log_status>(t.job_log(), "bad job log status");
    e.engine = enum_of<analytics_engine>(t.engine(), "bad analytics engine");
    if (t.auto_approved())
      e.auto_approved = enums<auto_approved_change_type>(*t.auto_approved(), "bad change type");
    if (const auto* regions = t.allowed_result_regions()) {
      std::vector<std::string> out;
      out.reserve(regions->size());
      for (const auto* r : *regions) out.push_back(str(r));
      e.allowed_result_regions = std::move(out);
    }
    e.metrics_enabled = opt(t.metrics_enabled());
    return e;
  }

  collaboration::member_record value(const fb::MemberRecord& t) {
    collaboration::member_record m;
    if (t.spec())
      m.spec = value(*t.spec());
    else
      fail("member spec missing");
    m.status = enum_of<member_status>(t.status(), "bad member status");
    m.membership_id = opt_str(t.membership_id());
    m.create_time = t.create_time_ms();
    m.update_time = t.update_time_ms();
    return m;
  }

  collaboration::membership_record value(const fb::MembershipRecord& t) {
    collaboration::membership_record m;
    m.id = str(t.id());
    m.account = str(t.account());
    m.region = str(t.region());
    m.status = enum_of<membership_status>(t.status(), "bad membership status");
    m.query_log = enum_of<log_status>(t.query_log(), "bad query log status");
    m.job_log = enum_of<log_status>(t.job_log(), "bad job log status");
    m.default_result = opt_value(t.default_result());
    m.default_job_result = opt_value(t.default_job_result());
    if (t.payment())
      m.payment = value(*t.payment());
    else
      fail("membership payment missing");
    m.metrics_enabled = opt(t.metrics_enabled());
    m.create_time = t.create_time_ms();
    m.update_time = t.update_time_ms();
    return m;
  }

  collaboration::state value(const fb::CollaborationState& t) {
    collaboration::state s;
    s.version = t.version();
    s.created = t.created();
    s.deleted = t.deleted();
    if (t.info())
      s.info = value(*t.info());
    else
      fail("collaboration info missing");
    s.create_time = t.create_time_ms();
    s.update_time = t.update_time_ms();
    if (!t.members() || !t.memberships() || !t.tags() || !t.payers()) {
      fail("a required list is missing");
      return s;
    }
    s.members.reserve(t.members()->size());
    std::set<std::string> accounts;
    for (const auto* m : *t.members()) {
      s.members.push_back(value(*m));
      // member() finds the first match: a second record of one account would be unreachable.
      if (!accounts.insert(s.members.back().spec.account).second) fail("duplicate member");
    }
    // A duplicate key would silently drop a record, so it rejects the snapshot instead.
    for (const auto* m : *t.memberships()) {
      auto record = value(*m);
      auto id = record.id;
      if (!s.memberships.emplace(std::move(id), std::move(record)).second)
        fail("duplicate membership id");
    }
    for (const auto* r : *t.tags()) {
      tag_map tags;
      if (r->tags())
        for (const auto* tag : *r->tags())
          if (!tags.emplace(str(tag->key()), str(tag->value())).second) fail("duplicate tag key");
      if (!s.tags.emplace(str(r->arn()), std::move(tags)).second) fail("duplicate tagged ARN");
    }
    for (const auto* p : *t.payers()) {
      auto raw = static_cast<std::uint8_t>(p->dimension());
      if (raw >= payment_dimension_count) {
        fail("bad payment dimension");
        continue;
      }
      auto& slot = s.payers[raw];
      if (slot) fail("duplicate payer");
      slot = collaboration::payer{str(p->account()), p->accepted()};
    }
    // A state is only ever snapshotted after its creation, and its version counts its events.
    if (!s.created || s.version == 0) fail("snapshot of a collaboration that was never created");
    return s;
  }
};

}  // namespace

std::uint32_t crc32(std::string_view bytes) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char ch : bytes) c = table[(c ^ ch) & 0xff] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::string encode_snapshot(const collaboration::state& s) {
  builder b(1024);
  encoder enc{b};
  fb::FinishCollaborationStateBuffer(b, enc.value(s));
  std::string_view payload(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
  std::string out;
  out.reserve(header_bytes + payload.size());
  out.append(magic, sizeof magic);
  put_u32(out, collaboration_format);
  put_u32(out, static_cast<std::uint32_t>(payload.size()));
  put_u32(out, crc32(payload));
  out.append(payload);
  return out;
}

result<collaboration::state> try_decode_snapshot(std::string_view bytes) {
  auto corrupt = [](std::string what) {
    return store_error{store_error::kind::corruption, "snapshot: " + std::move(what)};
  };
  if (bytes.size() < header_bytes) return corrupt("shorter than its header");
  if (std::memcmp(bytes.data(), magic, sizeof magic) != 0) return corrupt("bad magic");
  if (auto format = get_u32(bytes, 4); format != collaboration_format)
    return corrupt("unknown format version " + std::to_string(format));
  const std::uint32_t length = get_u32(bytes, 8);
  if (length > max_payload_bytes || length != bytes.size() - header_bytes)
    return corrupt("payload length " + std::to_string(length) + " does not match the " +
                   std::to_string(bytes.size() - header_bytes) + " bytes present");
  auto payload = bytes.substr(header_bytes);
  if (crc32(payload) != get_u32(bytes, 12)) return corrupt("checksum mismatch");

  // FlatBuffers reads scalars in place: give it 8-byte aligned memory when the caller's is not.
  std::unique_ptr<std::uint64_t[]> aligned;
  const auto* data = reinterpret_cast<const std::uint8_t*>(payload.data());
  if (reinterpret_cast<std::uintptr_t>(data) % alignof(std::uint64_t) != 0) {
    aligned.reset(new std::uint64_t[(payload.size() + 7) / 8]);
    std::memcpy(aligned.get(), payload.data(), payload.size());
    data = reinterpret_cast<const std::uint8_t*>(aligned.get());
  }
  flatbuffers::Verifier verifier(data, payload.size());
  if (!fb::VerifyCollaborationStateBuffer(verifier)) return corrupt("verification failed");

  reader r;
  auto s = r.value(*fb::GetCollaborationState(data));
  if (!r.problem.empty()) return corrupt(r.problem);
  return s;
}

std::optional<collaboration::state> decode_snapshot(std::string_view bytes) {
  auto r = try_decode_snapshot(bytes);
  if (!r) return std::nullopt;
  return std::move(r).value();
}

}  // namespace crs::snapshots
