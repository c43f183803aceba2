// The CUSTOM rule (SPEC.md 17.4): any SELECT (CTEs, subqueries, set operations) over tables
// that allow the analysis, whose output carries no disallowed output column.
//
// Decisions where the brief and the guide are silent:
// * An output column "carries" a disallowed column when it is the column, passes it through
//   CTEs, subqueries, `*` or set operations, or computes from it outside COUNT:
//   `lower(email)`, `email || ''`, CASE over it, MIN/MAX/string aggregation of it all count
//   (a bare-reference-only rule is defeated by `email || ''`), and so do SUM, AVG and every
//   aggregate but COUNT (SUM(unicode(substr(email, 1, 1))) per row spells the column out).
//   COUNT(...), COUNT(DISTINCT ...), WHERE, JOIN and GROUP BY uses are fine.
// * With an analysis template, each table must list the template's ARN; without one, each
//   table must allow ANY_QUERY and list the querier among its analysis providers. A table in
//   provider mode does not accept a template run, nor the reverse.
// * Differential privacy cannot be honoured by the local engine, so such tables are refused
//   rather than answered without noise.
#include <algorithm>

#include "query/sql/rules.hpp"

namespace crs::query::sql {

namespace {

constexpr analysis_rule_type custom_type = analysis_rule_type::custom;

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

result<ok_t, violation> analysis_allowed(const schema_fact& schema, const custom_rule& rule,
                                         const query_facts& facts) {
  const std::string label = rule_label(custom_type, schema.name);
  const auto& analyses = rule.allowed_analyses;
  const bool listed = [&] {
    if (facts.template_arn)
      return std::find(analyses.begin(), analyses.end(), *facts.template_arn) != analyses.end();
    const bool any_query =
        std::find(analyses.begin(), analyses.end(), "ANY_QUERY") != analyses.end();
    const auto& providers = rule.allowed_analysis_providers;
    return any_query && providers &&
           std::find(providers->begin(), providers->end(), facts.caller) != providers->end();
  }();
  if (listed) return ok_v;
  std::string allowed = analyses.empty() ? "none" : join_names(analyses);
  if (rule.allowed_analysis_providers && !rule.allowed_analysis_providers->empty())
    allowed += " (analysis providers: " + join_names(*rule.allowed_analysis_providers) + ")";
  const std::string asked = facts.template_arn ? "analysis template " + *facts.template_arn
                                               : "an ad hoc query by account " + facts.caller;
  return rule_violation("Table '" + schema.name + "' allows only these analyses: " + allowed +
                        "; not " + asked + " (" + label + ")");
}

}  // namespace

result<ok_t, violation> check_custom(const bound_query& q, const query_facts& facts) {
  for (const std::size_t i : q.schemas) {
    const auto& rule = std::get<custom_rule>(*facts.schemas[i].policy);
    if (rule.differential_privacy_columns && !rule.differential_privacy_columns->empty())
      return violation{code_unsupported,
                       "Table '" + facts.schemas[i].name + "' uses differential privacy (" +
                           rule_label(custom_type, facts.schemas[i].name) +
                           "): differential privacy is not supported by the local engine"};
  }
  for (const std::size_t i : q.schemas) {
    const auto& rule = std::get<custom_rule>(*facts.schemas[i].policy);
    if (auto allowed = analysis_allowed(facts.schemas[i], rule, facts); !allowed)
      return allowed.error();
  }
  for (const output_column& out : q.outputs)
    for (const base_column& c : out.carried) {
      const schema_fact& schema = facts.schemas[c.schema];
      const auto& rule = std::get<custom_rule>(*schema.policy);
      if (rule.disallowed_output_columns && contains(*rule.disallowed_output_columns, c.column))
        return rule_violation(rule_label(custom_type, schema.name) + " does not allow column '" +
                              c.column +
                              "' in the output (disallowedOutputColumns): output column '" +
                              out.name + "' carries its values");
    }
  return ok_v;
}

}  // namespace crs::query::sql
