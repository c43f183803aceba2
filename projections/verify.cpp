#include "projections/verify.hpp"

#include <algorithm>
#include <exception>
#include <thread>
#include <unordered_map>

#include "actors/collaboration/check.hpp"
#include "actors/configured_table/check.hpp"
#include "events/read_ahead.hpp"
#include "events/run_parallel.hpp"
#include "projections/configured_table_rows.hpp"

namespace crs::projections {
namespace {

constexpr std::string_view collaboration_prefix = "collaboration-";
constexpr std::string_view table_prefix = "configured-table-";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

void verify_report::add(log_problem p) {
  ++problem_count;
  if (problems.size() < max_listed) problems.push_back(std::move(p));
}

void verify_report::add(row_mismatch m) {
  ++mismatch_count;
  if (mismatches.size() < max_listed) mismatches.push_back(std::move(m));
}

result<ok_t> log_replayer::advance(const events::event_store& store, verify_report& report,
                                   bool read_ahead, const progress_fn& progress,
                                   std::set<std::string>* changed) {
  // A request's events are consecutive in the log: they skip hashing the stream id again.
  std::string last_stream;
  cursor* last_cursor = nullptr;
  const std::uint64_t last = store.last_position();
  if (last + 1 < expected_)
    report.add(log_problem{last + 1,
                           {},
                           "the log ends at " + std::to_string(last) + ", but positions up to " +
                               std::to_string(expected_ - 1) + " were read before"});
  std::uint64_t resume = expected_;
  auto fold = [&](events::recorded_event& e) {
    ++report.events;
    const auto& env = e.env;
    if (env.position != expected_)
      report.add(log_problem{expected_,
                             {},
                             "positions " + std::to_string(expected_) + ".." +
                                 std::to_string(env.position - 1) + " are missing"});
    expected_ = env.position + 1;
    if (!last_cursor || env.stream != last_stream) {
      auto [it, fresh] = streams_.try_emplace(env.stream);
      cursor& c = it->second;
      if (fresh) {
        if (starts_with(env.stream, collaboration_prefix)) {
          c.collaboration = &log_.collaborations[env.stream];
        } else if (starts_with(env.stream, table_prefix)) {
          c.table = &log_.configured_tables[env.stream];
          c.table->id = env.stream.substr(table_prefix.size());
        }
      }
      last_stream = env.stream;
      last_cursor = &c;
      if (changed) changed->insert(env.stream);
    }
    cursor& c = *last_cursor;
    if (env.version != c.version + 1)
      report.add(log_problem{env.position, env.stream,
                             "stream version " + std::to_string(env.version) + " follows " +
                                 std::to_string(c.version)});
    c.version = env.version;
    if (c.collaboration) {
      if (auto why = collaboration::why_not_applicable(*c.collaboration, e.payload))
        report.add(log_problem{env.position, env.stream, env.type + " does not apply: " + *why});
      collaboration::apply(*c.collaboration, e.payload, env.time);
    } else if (c.table) {
      if (auto why = configured_table::why_not_applicable(*c.table, e.payload))
        report.add(log_problem{env.position, env.stream, env.type + " does not apply: " + *why});
      configured_table::apply(*c.table, e.payload, env.time);
    } else {
      report.add(log_problem{env.position, env.stream, "unknown stream kind"});
    }
    if (progress && (report.events & 0x3fff) == 0) progress(env.position, last);
    return true;
  };
  while (resume <= last) {
    const std::uint64_t before = report.events;
    // Reading and decoding run on three more threads, folding on this one (three readers
    // beat two on two cores: a reader also waits, on its queue and on RocksDB).
    events::read_ahead_options ahead;
    ahead.readers = 3;
    auto scanned = read_ahead ? events::read_all_ahead(store, resume, last, fold, ahead)
                              : store.read_all(resume, last, fold);
    const std::uint64_t visited = report.events - before;
    if (scanned.ok()) break;
    if (scanned.error().code != store_error::kind::corruption) return scanned.error();
    // The entry after the last good one does not decode: name it, then step past it.
    const std::uint64_t bad = visited ? expected_ : resume;
    if (visited || resume == expected_)
      report.add(log_problem{bad, {}, "the event does not decode: " + scanned.error().message});
    resume = visited ? expected_ + 1 : resume + 1;
    expected_ = resume;
  }
  if (expected_ <= last) {
    report.add(log_problem{
        expected_,
        {},
        "positions " + std::to_string(expected_) + ".." + std::to_string(last) + " are missing"});
    expected_ = last + 1;
  }
  report.streams = streams_.size();
  if (progress) progress(last, last);
  return ok_v;
}

result<ok_t> log_replayer::check_heads(const events::event_store& store,
                                       verify_report& report) const {
  auto heads = store.list_heads();
  if (!heads) return heads.error();
  for (const auto& [stream, head] : heads.value()) {
    auto it = streams_.find(stream);
    const std::uint64_t seen = it == streams_.end() ? 0 : it->second.version;
    if (head != seen)
      report.add(log_problem{
          0, stream,
          "head says version " + std::to_string(head) + ", the log holds " + std::to_string(seen)});
  }
  return ok_v;
}

result<replayed_log> replay_log(const events::event_store& store, verify_report& report,
                                const progress_fn& progress) {
  log_replayer replayer;
  if (auto folded = replayer.advance(store, report, true, progress); !folded) return folded.error();
  if (report.events == 0 && store.last_position() == 0) return std::move(replayer).take();
  if (auto heads = replayer.check_heads(store, report); !heads) return heads.error();
  return std::move(replayer).take();
}

std::vector<row_set> render_rows(const replayed_log& log) {
  // Rendering is most of a rebuild's CPU and each stream renders alone, so contiguous runs of
  // streams render on up to four threads, a part each.
  std::vector<std::function<row_set()>> jobs;
  jobs.reserve(log.collaborations.size() + log.configured_tables.size());
  for (const auto& entry : log.collaborations)
    jobs.push_back([&s = entry.second] { return rows(s); });
  for (const auto& entry : log.configured_tables)
    jobs.push_back([&s = entry.second] { return rows(s); });
  const std::size_t workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
  const std::size_t per = (jobs.size() + workers - 1) / workers;
  std::vector<row_set> parts(workers);
  std::vector<std::exception_ptr> failed(workers);
  auto render = [&](std::size_t w) {
    try {
      for (std::size_t i = w * per; i < std::min(jobs.size(), (w + 1) * per); ++i) {
        auto r = jobs[i]();
        parts[w].merge(r);  // splices the nodes: no copy of a row
      }
    } catch (...) {
      failed[w] = std::current_exception();
    }
  };
  const std::size_t runs = per ? (jobs.size() + per - 1) / per : 1;  // no stream: one empty run
  events::run_parallel(runs, render);
  for (auto& f : failed)
    if (f) std::rethrow_exception(f);
  return parts;
}

row_set rebuild_rows(const replayed_log& log) {
  // Merged in stream order, so the result is the same as rendering stream by stream: a key two
  // streams rendered keeps the first's row.
  auto parts = render_rows(log);
  row_set all = std::move(parts[0]);
  for (std::size_t w = 1; w < parts.size(); ++w) all.merge(parts[w]);
  return all;
}

void compare_views(const events::event_store& store, const row_set& expected,
                   verify_report& report) {
  auto want = expected.begin();
  store.scan_views("", "", [&](std::string_view key, std::string_view value) {
    ++report.rows;
    while (want != expected.end() && want->first < key) {
      report.add(row_mismatch{want->first, std::nullopt, want->second});
      ++want;
    }
    if (want != expected.end() && want->first == key) {
      if (want->second != value)
        report.add(row_mismatch{want->first, std::string(value), want->second});
      ++want;
    } else {
      report.add(row_mismatch{std::string(key), std::string(value), std::nullopt});
    }
    return true;
  });
  for (; want != expected.end(); ++want)
    report.add(row_mismatch{want->first, std::nullopt, want->second});
}

}  // namespace crs::projections
