// A parsed Beast request as the dispatcher's http_request (names lower-cased, body moved). Its
// own header so the server and the HTTP fuzz target convert requests with the same code; only
// api/http_server.cpp and tests/fuzz include it (Beast stays out of everything else).
#pragma once

#include <algorithm>
#include <iterator>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "api/http.hpp"

namespace crs::api {

inline http_request to_http_request(
    boost::beast::http::request<boost::beast::http::string_body>&& msg) {
  http_request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  req.headers.reserve(static_cast<std::size_t>(std::distance(msg.begin(), msg.end())));
  for (const auto& f : msg) {
    std::string name(f.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
      return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    req.headers.emplace_back(std::move(name), std::string(f.value()));
  }
  req.body = std::move(msg.body());
  return req;
}

}  // namespace crs::api
