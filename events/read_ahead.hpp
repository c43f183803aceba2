// event_store::read_all with the reading and decoding on reader threads, so that a long scan
// (verify, rebuild-projections, the simulator's full check) folds events on one core while
// others iterate RocksDB and decode FlatBuffers. Same events, same order, same result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "events/event_store.hpp"

namespace crs::events {

struct read_ahead_options {
  std::size_t batch = 1024;  // positions per hand-over (a stripe): one lock round trip each
  std::size_t depth = 4;     // stripes a reader may be ahead of the visitor (bounds memory)
  // Reader threads, taking stripes round-robin: reading and decoding cost more than folding, so
  // two readers keep one folding thread busy.
  std::size_t readers = 1;
};

// Calls `visit` on the calling thread for every event with position in [from, to], in position
// order, stopping when it returns false. The result is read_all's: a decode or storage failure
// arrives after every event before it was visited. Memory: about readers x depth x batch events;
// events appended after the call began are read at the end without read-ahead. If `visit`
// throws, the readers are stopped and joined before the exception leaves; if no thread can be
// started, it is a plain read_all.
[[nodiscard]] result<ok_t> read_all_ahead(const event_store& store, std::uint64_t from,
                                          std::uint64_t to,
                                          const std::function<bool(recorded_event&)>& visit,
                                          const read_ahead_options& options = {});

}  // namespace crs::events
