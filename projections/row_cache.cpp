#include "projections/row_cache.hpp"

namespace crs::projections {

std::optional<row_set> row_cache::take(const std::string& stream, std::uint64_t version) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(stream);
  if (it == entries_.end() || it->second.version != version) {
    if (it != entries_.end()) erase(it);
    ++misses_;
    return std::nullopt;
  }
  ++hits_;
  std::optional<row_set> out(std::move(it->second.rows));
  erase(it);
  return out;
}

void row_cache::put(const std::string& stream, std::uint64_t version, row_set rows) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(stream); it != entries_.end()) erase(it);
  while (entries_.size() >= capacity_) erase(entries_.find(recent_.back()));
  recent_.push_front(stream);
  entries_.emplace(stream, entry{version, std::move(rows), recent_.begin()});
}

void row_cache::erase(std::unordered_map<std::string, entry>::iterator it) {
  recent_.erase(it->second.recent);
  entries_.erase(it);
}

std::size_t row_cache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

std::uint64_t row_cache::hits() const {
  std::lock_guard lock(mu_);
  return hits_;
}

std::uint64_t row_cache::misses() const {
  std::lock_guard lock(mu_);
  return misses_;
}

}  // namespace crs::projections
