// The boundary between the HTTP front end (api/http_server) and the dispatcher. Beast stays
// behind this header: nothing here includes Boost.Beast.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crs::api {

struct http_request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw request target: path plus optional "?query", still percent-encoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  // First header named `name` (lower-case), or empty.
  std::string_view header(std::string_view name) const {
    for (const auto& h : headers)
      if (h.first == name) return h.second;
    return {};
  }
};

struct http_response {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>>
      headers;  // Content-Length is added by the server
  std::string body;
};

// Called exactly once per request, from any thread; the server writes the response on the
// connection's own executor.
using respond_fn = std::function<void(http_response)>;

class request_handler {
 public:
  virtual ~request_handler() = default;
  // Must not block: hand slow work to other threads and call `respond` later.
  virtual void handle(http_request&& request, respond_fn respond) = 0;
};

}  // namespace crs::api
