// Key encodings of the event store's column families (events/event_store.hpp). Big-endian
// integers so that RocksDB's bytewise order is numeric order. Internal to events/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace crs::events::keys {

inline std::string u64(std::uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v & 0xff);
  return out;
}

inline std::optional<std::uint64_t> read_u64(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  std::uint64_t v = 0;
  for (unsigned char c : s) v = (v << 8) | c;
  return v;
}

// streams: stream id + '\0' + version. Stream ids never contain '\0', so one stream's keys are
// contiguous and no stream's range overlaps another's.
inline std::string stream_version(std::string_view stream, std::uint64_t version) {
  std::string out;
  out.reserve(stream.size() + 9);
  out.append(stream);
  out.push_back('\0');
  out.append(u64(version));
  return out;
}

// Exclusive upper bound of every stream_version key of `stream`.
inline std::string stream_upper_bound(std::string_view stream) {
  std::string out(stream);
  out.push_back('\1');
  return out;
}

inline std::optional<std::uint64_t> read_stream_version(std::string_view key,
                                                        std::string_view stream) {
  if (key.size() != stream.size() + 9 || key.substr(0, stream.size()) != stream ||
      key[stream.size()] != '\0')
    return std::nullopt;
  return read_u64(key.substr(stream.size() + 1));
}

// The smallest key greater than every key that starts with `prefix`; nullopt when there is
// none (empty prefix, or all bytes 0xff).
inline std::optional<std::string> prefix_upper_bound(std::string_view prefix) {
  std::string out(prefix);
  while (!out.empty()) {
    auto last = static_cast<unsigned char>(out.back());
    if (last != 0xff) {
      out.back() = static_cast<char>(last + 1);
      return out;
    }
    out.pop_back();
  }
  return std::nullopt;
}

}  // namespace crs::events::keys
