// An operation as the HTTP request an AWS SDK would send (restJson1), signed in open mode: the
// access key id names the calling account (DESIGN.md "API conventions").
#pragma once

#include "api/http.hpp"
#include "sim/operation.hpp"

namespace crs::sim {

[[nodiscard]] api::http_request render_request(const operation& op);

}  // namespace crs::sim
