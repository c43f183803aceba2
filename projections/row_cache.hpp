// The core rows (collaboration_rows.hpp) of recently written collaborations, kept by stream and
// version so that a write renders only the state it makes: the rows of the state it starts from
// were rendered by the write before it. Rendering a collaboration's rows was the largest single
// cost of a write, and each write rendered them twice (sim/README.md has the profile).
//
// Why a version is enough to trust an entry: the rows are a pure function of the state, the
// state at a version is what the log holds up to it, and an entry is put only once its append is
// durable, or after a failed append for the version the actor still holds (after a version
// conflict the actor reloads at a later version, and the entry is dropped unused). A crash loses
// the cache with the process, so versions re-used after losing an unsynced tail never meet it.
// The registry owns one; entries outlive a passivated actor, so re-activation finds them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "projections/collaboration_rows.hpp"

namespace crs::projections {

class row_cache {
 public:
  // At most `capacity` streams and `max_bytes` of keys and values (0: nothing is kept); the
  // least recently put go first. A stream whose rows alone exceed an eighth of `max_bytes` is
  // not kept: its writes render twice, as without the cache.
  explicit row_cache(std::size_t capacity, std::size_t max_bytes = 32u << 20)
      : capacity_(capacity), max_bytes_(max_bytes) {}
  row_cache(const row_cache&) = delete;
  row_cache& operator=(const row_cache&) = delete;

  // The rows of `stream` at `version`, moved out (the writer puts its next ones back), or
  // nullopt. An entry at another version is stale and dropped.
  [[nodiscard]] std::optional<row_set> take(const std::string& stream, std::uint64_t version);
  void put(const std::string& stream, std::uint64_t version, row_set rows);

  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t bytes() const;  // keys and values held
  [[nodiscard]] std::uint64_t hits() const;
  [[nodiscard]] std::uint64_t misses() const;

 private:
  struct entry {
    std::uint64_t version = 0;
    row_set rows;
    std::size_t bytes = 0;
    std::list<std::string>::iterator recent;  // its place in recent_
  };
  void erase(std::unordered_map<std::string, entry>::iterator it);

  mutable std::mutex mu_;
  const std::size_t capacity_;
  const std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::unordered_map<std::string, entry> entries_;
  std::list<std::string> recent_;  // most recently put first
  std::uint64_t hits_ = 0, misses_ = 0;
};

}  // namespace crs::projections
