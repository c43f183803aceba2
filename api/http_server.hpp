// Boost.Beast HTTP/1.1 keep-alive server. Threading: `threads` I/O threads run the acceptor and
// every connection; handlers are invoked on them and may respond from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "api/http.hpp"
#include "events/result.hpp"

namespace crs::api {

struct server_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 = pick a free port (see http_server::port())
  int threads = 2;
  std::size_t max_body_bytes = 1u << 20;     // larger bodies: 413 before reading them
  std::size_t max_header_bytes = 16u << 10;  // larger header blocks: 431
  std::size_t max_header_count = 100;        // more header fields: 431
  std::size_t max_connections = 1024;        // beyond this new connections are closed
  std::chrono::seconds request_timeout{30};  // a request must arrive whole within this
  std::chrono::seconds idle_timeout{60};     // keep-alive connections idle longer are closed
};

class http_server {
 public:
  http_server(server_options options, request_handler& handler);
  ~http_server();
  // Binds and starts the I/O threads. Fails with a readable message (port in use, bad host).
  [[nodiscard]] result<ok_t> start();
  std::uint16_t port() const;  // the bound port
  // Stops accepting, lets in-flight requests finish (up to `grace`), closes connections, joins.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace crs::api
