// Payment configuration rules (SPEC.md section 19): who pays each cost dimension at creation,
// and what a joining member must accept. Pure helpers of the decider.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "events/values.hpp"

namespace crs::collaboration {

// The ability that makes a member the default payer of a dimension. ML dimensions default to
// the member who can query, but only when the collaboration uses ML at all (some member holds
// an ML ability) [decision: otherwise every querier would show ML payments nobody asked for].
member_ability default_payer_ability(payment_dimension d);

struct payer_resolution {
  // Index into the member list (creator first) of each dimension's payer, if any.
  std::array<std::optional<std::size_t>, payment_dimension_count> payer;
  std::string error;  // non-empty: the rule of 19.1 that was broken
};

// 19.1 for the creator + invitees (creator at index 0).
payer_resolution resolve_payers(const std::vector<member_spec>& members);

bool holds(const member_spec& m, member_ability a);

// SPEC.md 19.3 rule 1: a responsible member accepts implicitly only when it holds the ability
// that goes with the dimension (CAN_QUERY, CAN_RUN_JOB, or any ML ability for ML dimensions).
bool accepts_implicitly(const member_spec& m, payment_dimension d);

}  // namespace crs::collaboration
