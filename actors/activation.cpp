// A snapshot only saves work: every path that doubts it replays the stream from the start, so a
// bad snapshot can cost time but never change the state an actor decides on.
#include "actors/activation.hpp"

#include <spdlog/spdlog.h>

#include "snapshots/collaboration_snapshot.hpp"

namespace crs {
namespace {

// The snapshot of `stream` if it can stand in for the first events of the log, else nullopt.
std::optional<collaboration::state> usable_snapshot(const events::event_store& store,
                                                    const std::string& collaboration_id,
                                                    const std::string& stream) {
  auto bytes = store.get_snapshot(stream);
  if (!bytes) return std::nullopt;
  auto snap = snapshots::try_decode_snapshot(*bytes);
  if (!snap) {
    spdlog::warn("{}: ignoring its snapshot ({}); replaying the stream from the start", stream,
                 snap.error().message);
    return std::nullopt;
  }
  if (snap->info.collaboration_id != collaboration_id) {
    spdlog::warn("{}: ignoring a snapshot of collaboration '{}'; replaying from the start", stream,
                 snap->info.collaboration_id);
    return std::nullopt;
  }
  // Written in the same batch as its events, so a snapshot ahead of the log means the two were
  // not restored together (or the log lost a tail): the log is the truth.
  const auto head = store.head_version(stream);
  if (snap->version > head) {
    spdlog::warn(
        "{}: ignoring a snapshot at version {} beyond the log head {}; replaying from "
        "the start",
        stream, snap->version, head);
    return std::nullopt;
  }
  return std::move(snap).value();
}

// Applies `evs` to `s`, refusing a gap or overlap between the state's version and the events'.
bool apply_tail(collaboration::state& s, const std::vector<events::recorded_event>& evs) {
  for (const auto& e : evs) {
    if (e.env.version != s.version + 1) return false;
    collaboration::apply(s, e.payload, e.env.time);
  }
  return true;
}

}  // namespace

result<collaboration::state> activate(const events::event_store& store,
                                      const std::string& collaboration_id,
                                      activation_stats* stats) {
  activation_stats local;
  activation_stats& st = stats ? *stats : local;
  st = {};
  const auto stream = collaboration::stream_id(collaboration_id);

  if (auto snap = usable_snapshot(store, collaboration_id, stream)) {
    const auto from = snap->version;
    auto tail = store.read_stream(stream, from + 1);
    if (!tail) return tail.error();
    if (apply_tail(*snap, tail.value())) {
      st.used_snapshot = true;
      st.snapshot_version = from;
      st.events_replayed = tail.value().size();
      return std::move(*snap);
    }
    spdlog::warn(
        "{}: the log does not continue its snapshot at version {}; replaying from the "
        "start",
        stream, from);
  }

  auto evs = store.read_stream(stream);
  if (!evs) return evs.error();
  collaboration::state s;
  for (const auto& e : evs.value()) collaboration::apply(s, e.payload, e.env.time);
  st.events_replayed = evs.value().size();
  return s;
}

result<configured_table::state> activate_configured_table(const events::event_store& store,
                                                          const std::string& configured_table_id) {
  auto evs = store.read_stream(configured_table::stream_id(configured_table_id));
  if (!evs) return evs.error();
  configured_table::state s;
  s.id = configured_table_id;
  for (const auto& e : evs.value()) configured_table::apply(s, e.payload, e.env.time);
  return s;
}

}  // namespace crs
