// Analysis templates as read (SPEC.md 13): their `validations` member, computed on every read
// against the collaboration's current schemas, because a table's rule can change after the
// template was created (seed 2024-04: "validation is performed when analysis templates are
// created and fetched"). The heuristics of SPEC.md 17.4 stand in for the real service's
// differential-privacy query grammar (SPEC.md Q21). Threading: safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "projections/schema_view.hpp"

namespace crs::projections {

enum class dp_status { valid, invalid, unable_to_validate };

struct dp_validation {
  dp_status status = dp_status::valid;
  std::vector<std::string> reasons;  // one per violation; none when VALID
};

struct referenced_table {
  std::string name;
  std::optional<schema_view::rule_facts> facts;  // nullopt: no visible schema of that name
};

// Pure. nullopt when no referenced table carries a CUSTOM rule with differential privacy: then
// there is nothing to validate and `validations` is omitted. Otherwise UNABLE_TO_VALIDATE when a
// referenced table is no schema or has no rule; INVALID with a reason for each of: no aggregate
// in an outermost SELECT, SELECT *, a window function, text over 8 KB, DP tables that name
// different user identifier columns; else VALID.
[[nodiscard]] std::optional<dp_validation> validate_differential_privacy(
    std::string_view sql, const std::vector<referenced_table>& tables);

// The value of `validations`: [{"type":"DIFFERENTIAL_PRIVACY","status":...,"reasons"?:[...]}].
[[nodiscard]] std::string validations_json(const dp_validation& v);

class template_view {
 public:
  explicit template_view(const schema_view& schemas) : schemas_(schemas) {}

  // A rendered AnalysisTemplate or CollaborationAnalysisTemplate (a template row, or the body
  // of Create/Update) with `validations` added when there is something to validate. A value
  // that does not parse as such comes back unchanged.
  [[nodiscard]] std::string with_validations(std::string_view template_json) const;

 private:
  const schema_view& schemas_;
};

}  // namespace crs::projections
