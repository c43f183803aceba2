// Raw bytes as they arrive on a connection -> the server's HTTP/1.1 parser (Beast, with the
// server's limits) -> api::http_request, built as api/http_server.cpp's session::dispatch builds
// it -> what the dispatcher does before any handler: split_target, routing, the Authorization
// header, parse_query and the JSON body. No sockets: the parser is fed from memory, and bytes
// left after one request are the next, pipelined, request on the same connection.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "api/beast_request.hpp"
#include "api/http.hpp"
#include "api/http_server.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "api/sigv4.hpp"
#include "api/validate.hpp"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using crs::api::http_request;

// A property violation: abort so libFuzzer keeps the input as a crash.
void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

const crs::api::router& routes() {
  static const crs::api::router r = [] {
    crs::api::router out;
    const auto& table = crs::api::route_table();
    for (std::size_t i = 0; i < table.size(); ++i)
      out.add(table[i].method, table[i].path, static_cast<int>(i));
    return out;
  }();
  return r;
}

std::string percent_encode_all(std::string_view s) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    out += '%';
    out += hex[u >> 4];
    out += hex[u & 15];
  }
  return out;
}

std::size_t label_count(std::string_view path_template) {
  return static_cast<std::size_t>(std::count(path_template.begin(), path_template.end(), '{'));
}

// The route's template with `labels` percent-encoded into it.
std::string fill_template(std::string_view path_template, const std::vector<std::string>& labels) {
  std::string out;
  std::size_t next = 0;
  for (std::size_t i = 0; i < path_template.size(); ++i) {
    if (path_template[i] != '{') {
      out += path_template[i];
      continue;
    }
    i = path_template.find('}', i);
    out += percent_encode_all(labels.at(next++));
  }
  return out;
}

// What the dispatcher does with a parsed request before it calls a handler.
void route(const http_request& req) {
  const auto [path, raw_query] = crs::api::split_target(req.target);
  const std::string_view target = req.target;
  if (target.rfind("http://", 0) != 0 && target.rfind("https://", 0) != 0) {
    // Origin form: the path is everything before the first '?', the query everything after.
    const auto q = target.find('?');
    require(path == target.substr(0, q), "split_target: wrong path");
    require(raw_query == (q == std::string_view::npos ? std::string_view() : target.substr(q + 1)),
            "split_target: wrong query");
  }
  if (auto decoded = crs::api::percent_decode(path)) {
    require(decoded->size() <= path.size(), "percent_decode grew its input");
    require(crs::api::percent_decode(percent_encode_all(*decoded)) == *decoded,
            "percent_decode does not invert percent-encoding");
  }
  if (const auto auth = req.header("authorization"); !auth.empty())
    (void)crs::api::parse_authorization(auth);
  (void)crs::api::parse_query(raw_query);
  if (req.method == "POST" || req.method == "PATCH") {
    std::string why;
    (void)crs::api::parse_body(req.body, why);
  }

  const auto match = routes().match(req.method, path);
  if (!match) return;
  const auto& table = crs::api::route_table();
  require(match->operation >= 0 && static_cast<std::size_t>(match->operation) < table.size(),
          "router returned an operation outside the route table");
  const auto& entry = table[static_cast<std::size_t>(match->operation)];
  require(entry.method == req.method, "router matched another method");
  require(match->labels.size() == label_count(entry.path), "label count differs from template");
  // A malformed escape is reported by the name of one of the route's labels (a 400 naming it).
  require(match->bad_label.empty() ||
              std::string_view(entry.path).find("{" + match->bad_label) != std::string_view::npos,
          "bad_label is not a label of the route");
  // The same labels, fully encoded, route to the same operation with the same labels.
  const auto again = routes().match(req.method, fill_template(entry.path, match->labels));
  require(again && again->operation == match->operation && again->labels == match->labels,
          "re-encoded labels route elsewhere");
}

// Parses one request from the front of `in` as the server would; returns the bytes consumed
// (0 when the request was refused or incomplete: the server answers and closes).
std::size_t one_request(std::string_view in) {
  const crs::api::server_options limits;  // the server's defaults: 16 KiB header, 1 MiB body
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  parser.body_limit(limits.max_body_bytes);
  beast::error_code ec;
  std::size_t used = 0;
  while (!parser.is_done()) {
    const std::string_view rest = in.substr(used);
    if (rest.empty()) {
      parser.put_eof(ec);  // the peer closed: only a body delimited by EOF may end here
      break;
    }
    const auto n = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    used += n;
    if (ec == http::error::need_more) {
      ec = {};
      if (n > 0) continue;
      parser.put_eof(ec);  // everything there is was offered: the peer has nothing more
      break;
    }
    if (ec || n == 0) return 0;
  }
  if (ec || !parser.is_done()) return 0;
  http::request<http::string_body> msg = parser.release();
  require(msg.body().size() <= limits.max_body_bytes, "body beyond the server's limit");
  route(crs::api::to_http_request(std::move(msg)));
  return used;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  // Pipelined requests: a few per input is enough to cover the hand-over between parsers.
  for (int i = 0; i < 4 && !in.empty(); ++i) {
    const std::size_t used = one_request(in);
    if (used == 0) break;
    in.remove_prefix(used);
  }
  return 0;
}
