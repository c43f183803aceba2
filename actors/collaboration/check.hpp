// Whether an event fits the state it is applied to. evolve is total (it never fails), so a
// damaged or reordered log would fold silently; verify and the simulator ask this first.
#pragma once

#include <optional>
#include <string>

#include "actors/collaboration/state.hpp"

namespace crs::collaboration {

// nullopt when `e` is a fact that could have been decided in state `s`; otherwise why not.
std::optional<std::string> why_not_applicable(const state& s, const events::event_payload& e);

}  // namespace crs::collaboration
