// `cleanroomsd backup`: a consistent copy of a data directory (RocksDB Checkpoint), restorable by
// starting a server on it. A free directory is copied directly; one held by a running server is
// copied by that server through its admin endpoint, found via the admin file in the directory.
#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include <boost/json.hpp>

#include "app/admin_file.hpp"
#include "app/commands.hpp"
#include "app/log_args.hpp"

namespace crs::app {
namespace {

// One HTTP/1.1 POST over a plain socket, bounded in time; the whole response or nullopt.
std::optional<std::string> post(const admin_endpoint& e, const std::string& path,
                                const std::string& body) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(e.host.c_str(), std::to_string(e.port).c_str(), &hints, &found) != 0)
    return std::nullopt;
  int fd = -1;
  for (auto* a = found; a && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) continue;
    timeval tv{120, 0};  // a checkpoint of a large store takes a while
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) return std::nullopt;
  const std::string request = "POST " + path + " HTTP/1.1\r\nHost: " + e.host +
                              "\r\nContent-Type: application/json\r\nConnection: close\r\n"
                              "x-cleanroomsd-admin-token: " +
                              e.token + "\r\nContent-Length: " + std::to_string(body.size()) +
                              "\r\n\r\n" + body;
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    close(fd);
    return std::nullopt;
  }
  std::string response;
  char buf[4096];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0 && response.size() < (1u << 20);)
    response.append(buf, static_cast<std::size_t>(n));
  close(fd);
  return response;
}

int backup(const std::string& data_dir, const std::string& to) {
  std::error_code ec;
  if (std::filesystem::exists(to, ec)) {
    std::cerr << "cleanroomsd: " << to << " already exists; name a new directory\n";
    return 2;
  }
  const auto dest = std::filesystem::absolute(to, ec).string();
  if (auto server = read_admin_file(data_dir)) {
    boost::json::object body;
    body["to"] = dest;
    auto response = post(*server, "/admin/backup", boost::json::serialize(body));
    if (!response) {
      std::cerr << "cleanroomsd: the server named in " << admin_file_path(data_dir)
                << " does not answer; if it is not running, remove that file and retry\n";
      return 1;
    }
    const auto status_ok = response->rfind("HTTP/1.1 200", 0) == 0;
    const auto body_at = response->find("\r\n\r\n");
    const auto text = body_at == std::string::npos ? *response : response->substr(body_at + 4);
    if (!status_ok) {
      std::cerr << "cleanroomsd: the server refused the backup: " << text << "\n";
      return 1;
    }
    std::cout << "backup: " << dest << " written by the running server: " << text << "\n";
    return 0;
  }
  auto opened = open_store(data_dir, true);
  if (!opened) return report("backup", opened.error());
  auto& store = opened.value();
  const auto position = store->last_position();
  if (auto done = store->checkpoint(dest); !done) {
    std::cerr << "cleanroomsd: backup failed: " << done.error().message << "\n";
    return 1;
  }
  std::cout << "backup: " << dest << " holds the log up to position " << position
            << "; serve it with `cleanroomsd serve --data-dir " << dest << "`\n";
  return 0;
}

}  // namespace

void add_backup(CLI::App& app, int& exit_code) {
  auto dir = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  auto* b = app.add_subcommand(
      "backup", "Copy a data directory consistently (also while a server runs on it)");
  b->add_option("--data-dir", *dir, "Directory of the RocksDB event store")->required();
  b->add_option("--to", *to, "New directory for the copy")->required();
  b->callback([dir, to, &exit_code] { exit_code = backup(*dir, *to); });
}

}  // namespace crs::app
