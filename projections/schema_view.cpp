#include "projections/schema_view.hpp"

#include <algorithm>
#include <set>

#include <boost/json.hpp>

#include "projections/json_writer.hpp"
#include "projections/keys.hpp"

namespace crs::projections {
namespace {

namespace json = boost::json;

// Malformed rows (never written by this build) read as a missing schema, not an error page.
using sources = schema_rows;

std::optional<json::object> parse_object(const std::optional<std::string>& row) {
  if (!row) return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(*row, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::string_view str(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

std::int64_t num(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->as_int64() : 0;
}

bool flag(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_bool() && v->as_bool();
}

const json::object* obj(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

const json::array* arr(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_array() ? &v->as_array() : nullptr;
}

// The schema whose association row is `association_row`.
std::optional<sources> load(const events::event_store& store,
                            const std::optional<std::string>& association_row) {
  auto a = parse_object(association_row);
  if (!a) return std::nullopt;
  auto t = parse_object(store.get_view(keys::table_source(str(*a, "configuredTableId"))));
  if (!t) return std::nullopt;  // the table is gone (it cannot be while associated)
  return sources{std::move(*a), std::move(*t)};
}

std::optional<sources> load(const events::event_store& store, std::string_view cid,
                            std::string_view name) {
  return load(store, store.get_view(keys::schema(cid, name)));
}

// The table reference back as the value type, for the catalog lookup.
table_reference reference_of(const json::object& table) {
  const auto* ref = obj(table, "tableReference");
  if (!ref) return glue_table_reference{};
  if (const auto* g = obj(*ref, "glue"))
    return glue_table_reference{std::nullopt, std::string(str(*g, "databaseName")),
                                std::string(str(*g, "tableName"))};
  if (const auto* a = obj(*ref, "athena")) {
    athena_table_reference out;
    out.work_group = str(*a, "workGroup");
    out.database_name = str(*a, "databaseName");
    out.table_name = str(*a, "tableName");
    return out;
  }
  snowflake_table_reference out;
  if (const auto* s = obj(*ref, "snowflake")) {
    out.database_name = str(*s, "databaseName");
    out.schema_name = str(*s, "schemaName");
    out.table_name = str(*s, "tableName");
    if (const auto* ts = obj(*s, "tableSchema"))
      if (const auto* v1 = arr(*ts, "v1"))
        for (const auto& c : *v1)
          if (c.is_object())
            out.table_schema.push_back({std::string(str(c.as_object(), "columnName")),
                                        std::string(str(c.as_object(), "columnType"))});
  }
  return out;
}

// SPEC.md 20.1: catalog columns within allowedColumns, catalog order; partition keys apart. A
// table the catalog lacks (or cannot read) shows its allowed columns as strings.
void write_columns(json_writer& w, const catalog::local_catalog& catalog,
                   const json::object& table) {
  std::vector<std::string> allowed;
  if (const auto* a = arr(table, "allowedColumns"))
    for (const auto& c : *a)
      if (c.is_string()) allowed.emplace_back(c.as_string());
  const std::set<std::string> allowed_set(allowed.begin(), allowed.end());
  auto found = catalog.lookup(reference_of(table));
  auto column_list = [&](std::string_view key, const std::vector<catalog::column>& cols) {
    w.key(key).begin_array();
    for (const auto& c : cols)
      if (allowed_set.count(c.name))
        w.begin_object().key("name").string(c.name).key("type").string(c.type).end_object();
    w.end_array();
  };
  if (found.what == catalog::lookup_result::status::found) {
    column_list("columns", found.found.columns);
    column_list("partitionKeys", found.found.partition_keys);
    return;
  }
  w.key("columns").begin_array();
  for (const auto& c : allowed)
    w.begin_object().key("name").string(c).key("type").string("string").end_object();
  w.end_array();
  w.key("partitionKeys").begin_array().end_array();
}

void write_rule_types(json_writer& w, const json::object& table) {
  w.key("analysisRuleTypes").begin_array();
  if (const auto* rule = obj(table, "rule")) w.string(str(*rule, "type"));
  w.end_array();
}

void write_method(json_writer& w, const json::object& table) {
  w.key("analysisMethod").string(str(table, "analysisMethod"));
  if (const auto* sel = arr(table, "selectedAnalysisMethods"))
    w.key("selectedAnalysisMethods").raw(json::serialize(*sel));
}

std::int64_t latest_update(const sources& s) {
  std::int64_t t = std::max(num(s.association, "updateTime"), num(s.table, "updateTime"));
  if (const auto* rule = obj(s.table, "rule")) t = std::max(t, num(*rule, "updateTime"));
  if (const auto* rules = obj(s.association, "rules"))
    for (const auto& [type, r] : *rules)
      if (r.is_object()) t = std::max(t, num(r.as_object(), "updateTime"));
  return t;
}

// SPEC.md 20.2.
void write_status(json_writer& w, const sources& s) {
  struct reason {
    const char* code;
    std::string message;
  };
  std::vector<reason> reasons;
  std::vector<const char*> configurations;
  const auto* rule = obj(s.table, "rule");
  w.key("schemaStatusDetails").begin_array().begin_object();
  if (!rule) {
    reasons.push_back({"ANALYSIS_RULE_MISSING", "The configured table has no analysis rule"});
  } else {
    const auto type = str(*rule, "type");
    w.key("analysisRuleType").string(type);
    if (flag(*rule, "differentialPrivacy")) {
      configurations.push_back("DIFFERENTIAL_PRIVACY");
      reasons.push_back({"DIFFERENTIAL_PRIVACY_POLICY_NOT_CONFIGURED",
                         "The collaboration has no differential privacy policy"});
    }
    if (flag(*rule, "noAllowedAnalyses"))
      reasons.push_back(
          {"ANALYSIS_TEMPLATES_NOT_CONFIGURED", "The custom analysis rule allows no analyses"});
    if (flag(*rule, "providersMissing"))
      reasons.push_back({"ANALYSIS_PROVIDERS_NOT_CONFIGURED",
                         "The custom analysis rule names no analysis providers"});
    if (flag(*rule, "additionalRequired"))
      reasons.push_back({"ADDITIONAL_ANALYSES_NOT_CONFIGURED",
                         "The analysis rule requires additional analyses, none are configured"});
    const auto* receivers = arr(s.association, "otherReceivers");
    if (receivers && !receivers->empty()) {
      const auto* rules = obj(s.association, "rules");
      const json::object* same = nullptr;
      if (rules)
        if (const auto* r = obj(*rules, type)) same = obj(*r, "policy");
      if (!same && (!rules || rules->empty())) {
        reasons.push_back({"COLLABORATION_ANALYSIS_RULE_NOT_CONFIGURED",
                           "Results go to members other than the querier and the association "
                           "has no collaboration analysis rule"});
      } else if (!same) {
        reasons.push_back({"RESULT_RECEIVERS_NOT_CONFIGURED",
                           "Results go to members other than the querier and the association "
                           "has no " +
                               std::string(type) + " collaboration analysis rule"});
      } else {
        std::set<std::string> allowed;
        if (const auto* list = arr(*same, "allowedResultReceivers"))
          for (const auto& a : *list)
            if (a.is_string()) allowed.emplace(a.as_string());
        for (const auto& a : *receivers)
          if (a.is_string() && !allowed.count(std::string(a.as_string()))) {
            reasons.push_back({"RESULT_RECEIVERS_NOT_CONFIGURED",
                               "Result receiver " + std::string(a.as_string()) +
                                   " is not in the association's allowedResultReceivers"});
            break;
          }
      }
    }
  }
  w.key("status").string(reasons.empty() ? "READY" : "NOT_READY");
  w.key("analysisType").string("DIRECT_ANALYSIS");
  if (!configurations.empty()) {
    w.key("configurations").begin_array();
    for (const auto* c : configurations) w.string(c);
    w.end_array();
  }
  if (!reasons.empty()) {
    w.key("reasons").begin_array();
    for (const auto& r : reasons)
      w.begin_object().key("code").string(r.code).key("message").string(r.message).end_object();
    w.end_array();
  }
  w.end_object().end_array();
}

void write_common(json_writer& w, const sources& s) {
  w.key("name").string(str(s.association, "name"));
  w.key("type").string("TABLE");
  w.key("creatorAccountId").string(str(s.association, "account"));
  w.key("createTime").timestamp(num(s.association, "createTime"));
  w.key("updateTime").timestamp(latest_update(s));
  w.key("collaborationId").string(str(s.association, "collaborationId"));
  w.key("collaborationArn").string(str(s.association, "collaborationArn"));
  write_rule_types(w, s.table);
  write_method(w, s.table);
  w.key("resourceArn").string(str(s.association, "associationArn"));
}

}  // namespace

std::optional<std::string> schema_view::schema(std::string_view cid, std::string_view name) const {
  auto s = load(store_, cid, name);
  if (!s) return std::nullopt;
  json_writer w;
  w.begin_object();
  write_common(w, *s);
  w.key("description").string(str(s->association, "description"));
  write_columns(w, catalog_, s->table);
  write_status(w, *s);
  w.end_object();
  return w.take();
}

std::optional<std::string> schema_view::summary(std::string_view cid,
                                                std::string_view lower_name) const {
  auto s = load(store_, cid, lower_name);
  if (!s) return std::nullopt;
  json_writer w;
  w.begin_object();
  write_common(w, *s);
  w.end_object();
  return w.take();
}

schema_view::rule_lookup schema_view::analysis_rule(std::string_view cid, std::string_view name,
                                                    std::string_view type,
                                                    std::string& json_out) const {
  auto s = load(store_, cid, name);
  if (!s) return rule_lookup::no_schema;
  const auto* rule = obj(s->table, "rule");
  if (!rule || str(*rule, "type") != type) return rule_lookup::no_rule;
  const auto* body = obj(*rule, "policy");
  if (!body) return rule_lookup::no_rule;
  std::string member = std::string(type);
  std::transform(member.begin(), member.end(), member.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const json::object* assoc = nullptr;
  std::int64_t updated = num(*rule, "updateTime");
  if (const auto* rules = obj(s->association, "rules"))
    if (const auto* r = obj(*rules, type)) {
      assoc = obj(*r, "policy");
      updated = std::max(updated, num(*r, "updateTime"));
    }
  json_writer w;
  w.begin_object();
  w.key("collaborationId").string(str(s->association, "collaborationId"));
  w.key("type").string(type);
  w.key("name").string(str(s->association, "name"));
  w.key("createTime").timestamp(num(*rule, "createTime"));
  w.key("updateTime").timestamp(updated);
  w.key("policy").begin_object().key("v1").begin_object().key(member).raw(json::serialize(*body));
  w.end_object().end_object();
  if (assoc) {
    w.key("collaborationPolicy")
        .begin_object()
        .key("v1")
        .begin_object()
        .key(member)
        .raw(json::serialize(*assoc));
    w.end_object().end_object();
    // SPEC.md 20.3: the table's rule plus the association's two lists, same union member.
    json::object merged = *body;
    for (const char* k : {"allowedResultReceivers", "allowedAdditionalAnalyses"})
      if (const auto* v = assoc->if_contains(k)) merged[k] = *v;
    w.key("consolidatedPolicy")
        .begin_object()
        .key("v1")
        .begin_object()
        .key(member)
        .raw(json::serialize(merged));
    w.end_object().end_object();
  }
  w.end_object();
  json_out = w.take();
  return rule_lookup::found;
}

std::optional<schema_view::rule_facts> schema_view::facts(std::string_view cid,
                                                          std::string_view name) const {
  auto s = load(store_, cid, name);
  if (!s) return std::nullopt;
  rule_facts out;
  const auto* rule = obj(s->table, "rule");
  if (!rule) return out;
  out.type = std::string(str(*rule, "type"));
  out.differential_privacy = flag(*rule, "differentialPrivacy");
  if (const auto* body = obj(*rule, "policy"))
    if (const auto* dp = obj(*body, "differentialPrivacy"))
      if (const auto* columns = arr(*dp, "columns"))
        if (!columns->empty() && columns->at(0).is_object())
          out.identifier_column = std::string(str(columns->at(0).as_object(), "name"));
  return out;
}

std::vector<schema_rows> schema_sources(const events::event_store& store, std::string_view cid,
                                        std::size_t limit) {
  std::vector<schema_rows> out;
  store.scan_views(keys::schema_sources_prefix(cid), {}, [&](std::string_view, std::string_view v) {
    if (auto s = load(store, std::string(v))) out.push_back(std::move(*s));
    return out.size() < limit;
  });
  return out;
}

}  // namespace crs::projections
