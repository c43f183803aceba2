// The journal: the single writer of the event store. Aggregates submit append requests from
// any thread; one writer thread takes everything queued (bounded by max_batch_requests and
// max_batch_bytes), writes it as one synced WriteBatch, then runs each request's completion.
// Throughput is won by batching across aggregates, never by skipping the fsync.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "events/append_port.hpp"
#include "events/event_store.hpp"

namespace crs::events {

struct journal_options {
  std::size_t max_batch_requests = 512;
  std::size_t max_batch_bytes = 8u << 20;
  std::size_t max_queue = 65536;  // submit() fails fast beyond this (back-pressure)
};

// Counters for tests and metrics; a consistent copy taken under the journal's lock.
struct journal_stats {
  std::uint64_t batches = 0;        // append_batch calls
  std::uint64_t requests = 0;       // requests handed to append_batch
  std::uint64_t largest_batch = 0;  // most requests in one append_batch call
  std::uint64_t rejected = 0;       // submits failed fast (stopped or queue full)
};

class journal final : public append_port {
 public:
  journal(event_store& store, journal_options options = {});
  ~journal() override;  // drains the queue, then stops the writer thread
  journal(const journal&) = delete;
  journal& operator=(const journal&) = delete;

  // Thread-safe. `done` runs exactly once, on the writer thread, after the request is durable
  // (or failed). It must not block. A submit refused because the journal is stopped or its
  // queue is full completes at once, on the caller's thread, with kind::io.
  void submit(append_request request, completion done) override;

  // Stops accepting work, writes what is queued, joins the writer thread. Idempotent.
  void stop();

  [[nodiscard]] journal_stats stats() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace crs::events
