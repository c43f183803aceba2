// The registry of aggregate actors: activates a collaboration or configured table actor on
// first use (actors/activation.hpp), routes commands to it, runs the association protocol
// between the two, and shuts every actor down at exit. CAF stays in the .cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "actors/command_bus.hpp"
#include "events/append_port.hpp"
#include "events/event_store.hpp"

namespace crs {

struct registry_options {
  std::size_t worker_threads = 2;  // CAF scheduler threads
  // A collaboration's snapshot is rewritten, in the batch of its events, whenever its version
  // crosses a multiple of this, so activation replays fewer than this many events. 0 = never.
  std::uint64_t snapshot_every = 100;
  // The catalog port: what the local data catalog says of a table reference (the configured
  // table actor asks it before deciding, so its decider stays free of I/O). Default: every
  // table is missing and the catalog is lenient.
  std::function<configured_table::catalog_facts(const table_reference&)> catalog;
  // SPEC.md 9's optional strict mode (and Q22): DeleteConfiguredTableAnalysisRule is refused
  // while an unfinished protected query reads the table. Off by default, as SPEC.md decides.
  bool strict_rule_deletion = false;
  // Actors kept resident. Beyond this the least recently used are asked to passivate: an idle
  // one (nothing in flight, stashed or held) quits, and its next command activates it again
  // from its snapshot and log tail; a busy one goes once it is idle. Memory stays bounded by
  // the working set, not by every collaboration ever touched.
  std::size_t max_resident = 10000;
  // Collaborations whose rendered rows are kept after a write, so the next write renders only
  // the state it makes (projections/row_cache.hpp). Kept across passivation; least recently
  // written go first, and they hold at most row_cache_bytes. 0 = none.
  std::size_t row_cache_entries = 256;
  std::size_t row_cache_bytes = 32u << 20;
  // The simulator's scheduler (sim/): the actors run on CAF's test_coordinator, on no thread of
  // their own. Nothing runs until run_one() is called, one message at a time, so the caller
  // decides the interleaving (from its seed) and every run of a seed is the same.
  bool deterministic = false;
};

class registry final : public command_bus {
 public:
  registry(events::event_store& store, events::append_port& journal, registry_options options = {});
  ~registry() override;  // stop()s
  void send(const std::string& collaboration_id, collaboration::command command,
            decide_context context, reply_fn reply) override;
  void send(const std::string& configured_table_id, configured_table::command command,
            decide_context context, reply_fn reply) override;
  void associate(const std::string& configured_table_id, const std::string& collaboration_id,
                 collaboration::create_association create, decide_context context,
                 reply_fn reply) override;
  std::size_t resident() const;        // actors currently active
  std::uint64_t passivations() const;  // actors that quit because they were asked to
  // Only with registry_options::deterministic (0 / false otherwise, and after stop()): how
  // many actors have a message waiting, and running the next message of the index-th of them
  // (in the test_coordinator's job order). False when there is no such actor. Deterministic
  // mode is single-threaded: call everything from one thread.
  std::size_t runnable() const;
  bool run_one(std::size_t index);
  // Stops every actor and the actor system. Commands sent afterwards are answered with an
  // internal error. Idempotent.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace crs
