// The body a command answers with once its events are durable, rendered from the state after.
#pragma once

#include <string>

#include "actors/collaboration/commands.hpp"
#include "actors/collaboration/state.hpp"
#include "actors/context.hpp"

namespace crs::projections {

// "" means 204 No Content.
std::string response_for(const collaboration::state& s, const collaboration::command& c,
                         const decide_context& ctx);

}  // namespace crs::projections
