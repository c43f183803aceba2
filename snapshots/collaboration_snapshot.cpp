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
#include "events/value_codec.hpp"

namespace crs::snapshots {
namespace {

constexpr char magic[4] = {'C', 'R', 'S', 'S'};
// Large enough for any real collaboration (members, memberships and tags are capped far below),
// small enough that a corrupt length field cannot make us trust a huge claim.
constexpr std::uint32_t max_payload_bytes = 256u << 20;

using codec::builder;
using codec::fb_string;
using codec::to_fb;
namespace fb = crs::fb;      // the shared values (events/schema/values.fbs)
namespace snap = crs::snap;  // the snapshot's own tables

// MemberStatus is the snapshot's own enum (the shared ones are checked in value_codec.cpp); a
// reordering on either side must not compile.
#define CRS_SAME_ENUM(fb_value, cpp_value) \
  static_assert(static_cast<int>(fb_value) == static_cast<int>(cpp_value), #cpp_value)
CRS_SAME_ENUM(snap::MemberStatus::Invited, member_status::invited);
CRS_SAME_ENUM(snap::MemberStatus::Active, member_status::active);
CRS_SAME_ENUM(snap::MemberStatus::Left, member_status::left);
CRS_SAME_ENUM(snap::MemberStatus::Removed, member_status::removed);
#undef CRS_SAME_ENUM

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint32_t get_u32(std::string_view in, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
  return v;
}

// ---------------------------------------------------------------- encode

// The shared values (enums, configs, member specs, tags) come from codec::value_encoder.
struct encoder : codec::value_encoder {
  using value_encoder::value;

  flatbuffers::Offset<snap::CollaborationInfo> value(const events::collaboration_created& e) {
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
    return snap::CreateCollaborationInfo(
        b, id, region, name, description, creator, creator_display_name, encryption,
        to_fb<fb::LogStatus>(e.query_log), opt<fb::LogStatus>(e.job_log),
        opt<fb::AnalyticsEngine>(e.engine), auto_approved, regions, opt(e.metrics_enabled));
  }

  flatbuffers::Offset<snap::MemberRecord> value(const collaboration::member_record& m) {
    auto spec = value(m.spec);
    auto membership_id = str(m.membership_id);
    return snap::CreateMemberRecord(b, spec, to_fb<snap::MemberStatus>(m.status), membership_id,
                                    m.create_time, m.update_time);
  }

  flatbuffers::Offset<snap::MembershipRecord> value(const collaboration::membership_record& m) {
    auto id = str(m.id);
    auto account = str(m.account);
    auto region = str(m.region);
    auto result = value(m.default_result);
    auto job_result = value(m.default_job_result);
    auto payment = value(m.payment);
    return snap::CreateMembershipRecord(
        b, id, account, region, to_fb<fb::MembershipStatus>(m.status),
        to_fb<fb::LogStatus>(m.query_log), opt<fb::LogStatus>(m.job_log), result, job_result,
        payment, opt(m.metrics_enabled), m.create_time, m.update_time);
  }

  flatbuffers::Offset<snap::ResourceTags> value(const std::string& arn, const tag_map& tags) {
    auto a = str(arn);
    auto list = value_encoder::tags(tags);
    return snap::CreateResourceTags(b, a, list);
  }

  flatbuffers::Offset<snap::AssociationRecord> value(const collaboration::association_record& a) {
    auto id = str(a.id);
    auto membership_id = str(a.membership_id);
    auto table_id = str(a.configured_table_id);
    auto account = str(a.account);
    auto region = str(a.region);
    auto name = str(a.name);
    auto description = str(a.description);
    auto role_arn = str(a.role_arn);
    std::vector<flatbuffers::Offset<snap::AssociationRuleRecord>> rules;
    rules.reserve(a.rules.size());
    for (const auto& [type, rule] : a.rules) {  // by type, ascending
      auto policy = value(rule.policy);
      rules.push_back(snap::CreateAssociationRuleRecord(
          b, to_fb<fb::AnalysisRuleType>(type), policy, rule.create_time, rule.update_time));
    }
    auto rules_v = b.CreateVector(rules);
    return snap::CreateAssociationRecord(b, id, membership_id, table_id, account, region, name,
                                         description, role_arn, a.create_time, a.update_time,
                                         rules_v);
  }

  flatbuffers::Offset<snap::TemplateRecord> value(const collaboration::template_record& t) {
    auto id = str(t.id);
    auto membership_id = str(t.membership_id);
    auto account = str(t.account);
    auto region = str(t.region);
    auto name = str(t.name);
    auto description = str(t.description);
    auto src = source(t.source);
    auto referenced = strings(t.referenced_tables);
    auto parameters = opt_values(t.parameters);
    return snap::CreateTemplateRecord(b, id, membership_id, account, region, name, description,
                                      to_fb<fb::AnalysisFormat>(t.format), src, referenced,
                                      parameters, t.detailed_errors, t.create_time, t.update_time);
  }

  flatbuffers::Offset<snap::ChangeRequestRecord> value(
      const collaboration::change_request_record& r) {
    auto id = str(r.id);
    auto changes = values(r.changes);
    std::vector<flatbuffers::Offset<snap::Approval>> approvals;
    approvals.reserve(r.approvals.size());
    for (const auto& [account, status] : r.approvals) {  // by account, ascending
      auto a = str(account);
      approvals.push_back(snap::CreateApproval(b, a, to_fb<fb::ApprovalStatus>(status)));
    }
    auto approvals_v = b.CreateVector(approvals);
    return snap::CreateChangeRequestRecord(b, id, changes, r.auto_approved,
                                           to_fb<fb::ChangeRequestStatus>(r.status), approvals_v,
                                           r.create_time, r.update_time);
  }

  flatbuffers::Offset<snap::QueryRecord> value(const collaboration::query_record& q) {
    auto id = str(q.id);
    auto membership_id = str(q.membership_id);
    auto account = str(q.account);
    auto sql = value(q.sql);
    auto output = value(q.output);
    auto compute = value(q.compute);
    auto receivers = strings(q.receivers);
    auto receiver_memberships = strings(q.receiver_memberships);
    auto result_location = str(q.result_location);
    auto error_code = str(q.error_code);
    auto error_message = str(q.error_message);
    auto associations = strings(q.associations);
    return snap::CreateQueryRecord(b, id, membership_id, account, sql, output, compute, receivers,
                                   receiver_memberships, to_fb<fb::QueryStatus>(q.status),
                                   q.create_time, q.update_time, q.duration_ms, result_location,
                                   q.result_rows, error_code, error_message, associations);
  }

  flatbuffers::Offset<snap::CollaborationState> value(const collaboration::state& s) {
    auto info = value(s.info);
    std::vector<flatbuffers::Offset<snap::MemberRecord>> members;
    members.reserve(s.members.size());
    for (const auto& m : s.members) members.push_back(value(m));
    auto members_v = b.CreateVector(members);
    std::vector<flatbuffers::Offset<snap::MembershipRecord>> memberships;
    memberships.reserve(s.memberships.size());
    for (const auto& [id, m] : s.memberships) memberships.push_back(value(m));
    auto memberships_v = b.CreateVector(memberships);
    std::vector<flatbuffers::Offset<snap::ResourceTags>> tags;
    tags.reserve(s.tags.size());
    for (const auto& [arn, t] : s.tags) tags.push_back(value(arn, t));
    auto tags_v = b.CreateVector(tags);
    std::vector<flatbuffers::Offset<snap::Payer>> payers;
    for (int d = 0; d < payment_dimension_count; ++d) {
      const auto& p = s.payers[d];
      if (!p) continue;
      auto account = str(p->account);
      payers.push_back(
          snap::CreatePayer(b, static_cast<fb::PaymentDimension>(d), account, p->accepted));
    }
    auto payers_v = b.CreateVector(payers);
    std::vector<flatbuffers::Offset<snap::AssociationRecord>> associations;
    associations.reserve(s.associations.size());
    for (const auto& [id, a] : s.associations) associations.push_back(value(a));
    auto associations_v = b.CreateVector(associations);
    std::vector<flatbuffers::Offset<snap::TemplateRecord>> templates;
    templates.reserve(s.templates.size());
    for (const auto& [id, t] : s.templates) templates.push_back(value(t));
    auto templates_v = b.CreateVector(templates);
    std::vector<flatbuffers::Offset<snap::ChangeRequestRecord>> requests;
    requests.reserve(s.change_requests.size());
    for (const auto& [id, r] : s.change_requests) requests.push_back(value(r));
    auto requests_v = b.CreateVector(requests);
    std::vector<flatbuffers::Offset<snap::QueryRecord>> queries;
    queries.reserve(s.queries.size());
    for (const auto& [id, q] : s.queries) queries.push_back(value(q));
    auto queries_v = b.CreateVector(queries);
    return snap::CreateCollaborationState(b, s.version, s.created, s.deleted, info, s.create_time,
                                          s.update_time, members_v, memberships_v, tags_v, payers_v,
                                          associations_v, templates_v, requests_v, queries_v);
  }
};

// ---------------------------------------------------------------- decode

// The shared values (enums, configs, member specs, tags) come from codec::value_reader, in its
// strict mode: a missing required string or ability list, or a repeated tag key, rejects the
// snapshot.
struct reader : codec::value_reader {
  reader() : value_reader(mode::strict) {}
  using value_reader::value;

  events::collaboration_created value(const snap::CollaborationInfo& t) {
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
      e.auto_approved = enums<auto_approved_change_type>(t.auto_approved(), "bad change type");
    if (t.allowed_result_regions()) e.allowed_result_regions = strings(t.allowed_result_regions());
    e.metrics_enabled = opt(t.metrics_enabled());
    return e;
  }

  collaboration::member_record value(const snap::MemberRecord& t) {
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

  collaboration::membership_record value(const snap::MembershipRecord& t) {
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

  collaboration::association_record value(const snap::AssociationRecord& t) {
    collaboration::association_record a;
    a.id = str(t.id());
    a.membership_id = str(t.membership_id());
    a.configured_table_id = str(t.configured_table_id());
    a.account = str(t.account());
    a.region = str(t.region());
    a.name = str(t.name());
    a.description = opt_str(t.description());
    a.role_arn = str(t.role_arn());
    a.create_time = t.create_time_ms();
    a.update_time = t.update_time_ms();
    if (!t.rules()) {
      fail("association rules missing");
      return a;
    }
    for (const auto* r : *t.rules()) {
      auto type = enum_of<analysis_rule_type>(r->type(), "bad analysis rule type");
      collaboration::association_rule_record rule;
      if (r->policy())
        rule.policy = value(*r->policy());
      else
        fail("association rule policy missing");
      rule.create_time = r->create_time_ms();
      rule.update_time = r->update_time_ms();
      // A second rule of one type would silently replace the first.
      if (!a.rules.emplace(type, std::move(rule)).second) fail("duplicate association rule type");
    }
    return a;
  }

  collaboration::template_record value(const snap::TemplateRecord& t) {
    collaboration::template_record r;
    r.id = str(t.id());
    r.membership_id = str(t.membership_id());
    r.account = str(t.account());
    r.region = str(t.region());
    r.name = str(t.name());
    r.description = opt_str(t.description());
    r.format = enum_of<analysis_format>(t.format(), "bad analysis format");
    if (t.source())
      r.source = value(*t.source());
    else
      fail("template source missing");
    require_list(t.referenced_tables());
    r.referenced_tables = strings(t.referenced_tables());
    r.parameters = opt_values(t.parameters());
    r.detailed_errors = t.detailed_errors();
    r.create_time = t.create_time_ms();
    r.update_time = t.update_time_ms();
    return r;
  }

  collaboration::change_request_record value(const snap::ChangeRequestRecord& t) {
    collaboration::change_request_record r;
    r.id = str(t.id());
    require_list(t.changes());
    r.changes = values(t.changes());
    r.auto_approved = t.auto_approved();
    r.status = enum_of<change_request_status>(t.status(), "bad change request status");
    r.create_time = t.create_time_ms();
    r.update_time = t.update_time_ms();
    if (!t.approvals()) {
      fail("change request approvals missing");
      return r;
    }
    for (const auto* a : *t.approvals()) {
      auto status = enum_of<approval_status>(a->status(), "bad approval status");
      // A second vote of one account would silently replace the first.
      if (!r.approvals.emplace(str(a->account()), status).second)
        fail("duplicate approval account");
    }
    return r;
  }

  collaboration::query_record value(const snap::QueryRecord& t) {
    collaboration::query_record q;
    q.id = str(t.id());
    q.membership_id = str(t.membership_id());
    q.account = str(t.account());
    if (t.sql())
      q.sql = value(*t.sql());
    else
      fail("query SQL parameters missing");
    q.output = opt_value(t.output());
    q.compute = opt_value(t.compute());
    require_list(t.receivers());
    q.receivers = strings(t.receivers());
    require_list(t.receiver_memberships());
    q.receiver_memberships = strings(t.receiver_memberships());
    q.status = enum_of<query_status>(t.status(), "bad query status");
    q.create_time = t.create_time_ms();
    q.update_time = t.update_time_ms();
    q.duration_ms = t.duration_ms();
    q.result_location = opt_str(t.result_location());
    q.result_rows = t.result_rows();
    q.error_code = opt_str(t.error_code());
    q.error_message = opt_str(t.error_message());
    require_list(t.associations());
    q.associations = strings(t.associations());
    return q;
  }

  collaboration::state value(const snap::CollaborationState& t) {
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
    if (!t.members() || !t.memberships() || !t.tags() || !t.payers() || !t.associations() ||
        !t.templates() || !t.change_requests() || !t.queries()) {
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
    for (const auto* a : *t.associations()) {
      auto record = value(*a);
      auto id = record.id;
      if (!s.associations.emplace(std::move(id), std::move(record)).second)
        fail("duplicate association id");
    }
    for (const auto* x : *t.templates()) {
      auto record = value(*x);
      auto id = record.id;
      if (!s.templates.emplace(std::move(id), std::move(record)).second)
        fail("duplicate template id");
    }
    for (const auto* x : *t.change_requests()) {
      auto record = value(*x);
      auto id = record.id;
      if (!s.change_requests.emplace(std::move(id), std::move(record)).second)
        fail("duplicate change request id");
    }
    for (const auto* x : *t.queries()) {
      auto record = value(*x);
      auto id = record.id;
      if (!s.queries.emplace(std::move(id), std::move(record)).second) fail("duplicate query id");
    }
    for (const auto* r : *t.tags()) {
      auto resource_tags = tags(r->tags());
      if (!s.tags.emplace(str(r->arn()), std::move(resource_tags)).second)
        fail("duplicate tagged ARN");
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

// Eight bytes per step (slicing-by-8): table[k][b] is the CRC of byte b followed by k zero
// bytes. The byte-at-a-time loop was a third of decoding a snapshot, and a snapshot is decoded on
// every activation (sim/README.md has the profile).
std::uint32_t crc32(std::string_view bytes) {
  using tables = std::array<std::array<std::uint32_t, 256>, 8>;
  static const tables table = [] {
    tables t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[0][i] = c;
    }
    for (std::size_t k = 1; k < 8; ++k)
      for (std::uint32_t i = 0; i < 256; ++i)
        t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xff];
    return t;
  }();
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  std::uint32_t c = 0xFFFFFFFFu;
  auto le32 = [](const unsigned char* q) {
    return static_cast<std::uint32_t>(q[0]) | static_cast<std::uint32_t>(q[1]) << 8 |
           static_cast<std::uint32_t>(q[2]) << 16 | static_cast<std::uint32_t>(q[3]) << 24;
  };
  for (; n >= 8; p += 8, n -= 8) {
    const std::uint32_t lo = le32(p) ^ c, hi = le32(p + 4);
    c = table[7][lo & 0xff] ^ table[6][(lo >> 8) & 0xff] ^ table[5][(lo >> 16) & 0xff] ^
        table[4][lo >> 24] ^ table[3][hi & 0xff] ^ table[2][(hi >> 8) & 0xff] ^
        table[1][(hi >> 16) & 0xff] ^ table[0][hi >> 24];
  }
  for (; n > 0; ++p, --n) c = table[0][(c ^ *p) & 0xff] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::string encode_snapshot(const collaboration::state& s) {
  builder b(1024);
  encoder enc{{b}};
  snap::FinishCollaborationStateBuffer(b, enc.value(s));
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
  if (!snap::VerifyCollaborationStateBuffer(verifier)) return corrupt("verification failed");

  reader r;
  auto s = r.value(*snap::GetCollaborationState(data));
  if (!r.problem.empty()) return corrupt(r.problem);
  return s;
}

std::optional<collaboration::state> decode_snapshot(std::string_view bytes) {
  auto r = try_decode_snapshot(bytes);
  if (!r) return std::nullopt;
  return std::move(r).value();
}

}  // namespace crs::snapshots
