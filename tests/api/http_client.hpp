// A deliberately dumb blocking HTTP/1.1 client over POSIX sockets, for the server tests only:
// it sends raw bytes (so tests can send malformed requests) and parses Content-Length framing.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace crs::api::testing {

struct raw_response {
  int status = 0;
  std::string head;  // the status line and header lines as received, without the blank line
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class test_connection {
 public:
  explicit test_connection(unsigned short port, int timeout_ms = 5000);
  ~test_connection();
  test_connection(const test_connection&) = delete;
  test_connection& operator=(const test_connection&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool send(const std::string& bytes);
  // The next response, or nullopt when the connection closed or timed out first. A response to
  // HEAD announces a Content-Length but carries no body: pass `head`.
  std::optional<raw_response> read_response(bool head = false);
  // True when the server closed the connection (EOF or reset) before sending anything more.
  bool closed_by_peer();

 private:
  bool fill();  // reads more bytes into buf_; false on EOF/error/timeout
  int fd_ = -1;
  std::string buf_;
};

// "GET /x HTTP/1.1" with Host and, for a body, Content-Length.
std::string request(const std::string& method, const std::string& target,
                    const std::string& body = "", const std::string& extra_headers = "");

}  // namespace crs::api::testing
