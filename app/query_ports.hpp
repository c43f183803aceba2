// The query runner's ports in `serve`: reports go to the collaboration actors through the
// command bus (waiting until durable), plans are read from the projections and the catalog.
#pragma once

#include <memory>

#include "actors/command_bus.hpp"
#include "catalog/catalog.hpp"
#include "events/event_store.hpp"
#include "query/runner.hpp"

namespace crs::app {

[[nodiscard]] query::runner_ports query_runner_ports(
    command_bus& bus, const events::event_store& store,
    std::shared_ptr<const catalog::local_catalog> cat, std::function<time_ms()> now,
    std::function<std::string()> new_id);

// Submits every unfinished query of the projections' work list (keys.hpp pqu/) to the runner;
// returns how many.
std::size_t resubmit_unfinished(const events::event_store& store, query::runner& runner);

}  // namespace crs::app
