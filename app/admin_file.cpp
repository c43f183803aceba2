#include "app/admin_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include <boost/json.hpp>

namespace crs::app {

std::string admin_file_path(const std::string& data_dir) {
  return data_dir + "/cleanroomsd-admin.json";
}

std::string new_admin_token() {
  std::random_device rd("/dev/urandom");
  std::string hex;
  for (int i = 0; i < 8; ++i) {
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", rd());
    hex += buf;
  }
  return hex;
}

bool write_admin_file(const std::string& data_dir, const admin_endpoint& e) {
  // A wildcard listen address is reached on loopback.
  std::string host = e.host == "0.0.0.0" ? "127.0.0.1" : e.host == "::" ? "::1" : e.host;
  boost::json::object o;
  o["host"] = host;
  o["port"] = e.port;
  o["token"] = e.token;
  const auto text = boost::json::serialize(o);
  const auto path = admin_file_path(data_dir);
  const auto tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return false;
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return written && std::rename(tmp.c_str(), path.c_str()) == 0;
}

void remove_admin_file(const std::string& data_dir) {
  std::remove(admin_file_path(data_dir).c_str());
}

std::optional<admin_endpoint> read_admin_file(const std::string& data_dir) {
  std::ifstream in(admin_file_path(data_dir));
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto v = boost::json::parse(ss.str(), ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  auto host = o.if_contains("host");
  auto port = o.if_contains("port");
  auto token = o.if_contains("token");
  if (!host || !host->is_string() || !port || !port->is_int64() || !token || !token->is_string())
    return std::nullopt;
  const auto p = port->as_int64();
  if (p <= 0 || p > 65535) return std::nullopt;
  return admin_endpoint{std::string(host->as_string()), static_cast<std::uint16_t>(p),
                        std::string(token->as_string())};
}

}  // namespace crs::app
