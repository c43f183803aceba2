// The log checked against itself and against the live read models: what `cleanroomsd verify`
// and `rebuild-projections` run. Threading: call from one thread; reads only (rebuild writes
// through replace_views).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/collaboration/state.hpp"
#include "actors/configured_table/state.hpp"
#include "events/event_store.hpp"
#include "projections/collaboration_rows.hpp"

namespace crs::projections {

struct log_problem {
  std::uint64_t position = 0;  // 0 when it concerns a stream as a whole
  std::string stream;
  std::string what;
};

struct row_mismatch {
  std::string key;
  std::optional<std::string> live;     // nullopt: the live views lack the row
  std::optional<std::string> rebuilt;  // nullopt: the log does not produce the row
};

struct verify_report {
  static constexpr std::size_t max_listed = 200;  // a limit on what is kept for printing
  std::uint64_t events = 0;
  std::size_t streams = 0;
  std::size_t rows = 0;
  std::vector<log_problem> problems;
  std::size_t problem_count = 0;
  std::vector<row_mismatch> mismatches;
  std::size_t mismatch_count = 0;
  bool ok() const { return problem_count == 0 && mismatch_count == 0; }
  void add(log_problem p);
  void add(row_mismatch m);
};

// Every aggregate's state after the whole log, by stream id.
struct replayed_log {
  std::map<std::string, collaboration::state> collaborations;
  std::map<std::string, configured_table::state> configured_tables;
};

using progress_fn = std::function<void(std::uint64_t done, std::uint64_t total)>;

// Folds the log into states from where the last call stopped: replay_log in steps, for a
// caller that checks a growing log again and again (the simulator's periodic check). Not
// copyable: the cursors point into the states.
class log_replayer {
 public:
  log_replayer() = default;
  log_replayer(const log_replayer&) = delete;
  log_replayer& operator=(const log_replayer&) = delete;
  // Folds every event after the last one folded up to the store's last position, with
  // replay_log's checks. `read_ahead` reads and decodes on three more threads (a whole log);
  // otherwise on this one (a few new events). Streams that received events go into `changed`.
  [[nodiscard]] result<ok_t> advance(const events::event_store& store, verify_report& report,
                                     bool read_ahead = false, const progress_fn& progress = {},
                                     std::set<std::string>* changed = nullptr);
  // The stored heads against the versions folded so far.
  [[nodiscard]] result<ok_t> check_heads(const events::event_store& store,
                                         verify_report& report) const;
  const replayed_log& log() const { return log_; }
  replayed_log take() && { return std::move(log_); }

 private:
  struct cursor {
    std::uint64_t version = 0;
    collaboration::state* collaboration = nullptr;  // std::map nodes do not move
    configured_table::state* table = nullptr;
  };
  replayed_log log_;
  std::unordered_map<std::string, cursor> streams_;  // node-based: a cursor's address is stable
  std::uint64_t expected_ = 1;                       // the next position a gap-free log holds
};

// Folds the whole log, checking that positions and stream versions are gap-free, every envelope
// decodes, every stream is of a known kind, every event fits the state it is applied to, and
// the stored heads agree. Problems go into `report`; a storage failure is the error.
[[nodiscard]] result<replayed_log> replay_log(const events::event_store& store,
                                              verify_report& report,
                                              const progress_fn& progress = {});

// The read models the log implies, rendered in parts (on several threads) in stream order: the
// union of the parts, a key in several keeping the first part's row, is rebuild_rows'. Always
// at least one part.
std::vector<row_set> render_rows(const replayed_log& log);

// The read models the log implies.
row_set rebuild_rows(const replayed_log& log);

// Compares the live views with `expected`, row by row, into `report`.
void compare_views(const events::event_store& store, const row_set& expected,
                   verify_report& report);

}  // namespace crs::projections
