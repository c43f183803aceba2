// Who may address what (SPEC.md 3.3), read from the projections before a handler does anything
// else: the caller's standing in a collaboration, and its ownership of a membership. One
// definition for every handler, so the 403-versus-404 rules cannot drift between operations.
#pragma once

#include <optional>
#include <string>

#include "api/operations/call.hpp"

namespace crs::api {

inline constexpr const char* not_visible =
    "The collaboration does not exist or the caller is not a member of it";
inline constexpr const char* not_active =
    "The collaboration does not exist or the caller is not an active member of it";

// The caller's fragment row ("memberStatus":...,) when the collaboration is live (in the
// request's region) and the caller's member status is INVITED or ACTIVE.
std::optional<std::string> visible_fragment(const call& c, const std::string& cid);
// The same, ACTIVE only: what reads of schemas and templates require.
bool active_in(const call& c, const std::string& cid);

// A membership the caller owns, in the request's region (any status).
struct caller_membership {
  std::string collaboration_id;
  std::string json;  // the Membership shape
  bool active() const;
};
std::optional<caller_membership> membership_of_caller(const call& c, const std::string& mid);
// The collaboration-wide row (CollaborationAnalysisTemplate JSON) of the template `arn` names
// in `cid`, if it is listed there. Rows are keyed by template id; the row's own head must carry
// the very ARN asked for, so an ARN naming another account, membership or region finds nothing.
std::optional<std::string> collaboration_template_row(const events::event_store& store,
                                                      const std::string& cid,
                                                      const std::string& arn);

// The answer for a membership that is unknown or another account's: 404 MEMBERSHIP.
void membership_not_found(const call& c, const std::string& mid);

}  // namespace crs::api
