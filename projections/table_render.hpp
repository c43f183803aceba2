// The API shapes of configured tables and associations (SPEC.md Appendix A), rendered from the
// aggregates' states, plus the two internal "schema source" rows a schema is derived from on
// read (projections/schema_view.hpp). Absent optional members are omitted; timestamps are epoch
// seconds in API shapes and epoch milliseconds (integers) in the internal rows.
#pragma once

#include <string>

#include "actors/collaboration/state.hpp"
#include "actors/configured_table/state.hpp"

namespace crs::projections {

std::string configured_table_json(const configured_table::state& s);
std::string configured_table_summary_json(const configured_table::state& s);
// ConfiguredTableAnalysisRule of the table's rule (call only when s.rule).
std::string table_rule_json(const configured_table::state& s);
// {"id","arn","owner","region","allowedColumns","tableReference","analysisMethod",
//  "selectedAnalysisMethods"?,"updateTime","rule"?:{"type","policy"(body),"createTime",
//  "updateTime","differentialPrivacy","noAllowedAnalyses","providersMissing",
//  "additionalRequired"}}
std::string table_source_json(const configured_table::state& s);

std::string association_json(const collaboration::association_record& a);
std::string association_summary_json(const collaboration::association_record& a);
// ConfiguredTableAssociationAnalysisRule.
std::string association_rule_json(const collaboration::association_record& a,
                                  analysis_rule_type type,
                                  const collaboration::association_rule_record& r);
// {"name","associationId","associationArn","configuredTableId","account","description"?,
//  "createTime","updateTime","collaborationId","collaborationArn","otherReceivers":[...],
//  "rules":{"<TYPE>":{"policy"(body),"createTime","updateTime"}}}
std::string schema_source_json(const collaboration::state& s,
                               const collaboration::association_record& a);

}  // namespace crs::projections
