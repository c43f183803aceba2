#include "actors/configured_table/decide.hpp"

#include <algorithm>
#include <set>

#include "actors/configured_table/rules.hpp"
#include "actors/tags.hpp"

namespace crs::configured_table {
namespace {

using events::event_payload;
using event_list = std::vector<event_payload>;

domain_error table_not_found(const std::string& id) {
  return not_found("Configured table " + id + " does not exist", id, "CONFIGURED_TABLE");
}

std::string table_name_of(const table_reference& r) {
  return std::visit(
      [](const auto& ref) -> std::string {
        using T = std::decay_t<decltype(ref)>;
        if constexpr (std::is_same_v<T, snowflake_table_reference>)
          return ref.database_name + "." + ref.schema_name + "." + ref.table_name;
        else
          return ref.database_name + "." + ref.table_name;
      },
      r);
}

// SPEC.md 8 create checks 2-5, also run on the values an update leaves (update check 2).
std::optional<domain_error> check_table(
    const std::vector<std::string>& columns, analysis_method method,
    const std::optional<std::vector<selected_analysis_method>>& selected,
    const table_reference& reference, const catalog_facts& catalog, const decide_context& ctx,
    bool on_create) {
  std::set<std::string> seen;
  for (const auto& c : columns)
    if (!seen.insert(c).second)
      return invalid_configuration("allowedColumns lists column \"" + c + "\" more than once");
  if (method == analysis_method::multiple) {
    std::set<selected_analysis_method> distinct;
    if (selected) distinct.insert(selected->begin(), selected->end());
    if (distinct.size() < 2)
      return invalid_configuration(
          "selectedAnalysisMethods must list both DIRECT_QUERY and DIRECT_JOB when "
          "analysisMethod is MULTIPLE");
  } else if (selected && !selected->empty()) {
    return invalid_configuration(
        "selectedAnalysisMethods is allowed only when analysisMethod is "
        "MULTIPLE, not " +
        std::string(to_string(method)));
  }
  if (catalog.found && !catalog.problem.empty())
    return invalid_configuration("Catalog table " + table_name_of(reference) +
                                 " cannot be used: " + catalog.problem);
  if (catalog.found) {
    std::set<std::string> known(catalog.columns.begin(), catalog.columns.end());
    for (const auto& c : columns)
      if (!known.count(c))
        return invalid_configuration("allowedColumns: column \"" + c +
                                     "\" does not exist in catalog table " +
                                     table_name_of(reference));
  } else if (catalog.strict) {
    const auto name = table_name_of(reference);
    // SPEC.md 8 check 4 models a 404 for CreateConfiguredTable; on an update a 404 would read as
    // "the configured table is gone" to clients, so the missing catalog table is a 400 there.
    if (!on_create)
      return invalid_configuration("tableReference: table " + name +
                                   " does not exist in the data catalog");
    return not_found("Table " + name + " does not exist in the data catalog", name,
                     "CONFIGURED_TABLE");
  }
  if (columns.size() > ctx.quotas.columns_per_table)
    return quota_exceeded("Columns per configured table allowlist",
                          static_cast<double>(ctx.quotas.columns_per_table));
  return std::nullopt;
}

decision create(const state& s, const create_configured_table& c, const decide_context& ctx,
                const catalog_facts& catalog) {
  if (s.created) return internal_error("configured table id already in use");
  if (auto e = check_table(c.allowed_columns, c.method, c.selected_methods, c.reference, catalog,
                           ctx, true))
    return *e;
  if (ctx.caller_configured_tables >= ctx.quotas.configured_tables_per_account)
    return quota_exceeded("Configured tables per account",
                          static_cast<double>(ctx.quotas.configured_tables_per_account));
  events::configured_table_created e;
  e.configured_table_id = ctx.fresh_id;
  e.region = ctx.region;
  e.owner = ctx.caller;
  e.name = c.name;
  e.description = c.description;
  e.reference = c.reference;
  e.allowed_columns = c.allowed_columns;
  e.method = c.method;
  e.selected_methods = c.selected_methods;
  event_list out;
  out.emplace_back(std::move(e));
  if (!c.tags.empty())
    out.emplace_back(events::tags_changed{
        make_configured_table_arn(ctx.region, ctx.caller, ctx.fresh_id), c.tags, {}});
  return out;
}

decision update(const state& s, const update_configured_table& c, const decide_context& ctx,
                const catalog_facts& catalog) {
  const auto& cur = s.info;
  const auto& columns = c.allowed_columns ? *c.allowed_columns : cur.allowed_columns;
  const auto method = c.method.value_or(cur.method);
  // A method that stops being MULTIPLE drops its selection unless the update sends one.
  auto selected = c.selected_methods ? c.selected_methods : cur.selected_methods;
  std::optional<std::vector<selected_analysis_method>> cleared;
  if (!c.selected_methods && method != analysis_method::multiple && selected) {
    selected.reset();
    cleared.emplace();
  }
  const auto& reference = c.reference ? *c.reference : cur.reference;
  if (auto e = check_table(columns, method, selected, reference, catalog, ctx, false)) return *e;
  if (s.rule) {
    for (const auto& col : referenced_columns(s.rule->policy))
      if (std::find(columns.begin(), columns.end(), col) == columns.end())
        return invalid_configuration("allowedColumns: column \"" + col +
                                     "\" is used by the table's " +
                                     std::string(to_string(type_of(s.rule->policy))) +
                                     " analysis rule and cannot be removed");
    if (!suits_method(s.rule->policy, method))
      return conflict("analysisMethod " + std::string(to_string(method)) +
                          " does not suit the table's " +
                          std::string(to_string(type_of(s.rule->policy))) + " analysis rule",
                      cur.configured_table_id, "CONFIGURED_TABLE", "INVALID_STATE");
    // Anything else the rule depends on (e.g. differential privacy needs a Glue reference).
    const table_facts after{columns, method, reference_kind(reference)};
    if (auto e = check_policy(s.rule->policy, after))
      return invalid_configuration("The table's " +
                                   std::string(to_string(type_of(s.rule->policy))) +
                                   " analysis rule would no longer be valid: " + e->message);
  }
  events::configured_table_updated e;
  e.name = c.name;
  e.description = c.description;
  e.reference = c.reference;
  e.allowed_columns = c.allowed_columns;
  e.method = c.method;
  e.selected_methods = c.selected_methods ? c.selected_methods : cleared;
  if (!e.name && !e.description && !e.reference && !e.allowed_columns && !e.method &&
      !e.selected_methods)
    return event_list{};
  return event_list{std::move(e)};
}

decision remove(const state& s, const decide_context& ctx) {
  if (ctx.table_associations > 0)
    return conflict("Configured table " + s.info.configured_table_id + " is still associated (" +
                        std::to_string(ctx.table_associations) +
                        " configured table association(s)); delete the associations first",
                    s.info.configured_table_id, "CONFIGURED_TABLE", "SUBRESOURCES_EXIST");
  // SPEC.md 8: the rule goes with the table, as its own fact for whoever audits the log.
  event_list out;
  if (s.rule) out.emplace_back(events::analysis_rule_deleted{type_of(s.rule->policy)});
  out.emplace_back(events::configured_table_deleted{});
  return out;
}

std::optional<domain_error> check_rule(const state& s, analysis_rule_type type,
                                       const analysis_rule_policy& policy, std::size_t bytes,
                                       bool on_create) {
  if (type_of(policy) != type)
    return invalid_configuration("analysisRulePolicy.v1 sets the " +
                                 std::string(to_string(type_of(policy))) +
                                 " member but the rule type is " + std::string(to_string(type)));
  const table_facts facts{s.info.allowed_columns, s.info.method, reference_kind(s.info.reference)};
  if (auto e = check_policy(policy, facts)) return e;
  if (bytes > max_policy_bytes) {
    if (on_create) return quota_exceeded("Analysis rule size", 100.0);
    return invalid_configuration("The analysis rule policy is " + std::to_string(bytes) +
                                 " bytes; at most " + std::to_string(max_policy_bytes) +
                                 " are allowed");
  }
  return std::nullopt;
}

domain_error rule_not_found(const state& s, analysis_rule_type type) {
  return not_found("Configured table " + s.info.configured_table_id + " has no " +
                       std::string(to_string(type)) + " analysis rule",
                   s.info.configured_table_id, "CONFIGURED_TABLE");
}

decision create_rule(const state& s, const create_analysis_rule& c) {
  if (type_of(c.policy) != c.type) return *check_rule(s, c.type, c.policy, c.policy_bytes, true);
  if (s.rule)
    return conflict("Configured table " + s.info.configured_table_id + " already has a " +
                        std::string(to_string(type_of(s.rule->policy))) +
                        " analysis rule; a table holds one rule at a time",
                    s.info.configured_table_id, "CONFIGURED_TABLE", "ALREADY_EXISTS");
  if (auto e = check_rule(s, c.type, c.policy, c.policy_bytes, true)) return *e;
  return event_list{events::analysis_rule_created{c.policy}};
}

decision update_rule(const state& s, const update_analysis_rule& c) {
  if (!s.rule || type_of(s.rule->policy) != c.type) return rule_not_found(s, c.type);
  if (auto e = check_rule(s, c.type, c.policy, c.policy_bytes, false)) return *e;
  if (s.rule->policy == c.policy) return event_list{};
  return event_list{events::analysis_rule_updated{c.policy}};
}

decision delete_rule(const state& s, const delete_analysis_rule& c, const decide_context& ctx) {
  if (!s.rule || type_of(s.rule->policy) != c.type) return rule_not_found(s, c.type);
  // SPEC.md Q22: not while a query that reads the table through an association is unfinished.
  if (!ctx.table_read_by_query.empty())
    return conflict("The " + std::string(to_string(c.type)) +
                        " analysis rule of configured table " + s.id +
                        " is in use by a protected query that has not finished; delete the rule "
                        "once it has",
                    s.id, "CONFIGURED_TABLE", "INVALID_STATE");
  return event_list{events::analysis_rule_deleted{c.type}};
}

domain_error tag_target_not_found(const std::string& arn) {
  return not_found("Resource " + arn + " does not exist", arn, "CONFIGURED_TABLE");
}

decision tag(const state& s, const tag_resource& c, const decide_context& ctx) {
  if (!s.tags.count(c.resource_arn)) return tag_target_not_found(c.resource_arn);
  return decide_tagging(c.resource_arn, s.tags.at(c.resource_arn), c.tags,
                        ctx.quotas.tags_per_resource);
}

decision untag(const state& s, const untag_resource& c) {
  if (!s.tags.count(c.resource_arn)) return tag_target_not_found(c.resource_arn);
  return decide_untagging(c.resource_arn, s.tags.at(c.resource_arn), c.keys);
}

}  // namespace

std::optional<table_reference> reference_to_check(const state& s, const command& c) {
  if (const auto* create = std::get_if<create_configured_table>(&c)) return create->reference;
  // An update looks at the catalog only when it changes what the catalog judges: a rename of a
  // table whose CSV has since gone (or broken) still succeeds.
  if (const auto* u = std::get_if<update_configured_table>(&c)) {
    if (u->reference) return u->reference;
    if (u->allowed_columns && s.live()) return s.info.reference;
  }
  return std::nullopt;
}

decision decide(const state& s, const command& c, const decide_context& ctx,
                const catalog_facts& catalog) {
  if (const auto* create_cmd = std::get_if<create_configured_table>(&c))
    return create(s, *create_cmd, ctx, catalog);
  // Every other command addresses an existing table of the caller: anything else is a 404,
  // another account's table included (SPEC.md 3.3).
  if (!s.owned_by(ctx.caller, ctx.region)) {
    if (const auto* t = std::get_if<tag_resource>(&c)) return tag_target_not_found(t->resource_arn);
    if (const auto* u = std::get_if<untag_resource>(&c))
      return tag_target_not_found(u->resource_arn);
    return table_not_found(s.id);
  }
  return std::visit(
      [&](const auto& cmd) -> decision {
        using T = std::decay_t<decltype(cmd)>;
        if constexpr (std::is_same_v<T, update_configured_table>)
          return update(s, cmd, ctx, catalog);
        else if constexpr (std::is_same_v<T, delete_configured_table>)
          return remove(s, ctx);
        else if constexpr (std::is_same_v<T, create_analysis_rule>)
          return create_rule(s, cmd);
        else if constexpr (std::is_same_v<T, update_analysis_rule>)
          return update_rule(s, cmd);
        else if constexpr (std::is_same_v<T, delete_analysis_rule>)
          return delete_rule(s, cmd, ctx);
        else if constexpr (std::is_same_v<T, tag_resource>)
          return tag(s, cmd, ctx);
        else if constexpr (std::is_same_v<T, untag_resource>)
          return untag(s, cmd);
        else if constexpr (std::is_same_v<T, check_association>)
          return event_list{};
        else
          return internal_error("create handled above");
      },
      c);
}

}  // namespace crs::configured_table
