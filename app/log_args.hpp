// What `cleanroomsd events` and `cleanroomsd replay` share: their arguments (positions, times,
// collaboration ids) checked into values, the read-only open of the log, and one way to fail:
// a single line on stderr and an exit status (2: the command line is wrong, 1: the data is).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "events/event_store.hpp"
#include "events/result.hpp"

namespace crs::app {

inline constexpr int exit_data_error = 1;
inline constexpr int exit_usage_error = 2;

struct tool_error {
  int exit_code = exit_usage_error;
  std::string message;
};

template <class T>
using tool_result = result<T, tool_error>;

// Prints "cleanroomsd <command>: <message>" on stderr and returns the exit status.
int report(std::string_view command, const tool_error& e);

// The store in `dir`, opened read-only: nothing is written to the directory and a running server
// is not disturbed (the view is consistent as of the open). Missing or not a store: data error.
[[nodiscard]] tool_result<std::unique_ptr<events::event_store>> open_log(const std::string& dir);
// The same checks; `writable` takes the store's lock, so it fails while a server runs on it.
[[nodiscard]] tool_result<std::unique_ptr<events::event_store>> open_store(const std::string& dir,
                                                                           bool writable);

// A log position: decimal digits only.
[[nodiscard]] tool_result<std::uint64_t> parse_position(std::string_view flag,
                                                        std::string_view text);
// A time as projections::parse_time accepts it.
[[nodiscard]] tool_result<time_ms> parse_time_arg(std::string_view flag, std::string_view text);
// The stream of a collaboration named by its id, its ARN or its stream name.
[[nodiscard]] tool_result<std::string> collaboration_stream(std::string_view id);
// The collaboration id in a stream name, "" when the stream is not a collaboration's.
[[nodiscard]] std::string_view collaboration_of(std::string_view stream);

}  // namespace crs::app
