// The registry of aggregate actors: activates a collaboration actor on first use (its snapshot
// plus the tail of its stream, actors/activation.hpp), routes commands to it, and shuts every
// actor down at exit. CAF stays in the .cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "actors/command_bus.hpp"
#include "events/event_store.hpp"
#include "events/journal.hpp"

namespace crs {

struct registry_options {
  std::size_t worker_threads = 2;  // CAF scheduler threads
  // A collaboration's snapshot is rewritten, in the batch of its events, whenever its version
  // crosses a multiple of this, so activation replays fewer than this many events. 0 = never.
  std::uint64_t snapshot_every = 100;
};

class registry final : public command_bus {
 public:
  registry(events::event_store& store, events::journal& journal, registry_options options = {});
  ~registry() override;  // stop()s
  void send(const std::string& collaboration_id, collaboration::command command,
            decide_context context, reply_fn reply) override;
  std::size_t resident() const;  // actors currently active
  // Stops every actor and the actor system. Commands sent afterwards are answered with an
  // internal error. Idempotent.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace crs
