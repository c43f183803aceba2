// Durable appends per second through the journal versus its ceiling, raw RocksDB, in one run.
//
//   journal_bench [--seconds S] [--writers 1,16,64] [--dir PARENT]
//   journal_bench --read-log DIR [--runs R] [--decode]
//
// Appends: each writer thread is closed-loop (it waits for its append to be durable before
// making the next). An append is what the server writes for one CreateCollaboration: the events
// the real decider emits and their projection rows, for a fresh collaboration of a fresh account.
//   journal  events::journal over a fresh synced events::event_store (one writer thread takes
//            everything queued, one synced WriteBatch per turn);
//   raw      rocksdb::DB directly, the same column families and the same keys and values (the
//            envelope encoded by the same codec), one synced WriteBatch per append written by
//            the writer thread itself: concurrent writers are grouped by RocksDB's own write
//            group commit. That is the ceiling the journal's batching is measured against.
// Output: a table, then one `RESULT ...` line per case for scripts.
//
// --read-log: iterates the `log` column family of a data directory (read-only) and prints
// entries/s: the ceiling of anything that folds the whole log (rebuild-projections). With
// --decode it also reads through event_store::read_all (decode of every envelope + payload).
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "actors/collaboration/decide.hpp"
#include "events/codec.hpp"
#include "events/event_store.hpp"
#include "events/journal.hpp"
#include "events/store_keys.hpp"
#include "projections/collaboration_rows.hpp"

using namespace crs;
namespace fs = std::filesystem;

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

// One writer's source of CreateCollaboration appends: fresh collaboration id, fresh creator.
struct request_maker {
  int writer;
  std::uint64_t n = 0;

  events::append_request next() {
    ++n;
    char cid[40], account[16], rid[40];
    std::snprintf(cid, sizeof cid, "%08x-0000-4000-8000-%012llx", static_cast<unsigned>(writer),
                  static_cast<unsigned long long>(n));
    std::snprintf(account, sizeof account, "%02d%010llu", writer % 100,
                  static_cast<unsigned long long>(n % 10000000000ull));
    std::snprintf(rid, sizeof rid, "%08x-1111-4000-8000-%012llx", static_cast<unsigned>(writer),
                  static_cast<unsigned long long>(n));
    collaboration::create_collaboration c;
    c.name = "bench";
    c.description = "bench";
    c.creator_display_name = "creator";
    c.creator_abilities = {member_ability::can_receive_results};
    c.members = {member_spec{"999999999999", "querier", {member_ability::can_query}, {}, {}}};
    c.query_log = log_status::disabled;
    decide_context ctx;
    ctx.caller = account;
    ctx.region = "us-east-1";
    ctx.request_id = rid;
    ctx.now = 1'700'000'000'000 + static_cast<time_ms>(n);
    ctx.fresh_id = cid;
    collaboration::state s;
    auto d = collaboration::decide(s, c, ctx);
    if (!d || d.value().empty()) {
      std::fprintf(stderr, "journal_bench: the decider refused the create\n");
      std::exit(1);
    }
    auto before = s;
    for (const auto& e : d.value()) collaboration::apply(s, e, ctx.now);
    return events::append_request{
        collaboration::stream_id(cid),
        0,
        ctx.now,
        ctx.caller,
        ctx.request_id,
        d.value(),
        projections::diff(projections::rows(before), projections::rows(s)),
        std::nullopt};
  }
};

struct case_result {
  std::uint64_t appends = 0;
  double seconds = 0;
  double bytes_per_append = 0;
  double events_per_append = 0;
  double make_us = 0;             // CPU to make one request (decide + rows), in both cases
  double requests_per_batch = 0;  // journal: requests per append_batch call (whole run)
  double rate() const { return seconds > 0 ? appends / seconds : 0; }
};

// Starts `writers` threads, each calling `one(its maker)` (false = failure) in a closed
// loop for `seconds`; counts completions until the deadline.
template <class F>
case_result run_closed_loop(int writers, double seconds, F one) {
  std::atomic<bool> go{false}, stop{false}, failed{false};
  std::atomic<std::uint64_t> done{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w)
    threads.emplace_back([&, w] {
      request_maker maker{w + 1};
      while (!go.load()) std::this_thread::yield();
      while (!stop.load()) {
        if (!one(maker)) {
          failed = true;
          return;
        }
        done.fetch_add(1, std::memory_order_relaxed);
      }
    });
  const auto t0 = clock_type::now();
  go = true;
  while (seconds_since(t0) < seconds && !failed.load())
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  case_result r;
  r.appends = done.load();
  r.seconds = seconds_since(t0);
  stop = true;
  for (auto& t : threads) t.join();
  if (failed.load()) {
    std::fprintf(stderr, "journal_bench: an append failed\n");
    std::exit(1);
  }
  return r;
}

case_result bench_journal(const std::string& dir, int writers, double seconds) {
  events::store_options opts;
  opts.sync = true;
  auto opened = events::event_store::open(dir, opts);
  if (!opened) {
    std::fprintf(stderr, "journal_bench: open %s: %s\n", dir.c_str(),
                 opened.error().message.c_str());
    std::exit(1);
  }
  auto& store = *opened.value();
  case_result r;
  {
    events::journal j(store);
    r = run_closed_loop(writers, seconds, [&](request_maker& maker) {
      auto req = maker.next();
      std::mutex mu;
      std::condition_variable cv;
      bool finished = false, ok = false;
      j.submit(std::move(req), [&](result<events::append_outcome> out) {
        std::lock_guard<std::mutex> lock(mu);
        finished = true;
        ok = out.ok();
        cv.notify_one();
      });
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return finished; });
      return ok;
    });
    j.stop();
    const auto st = j.stats();
    r.requests_per_batch = st.batches ? static_cast<double>(st.requests) / st.batches : 0;
  }
  store.close();
  return r;
}

// The store's column families, so the raw case writes the same keys to the same families.
const char* const family_names[] = {"default", "log",       "streams", "heads",
                                    "views",   "snapshots", "meta"};
enum { cf_log = 1, cf_streams = 2, cf_heads = 3, cf_views = 4 };

struct raw_db {
  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;

  explicit raw_db(const std::string& dir) {
    rocksdb::DBOptions o;
    o.create_if_missing = true;
    o.create_missing_column_families = true;
    o.max_background_jobs = 2;  // as the store
    o.keep_log_file_num = 4;
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* n : family_names) {
      rocksdb::ColumnFamilyOptions cf;
      cf.level_compaction_dynamic_level_bytes = true;
      families.emplace_back(n, cf);
    }
    auto s = rocksdb::DB::Open(o, dir, families, &handles, &db);
    if (!s.ok()) {
      std::fprintf(stderr, "journal_bench: raw open %s: %s\n", dir.c_str(), s.ToString().c_str());
      std::exit(1);
    }
  }
  ~raw_db() {
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
  }
};

// What event_store::append_batch writes for one request, by hand: the envelopes and their
// stream index, the head, the projection rows. `cf` indexes the families (null: the default).
void fill_batch(rocksdb::WriteBatch& wb, const events::append_request& req, std::uint64_t pos,
                rocksdb::ColumnFamilyHandle* const* cf) {
  auto family = [cf](int i) { return cf ? cf[i] : nullptr; };
  std::uint64_t version = 0;
  for (const auto& payload : req.events) {
    events::envelope env;
    env.position = ++pos;
    env.stream = req.stream;
    env.version = ++version;
    env.type = std::string(events::type_name(payload));
    env.time = req.time;
    env.account = req.account;
    env.request_id = req.request_id;
    wb.Put(family(cf_log), events::keys::u64(pos), events::encode(env, payload));
    wb.Put(family(cf_streams), events::keys::stream_version(req.stream, version),
           events::keys::u64(pos));
  }
  wb.Put(family(cf_heads), req.stream, events::keys::u64(version));
  for (const auto& v : req.views)
    v.erase ? wb.Delete(family(cf_views), v.key) : wb.Put(family(cf_views), v.key, v.value);
}

case_result bench_raw(const std::string& dir, int writers, double seconds) {
  raw_db raw(dir);
  std::atomic<std::uint64_t> position{0};
  auto r = run_closed_loop(writers, seconds, [&](request_maker& maker) {
    auto req = maker.next();
    rocksdb::WriteBatch wb;
    fill_batch(wb, req, position.fetch_add(req.events.size()), raw.handles.data());
    rocksdb::WriteOptions wo;
    wo.sync = true;
    return raw.db->Write(wo, &wb).ok();
  });
  return r;
}

// Bytes and events of one append, measured on a sample (the same maker as the cases).
void measure_size(case_result& r) {
  request_maker maker{99};
  double bytes = 0, evs = 0;
  const int sample = 2000;
  double make_s = 0;
  for (int i = 0; i < sample; ++i) {
    const auto t0 = clock_type::now();
    auto req = maker.next();
    make_s += seconds_since(t0);
    rocksdb::WriteBatch wb;
    fill_batch(wb, req, 1000000, nullptr);  // the default family: sizes differ by a byte or so
    bytes += wb.GetDataSize();
    evs += req.events.size();
  }
  r.bytes_per_append = bytes / sample;
  r.events_per_append = evs / sample;
  r.make_us = make_s / sample * 1e6;
}

std::vector<int> parse_list(const std::string& s) {
  std::vector<int> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(std::atoi(item.c_str()));
  return out;
}

int read_log(const std::string& dir, bool decode, int runs) {
  rocksdb::DBOptions o;
  std::vector<std::string> names;
  auto s = rocksdb::DB::ListColumnFamilies(o, dir, &names);
  if (!s.ok()) {
    std::fprintf(stderr, "journal_bench: %s: %s\n", dir.c_str(), s.ToString().c_str());
    return 1;
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  int log_index = -1;
  for (const auto& n : names) {
    if (n == "log") log_index = static_cast<int>(families.size());
    families.emplace_back(n, rocksdb::ColumnFamilyOptions());
  }
  if (log_index < 0) {
    std::fprintf(stderr, "journal_bench: %s has no log column family\n", dir.c_str());
    return 1;
  }
  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  s = rocksdb::DB::OpenForReadOnly(o, dir, families, &handles, &db);
  if (!s.ok()) {
    std::fprintf(stderr, "journal_bench: open %s: %s\n", dir.c_str(), s.ToString().c_str());
    return 1;
  }
  // The median of `runs` full passes (1 pass: as cold as the OS page cache leaves it).
  std::vector<double> times;
  std::uint64_t n = 0, bytes = 0;
  for (int r = 0; r < runs; ++r) {
    n = bytes = 0;
    const auto t0 = clock_type::now();
    std::unique_ptr<rocksdb::Iterator> it(
        db->NewIterator(rocksdb::ReadOptions(), handles[log_index]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++n;
      bytes += it->key().size() + it->value().size();
    }
    times.push_back(seconds_since(t0));
  }
  std::sort(times.begin(), times.end());
  double secs = times[times.size() / 2];
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  delete db;
  std::printf("raw read of the log: %llu entries, %.1f MB in %.4f s (median of %d)\n",
              static_cast<unsigned long long>(n), bytes / 1e6, secs, runs);
  std::printf("RESULT read_raw entries=%llu seconds=%.4f entries_per_s=%.0f\n",
              static_cast<unsigned long long>(n), secs, n / (secs > 0 ? secs : 1e-9));
  if (!decode) return 0;

  events::store_options opts;
  opts.read_only = true;
  opts.create_if_missing = false;
  auto opened = events::event_store::open(dir, opts);
  if (!opened) {
    std::fprintf(stderr, "journal_bench: open %s: %s\n", dir.c_str(),
                 opened.error().message.c_str());
    return 1;
  }
  auto& store = *opened.value();
  const auto t0 = clock_type::now();
  std::uint64_t decoded = 0;
  auto done = store.read_all(1, store.last_position(), [&](const events::recorded_event&) {
    ++decoded;
    return true;
  });
  secs = seconds_since(t0);
  if (!done) {
    std::fprintf(stderr, "journal_bench: read_all: %s\n", done.error().message.c_str());
    return 1;
  }
  std::printf("read_all (decode every event): %llu events in %.3f s\n",
              static_cast<unsigned long long>(decoded), secs);
  std::printf("RESULT read_decode entries=%llu seconds=%.4f entries_per_s=%.0f\n",
              static_cast<unsigned long long>(decoded), secs, decoded / (secs > 0 ? secs : 1e-9));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 5;
  std::vector<int> writers = {1, 16, 64};
  std::string parent, read_dir;
  bool decode = false;
  int runs = 1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "journal_bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--seconds")
      seconds = std::atof(value().c_str());
    else if (a == "--writers")
      writers = parse_list(value());
    else if (a == "--dir")
      parent = value();
    else if (a == "--read-log")
      read_dir = value();
    else if (a == "--runs")
      runs = std::max(1, std::atoi(value().c_str()));
    else if (a == "--decode")
      decode = true;
    else {
      std::fprintf(stderr,
                   "usage: journal_bench [--seconds S] [--writers 1,16,64] [--dir PARENT]\n"
                   "       journal_bench --read-log DIR [--runs R] [--decode]\n");
      return 2;
    }
  }
  if (!read_dir.empty()) return read_log(read_dir, decode, runs);
  if (seconds <= 0 || writers.empty()) return 2;

  const bool own_parent = parent.empty();
  if (own_parent)
    parent = (fs::temp_directory_path() /
              ("crs-journal-bench-" + std::to_string(std::random_device{}())))
                 .string();
  fs::create_directories(parent);

  case_result size;
  measure_size(size);
  std::printf("append = one CreateCollaboration: %.1f events, %.0f bytes of WriteBatch data\n",
              size.events_per_append, size.bytes_per_append);
  std::printf(
      "making one (decide + rows + diff) costs %.1f us of its writer thread, in both cases\n",
      size.make_us);
  std::printf("%.1f s per case, closed loop, synced (fsync) writes; data in %s\n\n", seconds,
              parent.c_str());
  std::printf("%8s %14s %14s %8s %14s\n", "writers", "journal_ap/s", "raw_ap/s", "ratio",
              "journal_batch");
  for (int w : writers) {
    // Alternate fresh directories so neither case inherits the other's files or compactions.
    const auto jdir = parent + "/journal-" + std::to_string(w);
    const auto rdir = parent + "/raw-" + std::to_string(w);
    auto raw = bench_raw(rdir, w, seconds);
    fs::remove_all(rdir);
    auto j = bench_journal(jdir, w, seconds);
    fs::remove_all(jdir);
    const double ratio = raw.rate() > 0 ? j.rate() / raw.rate() : 0;
    const double per_batch = j.requests_per_batch;
    std::printf("%8d %14.0f %14.0f %8.2f %14.1f\n", w, j.rate(), raw.rate(), ratio, per_batch);
    std::printf(
        "RESULT appends writers=%d journal_per_s=%.1f raw_per_s=%.1f ratio=%.3f "
        "bytes_per_append=%.0f events_per_append=%.1f journal_requests_per_batch=%.1f\n",
        w, j.rate(), raw.rate(), ratio, size.bytes_per_append, size.events_per_append, per_batch);
    std::fflush(stdout);
  }
  if (own_parent) fs::remove_all(parent);
  return 0;
}
