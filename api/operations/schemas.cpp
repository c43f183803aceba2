// Schemas (SPEC.md 11 and 20): read-only views every ACTIVE member of a live collaboration may
// read, derived on read by projections::schema_view. A collaboration the caller cannot see, or
// in which it is not ACTIVE, is 403; a missing schema inside it is 404
// CONFIGURED_TABLE_ASSOCIATION with the name as resourceId (SPEC.md 3.3).
#include <set>

#include "api/operations/access.hpp"
#include "api/operations/call.hpp"
#include "projections/json_writer.hpp"
#include "projections/keys.hpp"
#include "projections/reader.hpp"

namespace crs::api {
namespace {

namespace keys = projections::keys;

constexpr string_rule alias_rule{1, 128, pattern::alias};
constexpr const char* schema_type_values = "AGGREGATION, LIST, CUSTOM, ID_MAPPING_TABLE";

void schema_not_found(call& c, const std::string& name) {
  c.fail(not_found("Schema " + name + " does not exist in the collaboration", name,
                   "CONFIGURED_TABLE_ASSOCIATION"));
}

bool is_rule_type(std::string_view t) {
  return t == "AGGREGATION" || t == "LIST" || t == "CUSTOM" || t == "ID_MAPPING_TABLE";
}

}  // namespace

void get_schema(call& c) {
  validator v;
  v.check(c.labels.at(0), "collaborationIdentifier", uuid_rule);
  v.check(c.labels.at(1), "name", alias_rule);
  if (!v.ok()) return c.fail(v.to_error());
  if (!active_in(c, c.labels[0])) return c.fail(access_denied(not_active));
  auto json = c.svc.schemas->schema(c.labels[0], c.labels[1]);
  if (!json) return schema_not_found(c, c.labels[1]);
  c.ok("{\"schema\":" + *json + "}");
}

void list_schemas(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "collaborationIdentifier", uuid_rule);
  auto type = c.query_value("schemaType");
  if (type && *type != "TABLE" && *type != "ID_MAPPING_TABLE")
    v.add("schemaType", validator::enum_message(*type, "schemaType", "TABLE, ID_MAPPING_TABLE"));
  const std::string filter = c.labels[0] + "|" + type.value_or("");
  auto args = read_page_args(c, v, filter);
  if (!v.ok() || !label_ok || !args) return c.fail(v.to_error());
  const auto& cid = c.labels[0];
  if (!active_in(c, cid)) return c.fail(access_denied(not_active));
  if (type && *type == "ID_MAPPING_TABLE")  // no ID mapping tables in this emulator
    return c.ok(list_body(c, "schemaSummaries", {}, "", false, filter));
  auto page =
      projections::read_page(c.svc.store, keys::schemas_prefix(cid), args->cursor, args->limit);
  std::vector<std::string> items;
  for (const auto& [key, lower_name] : page.rows)
    if (auto s = c.svc.schemas->summary(cid, lower_name)) items.push_back(std::move(*s));
  c.ok(list_body(c, "schemaSummaries", items, page.rows.empty() ? "" : page.rows.back().first,
                 page.more, filter));
}

void batch_get_schema(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "collaborationIdentifier", uuid_rule);
  const auto* names = v.array(c.body, "names", "names", 1, 25, true);
  std::vector<std::string> wanted;
  if (names)
    for (std::size_t i = 0; i < names->size(); ++i) {
      const auto& item = (*names)[i];
      const auto path = "names." + std::to_string(i);
      if (!item.is_string()) {
        v.add(path, "Member must be a string");
        continue;
      }
      if (v.check(std::string_view(item.as_string()), path, alias_rule))
        wanted.emplace_back(item.as_string());
    }
  if (!v.ok() || !label_ok) return c.fail(v.to_error());
  const auto& cid = c.labels[0];
  if (!active_in(c, cid)) return c.fail(access_denied(not_active));
  projections::json_writer schemas, errors;
  schemas.begin_array();
  errors.begin_array();
  std::set<std::string> seen;  // duplicates collapse (names compare ignoring case)
  for (const auto& name : wanted) {
    if (!seen.insert(keys::lower(name)).second) continue;
    if (auto json = c.svc.schemas->schema(cid, name)) {
      schemas.raw(*json);
    } else {
      errors.begin_object().key("name").string(name);
      errors.key("code").string("ResourceNotFoundException");
      errors.key("message").string("Schema not found").end_object();
    }
  }
  schemas.end_array();
  errors.end_array();
  c.ok("{\"schemas\":" + schemas.take() + ",\"errors\":" + errors.take() + "}");
}

void get_schema_analysis_rule(call& c) {
  validator v;
  v.check(c.labels.at(0), "collaborationIdentifier", uuid_rule);
  v.check(c.labels.at(1), "name", alias_rule);
  if (!is_rule_type(c.labels.at(2)))
    v.add("type", validator::enum_message(c.labels[2], "type", schema_type_values));
  if (!v.ok()) return c.fail(v.to_error());
  if (!active_in(c, c.labels[0])) return c.fail(access_denied(not_active));
  std::string json;
  switch (c.svc.schemas->analysis_rule(c.labels[0], c.labels[1], c.labels[2], json)) {
    case projections::schema_view::rule_lookup::found:
      return c.ok("{\"analysisRule\":" + json + "}");
    case projections::schema_view::rule_lookup::no_schema:
      return schema_not_found(c, c.labels[1]);
    case projections::schema_view::rule_lookup::no_rule:
      return c.fail(not_found("Schema " + c.labels[1] + " has no " + c.labels[2] + " analysis rule",
                              c.labels[1], "CONFIGURED_TABLE_ASSOCIATION"));
  }
}

void batch_get_schema_analysis_rule(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "collaborationIdentifier", uuid_rule);
  const auto* reqs =
      v.array(c.body, "schemaAnalysisRuleRequests", "schemaAnalysisRuleRequests", 1, 25, true);
  std::vector<std::pair<std::string, std::string>> wanted;
  if (reqs)
    for (std::size_t i = 0; i < reqs->size(); ++i) {
      const auto path = "schemaAnalysisRuleRequests." + std::to_string(i);
      if (!(*reqs)[i].is_object()) {
        v.add(path, "Member must be a structure");
        continue;
      }
      const auto& o = (*reqs)[i].as_object();
      auto name = v.str(o, "name", path + ".name", alias_rule, true);
      auto type = v.str(o, "type", path + ".type", string_rule{}, true);
      if (type && !is_rule_type(*type))
        v.add(path + ".type", validator::enum_message(*type, path + ".type", schema_type_values));
      else if (name && type)
        wanted.emplace_back(*name, *type);
    }
  if (!v.ok() || !label_ok) return c.fail(v.to_error());
  const auto& cid = c.labels[0];
  if (!active_in(c, cid)) return c.fail(access_denied(not_active));
  projections::json_writer rules, errors;
  rules.begin_array();
  errors.begin_array();
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& [name, type] : wanted) {
    if (!seen.insert({keys::lower(name), type}).second) continue;
    std::string json;
    const auto found = c.svc.schemas->analysis_rule(cid, name, type, json);
    if (found == projections::schema_view::rule_lookup::found) {
      rules.raw(json);
      continue;
    }
    errors.begin_object().key("name").string(name).key("type").string(type);
    errors.key("code").string("ResourceNotFoundException");
    errors.key("message")
        .string(found == projections::schema_view::rule_lookup::no_schema
                    ? "Schema not found"
                    : "Analysis rule not found")
        .end_object();
  }
  rules.end_array();
  errors.end_array();
  c.ok("{\"analysisRules\":" + rules.take() + ",\"errors\":" + errors.take() + "}");
}

}  // namespace crs::api
