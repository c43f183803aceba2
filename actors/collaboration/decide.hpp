// decide: command + state + context -> events, or the domain error that rejects the command.
// Pure: no clock, randomness, I/O or CAF; the checks run in the order SPEC.md lists them.
#pragma once

#include <vector>

#include "actors/collaboration/commands.hpp"
#include "actors/collaboration/state.hpp"
#include "actors/context.hpp"
#include "actors/domain_error.hpp"
#include "events/result.hpp"

namespace crs::collaboration {

using decision = result<std::vector<events::event_payload>, domain_error>;

[[nodiscard]] decision decide(const state& s, const command& c, const decide_context& ctx);

}  // namespace crs::collaboration
