// Decoding half of events/codec.hpp. The Verifier proves every offset, string and vector is
// inside the buffer; what it cannot prove (enum ranges, union tags, the format number, a
// missing payload) is checked here, so arbitrary bytes yield store_error{corruption}.
#include <cstdint>
#include <cstring>
#include <vector>

#include "events/codec.hpp"
#include "events/value_codec.hpp"
#include "events_generated.h"

namespace crs::events {
namespace {

constexpr std::uint16_t newest_known_format = 1;

// The shared values (enums, configs, member specs, tags) come from codec::value_reader, in its
// lenient mode: the log keeps decoding what older and newer writers wrote.
struct reader : codec::value_reader {
  reader() : value_reader(mode::lenient) {}

  event_payload event(const fb::CollaborationCreated& t) {
    collaboration_created e;
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

  event_payload event(const fb::MemberInvited& t) {
    member_invited e;
    if (t.member()) e.member = value(*t.member());
    return e;
  }

  event_payload event(const fb::PaymentAssigned& t) {
    payment_assigned e;
    e.dimension = enum_of<payment_dimension>(t.dimension(), "bad payment dimension");
    e.account = str(t.account());
    e.accepted = t.accepted();
    return e;
  }

  event_payload event(const fb::MembershipCreated& t) {
    membership_created e;
    e.membership_id = str(t.membership_id());
    e.account = str(t.account());
    e.region = str(t.region());
    e.query_log = enum_of<log_status>(t.query_log(), "bad query log status");
    e.job_log = enum_of<log_status>(t.job_log(), "bad job log status");
    e.default_result = opt_value(t.default_result());
    e.default_job_result = opt_value(t.default_job_result());
    if (t.payment()) e.payment = value(*t.payment());
    e.metrics_enabled = opt(t.metrics_enabled());
    return e;
  }

  event_payload event(const fb::MembershipUpdated& t) {
    membership_updated e;
    e.membership_id = str(t.membership_id());
    e.query_log = enum_of<log_status>(t.query_log(), "bad query log status");
    e.job_log = enum_of<log_status>(t.job_log(), "bad job log status");
    e.default_result = opt_value(t.default_result());
    e.default_job_result = opt_value(t.default_job_result());
    return e;
  }

  event_payload event(const fb::MembershipStatusChanged& t) {
    membership_status_changed e;
    e.membership_id = str(t.membership_id());
    e.status = enum_of<membership_status>(t.status(), "bad membership status");
    return e;
  }

  event_payload event(const fb::MembershipDeleted& t) {
    return membership_deleted{str(t.membership_id()), str(t.account())};
  }
  event_payload event(const fb::MemberLeft& t) { return member_left{str(t.account())}; }
  event_payload event(const fb::MemberRemoved& t) { return member_removed{str(t.account())}; }

  event_payload event(const fb::CollaborationUpdated& t) {
    collaboration_updated e;
    e.name = opt_str(t.name());
    e.description = opt_str(t.description());
    e.engine = enum_of<analytics_engine>(t.engine(), "bad analytics engine");
    return e;
  }

  event_payload event(const fb::CollaborationDeleted&) { return collaboration_deleted{}; }

  event_payload event(const fb::TagsChanged& t) {
    tags_changed e;
    e.resource_arn = str(t.resource_arn());
    e.set = tags(t.set());
    e.removed = strings(t.removed());
    return e;
  }

  event_payload event(const fb::ConfiguredTableCreated& t) {
    configured_table_created e;
    e.configured_table_id = str(t.configured_table_id());
    e.region = str(t.region());
    e.owner = str(t.owner());
    e.name = str(t.name());
    e.description = opt_str(t.description());
    e.reference = required(t.reference(), "table reference missing");
    e.allowed_columns = strings(t.allowed_columns());
    e.method = enum_of<analysis_method>(t.method(), "bad analysis method");
    e.selected_methods =
        opt_enums<selected_analysis_method>(t.selected_methods(), "bad selected analysis method");
    return e;
  }

  event_payload event(const fb::ConfiguredTableUpdated& t) {
    configured_table_updated e;
    e.name = opt_str(t.name());
    e.description = opt_str(t.description());
    e.reference = opt_value(t.reference());
    e.allowed_columns = opt_strings(t.allowed_columns());
    e.method = enum_of<analysis_method>(t.method(), "bad analysis method");
    e.selected_methods =
        opt_enums<selected_analysis_method>(t.selected_methods(), "bad selected analysis method");
    return e;
  }

  event_payload event(const fb::ConfiguredTableDeleted&) { return configured_table_deleted{}; }

  event_payload event(const fb::ConfiguredTableAnalysisRuleCreated& t) {
    return analysis_rule_created{required(t.policy(), "analysis rule policy missing")};
  }

  event_payload event(const fb::ConfiguredTableAnalysisRuleUpdated& t) {
    return analysis_rule_updated{required(t.policy(), "analysis rule policy missing")};
  }

  event_payload event(const fb::ConfiguredTableAnalysisRuleDeleted& t) {
    return analysis_rule_deleted{enum_of<analysis_rule_type>(t.type(), "bad analysis rule type")};
  }

  event_payload event(const fb::ConfiguredTableAssociationCreated& t) {
    association_created e;
    e.association_id = str(t.association_id());
    e.membership_id = str(t.membership_id());
    e.configured_table_id = str(t.configured_table_id());
    e.account = str(t.account());
    e.region = str(t.region());
    e.name = str(t.name());
    e.description = opt_str(t.description());
    e.role_arn = str(t.role_arn());
    return e;
  }

  event_payload event(const fb::ConfiguredTableAssociationUpdated& t) {
    association_updated e;
    e.association_id = str(t.association_id());
    e.description = opt_str(t.description());
    e.role_arn = opt_str(t.role_arn());
    return e;
  }

  event_payload event(const fb::ConfiguredTableAssociationDeleted& t) {
    return association_deleted{str(t.association_id())};
  }

  event_payload event(const fb::ConfiguredTableAssociationAnalysisRuleCreated& t) {
    association_rule_created e;
    e.association_id = str(t.association_id());
    e.type = enum_of<analysis_rule_type>(t.type(), "bad analysis rule type");
    if (t.policy()) e.policy = value(*t.policy());
    return e;
  }

  event_payload event(const fb::ConfiguredTableAssociationAnalysisRuleUpdated& t) {
    association_rule_updated e;
    e.association_id = str(t.association_id());
    e.type = enum_of<analysis_rule_type>(t.type(), "bad analysis rule type");
    if (t.policy()) e.policy = value(*t.policy());
    return e;
  }

  event_payload event(const fb::ConfiguredTableAssociationAnalysisRuleDeleted& t) {
    association_rule_deleted e;
    e.association_id = str(t.association_id());
    e.type = enum_of<analysis_rule_type>(t.type(), "bad analysis rule type");
    return e;
  }

  event_payload event(const fb::AnalysisTemplateCreated& t) {
    analysis_template_created e;
    e.template_id = str(t.template_id());
    e.membership_id = str(t.membership_id());
    e.account = str(t.account());
    e.region = str(t.region());
    e.name = str(t.name());
    e.description = opt_str(t.description());
    e.format = enum_of<analysis_format>(t.format(), "bad analysis format");
    e.source = required(t.source(), "analysis source missing");
    e.referenced_tables = strings(t.referenced_tables());
    e.parameters = opt_values(t.parameters());
    e.detailed_errors = t.detailed_errors();
    return e;
  }

  event_payload event(const fb::AnalysisTemplateUpdated& t) {
    return analysis_template_updated{str(t.template_id()), opt_str(t.description())};
  }

  event_payload event(const fb::AnalysisTemplateDeleted& t) {
    return analysis_template_deleted{str(t.template_id())};
  }

  event_payload event(const fb::ChangeRequestCreated& t) {
    change_request_created e;
    e.change_request_id = str(t.change_request_id());
    e.changes = values(t.changes());
    e.auto_approved = t.auto_approved();
    e.status = enum_of<change_request_status>(t.status(), "bad change request status");
    e.approvers = strings(t.approvers());
    return e;
  }

  event_payload event(const fb::ChangeRequestVoted& t) {
    return change_request_voted{str(t.change_request_id()), str(t.account()), t.approve()};
  }

  event_payload event(const fb::ChangeRequestApproved& t) {
    return change_request_approved{str(t.change_request_id())};
  }
  event_payload event(const fb::ChangeRequestDenied& t) {
    return change_request_denied{str(t.change_request_id())};
  }
  event_payload event(const fb::ChangeRequestCancelled& t) {
    return change_request_cancelled{str(t.change_request_id())};
  }
  event_payload event(const fb::ChangeRequestCommitted& t) {
    return change_request_committed{str(t.change_request_id())};
  }

  event_payload event(const fb::MemberAbilitiesChanged& t) {
    member_abilities_changed e;
    e.account = str(t.account());
    e.abilities = enums<member_ability>(t.abilities(), "bad member ability");
    return e;
  }

  event_payload event(const fb::AutoApprovedChangeTypesChanged& t) {
    return auto_approved_changed{
        enums<auto_approved_change_type>(t.types(), "bad auto-approved change type")};
  }

  event_payload event(const fb::QueryStarted& t) {
    query_started e;
    e.query_id = str(t.query_id());
    e.membership_id = str(t.membership_id());
    e.account = str(t.account());
    // Without its SQL parameters a query is neither a query string nor a template run.
    e.sql = required(t.sql(), "query SQL parameters missing");
    e.output = opt_value(t.output());
    e.compute = opt_value(t.compute());
    e.receivers = strings(t.receivers());
    e.receiver_memberships = strings(t.receiver_memberships());
    e.associations = strings(t.associations());
    return e;
  }

  event_payload event(const fb::QueryRunning& t) { return query_running{str(t.query_id())}; }

  event_payload event(const fb::QueryCancelRequested& t) {
    return query_cancel_requested{str(t.query_id())};
  }

  event_payload event(const fb::QueryCompleted& t) {
    query_completed e;
    e.query_id = str(t.query_id());
    e.status = enum_of<query_status>(t.status(), "bad query status");
    e.duration_ms = t.duration_ms();
    e.result_location = opt_str(t.result_location());
    e.result_rows = t.result_rows();
    e.error_code = opt_str(t.error_code());
    e.error_message = opt_str(t.error_message());
    return e;
  }

  // A member the event cannot do without (a table reference, a table's policy, a query's SQL
  // parameters): unlike a string it has no neutral default (a union has no value at all, SQL
  // parameters without a query string or a template are no query), so even the lenient log
  // reader refuses its absence.
  template <class Fb>
  auto required(const Fb* t, const char* what) -> decltype(value(*t)) {
    if (t) return value(*t);
    fail(what);
    return {};
  }

  // The union member, or nullopt when the tag is unknown (a newer writer) or the table absent.
  template <class Fb>
  std::optional<event_payload> member(const fb::Envelope& env) {
    const auto* t = static_cast<const Fb*>(env.payload());
    if (!t) return std::nullopt;
    return event(*t);
  }

  std::optional<event_payload> payload(const fb::Envelope& env) {
    using P = fb::Payload;
    switch (env.payload_type()) {
      case P::CollaborationCreated:
        return member<fb::CollaborationCreated>(env);
      case P::MemberInvited:
        return member<fb::MemberInvited>(env);
      case P::PaymentAssigned:
        return member<fb::PaymentAssigned>(env);
      case P::MembershipCreated:
        return member<fb::MembershipCreated>(env);
      case P::MembershipUpdated:
        return member<fb::MembershipUpdated>(env);
      case P::MembershipStatusChanged:
        return member<fb::MembershipStatusChanged>(env);
      case P::MembershipDeleted:
        return member<fb::MembershipDeleted>(env);
      case P::MemberLeft:
        return member<fb::MemberLeft>(env);
      case P::MemberRemoved:
        return member<fb::MemberRemoved>(env);
      case P::CollaborationUpdated:
        return member<fb::CollaborationUpdated>(env);
      case P::CollaborationDeleted:
        return member<fb::CollaborationDeleted>(env);
      case P::TagsChanged:
        return member<fb::TagsChanged>(env);
      case P::ConfiguredTableCreated:
        return member<fb::ConfiguredTableCreated>(env);
      case P::ConfiguredTableUpdated:
        return member<fb::ConfiguredTableUpdated>(env);
      case P::ConfiguredTableDeleted:
        return member<fb::ConfiguredTableDeleted>(env);
      case P::ConfiguredTableAnalysisRuleCreated:
        return member<fb::ConfiguredTableAnalysisRuleCreated>(env);
      case P::ConfiguredTableAnalysisRuleUpdated:
        return member<fb::ConfiguredTableAnalysisRuleUpdated>(env);
      case P::ConfiguredTableAnalysisRuleDeleted:
        return member<fb::ConfiguredTableAnalysisRuleDeleted>(env);
      case P::ConfiguredTableAssociationCreated:
        return member<fb::ConfiguredTableAssociationCreated>(env);
      case P::ConfiguredTableAssociationUpdated:
        return member<fb::ConfiguredTableAssociationUpdated>(env);
      case P::ConfiguredTableAssociationDeleted:
        return member<fb::ConfiguredTableAssociationDeleted>(env);
      case P::ConfiguredTableAssociationAnalysisRuleCreated:
        return member<fb::ConfiguredTableAssociationAnalysisRuleCreated>(env);
      case P::ConfiguredTableAssociationAnalysisRuleUpdated:
        return member<fb::ConfiguredTableAssociationAnalysisRuleUpdated>(env);
      case P::ConfiguredTableAssociationAnalysisRuleDeleted:
        return member<fb::ConfiguredTableAssociationAnalysisRuleDeleted>(env);
      case P::AnalysisTemplateCreated:
        return member<fb::AnalysisTemplateCreated>(env);
      case P::AnalysisTemplateUpdated:
        return member<fb::AnalysisTemplateUpdated>(env);
      case P::AnalysisTemplateDeleted:
        return member<fb::AnalysisTemplateDeleted>(env);
      case P::ChangeRequestCreated:
        return member<fb::ChangeRequestCreated>(env);
      case P::ChangeRequestVoted:
        return member<fb::ChangeRequestVoted>(env);
      case P::ChangeRequestApproved:
        return member<fb::ChangeRequestApproved>(env);
      case P::ChangeRequestDenied:
        return member<fb::ChangeRequestDenied>(env);
      case P::ChangeRequestCancelled:
        return member<fb::ChangeRequestCancelled>(env);
      case P::ChangeRequestCommitted:
        return member<fb::ChangeRequestCommitted>(env);
      case P::MemberAbilitiesChanged:
        return member<fb::MemberAbilitiesChanged>(env);
      case P::AutoApprovedChangeTypesChanged:
        return member<fb::AutoApprovedChangeTypesChanged>(env);
      case P::QueryStarted:
        return member<fb::QueryStarted>(env);
      case P::QueryRunning:
        return member<fb::QueryRunning>(env);
      case P::QueryCancelRequested:
        return member<fb::QueryCancelRequested>(env);
      case P::QueryCompleted:
        return member<fb::QueryCompleted>(env);
      default:
        return std::nullopt;
    }
  }
};

store_error corruption(std::string what) {
  return store_error{store_error::kind::corruption, "event decode: " + std::move(what)};
}

}  // namespace

result<recorded_event> decode(std::string_view bytes) {
  try {
    if (bytes.size() < 2 * sizeof(flatbuffers::uoffset_t) ||
        bytes.size() >= FLATBUFFERS_MAX_BUFFER_SIZE)
      return corruption("bad buffer size");
    // FlatBuffers reads scalars in place, so the buffer must be aligned like its largest
    // scalar (8 bytes); RocksDB slices need not be (most are not), so copy those, into a
    // buffer this thread reuses: a replay decodes millions of events.
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    if (reinterpret_cast<std::uintptr_t>(data) % alignof(std::uint64_t) != 0) {
      thread_local std::vector<std::uint64_t> aligned;
      // 64 KiB: a rare huge event's buffer is released by this thread's next unaligned decode.
      constexpr std::size_t kept_words = 1 << 13;
      if (aligned.size() > kept_words) std::vector<std::uint64_t>().swap(aligned);
      aligned.resize((bytes.size() + 7) / 8);
      std::memcpy(aligned.data(), data, bytes.size());
      data = reinterpret_cast<const std::uint8_t*>(aligned.data());
    }
    flatbuffers::Verifier verifier(data, bytes.size());
    if (!fb::VerifyEnvelopeBuffer(verifier)) return corruption("verifier rejected the buffer");

    const fb::Envelope& env = *fb::GetEnvelope(data);
    if (env.format() == 0 || env.format() > newest_known_format)
      return corruption("unsupported format " + std::to_string(env.format()));
    reader r;
    auto payload = r.payload(env);
    if (!payload) return corruption("unknown or missing payload");
    if (!r.problem.empty()) return corruption(r.problem);

    recorded_event out{envelope{}, std::move(*payload)};
    out.env.position = env.position();
    out.env.stream = r.str(env.stream());
    out.env.version = env.version();
    out.env.type = r.str(env.type());
    out.env.time = env.time_ms();
    out.env.account = r.str(env.account());
    out.env.request_id = r.str(env.request_id());
    if (out.env.type != type_name(out.payload)) return corruption("type does not match payload");
    return out;
  } catch (const std::exception& e) {  // bad_alloc on a huge (but verified) vector
    return corruption(e.what());
  }
}

}  // namespace crs::events
