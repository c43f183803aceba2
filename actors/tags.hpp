// TagResource / UntagResource on one live resource (SPEC.md 15), the same for every aggregate
// that owns taggable resources: each decider checks ownership, then asks these. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "actors/domain_error.hpp"
#include "events/domain_events.hpp"
#include "events/result.hpp"

namespace crs {

using tag_decision = result<std::vector<events::event_payload>, domain_error>;

// Adds or overwrites `add` on `current`; more than `limit` tags afterwards is a
// ValidationException, an empty `add` changes nothing.
[[nodiscard]] tag_decision decide_tagging(const std::string& arn, const tag_map& current,
                                          const tag_map& add, std::size_t limit);
// Removes the keys present in `current` (absent keys are ignored, duplicates collapsed).
[[nodiscard]] std::vector<events::event_payload> decide_untagging(
    const std::string& arn, const tag_map& current, const std::vector<std::string>& keys);

}  // namespace crs
