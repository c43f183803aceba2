// The per-rule-type checks over a bound query (SPEC.md 17.2-17.4), and what they share: the
// JOIN check of AGGREGATION and LIST, message labels, policy look-ups.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "events/result.hpp"
#include "query/plan.hpp"
#include "query/sql/scope.hpp"

namespace crs::query::sql {

// "AGGREGATION rule of table 'purchases'"
[[nodiscard]] std::string rule_label(analysis_rule_type type, const std::string& table);
// The label for a construct of the whole query: names its first table.
[[nodiscard]] std::string query_rule_label(analysis_rule_type type, const bound_query& q,
                                           const query_facts& facts);

[[nodiscard]] inline violation rule_violation(std::string message) {
  return {code_rule_violation, std::move(message)};
}

// The join-related members shared by the AGGREGATION and LIST policies.
struct join_policy {
  const std::vector<std::string>* join_columns = nullptr;
  const std::optional<std::vector<join_operator>>* operators = nullptr;
};
[[nodiscard]] join_policy join_policy_of(const schema_fact& schema);

[[nodiscard]] bool contains(const std::vector<std::string>& names, std::string_view name);

// The equalities of join columns found in the FROM clause of the outermost block.
struct join_graph {
  std::vector<std::pair<const range_entry*, const range_entry*>> edges;
  // True when `a` and `b` are the same entry or linked through edges.
  [[nodiscard]] bool connected(const range_entry* a, const range_entry* b) const;
};

// The JOIN rules of AGGREGATION and LIST (SPEC.md 17.2, 17.3): one FROM item (no comma joins),
// INNER JOINs only, each with ON/USING conditions that link the joined table to the tables
// before it through equalities of join columns, combined with the allowed operators.
[[nodiscard]] result<join_graph, violation> check_joins(const bound_query& q,
                                                        const query_facts& facts,
                                                        analysis_rule_type type);

// The rules that keep a query to one plain SELECT (no CTEs, subqueries, set operations,
// window functions, VALUES, DISTINCT ON, WINDOW clause), shared by AGGREGATION and LIST.
[[nodiscard]] result<ok_t, violation> check_single_select(const bound_query& q,
                                                          const query_facts& facts,
                                                          analysis_rule_type type);

// One hidden COUNT(DISTINCT table.column) of an output constraint.
struct hidden_column {
  std::string table;   // the range entry's name (alias or table name)
  std::string column;  // as in the policy
  std::int64_t minimum = 0;
};

[[nodiscard]] result<std::vector<hidden_column>, violation> check_aggregation(
    const bound_query& q, const query_facts& facts);
[[nodiscard]] result<ok_t, violation> check_list(const bound_query& q, const query_facts& facts);
[[nodiscard]] result<ok_t, violation> check_custom(const bound_query& q, const query_facts& facts);

}  // namespace crs::query::sql
