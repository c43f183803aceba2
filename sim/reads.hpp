// Reads whose content the simulator checks, not only their status: ListMembers, GetMembership
// and ListMemberships as served from the projections, against what the reference model says
// (statuses, abilities, who pays, which memberships exist and whose they are). Every page of a
// List is followed within one step, so the pages see one state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/model.hpp"
#include "sim/operation.hpp"

namespace crs::sim {

// The nextToken of one List page, "" on the last page (or when the body is no JSON object).
[[nodiscard]] std::string next_token_of(std::string_view body);

// "" when the pages (every page of a List, the one body of a Get) agree with the model, else
// what differs. Only for reads answered 200 while no write on what they show was in flight.
[[nodiscard]] std::string check_read(const reference_model& model, const operation& op,
                                     const std::vector<std::string>& pages);

}  // namespace crs::sim
