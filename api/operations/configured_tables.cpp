// Configured tables and their analysis rules (SPEC.md 8 and 9). Account-private: an unknown id
// and another account's table both answer 404 CONFIGURED_TABLE (SPEC.md 3.3). The shape is
// validated here; ownership is read from the projection so a foreign id never wakes an actor,
// and the actor decides everything else (catalog columns, rule validity, quotas).
#include <boost/json/serialize.hpp>

#include "api/operations/call.hpp"
#include "api/operations/shapes.hpp"
#include "api/operations/table_shapes.hpp"
#include "projections/keys.hpp"
#include "projections/reader.hpp"

namespace crs::api {
namespace {

namespace keys = projections::keys;

constexpr string_rule text_rule{0, 255, pattern::text};
constexpr const char* method_values = "DIRECT_QUERY, DIRECT_JOB, MULTIPLE";
constexpr const char* selected_values = "DIRECT_QUERY, DIRECT_JOB";
constexpr const char* rule_type_values = "AGGREGATION, LIST, CUSTOM";

// The projected table JSON when the caller owns the table, else nullopt.
std::optional<std::string> owned_table(const call& c, const std::string& id) {
  auto row = c.svc.store.get_view(keys::configured_table(c.region, id));
  if (!row) return std::nullopt;
  const auto bar = row->find('|');
  if (bar == std::string::npos || row->compare(0, bar, c.caller) != 0) return std::nullopt;
  return row->substr(bar + 1);
}

void table_not_found(call& c, const std::string& id) {
  c.fail(not_found("Configured table " + id + " does not exist", id, "CONFIGURED_TABLE"));
}

std::optional<std::vector<selected_analysis_method>> selected_methods(
    validator& v, const boost::json::object& b) {
  return shapes::enum_list<selected_analysis_method>(
      v, b, "selectedAnalysisMethods", "selectedAnalysisMethods", &parse_selected_analysis_method,
      selected_values, false);
}

// The policy's serialized size, for the 100 KB "Analysis rule size" quota.
std::size_t policy_bytes(const boost::json::object& b) {
  const auto* p = b.if_contains("analysisRulePolicy");
  return p ? boost::json::serialize(*p).size() : 0;
}

// Path labels {configuredTableIdentifier}/{analysisRuleType}.
std::optional<analysis_rule_type> rule_labels(call& c, validator& v) {
  v.check(c.labels.at(0), "configuredTableIdentifier", uuid_rule);
  auto type = parse_analysis_rule_type(c.labels.at(1));
  if (!type)
    v.add("analysisRuleType",
          validator::enum_message(c.labels[1], "analysisRuleType", rule_type_values));
  return type;
}

}  // namespace

void create_configured_table(call& c) {
  validator v;
  const auto& b = c.body;
  configured_table::create_configured_table cmd;
  auto name = v.str(b, "name", "name", name_rule, true);
  cmd.description = v.str(b, "description", "description", text_rule, false);
  auto reference = shapes::table_ref(v, b, "tableReference", "tableReference", true);
  auto columns = shapes::column_list(v, b, "allowedColumns", "allowedColumns", true, 1, 128);
  auto method = v.enumeration(b, "analysisMethod", "analysisMethod", &parse_analysis_method,
                              method_values, true);
  cmd.selected_methods = selected_methods(v, b);
  auto tags = v.tags(b, "tags", "tags", false);
  if (!v.ok()) return c.fail(v.to_error());
  cmd.name = std::move(*name);
  cmd.reference = std::move(*reference);
  cmd.allowed_columns = std::move(*columns);
  cmd.method = *method;
  if (tags) cmd.tags = std::move(*tags);

  auto ctx = c.context();
  const auto prefix = keys::table_quota_prefix(c.region, c.caller);
  const std::string id = ctx.fresh_id;
  ctx.caller_configured_tables =
      c.svc.quotas.reserve(c.svc.store, prefix, id, ctx.quotas.configured_tables_per_account + 1);
  c.send(id, std::move(cmd), std::move(ctx),
         [gate = &c.svc.quotas, prefix, id] { gate->release(prefix, id); });
}

void get_configured_table(call& c) {
  validator v;
  if (!v.check(c.labels.at(0), "configuredTableIdentifier", uuid_rule)) return c.fail(v.to_error());
  auto json = owned_table(c, c.labels[0]);
  if (!json) return table_not_found(c, c.labels[0]);
  c.ok("{\"configuredTable\":" + *json + "}");
}

void update_configured_table(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "configuredTableIdentifier", uuid_rule);
  const auto& b = c.body;
  configured_table::update_configured_table cmd;
  cmd.name = v.str(b, "name", "name", name_rule, false);
  cmd.description = v.str(b, "description", "description", text_rule, false);
  cmd.reference = shapes::table_ref(v, b, "tableReference", "tableReference", false);
  cmd.allowed_columns =
      shapes::column_list(v, b, "allowedColumns", "allowedColumns", false, 1, 128);
  cmd.method = v.enumeration(b, "analysisMethod", "analysisMethod", &parse_analysis_method,
                             method_values, false);
  cmd.selected_methods = selected_methods(v, b);
  if (!v.ok() || !label_ok) return c.fail(v.to_error());
  if (!owned_table(c, c.labels[0])) return table_not_found(c, c.labels[0]);
  c.send(c.labels[0], std::move(cmd), c.context());
}

void delete_configured_table(call& c) {
  validator v;
  if (!v.check(c.labels.at(0), "configuredTableIdentifier", uuid_rule)) return c.fail(v.to_error());
  if (!owned_table(c, c.labels[0])) return table_not_found(c, c.labels[0]);
  c.send(c.labels[0], configured_table::delete_configured_table{}, c.context());
}

void list_configured_tables(call& c) {
  validator v;
  auto args = read_page_args(c, v, "");
  if (!v.ok() || !args) return c.fail(v.to_error());
  auto page = projections::read_page(c.svc.store, keys::account_tables_prefix(c.region, c.caller),
                                     args->cursor, args->limit);
  std::vector<std::string> items;
  for (const auto& [key, value] : page.rows) items.push_back(value);
  c.ok(list_body(c, "configuredTableSummaries", items,
                 page.rows.empty() ? "" : page.rows.back().first, page.more, ""));
}

void create_configured_table_analysis_rule(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "configuredTableIdentifier", uuid_rule);
  const auto& b = c.body;
  auto type = v.enumeration(b, "analysisRuleType", "analysisRuleType", &parse_analysis_rule_type,
                            rule_type_values, true);
  auto policy = shapes::analysis_policy(v, b, "analysisRulePolicy", "analysisRulePolicy", true);
  if (!v.ok() || !label_ok) return c.fail(v.to_error());
  if (!owned_table(c, c.labels[0])) return table_not_found(c, c.labels[0]);
  c.send(c.labels[0],
         configured_table::create_analysis_rule{*type, std::move(*policy), policy_bytes(b)},
         c.context());
}

void get_configured_table_analysis_rule(call& c) {
  validator v;
  auto type = rule_labels(c, v);
  if (!v.ok()) return c.fail(v.to_error());
  if (!owned_table(c, c.labels[0])) return table_not_found(c, c.labels[0]);
  auto row = c.svc.store.get_view(keys::table_rule(c.labels[0], to_string(*type)));
  if (!row)
    return c.fail(
        not_found("Configured table " + c.labels[0] + " has no " + c.labels[1] + " analysis rule",
                  c.labels[0], "CONFIGURED_TABLE"));
  c.ok("{\"analysisRule\":" + *row + "}");
}

void update_configured_table_analysis_rule(call& c) {
  validator v;
  auto type = rule_labels(c, v);
  auto policy =
      shapes::analysis_policy(v, c.body, "analysisRulePolicy", "analysisRulePolicy", true);
  if (!v.ok()) return c.fail(v.to_error());
  if (!owned_table(c, c.labels[0])) return table_not_found(c, c.labels[0]);
  c.send(c.labels[0],
         configured_table::update_analysis_rule{*type, std::move(*policy), policy_bytes(c.body)},
         c.context());
}

void delete_configured_table_analysis_rule(call& c) {
  validator v;
  auto type = rule_labels(c, v);
  if (!v.ok()) return c.fail(v.to_error());
  if (!owned_table(c, c.labels[0])) return table_not_found(c, c.labels[0]);
  c.send(c.labels[0], configured_table::delete_analysis_rule{*type}, c.context());
}

}  // namespace crs::api
