// Reads whose content the simulator checks, not only their status: ListMembers, GetMembership
// and ListMemberships as served from the projections, against what the reference model says
// (statuses, abilities, who pays, which memberships exist and whose they are). Every page of a
// List is followed within one step, so the pages see one state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "sim/model.hpp"
#include "sim/operation.hpp"

namespace crs::sim {

// One answer's body, parsed once for its nextToken and its content check (a null value when
// the body is no JSON).
struct page {
  std::string body;
  boost::json::value json;
};
[[nodiscard]] page parse_page(std::string body);

// The nextToken of one List page, "" on the last page (or when the body is no JSON object).
[[nodiscard]] std::string next_token_of(const page& p);

// "" when the pages (every page of a List, the one body of a Get) agree with the model, else
// what differs; a page holding more items than the maxResults asked differs too. Only for reads
// the model expects to succeed, answered 200 while no write on what they show was in flight.
// `compared`: how many items (members, memberships, queries, requests, tags; 1 for
// GetMembership) the answer held.
[[nodiscard]] std::string check_read(const reference_model& model, const operation& op,
                                     const std::vector<page>& pages,
                                     std::size_t* compared = nullptr);

}  // namespace crs::sim
