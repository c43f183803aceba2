// `cleanroomsd replay`: what the API would have answered at an earlier point of the log, rebuilt
// in memory by folding each stream's events up to that point with the same pure apply the
// server uses, and rendered with the same functions that render the live read model. `--diff`
// shows what changed between two points: the events (with their request ids) and the rows.
// Reads a read-only view of the store, so it can run next to a live server.
#include <cstdio>
#include <exception>
#include <map>
#include <optional>
#include <vector>

#include "actors/collaboration/state.hpp"
#include "app/commands.hpp"
#include "app/log_args.hpp"
#include "app/progress.hpp"
#include "projections/change_request_rows.hpp"
#include "projections/collaboration_rows.hpp"
#include "projections/configured_table_rows.hpp"
#include "projections/event_json.hpp"
#include "projections/json_writer.hpp"
#include "projections/query_rows.hpp"
#include "projections/render.hpp"
#include "projections/table_render.hpp"
#include "projections/template_rows.hpp"

namespace crs::app {
namespace {

using projections::json_writer;

constexpr std::uint64_t progress_threshold = 100000;

struct replay_flags {
  std::string data_dir;
  std::string until;
  std::string at;
  std::vector<std::string> diff;
  std::string collaboration;
  bool json = false;
};

// Where folding stops: events at or before `position` and, with --at, recorded at or before `time`.
struct cutoff {
  std::uint64_t position = 0;
  std::optional<time_ms> time;
};

constexpr std::string_view table_stream_prefix = "configured-table-";

std::string_view table_of(std::string_view stream) {
  return stream.substr(0, table_stream_prefix.size()) == table_stream_prefix
             ? stream.substr(table_stream_prefix.size())
             : std::string_view();
}

void apply_event(collaboration::state& s, const events::recorded_event& e) {
  collaboration::apply(s, e.payload, e.env.time);
}
void apply_event(configured_table::state& s, const events::recorded_event& e) {
  if (s.id.empty()) s.id = std::string(table_of(e.env.stream));
  configured_table::apply(s, e.payload, e.env.time);
}

// One stream folded up to a cutoff.
template <class State>
struct folded_of {
  State state;
  std::optional<events::envelope> last;  // the last event folded
  bool stopped = false;
};
using folded = folded_of<collaboration::state>;
using folded_table = folded_of<configured_table::state>;

// A stream's state is always a prefix of it (no other state ever existed), so folding stops for
// good at the first event past the cutoff, even if a later one carries an earlier time.
template <class State>
void fold(folded_of<State>& f, const events::recorded_event& e, const cutoff& c) {
  if (f.stopped) return;
  if (e.env.position > c.position || (c.time && e.env.time > *c.time)) {
    f.stopped = true;
    return;
  }
  apply_event(f.state, e);
  f.last = e.env;
}

// Folded streams, collaborations and configured tables apart, each in the order created.
struct folded_log {
  std::vector<std::string> order;
  std::map<std::string, folded> streams;
  std::vector<std::string> table_order;
  std::map<std::string, folded_table> tables;
  std::uint64_t position = 0;  // the last position folded

  void fold_event(const events::recorded_event& e, const cutoff& c) {
    const bool is_table = !table_of(e.env.stream).empty();
    auto& order_of = is_table ? table_order : order;
    std::optional<events::envelope> last;
    if (is_table) {
      auto [it, fresh] = tables.try_emplace(e.env.stream);
      if (fresh) order_of.push_back(e.env.stream);
      fold(it->second, e, c);
      last = it->second.last;
    } else {
      auto [it, fresh] = streams.try_emplace(e.env.stream);
      if (fresh) order_of.push_back(e.env.stream);
      fold(it->second, e, c);
      last = it->second.last;
    }
    if (last && last->position == e.env.position) position = e.env.position;
  }
};

tool_result<folded_log> fold_stream(const events::event_store& store, const std::string& stream,
                                    const cutoff& c) {
  auto events = store.read_stream(stream);
  if (!events)
    return tool_error{exit_data_error, "reading " + stream + " failed: " + events.error().message};
  folded_log out;
  for (const auto& e : events.value()) out.fold_event(e, c);
  return out;
}

tool_result<folded_log> fold_all(const events::event_store& store, const cutoff& c) {
  folded_log out;
  std::optional<progress> meter;
  if (c.position > progress_threshold) meter.emplace("replay", c.position);
  auto scanned = store.read_all(1, c.position, [&](const events::recorded_event& e) {
    if (!collaboration_of(e.env.stream).empty() || !table_of(e.env.stream).empty())
      out.fold_event(e, c);
    if (meter) meter->update(e.env.position);
    return true;
  });
  if (meter) meter->finish();
  if (!scanned)
    return tool_error{exit_data_error, "reading the log failed: " + scanned.error().message};
  return out;
}

// ----------------------------------------------------------------------------------- rendering

void last_event(json_writer& w, const events::envelope& env) {
  w.begin_object();
  w.key("position").raw(std::to_string(env.position));
  w.key("version").raw(std::to_string(env.version));
  w.key("time").timestamp(env.time);
  w.key("type").string(env.type);
  w.key("account").string(env.account);
  w.key("requestId").string(env.request_id);
  w.end_object();
}

// What the API answered then: GetCollaboration as the creator, ListMembers, GetMembership of
// every membership, GetConfiguredTableAssociation of every association, GetAnalysisTemplate of
// every template, GetCollaborationChangeRequest of every change request, GetProtectedQuery of
// every query (as its querier sees it), ListTagsForResource of every live taggable resource.
void collaboration_view(json_writer& w, const folded& f) {
  const auto& s = f.state;
  w.begin_object();
  const auto* creator = s.member(s.info.creator);
  w.key("collaboration")
      .raw(creator ? projections::collaboration_for(s, *creator)
                   : projections::collaboration_json(s));
  if (s.deleted) w.key("deleted").boolean(true);
  w.key("members").begin_array();
  for (const auto& m : s.members) w.raw(projections::member_summary_json(s, m));
  w.end_array();
  w.key("memberships").begin_array();
  for (const auto& [id, m] : s.memberships) w.raw(projections::membership_json(s, m));
  w.end_array();
  w.key("configuredTableAssociations").begin_array();
  for (const auto& [id, a] : s.associations) w.raw(projections::association_json(a));
  w.end_array();
  // Templates without `validations`: those are derived on read from the schemas of the moment.
  w.key("analysisTemplates").begin_array();
  for (const auto& [id, t] : s.templates) w.raw(projections::template_json(s, t));
  w.end_array();
  w.key("changeRequests").begin_array();
  for (const auto& [id, r] : s.change_requests) w.raw(projections::change_request_json(s, r));
  w.end_array();
  // Recorded outcomes only: replay never runs a query again.
  w.key("protectedQueries").begin_array();
  for (const auto& [id, q] : s.queries) w.raw(projections::protected_query_json(s, q));
  w.end_array();
  w.key("tags").begin_object();
  for (const auto& [arn, tags] : s.tags) w.key(arn).raw(projections::tags_json(tags));
  w.end_object();
  if (f.last) last_event(w.key("lastEvent"), *f.last);
  w.end_object();
}

// What the API answered then to the table's owner: GetConfiguredTable, its analysis rule and
// ListTagsForResource.
void table_view(json_writer& w, const folded_table& f) {
  const auto& s = f.state;
  w.begin_object();
  w.key("configuredTable").raw(projections::configured_table_json(s));
  if (s.deleted) w.key("deleted").boolean(true);
  if (s.rule) w.key("analysisRule").raw(projections::table_rule_json(s));
  w.key("tags").begin_object();
  for (const auto& [arn, tags] : s.tags) w.key(arn).raw(projections::tags_json(tags));
  w.end_object();
  if (f.last) last_event(w.key("lastEvent"), *f.last);
  w.end_object();
}

void print_line(const std::string& s) {
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fputc('\n', stdout);
}

// -------------------------------------------------------------------------------------- modes

tool_result<std::string> stream_of(const events::event_store& store, const std::string& id) {
  auto stream = collaboration_stream(id);
  if (!stream) return stream;
  if (store.head_version(stream.value()) == 0)
    return tool_error{
        exit_data_error,
        "no collaboration " + std::string(collaboration_of(stream.value())) + " in the log"};
  return stream;
}

int replay_at(const events::event_store& store, const replay_flags& f, const cutoff& c) {
  tool_result<folded_log> log = folded_log{};
  std::string stream;
  if (!f.collaboration.empty()) {
    auto s = stream_of(store, f.collaboration);
    if (!s) return report("replay", s.error());
    stream = s.value();
    log = fold_stream(store, stream, c);
  } else {
    log = fold_all(store, c);
  }
  if (!log) return report("replay", log.error());
  const auto& folded_streams = log.value();

  json_writer w;
  w.begin_object();
  // With --until the point asked for; with --at the last event at or before that time.
  w.key("position").raw(std::to_string(c.time ? folded_streams.position : c.position));
  if (c.time) w.key("at").timestamp(*c.time);
  w.key("collaborations").begin_array();
  for (const auto& name : folded_streams.order) {
    const auto& one = folded_streams.streams.at(name);
    if (one.state.created) collaboration_view(w, one);
  }
  w.end_array();
  if (f.collaboration.empty()) {
    w.key("configuredTables").begin_array();
    for (const auto& name : folded_streams.table_order) {
      const auto& one = folded_streams.tables.at(name);
      if (one.state.created) table_view(w, one);
    }
    w.end_array();
  }
  w.end_object();
  print_line(std::string(w.str()));

  if (!stream.empty() && !folded_streams.streams.at(stream).state.created)
    std::fprintf(stderr, "cleanroomsd replay: collaboration %s did not exist yet at that point\n",
                 std::string(collaboration_of(stream)).c_str());
  return 0;
}

struct stream_change {
  std::vector<events::recorded_event> events;  // those in (from, to]
  projections::row_set before;
  projections::row_set after;
};

void print_diff_text(std::uint64_t from, std::uint64_t to, const std::vector<std::string>& order,
                     const std::map<std::string, stream_change>& changes) {
  if (order.empty()) {
    print_line("no collaboration or configured table changed in (" + std::to_string(from) + ", " +
               std::to_string(to) + "]");
    return;
  }
  const auto shown = [](const std::string& v) { return v.empty() ? std::string("(empty)") : v; };
  for (const auto& stream : order) {
    const auto& ch = changes.at(stream);
    const auto n = ch.events.size();
    const auto table = table_of(stream);
    const std::string what = table.empty()
                                 ? "collaboration " + std::string(collaboration_of(stream))
                                 : "configured table " + std::string(table);
    print_line(what + ": " + std::to_string(n) + (n == 1 ? " event" : " events") + " in (" +
               std::to_string(from) + ", " + std::to_string(to) + "]");
    for (const auto& e : ch.events) print_line("  " + projections::event_line(e));
    const auto writes = projections::diff(ch.before, ch.after);
    if (writes.empty()) print_line("  (no read-model row changed)");
    for (const auto& wr : writes) {
      auto old = ch.before.find(wr.key);
      if (old != ch.before.end()) print_line("  - " + wr.key + ": " + shown(old->second));
      if (!wr.erase) print_line("  + " + wr.key + ": " + shown(wr.value));
    }
  }
}

void print_diff_json(std::uint64_t from, std::uint64_t to, const std::vector<std::string>& order,
                     const std::map<std::string, stream_change>& changes) {
  json_writer w;
  w.begin_object();
  w.key("from").raw(std::to_string(from));
  w.key("to").raw(std::to_string(to));
  // Collaborations first, then configured tables, each in the order they first changed.
  for (const bool tables : {false, true}) {
    w.key(tables ? "configuredTables" : "collaborations").begin_array();
    for (const auto& stream : order) {
      if (table_of(stream).empty() == tables) continue;
      const auto& ch = changes.at(stream);
      w.begin_object();
      if (const auto table = table_of(stream); !table.empty())
        w.key("configuredTableId").string(table);
      else
        w.key("collaborationId").string(collaboration_of(stream));
      w.key("stream").string(stream);
      w.key("events").begin_array();
      for (const auto& e : ch.events) w.raw(projections::event_json(e));
      w.end_array();
      w.key("rows").begin_array();
      for (const auto& wr : projections::diff(ch.before, ch.after)) {
        w.begin_object().key("key").string(wr.key);
        if (auto old = ch.before.find(wr.key); old != ch.before.end())
          w.key("old").string(old->second);
        if (!wr.erase) w.key("new").string(wr.value);
        w.end_object();
      }
      w.end_array();
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
  print_line(std::string(w.str()));
}

int replay_diff(const events::event_store& store, const replay_flags& f, std::uint64_t from,
                std::uint64_t to) {
  std::string only;
  if (!f.collaboration.empty()) {
    auto s = stream_of(store, f.collaboration);
    if (!s) return report("replay", s.error());
    only = s.value();
  }
  // The events in (from, to], by stream, in the order the streams first changed.
  std::vector<std::string> order;
  std::map<std::string, stream_change> changes;
  auto scanned = store.read_all(from + 1, to, [&](const events::recorded_event& e) {
    const bool table = !table_of(e.env.stream).empty();
    if (collaboration_of(e.env.stream).empty() && !table) return true;
    if (!only.empty() && e.env.stream != only) return true;
    auto [it, fresh] = changes.try_emplace(e.env.stream);
    if (fresh) order.push_back(e.env.stream);
    it->second.events.push_back(e);
    return true;
  });
  if (!scanned)
    return report("replay",
                  {exit_data_error, "reading the log failed: " + scanned.error().message});

  // Each changed stream folded once, its rows taken as it passes `from` and `to`.
  for (const auto& stream : order) {
    auto events = store.read_stream(stream);
    if (!events)
      return report("replay",
                    {exit_data_error, "reading " + stream + " failed: " + events.error().message});
    auto rows_between = [&](auto before, auto after) {
      for (const auto& e : events.value()) {
        fold(before, e, cutoff{from, {}});
        fold(after, e, cutoff{to, {}});
      }
      changes[stream].before = projections::rows(before.state);
      changes[stream].after = projections::rows(after.state);
    };
    if (table_of(stream).empty())
      rows_between(folded{}, folded{});
    else
      rows_between(folded_table{}, folded_table{});
  }
  if (f.json)
    print_diff_json(from, to, order, changes);
  else
    print_diff_text(from, to, order, changes);
  return 0;
}

int run(const replay_flags& f) {
  if (f.data_dir.empty()) return report("replay", {exit_usage_error, "--data-dir is required"});
  const int modes = !f.until.empty() + !f.at.empty() + !f.diff.empty();
  if (modes != 1)
    return report("replay", {exit_usage_error,
                             "give exactly one of --until POS, --at TIME or --diff POS1 POS2"});
  if (!f.diff.empty() && f.diff.size() != 2)
    return report("replay", {exit_usage_error, "--diff takes two positions: --diff POS1 POS2"});

  // Every argument is checked before the store is opened: usage errors win over data errors.
  cutoff c;
  std::uint64_t diff_from = 0;
  if (!f.until.empty()) {
    auto p = parse_position("--until", f.until);
    if (!p) return report("replay", p.error());
    c.position = p.value();
  } else if (!f.at.empty()) {
    auto t = parse_time_arg("--at", f.at);
    if (!t) return report("replay", t.error());
    c.time = t.value();
  } else {
    auto p1 = parse_position("--diff", f.diff[0]);
    if (!p1) return report("replay", p1.error());
    auto p2 = parse_position("--diff", f.diff[1]);
    if (!p2) return report("replay", p2.error());
    if (p1.value() > p2.value())
      return report("replay", {exit_usage_error, "--diff POS1 POS2 needs POS1 <= POS2"});
    diff_from = p1.value();
    c.position = p2.value();
  }
  if (!f.collaboration.empty()) {
    auto s = collaboration_stream(f.collaboration);
    if (!s) return report("replay", s.error());
  }

  auto opened = open_log(f.data_dir);
  if (!opened) return report("replay", opened.error());
  const auto& store = *opened.value();
  const std::uint64_t last = store.last_position();
  if (c.time) {
    c.position = last;
  } else if (c.position > last) {
    return report("replay", {exit_data_error, "position " + std::to_string(c.position) +
                                                  " is past the end of the log (last position " +
                                                  std::to_string(last) + ")"});
  }
  return f.diff.empty() ? replay_at(store, f, c) : replay_diff(store, f, diff_from, c.position);
}

}  // namespace

void add_replay(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<replay_flags>();
  auto* cmd = app.add_subcommand(
      "replay",
      "Rebuild what the API would have answered at an earlier point of the log, or what changed "
      "between two points (read-only: safe while a server runs)");
  cmd->add_option("--data-dir", f->data_dir, "Directory of the event store (required)");
  cmd->add_option("--until", f->until, "Replay every event at or before this position");
  cmd->add_option("--at", f->at,
                  "Replay every event recorded at or before TIME (ISO-8601 UTC, e.g. "
                  "2026-11-21T10:32:00Z, or epoch seconds)");
  cmd->add_option("--diff", f->diff,
                  "POS1 POS2: the events in (POS1, POS2] and the read-model rows they changed")
      ->expected(1, 2);
  cmd->add_option("--collaboration", f->collaboration,
                  "Only this collaboration (its id, ARN or stream name)");
  cmd->add_flag("--json", f->json, "With --diff: one JSON object instead of text");
  cmd->callback([f, &exit_code] {
    try {
      exit_code = run(*f);
      std::fflush(stdout);
    } catch (const std::exception& e) {
      exit_code = report("replay", {exit_data_error, std::string("failed: ") + e.what()});
    }
  });
}

}  // namespace crs::app
