// An operation as the HTTP request an AWS SDK would send (restJson1), signed in open mode: the
// access key id names the calling account (DESIGN.md "API conventions").
#pragma once

#include <string_view>

#include "api/http.hpp"
#include "sim/operation.hpp"

namespace crs::sim {

// `next_token`: for a List, the nextToken of the page before (sent percent-encoded).
[[nodiscard]] api::http_request render_request(const operation& op,
                                               std::string_view next_token = {});

}  // namespace crs::sim
