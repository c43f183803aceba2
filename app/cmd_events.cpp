// `cleanroomsd events`: the history in the log, one event per line, human-readable or JSON.
// Reads a read-only view of the store, so it can run next to a live server.
#include <unistd.h>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <optional>

#include "app/commands.hpp"
#include "app/log_args.hpp"
#include "app/progress.hpp"
#include "projections/event_json.hpp"

namespace crs::app {
namespace {

constexpr std::uint64_t progress_threshold = 100000;

struct events_flags {
  std::string data_dir;
  std::string collaboration;
  std::string stream;
  std::string from;
  std::string to;
  std::string since;
  bool json = false;
};

struct events_query {
  std::string stream;  // empty: every stream
  std::uint64_t from = 1;
  std::optional<std::uint64_t> to;
  std::optional<time_ms> since;
  bool json = false;
};

tool_result<events_query> check(const events_flags& f) {
  events_query q;
  q.json = f.json;
  if (f.data_dir.empty()) return tool_error{exit_usage_error, "--data-dir is required"};
  if (!f.collaboration.empty() && !f.stream.empty())
    return tool_error{exit_usage_error, "give --collaboration or --stream, not both"};
  if (!f.collaboration.empty()) {
    auto s = collaboration_stream(f.collaboration);
    if (!s) return s.error();
    q.stream = s.value();
  }
  if (!f.stream.empty()) q.stream = f.stream;
  if (!f.from.empty()) {
    auto p = parse_position("--from", f.from);
    if (!p) return p.error();
    q.from = p.value();
  }
  if (!f.to.empty()) {
    auto p = parse_position("--to", f.to);
    if (!p) return p.error();
    q.to = p.value();
  }
  if (q.to && *q.to < q.from)
    return tool_error{exit_usage_error, "--from " + std::to_string(q.from) + " is after --to " +
                                            std::to_string(*q.to)};
  if (!f.since.empty()) {
    auto t = parse_time_arg("--since", f.since);
    if (!t) return t.error();
    q.since = t.value();
  }
  return q;
}

void print(const events::recorded_event& e, bool json) {
  const std::string line = json ? projections::event_json(e) : projections::event_line(e);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
}

bool wanted(const events::recorded_event& e, const events_query& q, std::uint64_t to) {
  return e.env.position >= q.from && e.env.position <= to && (!q.since || e.env.time >= *q.since);
}

int run(const events_query& q, const std::string& data_dir) {
  auto opened = open_log(data_dir);
  if (!opened) return report("events", opened.error());
  const auto& store = *opened.value();
  const std::uint64_t last = store.last_position();
  const std::uint64_t to = std::min(q.to.value_or(last), last);
  if (!q.stream.empty() && store.head_version(q.stream) == 0)
    return report("events", {exit_data_error, "no stream " + q.stream + " in the log"});
  if (q.from > to) return 0;  // past the end: nothing to show

  if (!q.stream.empty()) {
    auto events = store.read_stream(q.stream);
    if (!events)
      return report("events", {exit_data_error,
                               "reading " + q.stream + " failed: " + events.error().message});
    for (const auto& e : events.value())
      if (wanted(e, q, to)) print(e, q.json);
    return 0;
  }

  // Progress only when the output is not itself the sign of life (a file or a pipe).
  std::optional<progress> meter;
  if (to - q.from + 1 > progress_threshold && ::isatty(STDOUT_FILENO) != 1)
    meter.emplace("events", to - q.from + 1);
  auto scanned = store.read_all(q.from, to, [&](const events::recorded_event& e) {
    if (wanted(e, q, to)) print(e, q.json);
    if (meter) meter->update(e.env.position - q.from + 1);
    return true;
  });
  if (meter) meter->finish();
  if (!scanned)
    return report("events",
                  {exit_data_error, "reading the log failed: " + scanned.error().message});
  return 0;
}

}  // namespace

void add_events(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<events_flags>();
  auto* cmd = app.add_subcommand(
      "events", "Print the event log, one event per line (read-only: safe while a server runs)");
  cmd->add_option("--data-dir", f->data_dir, "Directory of the event store (required)");
  cmd->add_option("--collaboration", f->collaboration,
                  "Only this collaboration's events (its id, ARN or stream name)");
  cmd->add_option("--stream", f->stream, "Only this stream's events (e.g. collaboration-<id>)");
  cmd->add_option("--from", f->from, "First position to show (default 1)");
  cmd->add_option("--to", f->to, "Last position to show (default: the end of the log)");
  cmd->add_option("--since", f->since,
                  "Only events recorded at or after TIME (ISO-8601 UTC, e.g. "
                  "2026-11-21T10:32:00Z, or epoch seconds)");
  cmd->add_flag("--json", f->json,
                "One JSON object per line: position, stream, version, type, time (epoch seconds), "
                "account, requestId, payload");
  cmd->callback([f, &exit_code] {
    try {
      auto q = check(*f);
      exit_code = q ? run(q.value(), f->data_dir) : report("events", q.error());
      std::fflush(stdout);
    } catch (const std::exception& e) {
      exit_code = report("events", {exit_data_error, std::string("failed: ") + e.what()});
    }
  });
}

}  // namespace crs::app
