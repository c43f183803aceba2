// Activation cost of one long collaboration stream: full replay versus snapshot + tail.
//
//   activation_bench [--events N] [--runs R] [--dir PATH]
//
// Builds one collaboration of N events (default 10,000) through the real decider in a fresh
// RocksDB store (unsynced appends: only the fixture is built that way), then times activate()
// R times (default 9) for each case and prints the median, min and max. Reads are warm (same
// open store, OS and block caches hot): this measures decode + evolve, not cold disk I/O.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "actors/activation.hpp"
#include "actors/collaboration/decide.hpp"
#include "events/event_store.hpp"
#include "snapshots/collaboration_snapshot.hpp"

namespace {

using namespace crs;
namespace fs = std::filesystem;

const std::string creator = "111111111111";
const std::string querier = "222222222222";
const std::string provider = "333333333333";
const std::string cid = "0b8a5f4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b";

struct flags {
  std::uint64_t events = 10'000;
  int runs = 9;
  std::string dir;
};

bool parse(int argc, char** argv, flags& f) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) return false;
    if (a == "--events")
      f.events = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--runs")
      f.runs = std::atoi(argv[++i]);
    else if (a == "--dir")
      f.dir = argv[++i];
    else
      return false;
  }
  return f.events >= 100 && f.runs >= 1;
}

// Drives commands through decide, appending each accepted one as its own request (as the actor
// does); requests go to the store in batches of `batch` to build the fixture quickly.
struct fixture {
  events::event_store& store;
  collaboration::state state;
  time_ms clock = 1'700'000'000'000;
  int ids = 0;
  std::vector<events::append_request> pending;

  decide_context as(const std::string& account) {
    decide_context ctx;
    ctx.caller = account;
    ctx.region = "us-east-1";
    ctx.request_id = "bench";
    ctx.now = clock += 1000;
    char buf[40];
    std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", ++ids);
    ctx.fresh_id = buf;
    return ctx;
  }

  bool run(const collaboration::command& c, decide_context ctx) {
    auto d = collaboration::decide(state, c, ctx);
    if (!d) {
      std::fprintf(stderr, "command rejected: %s\n", d.error().message.c_str());
      return false;
    }
    if (d.value().empty()) return true;
    events::append_request req;
    req.stream = collaboration::stream_id(cid);
    req.expected_version = state.version;
    req.time = ctx.now;
    req.account = ctx.caller;
    req.request_id = ctx.request_id;
    for (const auto& e : d.value()) collaboration::apply(state, e, ctx.now);
    req.events = std::move(d.value());
    pending.push_back(std::move(req));
    return pending.size() < 500 || flush();
  }

  bool flush() {
    std::vector<const events::append_request*> batch;
    for (const auto& r : pending) batch.push_back(&r);
    auto out = store.append_batch(batch);
    pending.clear();
    for (const auto& r : out)
      if (!r) {
        std::fprintf(stderr, "append failed: %s\n", r.error().message.c_str());
        return false;
      }
    return true;
  }
};

// A state of realistic size: three members, two memberships with result configurations, a few
// dozen tags; then one-event commands (UpdateMembership, TagResource, UpdateCollaboration) in
// turn until the stream holds `total` events. `keep_at` receives the state at that version.
bool build(fixture& fx, std::uint64_t total, std::uint64_t keep_at, collaboration::state& kept) {
  collaboration::create_collaboration c;
  c.name = "bench";
  c.description = "activation benchmark";
  c.creator_display_name = "Creator";
  c.creator_abilities = {member_ability::can_receive_results};
  c.members = {member_spec{querier, "querier", {member_ability::can_query}, {}, {}},
               member_spec{provider, "provider", {}, {}, {}}};
  c.query_log = log_status::enabled;
  c.engine = analytics_engine::clean_rooms_sql;
  auto ctx = fx.as(creator);
  ctx.fresh_id = cid;
  if (!fx.run(c, ctx)) return false;
  collaboration::create_membership join;
  join.default_result = query_result_config{result_format::parquet, "results", "out/", {}, {}};
  if (!fx.run(join, fx.as(creator))) return false;
  if (!fx.run(collaboration::create_membership{}, fx.as(querier))) return false;
  const auto collab_arn = collaboration::collaboration_arn(fx.state);
  const auto creator_ms = fx.state.member(creator)->membership_id.value();

  for (std::uint64_t i = 0; fx.state.version < total; ++i) {
    if (fx.state.version == keep_at) kept = fx.state;
    bool ok = true;
    switch (i % 3) {
      case 0: {
        collaboration::update_membership u;
        u.membership_id = creator_ms;
        u.query_log = (i & 1) ? log_status::enabled : log_status::disabled;
        u.default_result =
            query_result_config{result_format::csv, "bucket-" + std::to_string(i % 7), {}, {}, {}};
        ok = fx.run(u, fx.as(creator));
        break;
      }
      case 1:
        ok = fx.run(
            collaboration::tag_resource{
                collab_arn, {{"key-" + std::to_string(i % 40), "value-" + std::to_string(i)}}},
            fx.as(creator));
        break;
      case 2:
        ok = fx.run(collaboration::update_collaboration{"name-" + std::to_string(i), {}, {}},
                    fx.as(creator));
        break;
    }
    if (!ok) return false;
  }
  if (fx.state.version == keep_at) kept = fx.state;
  return fx.flush();
}

struct timing {
  double median_ms, min_ms, max_ms;
  activation_stats stats;
  std::uint64_t version;
};

bool measure(const events::event_store& store, int runs, timing& out) {
  std::vector<double> ms;
  for (int r = 0; r < runs; ++r) {
    activation_stats stats;
    auto t0 = std::chrono::steady_clock::now();
    auto s = activate(store, cid, &stats);
    auto t1 = std::chrono::steady_clock::now();
    if (!s) {
      std::fprintf(stderr, "activate failed: %s\n", s.error().message.c_str());
      return false;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    out.stats = stats;
    out.version = s->version;
  }
  std::sort(ms.begin(), ms.end());
  out.median_ms = ms[ms.size() / 2];
  out.min_ms = ms.front();
  out.max_ms = ms.back();
  return true;
}

// Replaces the stream's snapshot without appending events (expected_version = the head).
bool put_snapshot(events::event_store& store, std::string bytes) {
  events::append_request req;
  req.stream = collaboration::stream_id(cid);
  req.expected_version = store.head_version(req.stream);
  req.snapshot = std::move(bytes);
  auto out = store.append_batch({&req});
  return out.at(0).ok();
}

}  // namespace

int main(int argc, char** argv) {
  flags f;
  if (!parse(argc, argv, f)) {
    std::fprintf(stderr, "usage: activation_bench [--events N>=100] [--runs R>=1] [--dir PATH]\n");
    return 2;
  }
  const bool own_dir = f.dir.empty();
  if (own_dir)
    f.dir = (fs::temp_directory_path() /
             ("crs-activation-bench-" + std::to_string(std::random_device{}())))
                .string();
  events::store_options opts;
  opts.sync = false;
  auto opened = events::event_store::open(f.dir, opts);
  if (!opened) {
    std::fprintf(stderr, "cannot open %s: %s\n", f.dir.c_str(), opened.error().message.c_str());
    return 1;
  }
  auto& store = *opened.value();
  if (store.last_position() != 0) {
    std::fprintf(stderr, "%s is not empty: give a fresh --dir\n", f.dir.c_str());
    return 1;
  }

  // The worst case of --snapshot-every 100: the snapshot is 99 events behind the head.
  const std::uint64_t behind = 99;
  fixture fx{store, {}, 1'700'000'000'000, 0, {}};
  collaboration::state at_behind;
  auto t0 = std::chrono::steady_clock::now();
  if (!build(fx, f.events, f.events - behind, at_behind)) return 1;
  auto t1 = std::chrono::steady_clock::now();
  std::printf("fixture: %llu events in one stream, built in %.0f ms\n",
              static_cast<unsigned long long>(fx.state.version),
              std::chrono::duration<double, std::milli>(t1 - t0).count());

  struct row {
    const char* name;
    timing t;
  };
  std::vector<row> rows;
  timing t{};
  if (!measure(store, f.runs, t)) return 1;
  rows.push_back({"full replay (no snapshot)", t});

  if (!put_snapshot(store, snapshots::encode_snapshot(at_behind))) return 1;
  if (!measure(store, f.runs, t)) return 1;
  rows.push_back({"snapshot 99 behind head", t});

  const auto head_bytes = snapshots::encode_snapshot(fx.state);
  if (!put_snapshot(store, head_bytes)) return 1;
  if (!measure(store, f.runs, t)) return 1;
  rows.push_back({"snapshot at head", t});

  std::printf("snapshot size at head: %zu bytes; %d runs per case\n\n", head_bytes.size(), f.runs);
  std::printf("%-28s %10s %10s %10s %10s %10s\n", "case", "from", "replayed", "median_ms", "min_ms",
              "max_ms");
  for (const auto& r : rows) {
    if (r.t.version != fx.state.version) {
      std::fprintf(stderr, "%s: activated at version %llu, expected %llu\n", r.name,
                   static_cast<unsigned long long>(r.t.version),
                   static_cast<unsigned long long>(fx.state.version));
      return 1;
    }
    std::printf("%-28s %10llu %10llu %10.3f %10.3f %10.3f\n", r.name,
                static_cast<unsigned long long>(r.t.stats.snapshot_version),
                static_cast<unsigned long long>(r.t.stats.events_replayed), r.t.median_ms,
                r.t.min_ms, r.t.max_ms);
  }
  std::printf("\nspeed-up at head: %.0fx; 99 behind: %.0fx\n",
              rows[0].t.median_ms / rows[2].t.median_ms, rows[0].t.median_ms / rows[1].t.median_ms);
  store.close();
  if (own_dir) fs::remove_all(f.dir);
  return 0;
}
