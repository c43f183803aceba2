// The change request rows of a collaboration (keys.hpp: cr/, crl/) and the body of
// Create/UpdateCollaborationChangeRequest (SPEC.md 14, Appendix A).
#pragma once

#include <string>

#include "actors/collaboration/commands.hpp"
#include "actors/collaboration/state.hpp"
#include "actors/context.hpp"
#include "projections/collaboration_rows.hpp"

namespace crs::projections {

// Adds the rows of every change request of a live collaboration to `out`.
void change_request_rows(const collaboration::state& s, row_set& out);

// CollaborationChangeRequest (the summary has the same members). `approvals` lists the votes
// that still count (actors/collaboration/change_requests.hpp) and is omitted when none do.
std::string change_request_json(const collaboration::state& s,
                                const collaboration::change_request_record& r);

// {"collaborationChangeRequest": ...} after Create/UpdateCollaborationChangeRequest.
std::string change_request_response(const collaboration::state& s, const collaboration::command& c,
                                    const decide_context& ctx);

}  // namespace crs::projections
