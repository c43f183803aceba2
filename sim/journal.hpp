// The simulator's journal: the append port of the actors, with durability made explicit.
// Submitted requests wait in memory until the simulator commits a group of them (one
// append_batch, as the real journal's group commit). A crash drops the queue: those writes were
// never durable and their completions never run, so their commands are never acknowledged.
// A commit can be made to fail as a full or broken disk would: every request of the batch fails
// and nothing of it is kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <set>
#include <string>

#include "events/append_port.hpp"

namespace crs::sim {

struct committed_append {
  const events::append_request* request;
  events::append_outcome outcome;
};

class sim_journal final : public events::append_port {
 public:
  void attach(events::event_store* store) {
    store_ = store;
    down_ = store == nullptr;
  }
  void submit(events::append_request request, completion done) override;

  std::size_t queued() const { return queue_.size(); }
  // Writes up to `max` queued requests (oldest first) as one batch and runs their completions.
  // With `fail`, none is written and each completes with an io error. `seen` is shown every
  // request written, before its completion runs. Returns how many requests were taken.
  std::size_t commit(std::size_t max, bool fail,
                     const std::function<void(const committed_append&)>& seen);
  // The process died: the queue is lost, its completions are dropped without running, and
  // submits fail until attach() is called again.
  void crash();

  std::uint64_t batches = 0;
  std::uint64_t failed_requests = 0;
  std::uint64_t lost_requests = 0;  // dropped by crashes
  // Request ids of requests that failed on purpose: their 500 answers are expected.
  std::set<std::string> failed_request_ids;

 private:
  struct pending {
    events::append_request request;
    completion done;
  };
  events::event_store* store_ = nullptr;
  bool down_ = true;
  std::deque<pending> queue_;
};

}  // namespace crs::sim
