// The validity rules of analysis rules (SPEC.md 17): pure functions of a policy and the table it
// is attached to, shared by the configured table decider and (issue 4) query-time enforcement.
// Every violation is a ValidationException INVALID_CONFIGURATION whose message names the
// offending member path and column/value.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/domain_error.hpp"
#include "events/table_values.hpp"

namespace crs::configured_table {

// What a policy is checked against: the table as it is (or will be after an update).
struct table_facts {
  const std::vector<std::string>& allowed_columns;
  analysis_method method;
  std::string_view reference_kind;  // "glue" | "snowflake" | "athena"
};

inline constexpr std::size_t max_policy_bytes = 100 * 1024;  // "Analysis rule size" (SPEC.md 18)

// SPEC.md 17.1-17.4 in order; the first violated rule, or nullopt when the policy is valid.
[[nodiscard]] std::optional<domain_error> check_policy(const analysis_rule_policy& policy,
                                                       const table_facts& table);

// Whether a rule of this policy's type may sit on a table analysed by `method` (17.1 rule 4).
[[nodiscard]] bool suits_method(const analysis_rule_policy& policy, analysis_method method);

// Every column the policy names (any column list, DP column, output constraints), sorted and
// without duplicates: UpdateConfiguredTable may not drop these from allowedColumns.
[[nodiscard]] std::vector<std::string> referenced_columns(const analysis_rule_policy& policy);

// Association-level rule policies: no duplicates in either list.
[[nodiscard]] std::optional<domain_error> check_association_policy(
    const association_rule_policy& policy);

}  // namespace crs::configured_table
