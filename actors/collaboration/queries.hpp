// decide for protected queries (SPEC.md 12, 16.3). The SQL and the analysis rules are checked
// outside (query/sql, against the projections) before StartProtectedQuery reaches the
// aggregate; what the state knows is checked here: the caller's membership and abilities, the
// template and its parameters, the payer, the result destination and the concurrency quota.
// The runner's reports (begin/finish) become the status events; replay never re-runs a query.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "actors/collaboration/decide.hpp"

namespace crs::collaboration {

// "Concurrent ongoing queries per membership" (SPEC.md 18: 5, not adjustable).
inline constexpr std::size_t ongoing_queries_per_membership = 5;

[[nodiscard]] decision decide_query(const state& s, const start_query& c,
                                    const decide_context& ctx);
[[nodiscard]] decision decide_query(const state& s, const cancel_query& c,
                                    const decide_context& ctx);
[[nodiscard]] decision decide_query(const state& s, const begin_query& c,
                                    const decide_context& ctx);
[[nodiscard]] decision decide_query(const state& s, const finish_query& c,
                                    const decide_context& ctx);

// The cascades of DeleteCollaboration and DeleteMember (SPEC.md 16.3): every unfinished query of
// `membership_id` (of every membership when empty) is CANCELLED. DeleteMembership does not
// cascade: running queries block it (SPEC.md 7).
[[nodiscard]] std::vector<events::event_payload> cancel_unfinished_queries(
    const state& s, const std::string& membership_id);

// The template a query names by ARN, in this collaboration; nullptr when there is none.
[[nodiscard]] const template_record* template_by_arn(const state& s, const std::string& arn);

}  // namespace crs::collaboration
