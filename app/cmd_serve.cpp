// `cleanroomsd serve`: wires the ports (system clock, random ids) to the store, the journal, the
// actor registry and the HTTP front end, and owns the shutdown order:
// stop accepting -> finish in-flight requests -> stop actors -> drain the journal -> close.
#include <pthread.h>
#include <chrono>
#include <csignal>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "actors/registry.hpp"
#include "api/dispatcher.hpp"
#include "api/http_server.hpp"
#include "api/uuid.hpp"
#include "app/admin_file.hpp"
#include "app/commands.hpp"
#include "app/query_ports.hpp"
#include "catalog/catalog.hpp"
#include "events/event_store.hpp"
#include "events/journal.hpp"

namespace crs::app {
namespace {

namespace catalog = crs::catalog;

struct serve_flags {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "./data";
  std::string default_account = "000000000000";
  std::string default_region = "us-east-1";
  int http_threads = 2;
  std::size_t max_body_bytes = 1u << 20;
  std::size_t max_connections = 1024;
  int request_timeout_seconds = 30;
  int idle_timeout_seconds = 60;
  bool no_sync = false;
  std::uint64_t snapshot_every = 100;
  std::size_t max_resident_actors = 10000;
  std::string catalog_dir;  // empty: <data-dir>/catalog
  bool strict_catalog = false;
  bool strict_rule_deletion = false;
  std::string results_dir;  // empty: <data-dir>/results
  int query_workers = 2;
  int query_timeout_seconds = 300;
  std::string auth = "open";  // open | sigv4
  std::string credentials;    // the shared-credentials file of --auth sigv4
};

// The catalog port of the configured table actors: what the local catalog says of a reference.
// A file that exists but cannot be used is reported as such (a ValidationException naming the
// problem), never silently treated as missing.
std::function<configured_table::catalog_facts(const table_reference&)> catalog_port(
    std::shared_ptr<const catalog::local_catalog> cat, bool strict) {
  return [cat = std::move(cat), strict](const table_reference& ref) {
    configured_table::catalog_facts facts;
    facts.strict = strict;
    auto found = cat->lookup(ref);
    switch (found.what) {
      case catalog::lookup_result::status::found:
        facts.found = true;
        facts.columns = found.found.all_names();
        break;
      case catalog::lookup_result::status::broken:
        spdlog::warn("catalog: {}", found.problem);
        facts.found = true;
        facts.problem = found.problem;
        break;
      case catalog::lookup_result::status::missing:
        break;
    }
    return facts;
  };
}

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
  // Loaded before anything else starts, so a bad file stops the server with the reason.
  std::shared_ptr<const crs::api::credential_store> credentials;
  if (f.auth == "sigv4") {
    if (f.credentials.empty()) {
      spdlog::error(
          "--auth sigv4 needs --credentials FILE (an AWS shared-credentials file whose "
          "profiles carry aws_access_key_id, aws_secret_access_key, aws_account_id)");
      return 2;
    }
    auto loaded = crs::api::credential_store::load(f.credentials);
    if (!loaded) {
      spdlog::error("--credentials: {}", loaded.error().message);
      return 2;
    }
    credentials = std::make_shared<const crs::api::credential_store>(std::move(loaded.value()));
    spdlog::info("auth sigv4: {} identities from {}", credentials->size(), f.credentials);
  } else if (!f.credentials.empty()) {
    spdlog::error("--credentials is only read with --auth sigv4");
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

  const std::filesystem::path catalog_dir = f.catalog_dir.empty()
                                                ? std::filesystem::path(f.data_dir) / "catalog"
                                                : std::filesystem::path(f.catalog_dir);
  auto cat = std::make_shared<const crs::catalog::local_catalog>(catalog_dir);
  spdlog::info(
      "data catalog: {} ({})", catalog_dir.string(),
      f.strict_catalog ? "strict: tables must exist" : "tables missing from it are accepted");

  crs::events::journal journal(*store.value());
  crs::registry_options ropts;
  ropts.snapshot_every = f.snapshot_every;
  ropts.max_resident = f.max_resident_actors;
  ropts.catalog = catalog_port(cat, f.strict_catalog);
  ropts.strict_rule_deletion = f.strict_rule_deletion;
  crs::registry actors(*store.value(), journal, ropts);
  crs::api::dispatcher_options dopts;
  dopts.default_account = f.default_account;
  dopts.default_region = f.default_region;
  dopts.credentials = credentials;
  dopts.admin.token = new_admin_token();
  dopts.catalog = cat;
  dopts.strict_catalog = f.strict_catalog;
  dopts.admin.disk_full = [&store](bool on) { store.value()->inject_disk_full(on); };
  dopts.admin.backup = [&store](const std::string& dest) -> result<std::uint64_t> {
    const auto position = store.value()->last_position();
    auto done = store.value()->checkpoint(dest);
    if (!done) return done.error();
    return position;
  };
  // Protected queries run on the runner's threads; S3 outputs land under the results dir.
  crs::query::runner_options qopts;
  qopts.workers = static_cast<std::size_t>(f.query_workers);
  qopts.results_dir = f.results_dir.empty() ? std::filesystem::path(f.data_dir) / "results"
                                            : std::filesystem::path(f.results_dir);
  qopts.limits.timeout = std::chrono::seconds(f.query_timeout_seconds);
  crs::query::runner queries(
      qopts,
      query_runner_ports(actors, *store.value(), cat, &wall_clock_ms, &crs::api::random_uuid_v4),
      crs::query::make_sqlite_engine());
  spdlog::info("protected queries: {} workers, timeout {} s, results in {}", qopts.workers,
               f.query_timeout_seconds, qopts.results_dir.string());
  crs::api::dispatcher_ports dports;
  dports.now = &wall_clock_ms;
  dports.new_id = &crs::api::random_uuid_v4;
  dports.run_query = [&queries](const std::string& cid, const std::string& mid,
                                const crs::account_id& account, const std::string& qid,
                                const std::string& rid) {
    if (!queries.submit({cid, mid, qid, account, rid}))
      spdlog::error("query {}: the runner's queue is full; it stays SUBMITTED until restart", qid);
  };
  dports.cancel_query = [&queries](const std::string& qid) { queries.cancel(qid); };
  dports.cancel_queries_of = [&queries](const std::string& cid, const crs::account_id& account) {
    queries.cancel_of(cid, account);
  };
  crs::api::dispatcher dispatcher(*store.value(), actors, dopts, dports);
  // Before the server takes requests, so a query is never submitted by both (the runner takes
  // each once anyway).
  if (auto n = resubmit_unfinished(*store.value(), queries))
    spdlog::info("{} unfinished protected queries submitted again", n);
  crs::api::server_options sopts;
  sopts.host = host;
  sopts.port = port;
  sopts.threads = f.http_threads;
  sopts.max_body_bytes = f.max_body_bytes;
  sopts.max_connections = f.max_connections;
  sopts.request_timeout = std::chrono::seconds(f.request_timeout_seconds);
  sopts.idle_timeout = std::chrono::seconds(f.idle_timeout_seconds);
  crs::api::http_server server(sopts, dispatcher);
  if (auto started = server.start(); !started) {
    spdlog::error("cannot listen on {}: {}", f.listen, started.error().message);
    return 1;
  }
  if (credentials)
    spdlog::info("cleanroomsd listening on http://{}:{} (SigV4 verified, default region {})", host,
                 server.port(), f.default_region);
  else
    spdlog::info("cleanroomsd listening on http://{}:{} (open: default account {}, region {})",
                 host, server.port(), f.default_account, f.default_region);
  if (!write_admin_file(f.data_dir, admin_endpoint{host, server.port(), dopts.admin.token}))
    spdlog::warn("cannot write {}: `cleanroomsd backup` will not reach this server",
                 admin_file_path(f.data_dir));

  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("received {}, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  remove_admin_file(f.data_dir);
  server.stop(std::chrono::milliseconds(5000));
  // Running queries are interrupted unreported (they run again after a restart); the runner
  // goes before the actors its reports need.
  queries.stop();
  actors.stop();
  journal.stop();
  store.value()->close();
  spdlog::info("shutdown complete");
  return 0;
}

}  // namespace

void add_serve(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<serve_flags>();
  auto* cmd = app.add_subcommand("serve", "Serve the Clean Rooms API over HTTP");
  cmd->add_option("--listen", f->listen, "HOST:PORT to listen on")->capture_default_str();
  cmd->add_option("--data-dir", f->data_dir, "Directory of the RocksDB event store")
      ->capture_default_str();
  cmd->add_option("--auth", f->auth,
                  "open: the access key id names the account, signatures are not checked; "
                  "sigv4: every request must carry a valid SigV4 signature of a --credentials "
                  "identity")
      ->check(CLI::IsMember({"open", "sigv4"}))
      ->capture_default_str();
  cmd->add_option("--credentials", f->credentials,
                  "With --auth sigv4: AWS shared-credentials file, one [profile] per identity "
                  "with aws_access_key_id, aws_secret_access_key and aws_account_id");
  cmd->add_option("--default-account", f->default_account,
                  "Open mode: account of callers whose access key id is not a 12-digit account "
                  "id")
      ->capture_default_str();
  cmd->add_option("--default-region", f->default_region,
                  "Region of requests without a SigV4 credential scope")
      ->capture_default_str();
  cmd->add_option("--http-threads", f->http_threads, "HTTP I/O threads")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--max-body-bytes", f->max_body_bytes, "Largest accepted request body")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{64} << 20))
      ->capture_default_str();
  cmd->add_option("--max-connections", f->max_connections,
                  "Open connections at most; more are closed at once")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  cmd->add_option("--request-timeout", f->request_timeout_seconds,
                  "Seconds a request may take to arrive whole (slow clients are disconnected)")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd->add_option("--idle-timeout", f->idle_timeout_seconds,
                  "Seconds a keep-alive connection may idle between requests")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd->add_flag("--no-sync", f->no_sync,
                "Do not fsync the log (benchmarks only: acknowledged writes may be lost)");
  cmd->add_option("--snapshot-every", f->snapshot_every,
                  "Snapshot a collaboration every N events (0 = never)")
      ->capture_default_str();
  cmd->add_option("--max-resident-actors", f->max_resident_actors,
                  "Collaboration and configured table actors kept in memory; the least recently "
                  "used beyond this are passivated (reactivated from snapshot + log on next use)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}))
      ->capture_default_str();
  cmd->add_option("--catalog-dir", f->catalog_dir,
                  "Local data catalog: DIR/<database>/<table>.csv stands for a Glue table "
                  "(default: <data-dir>/catalog)");
  cmd->add_flag("--strict-catalog", f->strict_catalog,
                "Reject configured tables whose table is missing from the catalog");
  cmd->add_flag("--strict-rule-deletion", f->strict_rule_deletion,
                "Refuse DeleteConfiguredTableAnalysisRule (ConflictException) while an unfinished "
                "protected query reads the table");
  cmd->add_option("--results-dir", f->results_dir,
                  "Where protected query results go: an S3 output s3://B/P/ is written to "
                  "DIR/B/P/<queryId>/result.csv (default: <data-dir>/results)");
  cmd->add_option("--query-workers", f->query_workers, "Protected queries run at once")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--query-timeout", f->query_timeout_seconds,
                  "Seconds a protected query may run before it is TIMED_OUT")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  cmd->callback([f, &exit_code] { exit_code = serve(*f); });
}

}  // namespace crs::app
