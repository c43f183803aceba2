// The membership-addressed checks every sub-resource decider starts with (SPEC.md 3.3): the
// caller's membership (in the request's region) or 404 MEMBERSHIP, and only an ACTIVE one may
// create or change sub-resources (Q9: AccessDenied otherwise). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "actors/collaboration/state.hpp"
#include "actors/context.hpp"
#include "actors/domain_error.hpp"

namespace crs::collaboration {

inline const membership_record* owned_membership(const state& s, const std::string& id,
                                                 const decide_context& ctx) {
  const auto* ms = s.membership(id);
  return ms && ms->account == ctx.caller && ms->region == ctx.region ? ms : nullptr;
}

inline domain_error membership_not_found(const std::string& id) {
  return not_found("Membership " + id + " does not exist", id, "MEMBERSHIP");
}

// `what` names the sub-resources, e.g. "its analysis templates".
inline std::optional<domain_error> must_be_active(const membership_record& ms,
                                                  std::string_view what) {
  if (ms.status == membership_status::active) return std::nullopt;
  return access_denied("Membership " + ms.id + " is " + std::string(to_string(ms.status)) +
                       "; only an ACTIVE membership can change " + std::string(what));
}

}  // namespace crs::collaboration
