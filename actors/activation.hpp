// Activation of a collaboration aggregate: its state from the latest snapshot plus the tail of
// its stream, or from the whole stream when there is no snapshot it can trust. CAF-free, so the
// actor host, the replay tooling and the benchmarks share one definition of "load".
// Threading: reads only; safe from any thread while the store is open.
#pragma once

#include <cstdint>
#include <string>

#include "actors/collaboration/state.hpp"
#include "actors/configured_table/state.hpp"
#include "events/event_store.hpp"
#include "events/result.hpp"

namespace crs {

struct activation_stats {
  bool used_snapshot = false;
  std::uint64_t snapshot_version = 0;  // the version the state started from (0 = none)
  std::uint64_t events_replayed = 0;   // events applied after the snapshot
};

// A missing, corrupt, foreign or newer-than-the-log snapshot is logged (spdlog warning) and
// ignored: the result is then a replay from version 1, never a trusted guess.
[[nodiscard]] result<collaboration::state> activate(const events::event_store& store,
                                                    const std::string& collaboration_id,
                                                    activation_stats* stats = nullptr);

// A configured table's state: its whole stream (these streams stay short: a table, a rule and
// their edits), with `id` set even when the stream does not exist yet.
[[nodiscard]] result<configured_table::state> activate_configured_table(
    const events::event_store& store, const std::string& configured_table_id);

// Whether the append that moves a stream from version `before` to `after` should carry a snapshot
// of the new state: when it crosses a multiple of `every` (0 = never), so a command that appends
// several events at once still snapshots, and activation replays fewer than `every` events.
[[nodiscard]] constexpr bool snapshot_due(std::uint64_t before, std::uint64_t after,
                                          std::uint64_t every) {
  return every != 0 && before / every != after / every;
}

}  // namespace crs
