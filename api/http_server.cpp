// The only translation unit that sees Boost.Beast (build time on 2 cores is a feature).
//
// Lifetime and threading, in one place:
// - Each connection is a `session` on its own strand; all its I/O and state changes run there.
// - A session reads one request, hands it to the handler, and reads nothing more until the
//   response is written (HTTP/1.1 pipelined requests simply wait in the read buffer).
// - While the handler owns a request, the session keeps itself alive (`self_`). The handler's
//   respond_fn holds only a weak reference plus the shared state, so a late respond after
//   stop() is dropped instead of touching a dead io_context.
// - respond() posts onto the session's strand under `state.mutex`; stop() flips
//   `accepting_responses` under the same mutex before it stops the io_context, so no post can
//   race with teardown. An answer given inside the handler call (every read) is not posted: the
//   session writes it when handle() returns, on its strand, with the io_context still running
//   that call (after a grace period that ran out, stop() closes the connection anyway).
#include "api/http_server.hpp"

#include "api/beast_request.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <ctime>
#include <iterator>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "api/errors.hpp"
#include "api/uuid.hpp"

namespace crs::api {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class session;

struct shared_state {
  shared_state(server_options o, request_handler& h) : options(std::move(o)), handler(&h) {}

  const server_options options;
  request_handler* const handler;

  std::mutex mutex;  // guards the three fields below; serialises respond() against stop()
  std::condition_variable cv;
  bool accepting_responses = true;
  std::size_t in_flight = 0;  // requests handed to the handler whose response is not yet sent
  std::atomic<bool> stopping{false};

  std::mutex registry_mutex;  // separate: a session may die while `mutex` is held
  std::unordered_map<session*, std::weak_ptr<session>> sessions;
  std::atomic<std::size_t> connections{0};
};

// Formatted once a second per thread: strftime on every response showed in the read profile.
const std::string& http_date() {
  thread_local std::time_t formatted_at = -1;
  thread_local std::string formatted;
  const std::time_t t = std::time(nullptr);
  if (t != formatted_at) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    const std::size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    formatted.assign(buf, n);
    formatted_at = t;
  }
  return formatted;
}

bool is_token_char(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Handler-supplied headers are checked so that no value can split the response (CR/LF).
bool valid_header(const std::string& name, const std::string& value) {
  if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) return false;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) return false;
  }
  return true;
}

// The server owns framing: these never come from the handler.
bool server_owned(std::string_view name) {
  return beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding") ||
         beast::iequals(name, "connection") || beast::iequals(name, "server") ||
         beast::iequals(name, "date");
}

// The response as it goes on the wire, written by hand: the format is small and fixed, and
// Beast's generic serializer cost ~20k instructions per response, more than the read it
// answers. Same bytes as Beast would write: handler headers in order, then x-amzn-RequestId,
// Server, Date, Content-Length (not on 204/304; on HEAD, the length of the body not sent),
// and Connection as HTTP/1.0 or 1.1 needs it.
std::string to_wire(http_response&& r, unsigned version, bool keep_alive, bool head_request) {
  if (r.status < 200 || r.status > 599) {
    // 1xx would leave the client waiting for a second response; treat as a handler bug.
    r = render(internal_error("Invalid response status from the request handler"),
               random_uuid_v4());
  }
  const bool has_body = r.status != 204 && r.status != 304;
  std::string out;
  out.reserve(256 + (has_body && !head_request ? r.body.size() : 0));
  auto header = [&out](std::string_view name, std::string_view value) {
    // Beast trimmed spaces and tabs around a value; so does this.
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    out.append(name).append(": ", 2).append(value).append("\r\n", 2);
  };
  out.append("HTTP/").append(std::to_string(version / 10)).append(".");
  out.append(std::to_string(version % 10)).append(" ");
  out.append(std::to_string(r.status)).append(" ");
  out.append(http::obsolete_reason(http::int_to_status(r.status))).append("\r\n");
  bool has_request_id = false;
  for (const auto& [name, value] : r.headers) {
    if (!valid_header(name, value) || server_owned(name)) continue;
    if (beast::iequals(name, "x-amzn-requestid")) has_request_id = true;
    header(name, value);
  }
  if (!has_request_id) header("x-amzn-RequestId", random_uuid_v4());  // SPEC 2.3: every response
  header("Server", "cleanroomsd");
  header("Date", http_date());
  if (has_body) header("Content-Length", std::to_string(r.body.size()));
  if (version >= 11 && !keep_alive) header("Connection", "close");
  if (version < 11 && keep_alive) header("Connection", "keep-alive");
  out.append("\r\n", 2);
  if (has_body && !head_request) out.append(r.body);
  return out;
}

bool is_parse_error(const beast::error_code& ec) {
  return ec.category() == make_error_code(http::error::bad_target).category();
}

// The responder of the request whose handler call is running on this thread (see
// session::dispatch); it is alive for that whole call, so its address cannot be reused.
thread_local const void* answering_inline = nullptr;

class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket&& socket, std::shared_ptr<shared_state> state)
      : stream_(std::move(socket)), executor_(stream_.get_executor()), state_(std::move(state)) {}

  ~session() {
    {
      std::lock_guard<std::mutex> lk(state_->registry_mutex);
      state_->sessions.erase(this);
    }
    state_->connections.fetch_sub(1);
  }

  void start() {
    {
      std::lock_guard<std::mutex> lk(state_->registry_mutex);
      state_->sessions.emplace(this, weak_from_this());
    }
    net::dispatch(executor_, [self = shared_from_this()] { self->wait_for_request(); });
  }

  const net::any_io_executor& executor() const { return executor_; }

  // On the strand, from the responder: the handler's answer to the current request.
  void deliver(http_response r) {
    if (!in_flight_) return;
    self_.reset();  // the write handler keeps us alive from here on
    const bool close = !keep_alive_ || state_->stopping.load();
    write(to_wire(std::move(r), version_, !close, head_), close);
  }

  // On the strand, from stop(): drop connections that are not waiting for a response.
  void begin_shutdown() {
    if (!in_flight_) stream_.close();
  }

  // From stop() after the I/O threads are joined (nothing else touches the session then).
  void force_close() {
    self_.reset();
    stream_.close();
  }

 private:
  void wait_for_request() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(state_->options.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(state_->options.max_body_bytes);
    if (buffer_.size() > 0) {  // a pipelined request is already here
      read_header();
      return;
    }
    // Waiting for the first byte: a keep-alive connection may idle for idle_timeout; a new
    // connection must start its request within request_timeout.
    stream_.expires_after(first_request_ ? state_->options.request_timeout
                                         : state_->options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->buffer_.commit(n);
                              if (ec) return self->stream_.close();
                              self->read_header();
                            });
  }

  void read_header() {
    first_request_ = false;
    stream_.expires_after(state_->options.request_timeout);  // covers header and body
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    const auto& req = parser_->get();
    // Many tiny fields fit the byte cap yet cost a lookup each on every header() call.
    if (const auto n = static_cast<std::size_t>(std::distance(req.begin(), req.end()));
        n > state_->options.max_header_count) {
      return fail(headers_too_large("Request has " + std::to_string(n) +
                                    " header fields, more than the " +
                                    std::to_string(state_->options.max_header_count) + " allowed"));
    }
    if (!parser_->is_done() && req.version() >= 11 &&
        beast::iequals(req[http::field::expect], "100-continue")) {
      static constexpr char continue_line[] = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(continue_line, sizeof continue_line - 1),
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec) return self->stream_.close();
                         self->read_body();
                       });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return self->on_read_error(ec);
                       self->dispatch();
                     });
  }

  void on_read_error(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return fail(payload_too_large("Request body exceeds " +
                                    std::to_string(state_->options.max_body_bytes) + " bytes"));
    }
    if (ec == http::error::header_limit) {
      return fail(headers_too_large("Request header block exceeds " +
                                    std::to_string(state_->options.max_header_bytes) + " bytes"));
    }
    // end_of_stream / partial_message: the client went away; no one to answer.
    if (is_parse_error(ec) && ec != http::error::end_of_stream &&
        ec != http::error::partial_message) {
      aws_error e;
      e.status = 400;
      e.type = "BadRequestException";
      e.message = "Malformed HTTP request: " + ec.message();
      return fail(e);
    }
    stream_.close();  // timeout, reset, aborted by stop()
  }

  static aws_error headers_too_large(std::string message) {
    return aws_error{431, "RequestHeaderFieldsTooLargeException", std::move(message), {}};
  }

  // A protocol-level error: answer it, then close (the stream position is unknown).
  void fail(const aws_error& e) {
    write(to_wire(render(e, random_uuid_v4()), 11, false, false), true);
  }

  void dispatch() {
    auto& msg = parser_->get();
    version_ = msg.version();
    keep_alive_ = msg.keep_alive();
    head_ = msg.method() == http::verb::head;
    {
      std::lock_guard<std::mutex> lk(state_->mutex);
      if (state_->stopping.load()) {
        // Arrived after stop() began: say so (SDKs retry a 503) rather than vanish silently.
        aws_error e;
        e.status = 503;
        e.type = "ServiceUnavailableException";
        e.message = "The server is shutting down";
        return fail(e);
      }
      ++state_->in_flight;
    }
    in_flight_ = true;
    self_ = shared_from_this();

    http_request req = to_http_request(std::move(msg));
    parser_.reset();

    auto r = std::make_shared<responder>(weak_from_this(), state_, this);
    // A read is answered before handle() returns, on this thread and strand: that answer is
    // written from here, without a post back onto the strand and the shared lock it takes.
    answering_inline = r.get();
    // Cleared however this call ends (render() in the catch blocks can throw bad_alloc), and
    // before `r` can die: a responder destroyed while still marked inline would stash its 500
    // where nothing delivers it.
    struct clear_inline {
      ~clear_inline() { answering_inline = nullptr; }
    } clear_on_exit;
    try {
      state_->handler->handle(std::move(req),
                              [r](http_response resp) { r->send(std::move(resp)); });
    } catch (const std::exception&) {
      r->send(render(internal_error("Internal server error"), random_uuid_v4()));
    } catch (...) {
      r->send(render(internal_error("Internal server error"), random_uuid_v4()));
    }
    answering_inline = nullptr;  // before deliver(): nothing it calls may answer inline
    if (inline_answer_) {
      http_response answer = std::move(*inline_answer_);
      inline_answer_.reset();
      deliver(std::move(answer));
    }
  }

  void write(std::string&& wire, bool close) {
    response_ = std::move(wire);
    stream_.expires_after(state_->options.request_timeout);
    net::async_write(stream_, net::buffer(response_),
                     [self = shared_from_this(), close](beast::error_code ec, std::size_t) {
                       self->on_write(ec, close);
                     });
  }

  void on_write(beast::error_code ec, bool close) {
    std::string().swap(response_);  // a large page is not kept per connection
    if (in_flight_) {
      in_flight_ = false;
      std::lock_guard<std::mutex> lk(state_->mutex);
      --state_->in_flight;
      state_->cv.notify_all();
    }
    if (ec) return stream_.close();
    if (close || state_->stopping.load()) return linger_close();
    wait_for_request();
  }

  // Closing right after an error answer while the client is still sending (a refused large
  // body) would reset the connection and could destroy the answer in flight. Half-close and
  // discard what still arrives, briefly and boundedly, so the client gets to read it.
  void linger_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return stream_.close();
    stream_.expires_after(std::chrono::seconds(1));
    drained_ = 0;
    drain();
  }

  void drain() {
    stream_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > (1u << 20)) return self->stream_.close();
                              self->drain();
                            });
  }

  // Shared by every copy of one request's respond_fn; the first send() wins. If the handler
  // drops every copy without answering, the client still gets a 500 instead of a hung socket.
  struct responder {
    responder(std::weak_ptr<session> s, std::shared_ptr<shared_state> st, session* raw)
        : target(std::move(s)), state(std::move(st)), inline_target(raw) {}
    ~responder() {
      if (done.load()) return;
      try {
        send(
            render(internal_error("The request was dropped without a response"), random_uuid_v4()));
      } catch (...) {
        // Out of memory while answering: the connection times out instead.
      }
    }
    void send(http_response r) {
      if (done.exchange(true)) return;
      if (answering_inline == this) {  // inside dispatch(), which delivers it
        inline_target->inline_answer_.emplace(std::move(r));
        return;
      }
      std::lock_guard<std::mutex> lk(state->mutex);
      if (!state->accepting_responses) return;
      auto s = target.lock();  // destroyed before `lk` is released
      if (!s) return;
      net::post(s->executor(), [s, r = std::move(r)]() mutable { s->deliver(std::move(r)); });
    }

    std::weak_ptr<session> target;
    std::shared_ptr<shared_state> state;
    session* const inline_target;  // used only inside that session's dispatch()
    std::atomic<bool> done{false};
  };

  beast::tcp_stream stream_;
  const net::any_io_executor executor_;
  std::shared_ptr<shared_state> state_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string response_;                        // the bytes being written
  std::shared_ptr<session> self_;               // set while the handler owns the request
  std::optional<http_response> inline_answer_;  // answered inside dispatch(), delivered after
  bool first_request_ = true;
  bool in_flight_ = false;
  bool keep_alive_ = true;
  bool head_ = false;
  unsigned version_ = 11;
  std::size_t drained_ = 0;
  std::array<char, 4096> drain_buffer_{};
};

}  // namespace

struct http_server::impl {
  impl(server_options o, request_handler& h)
      : state(std::make_shared<shared_state>(std::move(o), h)),
        acceptor(net::make_strand(ioc)),
        accept_backoff(acceptor.get_executor()) {}

  void do_accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      on_accept(ec, std::move(socket));
    });
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
    if (ec) {
      // Out of descriptors and the like: back off instead of spinning on accept().
      accept_backoff.expires_after(std::chrono::milliseconds(50));
      accept_backoff.async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec && acceptor.is_open()) do_accept();
      });
      return;
    }
    if (state->stopping.load()) return;  // `socket` closes as it goes out of scope
    if (state->connections.load() >= state->options.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      state->connections.fetch_add(1);
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);  // small JSON answers: no Nagle delay
      std::make_shared<session>(std::move(socket), state)->start();
    }
    do_accept();
  }

  void run_thread() {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (...) {
        // An exception escaped a completion handler: keep serving the other connections.
      }
    }
  }

  std::vector<std::shared_ptr<session>> live_sessions() {
    std::vector<std::shared_ptr<session>> out;
    std::lock_guard<std::mutex> lk(state->registry_mutex);
    for (auto& kv : state->sessions)
      if (auto s = kv.second.lock()) out.push_back(std::move(s));
    return out;
  }

  std::shared_ptr<shared_state> state;
  net::io_context ioc;
  tcp::acceptor acceptor;
  net::steady_timer accept_backoff;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::atomic<std::uint16_t> bound_port{0};
  std::mutex lifecycle_mutex;  // start() and stop() never interleave
  bool started = false;
  bool stopped = false;
};

http_server::http_server(server_options options, request_handler& handler)
    : impl_(std::make_unique<impl>(std::move(options), handler)) {}

http_server::~http_server() {
  stop(std::chrono::milliseconds(0));
}

result<ok_t> http_server::start() {
  auto& m = *impl_;
  std::lock_guard<std::mutex> lk(m.lifecycle_mutex);
  const auto& o = m.state->options;
  if (m.started) return store_error{store_error::kind::invalid_argument, "server already started"};
  const std::string where = o.host + ":" + std::to_string(o.port);

  beast::error_code ec;
  std::vector<tcp::endpoint> endpoints;
  auto address = net::ip::make_address(o.host, ec);
  if (!ec) {
    endpoints.emplace_back(address, o.port);
  } else {
    tcp::resolver resolver(m.ioc);
    auto results = resolver.resolve(o.host, std::to_string(o.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec) {
      return store_error{store_error::kind::invalid_argument,
                         "cannot resolve listen address " + where + ": " + ec.message()};
    }
    for (const auto& r : results) endpoints.push_back(r.endpoint());
  }
  std::string last_error = "no address to listen on";
  for (const auto& ep : endpoints) {
    beast::error_code e;
    m.acceptor.open(ep.protocol(), e);
    if (!e) m.acceptor.set_option(net::socket_base::reuse_address(true), e);
    if (!e) m.acceptor.bind(ep, e);
    if (!e) m.acceptor.listen(net::socket_base::max_listen_connections, e);
    if (!e) {
      last_error.clear();
      break;
    }
    last_error = e.message();
    beast::error_code ignored;
    m.acceptor.close(ignored);
  }
  if (!last_error.empty())
    return store_error{store_error::kind::io, "cannot listen on " + where + ": " + last_error};
  m.bound_port = m.acceptor.local_endpoint(ec).port();

  m.started = true;
  m.work.emplace(m.ioc.get_executor());  // keeps run() alive while handlers own every request
  net::dispatch(m.acceptor.get_executor(), [&m] { m.do_accept(); });
  const int n = std::max(1, o.threads);
  m.threads.reserve(n);
  for (int i = 0; i < n; ++i) m.threads.emplace_back([&m] { m.run_thread(); });
  return ok_v;
}

std::uint16_t http_server::port() const {
  return impl_->bound_port.load();
}

void http_server::stop(std::chrono::milliseconds grace) {
  auto& m = *impl_;
  std::lock_guard<std::mutex> lk(m.lifecycle_mutex);
  if (!m.started || m.stopped) {
    m.stopped = true;
    return;
  }
  auto& st = *m.state;
  {
    std::lock_guard<std::mutex> state_lk(st.mutex);
    st.stopping = true;
  }
  // 1. No new connections; idle and half-read connections close now.
  net::post(m.acceptor.get_executor(), [&m] {
    beast::error_code ignored;
    m.acceptor.close(ignored);
    m.accept_backoff.cancel();
  });
  for (auto& s : m.live_sessions()) net::post(s->executor(), [s] { s->begin_shutdown(); });
  // 2. Requests the handler already owns get up to `grace` to be answered and written.
  {
    std::unique_lock<std::mutex> state_lk(st.mutex);
    st.cv.wait_for(state_lk, grace, [&st] { return st.in_flight == 0; });
    st.accepting_responses = false;  // from here a late respond() is dropped
  }
  // 3. Tear down: stop the loop, join, and close whatever is left.
  m.work.reset();
  m.ioc.stop();
  for (auto& t : m.threads) t.join();
  m.threads.clear();
  for (auto& s : m.live_sessions()) s->force_close();
  beast::error_code ignored;
  m.acceptor.close(ignored);
  m.stopped = true;
}

}  // namespace crs::api
