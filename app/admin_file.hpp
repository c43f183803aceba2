// The file through which a running server tells local tools how to reach its admin endpoints:
// <data-dir>/cleanroomsd-admin.json, mode 0600, {"url": "http://HOST:PORT", "token": "<hex>"}.
// Written after the server listens, removed at clean shutdown.
#pragma once

#include <optional>
#include <string>

namespace crs::app {

struct admin_endpoint {
  std::string host;
  std::uint16_t port = 0;
  std::string token;
};

std::string admin_file_path(const std::string& data_dir);
std::string new_admin_token();  // 32 random bytes as hex
[[nodiscard]] bool write_admin_file(const std::string& data_dir, const admin_endpoint& e);
void remove_admin_file(const std::string& data_dir);
std::optional<admin_endpoint> read_admin_file(const std::string& data_dir);

}  // namespace crs::app
