// decide for the configured table aggregate: command + state + context (+ what the host read
// from the catalog) -> events, or the domain error that rejects the command. Pure: no clock,
// randomness, I/O or CAF; the checks run in the order SPEC.md 8 and 9 list them.
#pragma once

#include <vector>

#include "actors/configured_table/commands.hpp"
#include "actors/configured_table/state.hpp"
#include "actors/context.hpp"
#include "actors/domain_error.hpp"
#include "events/result.hpp"

namespace crs::configured_table {

using decision = result<std::vector<events::event_payload>, domain_error>;

[[nodiscard]] decision decide(const state& s, const command& c, const decide_context& ctx,
                              const catalog_facts& catalog);

// The table reference the command leaves the table with (the host looks it up in the catalog
// before deciding): the command's own for a create or an update that replaces it, else the
// current one. nullopt when the command does not concern the catalog.
[[nodiscard]] std::optional<table_reference> reference_to_check(const state& s, const command& c);

}  // namespace crs::configured_table
