// SPEC.md 17: the common rules (17.1) and the AGGREGATION and LIST tables (17.2, 17.3); the
// CUSTOM table (17.4) lives in rules_custom.cpp. Each policy type is checked in the same order:
// columns within allowedColumns (17.1.2), no duplicates (17.1.3), type against the table's
// analysisMethod (17.1.4), additionalAnalyses (17.1.5), then the type's own table, row by row,
// so that one policy always reports the same first violation.
#include <algorithm>
#include <map>

#include "actors/configured_table/rules.hpp"
#include "actors/configured_table/rules_detail.hpp"

namespace crs::configured_table {
namespace detail {

std::vector<column_ref> column_refs(const analysis_rule_policy& policy) {
  std::vector<column_ref> out;
  const std::string at = path_of(policy);
  auto add_all = [&](const std::string& path, const std::vector<std::string>& names) {
    for (const auto& n : names) out.push_back({path, &n});
  };
  if (const auto* agg = std::get_if<aggregation_rule>(&policy)) {
    for (std::size_t i = 0; i < agg->aggregate_columns.size(); ++i)
      add_all(at + ".aggregateColumns[" + std::to_string(i) + "].columnNames",
              agg->aggregate_columns[i].column_names);
    add_all(at + ".joinColumns", agg->join_columns);
    add_all(at + ".dimensionColumns", agg->dimension_columns);
    for (std::size_t i = 0; i < agg->output_constraints.size(); ++i)
      out.push_back({at + ".outputConstraints[" + std::to_string(i) + "].columnName",
                     &agg->output_constraints[i].column_name});
  } else if (const auto* list = std::get_if<list_rule>(&policy)) {
    add_all(at + ".joinColumns", list->join_columns);
    add_all(at + ".listColumns", list->list_columns);
  } else if (const auto* custom = std::get_if<custom_rule>(&policy)) {
    if (custom->disallowed_output_columns)
      add_all(at + ".disallowedOutputColumns", *custom->disallowed_output_columns);
    if (custom->differential_privacy_columns) {
      const auto& dp = *custom->differential_privacy_columns;
      for (std::size_t i = 0; i < dp.size(); ++i)
        out.push_back(
            {at + ".differentialPrivacy.columns[" + std::to_string(i) + "].name", &dp[i]});
    }
  }
  return out;
}

std::string path_of(const analysis_rule_policy& policy) {
  static const char* const members[] = {"aggregation", "list", "custom"};
  return std::string("analysisRulePolicy.v1.") + members[policy.index()];
}

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::optional<domain_error> columns_are_allowed(const analysis_rule_policy& policy,
                                                const std::vector<std::string>& allowed) {
  for (const auto& ref : column_refs(policy))
    if (!contains(allowed, *ref.name))
      return invalid_configuration(ref.path + ": column " + quoted(*ref.name) +
                                   " is not in the configured table's allowedColumns");
  return std::nullopt;
}

std::optional<std::string> method_violation(const analysis_rule_policy& policy,
                                            analysis_method method) {
  const auto type = type_of(policy);
  const auto* custom = std::get_if<custom_rule>(&policy);
  if (!custom) {
    if (method == analysis_method::direct_query) return std::nullopt;
    return path_of(policy) + ": " + std::string(to_string(type)) +
           " rules cannot be used on a configured table whose analysisMethod is " +
           std::string(to_string(method)) + "; only CUSTOM rules can";
  }
  // Queries cannot run jobs and jobs cannot run queries; malformed entries are left to the
  // CUSTOM table's own checks so that they are reported as what they are.
  const char* refused = method == analysis_method::direct_query ? "ANY_JOB"
                        : method == analysis_method::direct_job ? "ANY_QUERY"
                                                                : nullptr;
  if (refused && contains(custom->allowed_analyses, refused))
    return path_of(policy) + ".allowedAnalyses: " + quoted(refused) +
           " is not allowed on a configured table whose analysisMethod is " +
           std::string(to_string(method));
  return std::nullopt;
}

}  // namespace detail

namespace {

using detail::columns_are_allowed;
using detail::contains;
using detail::duplicate_in;
using detail::path_of;
using detail::quoted;
using result = std::optional<domain_error>;

result join_operators_distinct(const std::string& at,
                               const std::optional<std::vector<join_operator>>& ops) {
  if (!ops) return std::nullopt;
  return duplicate_in(at + ".allowedJoinOperators", *ops, "join operator");
}

// A (column, function) pair is the unit of permission, so naming it twice, in one entry or
// across entries, is a duplicate even when the entries differ otherwise.
result aggregate_columns_distinct(const std::string& at, const aggregation_rule& r) {
  std::map<std::string, std::size_t> first_seen;  // "<function> <column>" -> its entry
  for (std::size_t i = 0; i < r.aggregate_columns.size(); ++i) {
    const auto& entry = r.aggregate_columns[i];
    const auto entry_at = at + ".aggregateColumns[" + std::to_string(i) + "]";
    if (auto e = duplicate_in(entry_at + ".columnNames", entry.column_names, "column")) return e;
    const std::string fn(to_string(entry.function));
    for (const auto& column : entry.column_names) {
      const auto [it, fresh] = first_seen.emplace(fn + " " + column, i);
      if (!fresh)
        return invalid_configuration(entry_at + ".columnNames: column " + quoted(column) +
                                     " with function " + fn + " is already listed in " + at +
                                     ".aggregateColumns[" + std::to_string(it->second) + "]");
    }
  }
  return std::nullopt;
}

result aggregation_distinct(const std::string& at, const aggregation_rule& r) {
  if (auto e = aggregate_columns_distinct(at, r)) return e;
  if (auto e = duplicate_in(at + ".joinColumns", r.join_columns, "column")) return e;
  if (auto e = join_operators_distinct(at, r.allowed_join_operators)) return e;
  if (auto e = duplicate_in(at + ".dimensionColumns", r.dimension_columns, "column")) return e;
  if (auto e = duplicate_in(at + ".scalarFunctions", r.scalar_functions, "scalar function"))
    return e;
  // Two minimums for one column would leave the effective threshold ambiguous.
  for (std::size_t i = 0; i < r.output_constraints.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (r.output_constraints[j].column_name == r.output_constraints[i].column_name)
        return invalid_configuration(
            at + ".outputConstraints[" + std::to_string(i) + "].columnName: column " +
            quoted(r.output_constraints[i].column_name) +
            " is already constrained by outputConstraints[" + std::to_string(j) + "]");
  return std::nullopt;
}

// 17.2, row by row (after the common rules).
result aggregation_table(const std::string& at, const aggregation_rule& r) {
  if (r.aggregate_columns.empty())
    return invalid_configuration(at +
                                 ".aggregateColumns: at least one aggregate column is required");
  for (std::size_t i = 0; i < r.aggregate_columns.size(); ++i)
    if (r.aggregate_columns[i].column_names.empty())
      return invalid_configuration(at + ".aggregateColumns[" + std::to_string(i) +
                                   "].columnNames: at least one column is required");
  // Join columns are never projected while dimensions are, so one column cannot be both.
  for (const auto& d : r.dimension_columns)
    if (contains(r.join_columns, d))
      return invalid_configuration(at + ".dimensionColumns: column " + quoted(d) +
                                   " is also a join column");
  // Q5: a column grouped by and aggregated over at once would leak its values through the groups.
  for (const auto& d : r.dimension_columns)
    for (std::size_t i = 0; i < r.aggregate_columns.size(); ++i)
      if (contains(r.aggregate_columns[i].column_names, d))
        return invalid_configuration(at + ".dimensionColumns: column " + quoted(d) +
                                     " is also an aggregate column (aggregateColumns[" +
                                     std::to_string(i) + "])");
  if (r.output_constraints.empty())
    return invalid_configuration(at +
                                 ".outputConstraints: at least one output constraint is required");
  for (std::size_t i = 0; i < r.output_constraints.size(); ++i) {
    const auto minimum = r.output_constraints[i].minimum;
    if (minimum < 2 || minimum > 100000)
      return invalid_configuration(at + ".outputConstraints[" + std::to_string(i) + "].minimum: " +
                                   std::to_string(minimum) + " is outside 2..100000");
  }
  if (r.join_required && r.join_columns.empty())
    return invalid_configuration(at +
                                 ".joinRequired: QUERY_RUNNER needs at least one column in "
                                 "joinColumns");
  return std::nullopt;
}

result check_aggregation(const analysis_rule_policy& policy, const aggregation_rule& r,
                         const table_facts& table) {
  const auto at = path_of(policy);
  if (auto e = columns_are_allowed(policy, table.allowed_columns)) return e;
  if (auto e = aggregation_distinct(at, r)) return e;
  if (auto why = detail::method_violation(policy, table.method)) return invalid_configuration(*why);
  // 17.1.5: additional analyses are documented for LIST and CUSTOM only.
  if (r.additional && *r.additional != additional_analyses::not_allowed)
    return invalid_configuration(at + ".additionalAnalyses: " + quoted(to_string(*r.additional)) +
                                 " is not supported on AGGREGATION rules (only NOT_ALLOWED)");
  return aggregation_table(at, r);
}

result check_list(const analysis_rule_policy& policy, const list_rule& r,
                  const table_facts& table) {
  const auto at = path_of(policy);
  if (auto e = columns_are_allowed(policy, table.allowed_columns)) return e;
  if (auto e = duplicate_in(at + ".joinColumns", r.join_columns, "column")) return e;
  if (auto e = join_operators_distinct(at, r.allowed_join_operators)) return e;
  if (auto e = duplicate_in(at + ".listColumns", r.list_columns, "column")) return e;
  if (auto why = detail::method_violation(policy, table.method)) return invalid_configuration(*why);
  if (r.join_columns.empty())
    return invalid_configuration(at + ".joinColumns: at least one join column is required");
  if (r.list_columns.empty())
    return invalid_configuration(at + ".listColumns: at least one list column is required");
  return std::nullopt;
}

}  // namespace

std::optional<domain_error> check_policy(const analysis_rule_policy& policy,
                                         const table_facts& table) {
  if (const auto* r = std::get_if<aggregation_rule>(&policy))
    return check_aggregation(policy, *r, table);
  if (const auto* r = std::get_if<list_rule>(&policy)) return check_list(policy, *r, table);
  return detail::check_custom(policy, std::get<custom_rule>(policy), table);
}

bool suits_method(const analysis_rule_policy& policy, analysis_method method) {
  return !detail::method_violation(policy, method).has_value();
}

std::vector<std::string> referenced_columns(const analysis_rule_policy& policy) {
  std::vector<std::string> out;
  for (const auto& ref : detail::column_refs(policy)) out.push_back(*ref.name);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<domain_error> check_association_policy(const association_rule_policy& policy) {
  if (policy.allowed_result_receivers)
    if (auto e =
            duplicate_in("allowedResultReceivers", *policy.allowed_result_receivers, "account"))
      return e;
  if (policy.allowed_additional_analyses)
    if (auto e = duplicate_in("allowedAdditionalAnalyses", *policy.allowed_additional_analyses,
                              "analysis"))
      return e;
  return std::nullopt;
}

}  // namespace crs::configured_table
