// JSON of the configured-table value types, shared by the API shapes (render) and the recorded
// events (event_json). Each function writes one JSON value; the caller writes the key. Absent
// optional members are omitted, so a policy renders exactly as it was accepted.
#pragma once

#include "events/table_values.hpp"
#include "projections/json_writer.hpp"

namespace crs::projections {

// The TableReference union: {"glue": {...}} | {"snowflake": {...}} | {"athena": {...}}.
void write_table_reference(json_writer& w, const table_reference& r);
// The body of one policy type (AnalysisRuleAggregation / List / Custom) as an object.
void write_policy_body(json_writer& w, const analysis_rule_policy& p);
// ConfiguredTableAnalysisRulePolicy / AnalysisRulePolicy: {"v1": {"<type>": body}}.
void write_policy(json_writer& w, const analysis_rule_policy& p);
// The body of an association-level rule ({allowedResultReceivers?, allowedAdditionalAnalyses?}).
void write_association_policy_body(json_writer& w, const association_rule_policy& p);
// ConfiguredTableAssociationAnalysisRulePolicy: {"v1": {"<type>": body}}.
void write_association_policy(json_writer& w, analysis_rule_type t,
                              const association_rule_policy& p);
// ConsolidatedPolicy (SPEC.md 20.3): {"v1": {"<type>": table body + the association's members}}.
void write_consolidated_policy(json_writer& w, const analysis_rule_policy& table_rule,
                               const association_rule_policy& association_rule);
// "lowercase" member names of the unions: "aggregation" | "list" | "custom".
std::string_view union_member(analysis_rule_type t);

}  // namespace crs::projections
