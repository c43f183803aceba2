// Parsers of the configured-table structures (SPEC.md Appendix A): TableReference, the
// ConfiguredTableAnalysisRulePolicy union and the ConfiguredTableAssociationAnalysisRulePolicy
// union. Like shapes.hpp: every field error goes into the validator with its member path, and
// nullopt comes back where the member is absent or invalid. Unions must carry exactly one member.
#pragma once

#include <utility>

#include "api/validate.hpp"
#include "events/table_values.hpp"

namespace crs::api::shapes {

std::optional<table_reference> table_ref(validator& v, const boost::json::object& o,
                                         std::string_view member, const std::string& p,
                                         bool required);

// {"v1": {exactly one of "aggregation" | "list" | "custom"}}; "idMappingTable" is refused.
std::optional<analysis_rule_policy> analysis_policy(validator& v, const boost::json::object& o,
                                                    std::string_view member, const std::string& p,
                                                    bool required);

// {"v1": {exactly one of "aggregation" | "list" | "custom"}}: the member's type and its body.
std::optional<std::pair<analysis_rule_type, association_rule_policy>> association_policy(
    validator& v, const boost::json::object& o, std::string_view member, const std::string& p,
    bool required);

// A list of «COLUMN» names (each 1..max_chars code points), at least `min_items`.
std::optional<std::vector<std::string>> column_list(validator& v, const boost::json::object& o,
                                                    std::string_view member, const std::string& p,
                                                    bool required, std::size_t min_items,
                                                    std::size_t max_chars = 127);

}  // namespace crs::api::shapes
