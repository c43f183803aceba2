#include "projections/row_cache.hpp"

#include <vector>

namespace crs::projections {

std::optional<row_set> row_cache::take(const std::string& stream, std::uint64_t version) {
  row_set stale;  // freed after the lock: a row set may be megabytes
  std::lock_guard lock(mu_);
  auto it = entries_.find(stream);
  if (it == entries_.end() || it->second.version != version) {
    if (it != entries_.end()) {
      stale = std::move(it->second.rows);
      erase(it);
    }
    ++misses_;
    return std::nullopt;
  }
  ++hits_;
  std::optional<row_set> out(std::move(it->second.rows));
  erase(it);
  return out;
}

void row_cache::put(const std::string& stream, std::uint64_t version, row_set rows) {
  std::size_t size = 0;
  for (const auto& [key, value] : rows) size += key.size() + value.size();
  std::vector<row_set> dropped;  // freed after the lock, as in take()
  std::lock_guard lock(mu_);
  auto drop = [&](std::unordered_map<std::string, entry>::iterator it) {
    dropped.push_back(std::move(it->second.rows));
    erase(it);
  };
  if (auto it = entries_.find(stream); it != entries_.end()) drop(it);
  if (capacity_ == 0 || max_bytes_ == 0 || size > max_bytes_ / 8) {
    dropped.push_back(std::move(rows));
    return;
  }
  while (!entries_.empty() && (entries_.size() >= capacity_ || bytes_ + size > max_bytes_))
    drop(entries_.find(recent_.back()));
  recent_.push_front(stream);
  entries_.emplace(stream, entry{version, std::move(rows), size, recent_.begin()});
  bytes_ += size;
}

void row_cache::erase(std::unordered_map<std::string, entry>::iterator it) {
  bytes_ -= it->second.bytes;
  recent_.erase(it->second.recent);
  entries_.erase(it);
}

std::size_t row_cache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
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
