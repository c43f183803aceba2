// Shared by rules.cpp and rules_custom.cpp only: the pieces every policy type is checked with.
#pragma once

#include <set>
#include <type_traits>

#include "actors/configured_table/rules.hpp"

namespace crs::configured_table::detail {

// One column named by a policy and the member path that names it; points into the policy.
struct column_ref {
  std::string path;
  const std::string* name;
};

// Every column occurrence in model member order, so the first bad column is always the same.
std::vector<column_ref> column_refs(const analysis_rule_policy& policy);

std::string path_of(const analysis_rule_policy& policy);  // "analysisRulePolicy.v1.<member>"
std::string quoted(std::string_view s);
bool contains(const std::vector<std::string>& list, const std::string& value);

// 17.1 rule 2.
std::optional<domain_error> columns_are_allowed(const analysis_rule_policy& policy,
                                                const std::vector<std::string>& allowed);

// 17.1 rule 4: why the policy cannot sit on a table analysed by `method`, or nullopt.
std::optional<std::string> method_violation(const analysis_rule_policy& policy,
                                            analysis_method method);

// The whole of check_policy for a CUSTOM policy (rules_custom.cpp).
std::optional<domain_error> check_custom(const analysis_rule_policy& policy, const custom_rule& r,
                                         const table_facts& table);

// 17.1 rule 3 for one list: names the first element that repeats an earlier one.
template <class T>
std::optional<domain_error> duplicate_in(const std::string& path, const std::vector<T>& list,
                                         std::string_view what) {
  std::set<T> seen;
  for (const auto& v : list) {
    if (seen.insert(v).second) continue;
    std::string shown;
    if constexpr (std::is_same_v<T, std::string>)
      shown = quoted(v);
    else
      shown = quoted(to_string(v));
    return invalid_configuration(path + ": " + std::string(what) + " " + shown +
                                 " is listed more than once");
  }
  return std::nullopt;
}

}  // namespace crs::configured_table::detail
