// cleanroomsd: the process boundary. Wires the ports (system clock, random ids) to the store,
// the journal, the actor registry and the HTTP front end, and owns the shutdown order:
// stop accepting -> finish in-flight requests -> stop actors -> drain the journal -> close.
#include <csignal>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <pthread.h>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "actors/registry.hpp"
#include "api/dispatcher.hpp"
#include "api/http_server.hpp"
#include "api/uuid.hpp"
#include "events/event_store.hpp"
#include "events/journal.hpp"

namespace {

struct serve_flags {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "./data";
  std::string default_account = "000000000000";
  std::string default_region = "us-east-1";
  int http_threads = 2;
  std::size_t max_body_bytes = 1u << 20;
  std::string log_level = "info";
  bool no_sync = false;
};

bool split_listen(const std::string& listen, std::string& host, std::uint16_t& port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  try {
    std::size_t used = 0;
    int p = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1 || p < 0 || p > 65535) return false;
    port = static_cast<std::uint16_t>(p);
  } catch (...) {
    return false;
  }
  return true;
}

crs::time_ms wall_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int serve(const serve_flags& f) {
  std::string host;
  std::uint16_t port = 0;
  if (!split_listen(f.listen, host, port)) {
    spdlog::error("--listen must be HOST:PORT, got '{}'", f.listen);
    return 2;
  }
  if (f.default_account.size() != 12 ||
      f.default_account.find_first_not_of("0123456789") != std::string::npos) {
    spdlog::error("--default-account must be 12 digits, got '{}'", f.default_account);
    return 2;
  }
  // Signals are handled by one thread with sigwait; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::error_code ec;
  std::filesystem::create_directories(f.data_dir, ec);
  if (ec) {
    spdlog::error("cannot create data dir {}: {}", f.data_dir, ec.message());
    return 1;
  }
  crs::events::store_options store_opts;
  store_opts.sync = !f.no_sync;
  auto store = crs::events::event_store::open(f.data_dir, store_opts);
  if (!store) {
    spdlog::error("cannot open the event store in {}: {}", f.data_dir, store.error().message);
    return 1;
  }
  spdlog::info("event store {} opened: {} events, durable writes {}", f.data_dir,
               store.value()->last_position(), store_opts.sync ? "on" : "OFF (--no-sync)");

  crs::events::journal journal(*store.value());
  crs::registry actors(*store.value(), journal);
  crs::api::dispatcher_options dopts;
  dopts.default_account = f.default_account;
  dopts.default_region = f.default_region;
  crs::api::dispatcher dispatcher(*store.value(), actors, dopts,
                                  crs::api::dispatcher_ports{&wall_clock_ms,
                                                             &crs::api::random_uuid_v4});
  crs::api::server_options sopts;
  sopts.host = host;
  sopts.port = port;
  sopts.threads = f.http_threads;
  sopts.max_body_bytes = f.max_body_bytes;
  crs::api::http_server server(sopts, dispatcher);
  if (auto started = server.start(); !started) {
    spdlog::error("cannot listen on {}: {}", f.listen, started.error().message);
    return 1;
  }
  spdlog::info("cleanroomsd listening on http://{}:{} (default account {}, region {})", host,
               server.port(), f.default_account, f.default_region);

  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("received {}, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  server.stop(std::chrono::milliseconds(5000));
  actors.stop();
  journal.stop();
  store.value()->close();
  spdlog::info("shutdown complete");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_mt("cleanroomsd");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  CLI::App app{"cleanroomsd: an AWS Clean Rooms control plane that runs anywhere"};
  app.require_subcommand(1);
  serve_flags f;
  auto* serve_cmd = app.add_subcommand("serve", "Serve the Clean Rooms API over HTTP");
  serve_cmd->add_option("--listen", f.listen, "HOST:PORT to listen on")->capture_default_str();
  serve_cmd->add_option("--data-dir", f.data_dir, "Directory of the RocksDB event store")
      ->capture_default_str();
  serve_cmd->add_option("--default-account", f.default_account,
                        "Account of callers whose access key id is not a 12-digit account id")
      ->capture_default_str();
  serve_cmd->add_option("--default-region", f.default_region,
                        "Region of requests without a SigV4 credential scope")
      ->capture_default_str();
  serve_cmd->add_option("--http-threads", f.http_threads, "HTTP I/O threads")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  serve_cmd->add_option("--max-body-bytes", f.max_body_bytes, "Largest accepted request body")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{64} << 20))
      ->capture_default_str();
  serve_cmd->add_option("--log-level", f.log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  serve_cmd->add_flag("--no-sync", f.no_sync,
                      "Do not fsync the log (benchmarks only: acknowledged writes may be lost)");
  CLI11_PARSE(app, argc, argv);

  spdlog::set_level(spdlog::level::from_str(f.log_level));
  if (*serve_cmd) return serve(f);
  return 0;
}
