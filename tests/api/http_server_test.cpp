#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/errors.hpp"
#include "api/http_server.hpp"
#include "http_client.hpp"

using namespace crs::api;
using namespace std::chrono_literals;
using crs::api::testing::request;
using crs::api::testing::test_connection;

namespace {

// Echoes the request as JSON; a few targets exercise the awkward handler behaviours.
class test_handler : public request_handler {
 public:
  void handle(http_request&& req, respond_fn respond) override {
    ++calls;
    if (req.target == "/throw") throw std::runtime_error("handler bug");
    if (req.target == "/drop") return;  // never answers; the server must
    if (req.target == "/empty") return respond(render_json(204, "", "rid-204"));
    if (req.target == "/evil") {
      http_response r = render_json(200, "{}", "rid-evil");
      r.headers.emplace_back("X-Evil", "a\r\nSet-Cookie: x=1");
      r.headers.emplace_back("Content-Length", "999");
      return respond(std::move(r));
    }
    if (req.target == "/release") {  // answers the parked request, then this one, inline
      respond_fn other;
      {
        std::lock_guard<std::mutex> lk(mutex);
        other = std::move(parked);
      }
      if (other) other(render_json(200, R"({"released":true})", "rid-released"));
      respond(render_json(200, R"({"releaser":true})", "rid-releaser"));
      respond(render_json(500, R"({"second":true})", "rid-second"));  // ignored: first wins
      return;
    }
    if (req.target == "/padded") {  // a header value with spaces and a tab around it
      http_response r = render_json(200, "{}", "rid-padded");
      r.headers.emplace_back("X-Padded", " \t padded value\t ");
      return respond(std::move(r));
    }
    if (req.target == "/park") {  // answered later by the test
      std::lock_guard<std::mutex> lk(mutex);
      parked = std::move(respond);
      cv.notify_all();
      return;
    }
    boost::json::object echo;
    echo["method"] = req.method;
    echo["target"] = req.target;
    echo["body"] = req.body;
    echo["x-test"] = std::string(req.header("x-test"));
    auto answer = render_json(200, boost::json::serialize(echo), "rid-echo");
    if (req.target.rfind("/async", 0) == 0) {
      std::thread([respond, answer]() mutable {
        std::this_thread::sleep_for(30ms);
        respond(std::move(answer));
      }).detach();
      return;
    }
    respond(std::move(answer));
  }

  respond_fn wait_parked() {
    std::unique_lock<std::mutex> lk(mutex);
    cv.wait_for(lk, 5s, [&] { return static_cast<bool>(parked); });
    return std::move(parked);
  }

  std::atomic<int> calls{0};
  std::mutex mutex;
  std::condition_variable cv;
  respond_fn parked;
};

server_options test_options() {
  server_options o;
  o.port = 0;
  o.threads = 2;
  o.max_body_bytes = 1024;
  o.max_header_bytes = 2048;
  return o;
}

boost::json::object json(const std::string& body) {
  return boost::json::parse(body).as_object();
}

}  // namespace

TEST_CASE("http server: keep-alive, lower-cased headers, respond from another thread") {
  test_handler h;
  http_server server(test_options(), h);
  REQUIRE(server.start().ok());
  REQUIRE(server.port() != 0);

  test_connection c(server.port());
  REQUIRE(c.connected());
  REQUIRE(c.send(request("POST", "/collaborations?x=1", R"({"name":"a"})", "X-Test: Hello\r\n")));
  auto r1 = c.read_response();
  REQUIRE(r1);
  CHECK(r1->status == 200);
  CHECK(r1->header("x-amzn-requestid") == "rid-echo");
  CHECK(r1->header("content-type") == "application/json");
  CHECK(r1->header("content-length") == std::to_string(r1->body.size()));
  auto b1 = json(r1->body);
  CHECK(b1.at("method").as_string() == "POST");
  CHECK(b1.at("target").as_string() == "/collaborations?x=1");
  CHECK(b1.at("body").as_string() == R"({"name":"a"})");
  CHECK(b1.at("x-test").as_string() == "Hello");

  // Same connection, answered from a foreign thread.
  REQUIRE(c.send(request("GET", "/async")));
  auto r2 = c.read_response();
  REQUIRE(r2);
  CHECK(r2->status == 200);
  CHECK(json(r2->body).at("target").as_string() == "/async");

  // Two pipelined requests in one write are answered in order.
  REQUIRE(c.send(request("GET", "/one") + request("GET", "/two")));
  auto p1 = c.read_response();
  auto p2 = c.read_response();
  REQUIRE(p1);
  REQUIRE(p2);
  CHECK(json(p1->body).at("target").as_string() == "/one");
  CHECK(json(p2->body).at("target").as_string() == "/two");
  CHECK(h.calls == 4);

  // 204: no body, and the connection stays usable.
  REQUIRE(c.send(request("DELETE", "/empty")));
  auto r3 = c.read_response();
  REQUIRE(r3);
  CHECK(r3->status == 204);
  CHECK(r3->body.empty());
  CHECK(r3->header("content-type").empty());
  REQUIRE(c.send(request("GET", "/again")));
  CHECK(c.read_response());

  // HEAD: the length of the body that GET would send, but no body.
  REQUIRE(c.send(request("HEAD", "/head")));
  auto rh = c.read_response(true);
  REQUIRE(rh);
  CHECK(rh->status == 200);
  CHECK(std::stoul(rh->header("content-length")) > 0);
  REQUIRE(c.send(request("GET", "/after-head")));
  auto ra = c.read_response();
  REQUIRE(ra);
  CHECK(json(ra->body).at("target").as_string() == "/after-head");

  // Connection: close is honoured.
  REQUIRE(c.send(request("GET", "/bye", "", "Connection: close\r\n")));
  auto r4 = c.read_response();
  REQUIRE(r4);
  CHECK(r4->header("connection") == "close");
  CHECK(c.closed_by_peer());
  server.stop();
}

TEST_CASE("http server: protocol errors are AWS-shaped") {
  test_handler h;
  http_server server(test_options(), h);
  REQUIRE(server.start().ok());

  SECTION("oversized Content-Length: 413 without reading the body, then close") {
    test_connection c(server.port());
    REQUIRE(c.send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5000\r\n\r\n"));
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 413);
    CHECK(r->header("x-amzn-errortype") == "PayloadTooLargeException");
    CHECK(r->header("x-amzn-requestid").size() == 36);
    CHECK(json(r->body).contains("message"));
    CHECK(c.closed_by_peer());
    CHECK(h.calls == 0);
  }
  SECTION("oversized chunked body: 413") {
    test_connection c(server.port());
    std::string chunk(2000, 'x');
    char size_hex[16];
    std::snprintf(size_hex, sizeof size_hex, "%zx", chunk.size());
    REQUIRE(c.send("POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" +
                   std::string(size_hex) + "\r\n" + chunk + "\r\n0\r\n\r\n"));
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 413);
  }
  SECTION("a body exactly at the limit is accepted") {
    test_connection c(server.port());
    REQUIRE(c.send(request("POST", "/x", std::string(1024, 'y'))));
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  SECTION("header block too large: 431") {
    test_connection c(server.port());
    REQUIRE(c.send("GET /x HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n"));
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 431);
    CHECK(r->header("x-amzn-requestid").size() == 36);
    CHECK(c.closed_by_peer());
  }
  SECTION("too many header fields: 431, even within the byte cap") {
    std::string many = "GET /x HTTP/1.1\r\nHost: h\r\n";
    for (int i = 0; i < 100; ++i) many += "x" + std::to_string(i) + ": v\r\n";
    test_connection c(server.port());
    REQUIRE(c.send(many + "\r\n"));
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 431);
    CHECK(r->header("x-amzn-errortype").find("RequestHeaderFieldsTooLargeException") == 0);
    CHECK(c.closed_by_peer());
  }
  SECTION("exactly max_header_count fields are accepted") {
    std::string fields = "GET /x HTTP/1.1\r\nHost: h\r\n";
    for (int i = 0; i < 99; ++i) fields += "x" + std::to_string(i) + ": v\r\n";
    test_connection c(server.port());
    REQUIRE(c.send(fields + "\r\n"));
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  SECTION("malformed request: 400, then close") {
    test_connection c(server.port());
    REQUIRE(c.send("THIS IS NOT HTTP\r\n\r\n"));
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(r->header("content-type") == "application/json");
    CHECK(r->header("x-amzn-requestid").size() == 36);
    CHECK(c.closed_by_peer());
  }
  SECTION("bad Content-Length: 400") {
    test_connection c(server.port());
    REQUIRE(c.send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: nope\r\n\r\n"));
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 400);
  }
  SECTION("handler exception: 500 InternalServerException, connection survives") {
    test_connection c(server.port());
    REQUIRE(c.send(request("GET", "/throw")));
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 500);
    CHECK(r->header("x-amzn-errortype") == "InternalServerException");
    CHECK(r->header("x-amzn-requestid").size() == 36);
    REQUIRE(c.send(request("GET", "/after")));
    auto r2 = c.read_response();
    REQUIRE(r2);
    CHECK(r2->status == 200);
  }
  SECTION("handler that drops the request: 500 instead of a hung connection") {
    test_connection c(server.port());
    REQUIRE(c.send(request("GET", "/drop")));
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 500);
  }
  SECTION("handler headers cannot split the response or override framing") {
    test_connection c(server.port());
    REQUIRE(c.send(request("GET", "/evil")));
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->headers.count("x-evil") == 0);
    CHECK(r->headers.count("set-cookie") == 0);
    CHECK(r->header("content-length") == "2");
    CHECK(r->body == "{}");
  }
  SECTION("Expect: 100-continue gets an interim response") {
    test_connection c(server.port());
    REQUIRE(
        c.send("POST /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"));
    auto interim = c.read_response();
    REQUIRE(interim);
    CHECK(interim->status == 100);
    REQUIRE(c.send("{}"));
    auto r = c.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  server.stop();
}

TEST_CASE("http server: limits and timeouts") {
  test_handler h;
  auto o = test_options();
  o.max_connections = 1;
  o.idle_timeout = std::chrono::seconds(1);
  http_server server(o, h);
  REQUIRE(server.start().ok());

  test_connection a(server.port());
  REQUIRE(a.send(request("GET", "/first")));
  REQUIRE(a.read_response());

  test_connection b(server.port());  // over max_connections: closed at once
  CHECK(b.closed_by_peer());

  // `a` idles past idle_timeout and is closed; then there is room again.
  std::this_thread::sleep_for(1500ms);
  CHECK(a.closed_by_peer());
  std::this_thread::sleep_for(50ms);
  test_connection c(server.port());
  REQUIRE(c.send(request("GET", "/third")));
  CHECK(c.read_response());
  server.stop();
}

TEST_CASE("http server: a slow client cannot hold a connection past request_timeout") {
  test_handler h;
  auto o = test_options();
  o.request_timeout = std::chrono::seconds(1);
  http_server server(o, h);
  REQUIRE(server.start().ok());
  GIVEN("a client that trickles its header a byte every 200 ms (slowloris)") {
    test_connection c(server.port());
    const std::string req = "GET /x HTTP/1.1\r\nHost: h\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
    const auto start = std::chrono::steady_clock::now();
    bool closed = false;
    for (char ch : req) {
      if (!c.send(std::string(1, ch))) {
        closed = true;
        break;
      }
      std::this_thread::sleep_for(200ms);
      if (std::chrono::steady_clock::now() - start > 3s) break;
    }
    THEN("the server closes it although bytes keep coming") {
      CHECK((closed || c.closed_by_peer()));
      CHECK(std::chrono::steady_clock::now() - start < 5s);
    }
  }
  GIVEN("a client that sends half a body and stops") {
    test_connection c(server.port());
    REQUIRE(c.send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nhalf"));
    std::this_thread::sleep_for(1500ms);
    CHECK(c.closed_by_peer());
  }
  server.stop();
}

TEST_CASE("http server: bind failures are reported") {
  test_handler h;
  http_server first(test_options(), h);
  REQUIRE(first.start().ok());
  auto o = test_options();
  o.port = first.port();
  http_server second(o, h);
  auto r = second.start();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find(std::to_string(first.port())) != std::string::npos);

  auto bad = test_options();
  bad.host = "no-such-host.invalid";
  http_server third(bad, h);
  CHECK_FALSE(third.start().ok());
  third.stop();  // stop without a successful start is harmless
  first.stop();
}

TEST_CASE("http server: a handler answering another connection's request inline") {
  // Answers given inside the handler call are written by that call's session; an answer for
  // another request, given from the same call, must still reach that other connection.
  test_handler h;
  http_server server(test_options(), h);
  REQUIRE(server.start().ok());
  test_connection parked(server.port());
  test_connection releaser(server.port());
  REQUIRE(parked.send(request("GET", "/park")));
  {
    std::unique_lock<std::mutex> lk(h.mutex);
    REQUIRE(h.cv.wait_for(lk, 5s, [&] { return static_cast<bool>(h.parked); }));
  }
  REQUIRE(releaser.send(request("GET", "/release")));
  auto mine = releaser.read_response();
  REQUIRE(mine);
  CHECK(mine->status == 200);
  CHECK(mine->body == R"({"releaser":true})");
  auto theirs = parked.read_response();
  REQUIRE(theirs);
  CHECK(theirs->status == 200);
  CHECK(theirs->body == R"({"released":true})");
  // Both connections stay usable: the second answer was dropped, nothing else is queued.
  for (auto* c : {&parked, &releaser}) {
    REQUIRE(c->send(request("GET", "/echo")));
    auto r = c->read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  server.stop();
}

TEST_CASE("http server: the exact bytes of a response's head") {
  // Status line, the handler's headers in order, then Server, Date, Content-Length (none on
  // 204) and Connection as the request's HTTP version needs it.
  test_handler h;
  http_server server(test_options(), h);
  REQUIRE(server.start().ok());
  auto head_of = [&](const std::string& raw_request) {
    test_connection c(server.port());
    REQUIRE(c.send(raw_request));
    auto r = c.read_response();
    REQUIRE(r);
    std::string head = r->head;
    const auto date = head.find("\r\nDate: ");
    REQUIRE(date != std::string::npos);
    const auto date_end = head.find("\r\n", date + 2);
    const std::string value = head.substr(date + 8, date_end - date - 8);
    CHECK(value.size() == 29);  // "Sat, 21 Nov 2026 23:59:59 GMT"
    CHECK(value.substr(value.size() - 4) == " GMT");
    return head.replace(date + 8, date_end - date - 8, "D");
  };
  CHECK(head_of("GET /empty HTTP/1.1\r\nHost: x\r\n\r\n") ==
        "HTTP/1.1 204 No Content\r\nx-amzn-RequestId: rid-204\r\nServer: cleanroomsd\r\n"
        "Date: D");
  CHECK(head_of("GET /padded HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") ==
        "HTTP/1.1 200 OK\r\nx-amzn-RequestId: rid-padded\r\nContent-Type: application/json\r\n"
        "X-Padded: padded value\r\nServer: cleanroomsd\r\nDate: D\r\nContent-Length: 2\r\n"
        "Connection: close");
  CHECK(head_of("GET /padded HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n") ==
        "HTTP/1.0 200 OK\r\nx-amzn-RequestId: rid-padded\r\nContent-Type: application/json\r\n"
        "X-Padded: padded value\r\nServer: cleanroomsd\r\nDate: D\r\nContent-Length: 2\r\n"
        "Connection: keep-alive");
  CHECK(head_of("GET /padded HTTP/1.0\r\nHost: x\r\n\r\n") ==
        "HTTP/1.0 200 OK\r\nx-amzn-RequestId: rid-padded\r\nContent-Type: application/json\r\n"
        "X-Padded: padded value\r\nServer: cleanroomsd\r\nDate: D\r\nContent-Length: 2");
  server.stop();
}

TEST_CASE("http server: stop() lets an in-flight request finish") {
  test_handler h;
  http_server server(test_options(), h);
  REQUIRE(server.start().ok());
  test_connection busy(server.port());
  test_connection idle(server.port());
  REQUIRE(busy.send(request("GET", "/park")));
  REQUIRE(idle.send(request("GET", "/warm")));
  REQUIRE(idle.read_response());
  auto respond = h.wait_parked();
  REQUIRE(respond);

  auto stopping = std::async(std::launch::async, [&] { server.stop(5000ms); });
  std::this_thread::sleep_for(100ms);
  CHECK(stopping.wait_for(0ms) == std::future_status::timeout);  // waiting for /park
  CHECK(idle.closed_by_peer());                                  // idle ones go at once
  respond(render_json(200, R"({"late":true})", "rid-late"));
  auto r = busy.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == R"({"late":true})");
  CHECK(r->header("connection") == "close");
  CHECK(stopping.wait_for(5s) == std::future_status::ready);
  CHECK(busy.closed_by_peer());

  test_connection after(server.port(), 500);
  CHECK((!after.connected() || after.closed_by_peer()));
  server.stop();  // twice is fine
}

TEST_CASE("http server: stop() gives up after the grace period; late responds are dropped") {
  test_handler h;
  http_server server(test_options(), h);
  REQUIRE(server.start().ok());
  test_connection busy(server.port());
  REQUIRE(busy.send(request("GET", "/park")));
  auto respond = h.wait_parked();
  REQUIRE(respond);
  auto t0 = std::chrono::steady_clock::now();
  server.stop(100ms);
  CHECK(std::chrono::steady_clock::now() - t0 < 3s);
  CHECK(busy.closed_by_peer());
  respond(render_json(200, "{}", "too-late"));  // must not crash or hang
  respond = nullptr;
}

TEST_CASE("http server: concurrent clients on keep-alive connections") {
  test_handler h;
  auto o = test_options();
  o.threads = 3;
  http_server server(o, h);
  REQUIRE(server.start().ok());
  constexpr int clients = 8, requests = 40;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      test_connection c(server.port());
      for (int i = 0; i < requests; ++i) {
        const std::string target =
            (i % 3 == 0 ? "/async?" : "/sync?") + std::to_string(t) + "-" + std::to_string(i);
        if (!c.send(request("POST", target, "{}"))) return;
        auto r = c.read_response();
        if (!r || r->status != 200) return;
        if (json(r->body).at("target").as_string() == target) ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(good == clients * requests);
  server.stop();
}
