#include "api/operations/quota_gate.hpp"

namespace crs::api {

std::size_t quota_gate::reserve(const events::event_store& store, const std::string& prefix,
                                const std::string& id, std::size_t stop_at) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& pending = in_flight_[prefix];
  std::set<std::string> ids(pending.begin(), pending.end());
  store.scan_views(prefix, {}, [&](std::string_view key, std::string_view) {
    ids.emplace(key.substr(prefix.size()));
    return ids.size() < stop_at;
  });
  ids.erase(id);
  pending.insert(id);
  return ids.size();
}

void quota_gate::release(const std::string& prefix, const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = in_flight_.find(prefix);
  if (it == in_flight_.end()) return;
  it->second.erase(id);
  if (it->second.empty()) in_flight_.erase(it);
}

}  // namespace crs::api
