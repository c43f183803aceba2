#include "projections/verify.hpp"

#include "actors/collaboration/check.hpp"
#include "actors/configured_table/check.hpp"
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

result<replayed_log> replay_log(const events::event_store& store, verify_report& report,
                                const progress_fn& progress) {
  replayed_log out;
  std::map<std::string, std::uint64_t> versions;  // last version seen per stream
  const std::uint64_t last = store.last_position();
  std::uint64_t expected = 1;  // the next position a gap-free log holds
  std::uint64_t resume = 1;
  while (resume <= last) {
    std::uint64_t visited = 0;
    auto scanned = store.read_all(resume, last, [&](const events::recorded_event& e) {
      ++visited;
      ++report.events;
      const auto& env = e.env;
      if (env.position != expected)
        report.add(log_problem{expected,
                               {},
                               "positions " + std::to_string(expected) + ".." +
                                   std::to_string(env.position - 1) + " are missing"});
      expected = env.position + 1;
      auto& version = versions[env.stream];
      if (env.version != version + 1)
        report.add(log_problem{env.position, env.stream,
                               "stream version " + std::to_string(env.version) + " follows " +
                                   std::to_string(version)});
      version = env.version;
      if (starts_with(env.stream, collaboration_prefix)) {
        auto& s = out.collaborations[env.stream];
        if (auto why = collaboration::why_not_applicable(s, e.payload))
          report.add(log_problem{env.position, env.stream, env.type + " does not apply: " + *why});
        collaboration::apply(s, e.payload, env.time);
      } else if (starts_with(env.stream, table_prefix)) {
        auto& s = out.configured_tables[env.stream];
        s.id = env.stream.substr(table_prefix.size());
        if (auto why = configured_table::why_not_applicable(s, e.payload))
          report.add(log_problem{env.position, env.stream, env.type + " does not apply: " + *why});
        configured_table::apply(s, e.payload, env.time);
      } else {
        report.add(log_problem{env.position, env.stream, "unknown stream kind"});
      }
      if (progress && (report.events & 0x3fff) == 0) progress(env.position, last);
      return true;
    });
    if (scanned.ok()) break;
    if (scanned.error().code != store_error::kind::corruption) return scanned.error();
    // The entry after the last good one does not decode: name it, then step past it.
    const std::uint64_t bad = visited ? expected : resume;
    if (visited || resume == expected)
      report.add(log_problem{bad, {}, "the event does not decode: " + scanned.error().message});
    resume = visited ? expected + 1 : resume + 1;
    expected = resume;
  }
  if (report.events == 0 && last == 0) return out;
  if (expected <= last)
    report.add(log_problem{
        expected,
        {},
        "positions " + std::to_string(expected) + ".." + std::to_string(last) + " are missing"});
  for (const auto& stream : store.list_streams()) {
    const auto head = store.head_version(stream);
    auto it = versions.find(stream);
    const std::uint64_t seen = it == versions.end() ? 0 : it->second;
    if (head != seen)
      report.add(log_problem{
          0, stream,
          "head says version " + std::to_string(head) + ", the log holds " + std::to_string(seen)});
  }
  report.streams = versions.size();
  if (progress) progress(last, last);
  return out;
}

row_set rebuild_rows(const replayed_log& log) {
  row_set all;
  for (const auto& [stream, state] : log.collaborations) {
    auto r = rows(state);
    all.insert(std::make_move_iterator(r.begin()), std::make_move_iterator(r.end()));
  }
  for (const auto& [stream, state] : log.configured_tables) {
    auto r = rows(state);
    all.insert(std::make_move_iterator(r.begin()), std::make_move_iterator(r.end()));
  }
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
