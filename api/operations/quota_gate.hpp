// Account-wide quotas (collaborations created, memberships) span aggregates, so no single actor
// can enforce them. The gate makes the count exact within this process: the ids already in the
// projection, united with the ids whose create is still in flight, counted under one lock. An id
// counted in both (its row became durable just before its reservation is released) counts once.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "events/event_store.hpp"

namespace crs::api {

class quota_gate {
 public:
  // How many resources exist or are being created under `prefix` (keys "<prefix><id>"), not
  // counting `id`; then reserves `id` until release(). Scans at most `stop_at` rows.
  std::size_t reserve(const events::event_store& store, const std::string& prefix,
                      const std::string& id, std::size_t stop_at);
  void release(const std::string& prefix, const std::string& id);

 private:
  std::mutex mu_;
  std::map<std::string, std::set<std::string>> in_flight_;  // by prefix
};

}  // namespace crs::api
