// decide for collaboration change requests (SPEC.md 14, 16.4): the creator proposes, the other
// ACTIVE members vote, the creator commits; auto-approved change types commit at once.
#pragma once

#include "actors/collaboration/decide.hpp"

namespace crs::collaboration {

[[nodiscard]] decision decide_change_request(const state& s, const create_change_request& c,
                                             const decide_context& ctx);
[[nodiscard]] decision decide_change_request(const state& s, const update_change_request& c,
                                             const decide_context& ctx);

// A vote counts while its voter is still in the collaboration. A PENDING vote of a member that
// was removed (or left) no longer counts: its entry is dropped from `approvals` on read and the
// request is decided by the remaining votes (SPEC.md 6 DeleteMember, 16.4). No event records
// the drop: the member's own MemberRemoved/MemberLeft already says everything.
[[nodiscard]] bool vote_counts(const state& s, const account_id& voter, approval_status vote);

// The cascades of other commands (SPEC.md 6): DeleteCollaboration cancels every PENDING or
// APPROVED request; DeleteMember of `removed` approves each PENDING request whose only
// outstanding vote was that member's.
[[nodiscard]] std::vector<events::event_payload> cancel_open_requests(const state& s);
[[nodiscard]] std::vector<events::event_payload> approve_without_voter(const state& s,
                                                                       const account_id& removed);

}  // namespace crs::collaboration
