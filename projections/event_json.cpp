#include "projections/event_json.hpp"
#include "events/calendar.hpp"
#include "events/overloaded.hpp"

#include "projections/value_json.hpp"

#include <cstdio>

#include "projections/json_writer.hpp"
#include "projections/table_json.hpp"

namespace crs::projections {
namespace {

using namespace crs::events;

// ------------------------------------------------------------------------------- JSON payloads

template <class E>
void enum_array(json_writer& w, const std::vector<E>& items) {
  w.begin_array();
  for (auto v : items) w.string(to_string(v));
  w.end_array();
}

void string_array(json_writer& w, const std::vector<std::string>& items) {
  w.begin_array();
  for (const auto& v : items) w.string(v);
  w.end_array();
}

void opt_log(json_writer& w, std::string_view key, const std::optional<log_status>& v) {
  if (v) w.key(key).string(to_string(*v));
}

void opt_bool(json_writer& w, std::string_view key, const std::optional<bool>& v) {
  if (v) w.key(key).boolean(*v);
}

void opt_string(json_writer& w, std::string_view key, const std::optional<std::string>& v) {
  if (v) w.key(key).string(*v);
}

void member(json_writer& w, const member_spec& m) {
  w.begin_object();
  w.key("accountId").string(m.account);
  w.key("displayName").string(m.display_name);
  w.key("memberAbilities");
  enum_array(w, m.abilities);
  if (m.ml_abilities) {
    w.key("mlMemberAbilities").begin_object().key("customMLMemberAbilities");
    enum_array(w, *m.ml_abilities);
    w.end_object();
  }
  if (m.payment) write_payment(w.key("paymentConfiguration"), *m.payment, payment_form::recorded);
  w.end_object();
}

void s3_artifact(json_writer& w, const s3_location& l) {
  w.begin_object().key("location").begin_object();
  w.key("bucket").string(l.bucket);
  w.key("key").string(l.key);
  w.end_object().end_object();
}

// AnalysisSource: {"text": ...} | {"artifacts": {entryPoint, additionalArtifacts?, roleArn}}.
void analysis_source_json(json_writer& w, const analysis_source& s) {
  w.begin_object();
  std::visit(overloaded{
                 [&](const std::string& text) { w.key("text").string(text); },
                 [&](const template_artifacts& a) {
                   w.key("artifacts").begin_object();
                   s3_artifact(w.key("entryPoint"), a.entry_point);
                   if (a.additional_artifacts) {
                     w.key("additionalArtifacts").begin_array();
                     for (const auto& l : *a.additional_artifacts) s3_artifact(w, l);
                     w.end_array();
                   }
                   w.key("roleArn").string(a.role_arn);
                   w.end_object();
                 },
             },
             s);
  w.end_object();
}

// A ChangeInput / Change: {specificationType, specification: {member | collaboration}, types}.
void change_json(json_writer& w, const change& c) {
  w.begin_object();
  std::visit(overloaded{
                 [&](const member_change& m) {
                   w.key("specificationType").string("MEMBER");
                   w.key("specification").begin_object().key("member").begin_object();
                   w.key("accountId").string(m.account);
                   enum_array(w.key("memberAbilities"), m.abilities);
                   opt_string(w, "displayName", m.display_name);
                   w.end_object().end_object();
                 },
                 [&](const collaboration_change& m) {
                   w.key("specificationType").string("COLLABORATION");
                   w.key("specification").begin_object().key("collaboration").begin_object();
                   if (m.auto_approved)
                     enum_array(w.key("autoApprovedChangeTypes"), *m.auto_approved);
                   w.end_object().end_object();
                 },
             },
             c.spec);
  enum_array(w.key("types"), c.types);
  w.end_object();
}

// A ProtectedQueryDistributeOutputConfigurationLocation: {"s3": {...}} | {"member": {...}}.
void query_location_json(json_writer& w, const query_location& l) {
  w.begin_object();
  std::visit(overloaded{
                 [&](const query_s3_output& s3) {
                   w.key("s3").begin_object();
                   w.key("resultFormat").string(to_string(s3.format));
                   w.key("bucket").string(s3.bucket);
                   opt_string(w, "keyPrefix", s3.key_prefix);
                   opt_bool(w, "singleFileOutput", s3.single_file_output);
                   w.end_object();
                 },
                 [&](const query_member_output& m) {
                   w.key("member").begin_object().key("accountId").string(m.account).end_object();
                 },
             },
             l);
  w.end_object();
}

// ProtectedQueryOutputConfiguration: the one location's own object ({"s3": ...} | {"member":
// ...}), or {"distribute": {"locations": [...]}}. A non-distributed output with other than one
// location is not one the decider writes; it is shown as {"locations": [...]} rather than lost.
void query_output_json(json_writer& w, const query_output& o) {
  if (!o.distribute && o.locations.size() == 1) {
    query_location_json(w, o.locations.front());
    return;
  }
  w.begin_object();
  if (o.distribute) w.key("distribute").begin_object();
  w.key("locations").begin_array();
  for (const auto& l : o.locations) query_location_json(w, l);
  w.end_array();
  if (o.distribute) w.end_object();
  w.end_object();
}

struct payload_writer {
  json_writer& w;

  void operator()(const collaboration_created& e) const {
    w.key("collaborationId").string(e.collaboration_id);
    w.key("region").string(e.region);
    w.key("name").string(e.name);
    w.key("description").string(e.description);
    w.key("creatorAccountId").string(e.creator);
    w.key("creatorDisplayName").string(e.creator_display_name);
    if (const auto& x = e.encryption) {
      w.key("dataEncryptionMetadata").begin_object();
      w.key("allowCleartext").boolean(x->allow_cleartext);
      w.key("allowDuplicates").boolean(x->allow_duplicates);
      w.key("allowJoinsOnColumnsWithDifferentNames")
          .boolean(x->allow_joins_on_columns_with_different_names);
      w.key("preserveNulls").boolean(x->preserve_nulls);
      w.end_object();
    }
    w.key("queryLogStatus").string(to_string(e.query_log));
    opt_log(w, "jobLogStatus", e.job_log);
    if (e.engine) w.key("analyticsEngine").string(to_string(*e.engine));
    if (e.auto_approved) enum_array(w.key("autoApprovedChangeTypes"), *e.auto_approved);
    if (e.allowed_result_regions)
      string_array(w.key("allowedResultRegions"), *e.allowed_result_regions);
    opt_bool(w, "isMetricsEnabled", e.metrics_enabled);
  }
  void operator()(const member_invited& e) const { member(w.key("member"), e.member); }
  void operator()(const payment_assigned& e) const {
    w.key("dimension").string(to_string(e.dimension));
    w.key("accountId").string(e.account);
    w.key("accepted").boolean(e.accepted);
  }
  void operator()(const membership_created& e) const {
    w.key("membershipId").string(e.membership_id);
    w.key("accountId").string(e.account);
    w.key("region").string(e.region);
    w.key("queryLogStatus").string(to_string(e.query_log));
    opt_log(w, "jobLogStatus", e.job_log);
    if (e.default_result)
      write_query_result(w.key("defaultResultConfiguration"), *e.default_result);
    if (e.default_job_result)
      write_job_result(w.key("defaultJobResultConfiguration"), *e.default_job_result);
    write_payment(w.key("paymentConfiguration"), e.payment, payment_form::recorded);
    opt_bool(w, "isMetricsEnabled", e.metrics_enabled);
  }
  void operator()(const membership_updated& e) const {
    w.key("membershipId").string(e.membership_id);
    opt_log(w, "queryLogStatus", e.query_log);
    opt_log(w, "jobLogStatus", e.job_log);
    if (e.default_result)
      write_query_result(w.key("defaultResultConfiguration"), *e.default_result);
    if (e.default_job_result)
      write_job_result(w.key("defaultJobResultConfiguration"), *e.default_job_result);
  }
  void operator()(const membership_status_changed& e) const {
    w.key("membershipId").string(e.membership_id);
    w.key("status").string(to_string(e.status));
  }
  void operator()(const membership_deleted& e) const {
    w.key("membershipId").string(e.membership_id);
    w.key("accountId").string(e.account);
  }
  void operator()(const member_left& e) const { w.key("accountId").string(e.account); }
  void operator()(const member_removed& e) const { w.key("accountId").string(e.account); }
  void operator()(const collaboration_updated& e) const {
    opt_string(w, "name", e.name);
    opt_string(w, "description", e.description);
    if (e.engine) w.key("analyticsEngine").string(to_string(*e.engine));
  }
  void operator()(const collaboration_deleted&) const {}
  void operator()(const tags_changed& e) const {
    w.key("resourceArn").string(e.resource_arn);
    w.key("set").begin_object();
    for (const auto& [k, v] : e.set) w.key(k).string(v);
    w.end_object();
    string_array(w.key("removed"), e.removed);
  }

  // The configured table's id is its stream's; the events name it only where they create it.
  void operator()(const configured_table_created& e) const {
    w.key("configuredTableId").string(e.configured_table_id);
    w.key("region").string(e.region);
    w.key("accountId").string(e.owner);
    w.key("name").string(e.name);
    opt_string(w, "description", e.description);
    write_table_reference(w.key("tableReference"), e.reference);
    string_array(w.key("allowedColumns"), e.allowed_columns);
    w.key("analysisMethod").string(to_string(e.method));
    if (e.selected_methods) enum_array(w.key("selectedAnalysisMethods"), *e.selected_methods);
  }
  void operator()(const configured_table_updated& e) const {
    opt_string(w, "name", e.name);
    opt_string(w, "description", e.description);
    if (e.reference) write_table_reference(w.key("tableReference"), *e.reference);
    if (e.allowed_columns) string_array(w.key("allowedColumns"), *e.allowed_columns);
    if (e.method) w.key("analysisMethod").string(to_string(*e.method));
    // Present and empty means cleared: rendered as [], never omitted.
    if (e.selected_methods) enum_array(w.key("selectedAnalysisMethods"), *e.selected_methods);
  }
  void operator()(const configured_table_deleted&) const {}
  void operator()(const analysis_rule_created& e) const { rule(e.policy); }
  void operator()(const analysis_rule_updated& e) const { rule(e.policy); }
  void operator()(const analysis_rule_deleted& e) const {
    w.key("analysisRuleType").string(to_string(e.type));
  }
  void operator()(const association_created& e) const {
    w.key("configuredTableAssociationId").string(e.association_id);
    w.key("membershipId").string(e.membership_id);
    w.key("configuredTableId").string(e.configured_table_id);
    w.key("accountId").string(e.account);
    w.key("region").string(e.region);
    w.key("name").string(e.name);
    opt_string(w, "description", e.description);
    w.key("roleArn").string(e.role_arn);
  }
  void operator()(const association_updated& e) const {
    w.key("configuredTableAssociationId").string(e.association_id);
    opt_string(w, "description", e.description);
    opt_string(w, "roleArn", e.role_arn);
  }
  void operator()(const association_deleted& e) const {
    w.key("configuredTableAssociationId").string(e.association_id);
  }
  void operator()(const association_rule_created& e) const {
    association_rule(e.association_id, e.type, &e.policy);
  }
  void operator()(const association_rule_updated& e) const {
    association_rule(e.association_id, e.type, &e.policy);
  }
  void operator()(const association_rule_deleted& e) const {
    association_rule(e.association_id, e.type, nullptr);
  }

  void operator()(const analysis_template_created& e) const {
    w.key("analysisTemplateId").string(e.template_id);
    w.key("membershipId").string(e.membership_id);
    w.key("accountId").string(e.account);
    w.key("region").string(e.region);
    w.key("name").string(e.name);
    opt_string(w, "description", e.description);
    w.key("format").string(to_string(e.format));
    analysis_source_json(w.key("source"), e.source);
    string_array(w.key("referencedTables"), e.referenced_tables);
    if (e.parameters) {
      w.key("analysisParameters").begin_array();
      for (const auto& p : *e.parameters) {
        w.begin_object();
        w.key("name").string(p.name);
        w.key("type").string(to_string(p.type));
        opt_string(w, "defaultValue", p.default_value);
        w.end_object();
      }
      w.end_array();
    }
    // errorMessageConfiguration is either {type: DETAILED} or absent.
    if (e.detailed_errors)
      w.key("errorMessageConfiguration").begin_object().key("type").string("DETAILED").end_object();
  }
  void operator()(const analysis_template_updated& e) const {
    w.key("analysisTemplateId").string(e.template_id);
    opt_string(w, "description", e.description);
  }
  void operator()(const analysis_template_deleted& e) const {
    w.key("analysisTemplateId").string(e.template_id);
  }
  void operator()(const change_request_created& e) const {
    w.key("changeRequestId").string(e.change_request_id);
    w.key("changes").begin_array();
    for (const auto& c : e.changes) change_json(w, c);
    w.end_array();
    w.key("isAutoApproved").boolean(e.auto_approved);
    w.key("status").string(to_string(e.status));
    string_array(w.key("approvers"), e.approvers);
  }
  void operator()(const change_request_voted& e) const {
    w.key("changeRequestId").string(e.change_request_id);
    w.key("accountId").string(e.account);
    w.key("vote").string(
        to_string(e.approve ? change_request_action::approve : change_request_action::deny));
  }
  void operator()(const change_request_approved& e) const { request(e.change_request_id); }
  void operator()(const change_request_denied& e) const { request(e.change_request_id); }
  void operator()(const change_request_cancelled& e) const { request(e.change_request_id); }
  void operator()(const change_request_committed& e) const { request(e.change_request_id); }
  void operator()(const member_abilities_changed& e) const {
    w.key("accountId").string(e.account);
    enum_array(w.key("memberAbilities"), e.abilities);
  }
  void operator()(const auto_approved_changed& e) const {
    enum_array(w.key("autoApprovedChangeTypes"), e.types);
  }

  // The API's ProtectedQuery members where it has them (sqlParameters, resultConfiguration,
  // computeConfiguration, statistics, result, error).
  void operator()(const query_started& e) const {
    query(e.query_id);
    w.key("membershipId").string(e.membership_id);
    w.key("accountId").string(e.account);
    w.key("sqlParameters").begin_object();
    opt_string(w, "queryString", e.sql.query_string);
    opt_string(w, "analysisTemplateArn", e.sql.analysis_template_arn);
    if (e.sql.parameters) {
      w.key("parameters").begin_object();
      for (const auto& [k, v] : *e.sql.parameters) w.key(k).string(v);
      w.end_object();
    }
    w.end_object();
    if (e.output) {
      w.key("resultConfiguration").begin_object();
      query_output_json(w.key("outputConfiguration"), *e.output);
      w.end_object();
    }
    if (e.compute) {
      w.key("computeConfiguration").begin_object().key("worker").begin_object();
      w.key("type").string(e.compute->worker_type);
      w.key("number").number(e.compute->number);
      w.end_object().end_object();
    }
    string_array(w.key("receiverAccountIds"), e.receivers);
    string_array(w.key("receiverMembershipIds"), e.receiver_memberships);
    // Only when recorded (SPEC.md Q22): events from before the field have none.
    if (!e.associations.empty())
      string_array(w.key("configuredTableAssociationIds"), e.associations);
  }
  void operator()(const query_running& e) const { query(e.query_id); }
  void operator()(const query_cancel_requested& e) const { query(e.query_id); }
  void operator()(const query_completed& e) const {
    query(e.query_id);
    w.key("status").string(to_string(e.status));
    w.key("statistics").begin_object().key("totalDurationInMillis").number(e.duration_ms);
    w.end_object();
    if (e.result_location) {
      w.key("result").begin_object().key("output").begin_object().key("s3").begin_object();
      w.key("location").string(*e.result_location);
      w.end_object().end_object().end_object();
    }
    w.key("resultRows").number(e.result_rows);
    if (e.error_code || e.error_message) {
      w.key("error").begin_object();
      opt_string(w, "code", e.error_code);
      opt_string(w, "message", e.error_message);
      w.end_object();
    }
  }

 private:
  void request(const std::string& id) const { w.key("changeRequestId").string(id); }
  void query(const std::string& id) const { w.key("protectedQueryId").string(id); }
  void rule(const analysis_rule_policy& p) const {
    w.key("analysisRuleType").string(to_string(type_of(p)));
    write_policy(w.key("policy"), p);
  }
  void association_rule(const std::string& id, analysis_rule_type t,
                        const association_rule_policy* p) const {
    w.key("configuredTableAssociationId").string(id);
    w.key("analysisRuleType").string(to_string(t));
    if (p) write_association_policy(w.key("policy"), t, *p);
  }
};

// ------------------------------------------------------------------------------ one-line form

std::string quoted(std::string_view s) {
  std::string out = "\"";
  json_writer::escape_into(out, s);
  out += '"';
  return out;
}

// Tag keys and values may hold spaces, '=' and ','; quote those so the list stays parseable.
std::string bare_or_quoted(std::string_view s) {
  if (s.empty()) return "\"\"";
  for (unsigned char c : s) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '.' || c == ':' || c == '/' || c == '+' || c == '-' ||
                      c == '@' || c >= 0x80;
    if (!safe) return quoted(s);
  }
  return std::string(s);
}

template <class E>
std::string enum_list(const std::vector<E>& items) {
  if (items.empty()) return "none";
  std::string out;
  for (auto v : items) {
    if (!out.empty()) out += ',';
    out.append(to_string(v));
  }
  return out;
}

// "queryCompute:yes,jobCompute:no": the dimensions the configuration names.
std::string payment_words(const payment_config& p) {
  std::string out;
  for (int d = 0; d < payment_dimension_count; ++d) {
    if (!p.dims[d]) continue;
    if (!out.empty()) out += ',';
    out.append(to_string(static_cast<payment_dimension>(d))).append(*p.dims[d] ? ":yes" : ":no");
  }
  return out.empty() ? "none" : out;
}

// The first `max_chars` UTF-8 characters of `s` (never a split character), JSON-quoted, with
// "..." inside the quotes when something was cut: SQL in a one-line summary stays short.
std::string quoted_prefix(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0, end = 0;
  for (; end < s.size(); ++end) {
    const auto c = static_cast<unsigned char>(s[end]);
    if ((c & 0xC0) != 0x80 && chars++ == max_chars) break;  // the first byte of a character
  }
  if (end == s.size()) return quoted(s);
  return quoted(std::string(s.substr(0, end)) + "...");
}

std::string s3_uri(const std::string& bucket, const std::optional<std::string>& prefix) {
  return "s3://" + bucket + "/" + prefix.value_or("");
}

class words {
 public:
  words& add(std::string_view name, std::string_view value) {
    if (!out_.empty()) out_ += ' ';
    out_.append(name).append("=").append(value);
    return *this;
  }
  const std::string& str() const { return out_; }

 private:
  std::string out_;
};

struct summary_writer {
  words& out;

  void operator()(const collaboration_created& e) const {
    out.add("id", e.collaboration_id).add("region", e.region).add("name", quoted(e.name));
    out.add("creator", e.creator).add("creatorDisplayName", quoted(e.creator_display_name));
    out.add("queryLog", to_string(e.query_log));
    if (e.job_log) out.add("jobLog", to_string(*e.job_log));
    if (e.engine) out.add("engine", to_string(*e.engine));
  }
  void operator()(const member_invited& e) const {
    const auto& m = e.member;
    out.add("account", m.account).add("displayName", quoted(m.display_name));
    out.add("abilities", enum_list(m.abilities));
    if (m.ml_abilities) out.add("mlAbilities", enum_list(*m.ml_abilities));
    if (m.payment) out.add("payment", payment_words(*m.payment));
  }
  void operator()(const payment_assigned& e) const {
    out.add("dimension", to_string(e.dimension)).add("account", e.account);
    out.add("accepted", e.accepted ? "true" : "false");
  }
  void operator()(const membership_created& e) const {
    out.add("membership", e.membership_id).add("account", e.account).add("region", e.region);
    out.add("queryLog", to_string(e.query_log));
    if (e.job_log) out.add("jobLog", to_string(*e.job_log));
    if (e.default_result)
      out.add("defaultResult", s3_uri(e.default_result->bucket, e.default_result->key_prefix));
    if (e.default_job_result)
      out.add("defaultJobResult",
              s3_uri(e.default_job_result->bucket, e.default_job_result->key_prefix));
    out.add("payment", payment_words(e.payment));
  }
  void operator()(const membership_updated& e) const {
    out.add("membership", e.membership_id);
    if (e.query_log) out.add("queryLog", to_string(*e.query_log));
    if (e.job_log) out.add("jobLog", to_string(*e.job_log));
    if (e.default_result)
      out.add("defaultResult", s3_uri(e.default_result->bucket, e.default_result->key_prefix));
    if (e.default_job_result)
      out.add("defaultJobResult",
              s3_uri(e.default_job_result->bucket, e.default_job_result->key_prefix));
  }
  void operator()(const membership_status_changed& e) const {
    out.add("membership", e.membership_id).add("status", to_string(e.status));
  }
  void operator()(const membership_deleted& e) const {
    out.add("membership", e.membership_id).add("account", e.account);
  }
  void operator()(const member_left& e) const { out.add("account", e.account); }
  void operator()(const member_removed& e) const { out.add("account", e.account); }
  void operator()(const collaboration_updated& e) const {
    if (e.name) out.add("name", quoted(*e.name));
    if (e.description) out.add("description", quoted(*e.description));
    if (e.engine) out.add("engine", to_string(*e.engine));
  }
  void operator()(const collaboration_deleted&) const {}
  void operator()(const tags_changed& e) const {
    out.add("arn", e.resource_arn);
    if (!e.set.empty()) {
      std::string set;
      for (const auto& [k, v] : e.set) {
        if (!set.empty()) set += ',';
        set.append(bare_or_quoted(k)).append("=").append(bare_or_quoted(v));
      }
      out.add("set", set);
    }
    if (!e.removed.empty()) {
      std::string removed;
      for (const auto& k : e.removed) {
        if (!removed.empty()) removed += ',';
        removed += bare_or_quoted(k);
      }
      out.add("removed", removed);
    }
  }

  void operator()(const configured_table_created& e) const {
    out.add("id", e.configured_table_id).add("region", e.region).add("owner", e.owner);
    out.add("name", quoted(e.name)).add("reference", reference_kind(e.reference));
    out.add("columns", std::to_string(e.allowed_columns.size()));
    out.add("method", to_string(e.method));
    if (e.selected_methods) out.add("selectedMethods", enum_list(*e.selected_methods));
  }
  void operator()(const configured_table_updated& e) const {
    if (e.name) out.add("name", quoted(*e.name));
    if (e.description) out.add("description", quoted(*e.description));
    if (e.reference) out.add("reference", reference_kind(*e.reference));
    if (e.allowed_columns) out.add("columns", std::to_string(e.allowed_columns->size()));
    if (e.method) out.add("method", to_string(*e.method));
    if (e.selected_methods) out.add("selectedMethods", enum_list(*e.selected_methods));
  }
  void operator()(const configured_table_deleted&) const {}
  void operator()(const analysis_rule_created& e) const {
    out.add("type", to_string(type_of(e.policy)));
  }
  void operator()(const analysis_rule_updated& e) const {
    out.add("type", to_string(type_of(e.policy)));
  }
  void operator()(const analysis_rule_deleted& e) const { out.add("type", to_string(e.type)); }
  void operator()(const association_created& e) const {
    out.add("association", e.association_id).add("membership", e.membership_id);
    out.add("configuredTable", e.configured_table_id).add("account", e.account);
    out.add("region", e.region).add("name", quoted(e.name));
    if (e.description) out.add("description", quoted(*e.description));
    out.add("roleArn", bare_or_quoted(e.role_arn));
  }
  void operator()(const association_updated& e) const {
    out.add("association", e.association_id);
    if (e.description) out.add("description", quoted(*e.description));
    if (e.role_arn) out.add("roleArn", bare_or_quoted(*e.role_arn));
  }
  void operator()(const association_deleted& e) const { out.add("association", e.association_id); }
  void operator()(const association_rule_created& e) const {
    association_rule(e.association_id, e.type, &e.policy);
  }
  void operator()(const association_rule_updated& e) const {
    association_rule(e.association_id, e.type, &e.policy);
  }
  void operator()(const association_rule_deleted& e) const {
    association_rule(e.association_id, e.type, nullptr);
  }

  void operator()(const analysis_template_created& e) const {
    out.add("template", e.template_id).add("membership", e.membership_id);
    out.add("account", e.account).add("region", e.region).add("name", quoted(e.name));
    if (e.description) out.add("description", quoted(*e.description));
    out.add("format", to_string(e.format));
    std::visit(
        overloaded{
            [&](const std::string& text) { out.add("sql", quoted_prefix(text, 60)); },
            [&](const template_artifacts& a) {
              out.add("entryPoint",
                      bare_or_quoted("s3://" + a.entry_point.bucket + "/" + a.entry_point.key));
              if (a.additional_artifacts)
                out.add("additionalArtifacts", std::to_string(a.additional_artifacts->size()));
              out.add("roleArn", bare_or_quoted(a.role_arn));
            },
        },
        e.source);
    out.add("referencedTables", list_words(e.referenced_tables));
    if (e.parameters) {
      std::string params;
      for (const auto& p : *e.parameters) {
        if (!params.empty()) params += ',';
        params.append(bare_or_quoted(p.name)).append(":").append(to_string(p.type));
      }
      out.add("parameters", params.empty() ? "none" : params);
    }
    if (e.detailed_errors) out.add("errors", "DETAILED");
  }
  void operator()(const analysis_template_updated& e) const {
    out.add("template", e.template_id);
    if (e.description) out.add("description", quoted(*e.description));
  }
  void operator()(const analysis_template_deleted& e) const { out.add("template", e.template_id); }
  // changes=member:444455556666(ADD_MEMBER),collaboration(EDIT_AUTO_APPROVED_CHANGE_TYPES)
  void operator()(const change_request_created& e) const {
    out.add("changeRequest", e.change_request_id);
    std::string changes;
    for (const auto& c : e.changes) {
      if (!changes.empty()) changes += ',';
      std::visit(overloaded{
                     [&](const member_change& m) {
                       changes.append("member:").append(bare_or_quoted(m.account));
                     },
                     [&](const collaboration_change&) { changes.append("collaboration"); },
                 },
                 c.spec);
      std::string types;
      for (auto t : c.types) {
        if (!types.empty()) types += '+';
        types.append(to_string(t));
      }
      changes.append("(").append(types).append(")");
    }
    out.add("changes", changes.empty() ? "none" : changes);
    out.add("status", to_string(e.status));
    out.add("autoApproved", e.auto_approved ? "true" : "false");
    out.add("approvers", list_words(e.approvers));
  }
  void operator()(const change_request_voted& e) const {
    out.add("changeRequest", e.change_request_id).add("account", e.account);
    out.add("vote",
            to_string(e.approve ? change_request_action::approve : change_request_action::deny));
  }
  void operator()(const change_request_approved& e) const {
    out.add("changeRequest", e.change_request_id);
  }
  void operator()(const change_request_denied& e) const {
    out.add("changeRequest", e.change_request_id);
  }
  void operator()(const change_request_cancelled& e) const {
    out.add("changeRequest", e.change_request_id);
  }
  void operator()(const change_request_committed& e) const {
    out.add("changeRequest", e.change_request_id);
  }
  void operator()(const member_abilities_changed& e) const {
    out.add("account", e.account).add("abilities", enum_list(e.abilities));
  }
  void operator()(const auto_approved_changed& e) const { out.add("types", enum_list(e.types)); }

  // sql="SELECT ..." (cut like a template's) or template=<ARN>, parameters=name=value,...,
  // output=s3://bucket/prefix | member:<account> | distribute(<location>,...), compute=CR.1X:4.
  void operator()(const query_started& e) const {
    out.add("query", e.query_id).add("membership", e.membership_id).add("account", e.account);
    if (e.sql.query_string) out.add("sql", quoted_prefix(*e.sql.query_string, 60));
    if (e.sql.analysis_template_arn)
      out.add("template", bare_or_quoted(*e.sql.analysis_template_arn));
    if (e.sql.parameters) {
      std::string params;
      for (const auto& [k, v] : *e.sql.parameters) {
        if (!params.empty()) params += ',';
        params.append(bare_or_quoted(k)).append("=").append(bare_or_quoted(v));
      }
      out.add("parameters", params.empty() ? "none" : params);
    }
    if (e.output) {
      std::string locations;
      for (const auto& l : e.output->locations) {
        if (!locations.empty()) locations += ',';
        std::visit(overloaded{
                       [&](const query_s3_output& s3) {
                         locations += bare_or_quoted(s3_uri(s3.bucket, s3.key_prefix));
                       },
                       [&](const query_member_output& m) {
                         locations.append("member:").append(bare_or_quoted(m.account));
                       },
                   },
                   l);
      }
      if (e.output->distribute)
        out.add("output", "distribute(" + locations + ")");
      else
        out.add("output", locations.empty() ? "none" : locations);
    }
    if (e.compute)
      out.add("compute",
              bare_or_quoted(e.compute->worker_type) + ":" + std::to_string(e.compute->number));
    out.add("receivers", list_words(e.receivers));
    if (!e.associations.empty()) out.add("associations", list_words(e.associations));
  }
  void operator()(const query_running& e) const { out.add("query", e.query_id); }
  void operator()(const query_cancel_requested& e) const { out.add("query", e.query_id); }
  void operator()(const query_completed& e) const {
    out.add("query", e.query_id).add("status", to_string(e.status));
    out.add("durationMs", std::to_string(e.duration_ms));
    out.add("rows", std::to_string(e.result_rows));
    if (e.result_location) out.add("result", bare_or_quoted(*e.result_location));
    if (e.error_code) out.add("errorCode", bare_or_quoted(*e.error_code));
    if (e.error_message) out.add("errorMessage", quoted(*e.error_message));
  }

 private:
  static std::string list_words(const std::vector<std::string>& items) {
    if (items.empty()) return "none";
    std::string joined;
    for (const auto& v : items) {
      if (!joined.empty()) joined += ',';
      joined += bare_or_quoted(v);
    }
    return joined;
  }
  void association_rule(const std::string& id, analysis_rule_type t,
                        const association_rule_policy* p) const {
    out.add("association", id).add("type", to_string(t));
    if (p && p->allowed_result_receivers)
      out.add("receivers", list_words(*p->allowed_result_receivers));
    if (p && p->allowed_additional_analyses)
      out.add("additionalAnalyses", list_words(*p->allowed_additional_analyses));
  }
};

// ---------------------------------------------------------------------------------- calendar
// (events/calendar.hpp)

// A cursor over the time text: fixed-width digit groups and single separators.
struct scanner {
  std::string_view s;
  std::size_t i = 0;

  bool done() const { return i == s.size(); }
  bool peek(char c) const { return i < s.size() && s[i] == c; }
  bool eat(char c) {
    if (!peek(c)) return false;
    ++i;
    return true;
  }
  bool digits(std::size_t n, int& out) {
    if (s.size() - i < n) return false;
    out = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const char c = s[i + k];
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    i += n;
    return true;
  }
  // Milliseconds of a fraction after '.', truncated; at least one digit.
  bool fraction(int& ms) {
    std::size_t n = 0;
    ms = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (n < 3) ms = ms * 10 + (s[i] - '0');
      ++n;
      ++i;
    }
    if (n == 0) return false;
    for (std::size_t k = n; k < 3; ++k) ms *= 10;
    return true;
  }
};

std::optional<time_ms> parse_epoch_seconds(std::string_view s) {
  scanner sc{s};
  std::int64_t seconds = 0;
  std::size_t n = 0;
  while (!sc.done() && s[sc.i] >= '0' && s[sc.i] <= '9') {
    if (++n > 12) return std::nullopt;  // beyond year 33658: surely not a time
    seconds = seconds * 10 + (s[sc.i++] - '0');
  }
  if (n == 0) return std::nullopt;
  int ms = 0;
  if (sc.eat('.') && !sc.fraction(ms)) return std::nullopt;
  if (!sc.done()) return std::nullopt;
  return seconds * 1000 + ms;
}

std::optional<time_ms> parse_iso8601(std::string_view s) {
  scanner sc{s};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, ms = 0;
  if (!sc.digits(4, year) || !sc.eat('-') || !sc.digits(2, month) || !sc.eat('-') ||
      !sc.digits(2, day))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month)))
    return std::nullopt;
  if (!sc.done()) {
    if (!sc.eat('T') && !sc.eat('t') && !sc.eat(' ')) return std::nullopt;
    if (!sc.digits(2, hour) || !sc.eat(':') || !sc.digits(2, minute)) return std::nullopt;
    if (sc.eat(':')) {
      if (!sc.digits(2, second)) return std::nullopt;
      if (sc.eat('.') && !sc.fraction(ms)) return std::nullopt;
    }
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  }
  int offset_minutes = 0;
  if (sc.eat('Z') || sc.eat('z')) {
  } else if (sc.peek('+') || sc.peek('-')) {
    const int sign = sc.eat('+') ? 1 : (sc.eat('-'), -1);
    int oh = 0, om = 0;
    if (!sc.digits(2, oh)) return std::nullopt;
    sc.eat(':');
    if (!sc.digits(2, om) || oh > 23 || om > 59) return std::nullopt;
    offset_minutes = sign * (oh * 60 + om);
  }
  if (!sc.done()) return std::nullopt;
  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t seconds =
      days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + ms;
}

}  // namespace

std::string payload_json(const event_payload& p) {
  json_writer w;
  w.begin_object();
  std::visit(payload_writer{w}, p);
  w.end_object();
  return w.take();
}

std::string event_json(const recorded_event& e) {
  json_writer w;
  w.begin_object();
  w.key("position").raw(std::to_string(e.env.position));
  w.key("stream").string(e.env.stream);
  w.key("version").raw(std::to_string(e.env.version));
  w.key("type").string(e.env.type);
  w.key("time").timestamp(e.env.time);
  w.key("account").string(e.env.account);
  w.key("requestId").string(e.env.request_id);
  w.key("payload").raw(payload_json(e.payload));
  w.end_object();
  return w.take();
}

std::string payload_summary(const event_payload& p) {
  words out;
  std::visit(summary_writer{out}, p);
  return out.str();
}

std::string event_line(const recorded_event& e) {
  std::string line = std::to_string(e.env.position);
  line.append(" ").append(format_iso8601(e.env.time));
  line.append(" ").append(e.env.stream);
  line.append(" v").append(std::to_string(e.env.version));
  line.append(" ").append(e.env.type);
  line.append(" by=").append(e.env.account);
  line.append(" req=").append(bare_or_quoted(e.env.request_id));
  auto summary = payload_summary(e.payload);
  if (!summary.empty()) line.append(" ").append(summary);
  return line;
}

std::string format_iso8601(time_ms t) {
  std::int64_t days = t / 86400000;
  std::int64_t rest = t % 86400000;
  if (rest < 0) {
    rest += 86400000;
    --days;
  }
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  const auto ms = static_cast<int>(rest % 1000);
  const auto sec = static_cast<int>(rest / 1000);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<long long>(y),
                m, d, sec / 3600, sec / 60 % 60, sec % 60, ms);
  return buf;
}

std::optional<time_ms> parse_time(std::string_view s) {
  if (s.size() >= 10 && s[4] == '-') return parse_iso8601(s);
  return parse_epoch_seconds(s);
}

}  // namespace crs::projections
