// The protected query rows of a collaboration (keys.hpp: pq/, pql/, pqu/) and the body of
// Start/UpdateProtectedQuery (SPEC.md 12, Appendix A).
#pragma once

#include <string>

#include "actors/collaboration/commands.hpp"
#include "actors/collaboration/state.hpp"
#include "actors/context.hpp"
#include "projections/collaboration_rows.hpp"

namespace crs::projections {

// Adds every query's rows to `out`: the ProtectedQuery and its summary under the querier's
// membership and under each receiver's (while that membership record exists), and the work-list
// entry of an unfinished query.
void query_rows(const collaboration::state& s, row_set& out);
// The same for one query.
void query_rows(const collaboration::state& s, const collaboration::query_record& q, row_set& out);

// ProtectedQuery: statistics once terminal, result only in SUCCESS, error only in FAILED or
// TIMED_OUT (SPEC.md 16.3).
std::string protected_query_json(const collaboration::state& s,
                                 const collaboration::query_record& q);

// {"protectedQuery": ...} after Start/UpdateProtectedQuery and the runner's reports.
std::string query_response(const collaboration::state& s, const collaboration::command& c,
                           const decide_context& ctx);

}  // namespace crs::projections
