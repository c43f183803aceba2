// Whether an event may be applied to a configured table's state: what `cleanroomsd verify`
// checks over the log, and what the decider's tests assert of every event it emits.
#pragma once

#include <optional>
#include <string>

#include "actors/configured_table/state.hpp"

namespace crs::configured_table {

// nullopt when `e` fits `s`; otherwise why not.
[[nodiscard]] std::optional<std::string> why_not_applicable(const state& s,
                                                            const events::event_payload& e);

}  // namespace crs::configured_table
