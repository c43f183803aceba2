// The envelope every stored event travels in, and what an append carries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "events/domain_events.hpp"

namespace crs::events {

struct envelope {
  std::uint64_t position = 0;  // global, gap-free, starting at 1
  std::string stream;          // e.g. "collaboration-<uuid>"
  std::uint64_t version = 0;   // per stream, gap-free, starting at 1
  std::string type;            // type_name(payload)
  time_ms time = 0;            // recorded time (the deciding context's `now`)
  account_id account;          // acting account
  std::string request_id;      // x-amzn-RequestId of the request that caused it
};

struct recorded_event {
  envelope env;
  event_payload payload;
};

// One projection row change, written in the same WriteBatch as the events that caused it.
struct view_write {
  std::string key;
  std::string value;
  bool erase = false;  // true: delete `key`, `value` ignored
};

// One command's worth of events for one stream. All or nothing.
struct append_request {
  std::string stream;
  std::uint64_t expected_version = 0;  // the stream's current head; 0 = the stream must be new
  time_ms time = 0;
  account_id account;
  std::string request_id;
  std::vector<event_payload> events;  // may be empty (a command that changes only views)
  std::vector<view_write> views;
  // When set, replaces the stream's snapshot in the same batch (snapshots/ owns the bytes).
  std::optional<std::string> snapshot;
};

}  // namespace crs::events
