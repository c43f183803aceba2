// Invariant checkers over the collaboration aggregate's state, run by the simulator after every
// durable append on the state before and after it (SPEC.md section 16 and the payment rules).
// Pure: a violation is returned as its description, "" when everything holds.
#pragma once

#include <string>

#include "actors/collaboration/state.hpp"
#include "events/envelope.hpp"

namespace crs::sim {

// What must hold of any state: member ACTIVE exactly when its membership is ACTIVE (while the
// collaboration lives), at most one payer per cost dimension, queries only by members who hold
// CAN_QUERY.
[[nodiscard]] std::string check_state(const collaboration::state& s);

// Only the transitions SPEC.md 16 allows, between the state before an append and after it.
[[nodiscard]] std::string check_transition(const collaboration::state& before,
                                           const collaboration::state& after);

// The acting account of an append may act: a member, and not one who left or was removed,
// except to delete its own membership and what that membership owns (SPEC.md 3.3).
[[nodiscard]] std::string check_actor(const collaboration::state& before,
                                      const events::append_request& request);

}  // namespace crs::sim
