#include "app/log_args.hpp"

#include <cstdio>
#include <filesystem>

#include "projections/event_json.hpp"

namespace crs::app {
namespace {

constexpr std::string_view stream_prefix = "collaboration-";

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

int report(std::string_view command, const tool_error& e) {
  std::fprintf(stderr, "cleanroomsd %.*s: %s\n", static_cast<int>(command.size()), command.data(),
               e.message.c_str());
  return e.exit_code;
}

tool_result<std::unique_ptr<events::event_store>> open_log(const std::string& dir) {
  return open_store(dir, false);
}

tool_result<std::unique_ptr<events::event_store>> open_store(const std::string& dir,
                                                             bool writable) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return tool_error{exit_data_error, "no data directory at " + dir};
  if (!fs::is_directory(dir, ec)) return tool_error{exit_data_error, dir + " is not a directory"};
  // Checked before RocksDB sees it, whose own message ("CURRENT: No such file") says less.
  if (!fs::exists(fs::path(dir) / "CURRENT", ec))
    return tool_error{exit_data_error, dir + " is not a cleanroomsd data directory"};
  events::store_options options;
  options.read_only = !writable;
  options.create_if_missing = false;
  auto store = events::event_store::open(dir, options);
  if (!store && writable && store.error().message.find("lock") != std::string::npos)
    return tool_error{exit_data_error, dir + " is in use by a running server; stop it first"};
  if (!store)
    return tool_error{exit_data_error,
                      "cannot open the log in " + dir + ": " + store.error().message};
  return std::move(store).value();
}

tool_result<std::uint64_t> parse_position(std::string_view flag, std::string_view text) {
  const auto bad = [&] {
    return tool_error{
        exit_usage_error,
        std::string(flag) + " must be a log position (a number), got '" + std::string(text) + "'"};
  };
  if (text.empty() || text.size() > 19) return bad();
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return bad();
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

tool_result<time_ms> parse_time_arg(std::string_view flag, std::string_view text) {
  if (auto t = projections::parse_time(text)) return *t;
  if (text.size() >= 13 && text.find_first_not_of("0123456789") == std::string_view::npos)
    return tool_error{exit_usage_error, std::string(flag) +
                                            " takes epoch seconds, not milliseconds: got '" +
                                            std::string(text) + "'"};
  return tool_error{exit_usage_error,
                    std::string(flag) +
                        " must be an ISO-8601 time (2026-11-21T10:32:00Z) or epoch "
                        "seconds, got '" +
                        std::string(text) + "'"};
}

tool_result<std::string> collaboration_stream(std::string_view id) {
  std::string_view bare = id;
  if (auto slash = bare.rfind(":collaboration/"); slash != std::string_view::npos)
    bare = bare.substr(slash + std::string_view(":collaboration/").size());
  else if (bare.substr(0, stream_prefix.size()) == stream_prefix)
    bare = bare.substr(stream_prefix.size());
  if (!is_uuid(bare))
    return tool_error{exit_usage_error,
                      "--collaboration must be a collaboration id (a lower-case UUID), its ARN or "
                      "its stream name, got '" +
                          std::string(id) + "'"};
  return std::string(stream_prefix) + std::string(bare);
}

std::string_view collaboration_of(std::string_view stream) {
  if (stream.substr(0, stream_prefix.size()) != stream_prefix) return {};
  return stream.substr(stream_prefix.size());
}

}  // namespace crs::app
