// The read model of one configured table stream, as a pure function of its state (the same
// contract as collaboration_rows.hpp: writes store diff(rows(before), rows(after))).
#pragma once

#include "actors/configured_table/commands.hpp"
#include "actors/configured_table/state.hpp"
#include "actors/context.hpp"
#include "projections/collaboration_rows.hpp"

namespace crs::projections {

row_set rows(const configured_table::state& s);

// The body a configured-table command answers with once durable ("" = 204).
std::string response_for(const configured_table::state& s, const configured_table::command& c,
                         const decide_context& ctx);

}  // namespace crs::projections
