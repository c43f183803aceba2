// Where an aggregate host hands its append requests: the journal in the server (a writer
// thread, group commit, fsync), the simulator's journal in `sim` (the seed decides when a batch
// becomes durable, and a crash loses what was not). The hosts see only this.
#pragma once

#include <functional>

#include "events/event_store.hpp"

namespace crs::events {

class append_port {
 public:
  using completion = std::function<void(result<append_outcome>)>;
  virtual ~append_port() = default;
  // `done` runs exactly once when the request is durable or has failed, unless the process
  // (or the simulated process) dies first. It must not block.
  virtual void submit(append_request request, completion done) = 0;
};

}  // namespace crs::events
