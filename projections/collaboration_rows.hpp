// The read model of one collaboration stream: every row it owns, as a pure function of the
// aggregate's state. A write stores diff(rows(before), rows(after)) in the append's batch, and a
// rebuild stores rows(replay(stream)), so live and rebuilt projections agree by construction.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "actors/collaboration/state.hpp"
#include "events/envelope.hpp"

namespace crs::projections {

using row_set = std::map<std::string, std::string>;

row_set rows(const collaboration::state& s);
std::vector<events::view_write> diff(const row_set& before, const row_set& after);
// diff(rows(before), rows(after)) for one command, without rendering the protected queries it
// did not touch: a collaboration keeps every query it ever ran, and rendering them all twice per
// write made each write slower than the last. Equal to the full diff (tests compare them).
std::vector<events::view_write> changed_rows(const collaboration::state& before,
                                             const collaboration::state& after);
// Every row but the protected queries' (rows() is this plus the queries').
row_set core_rows(const collaboration::state& s);
// changed_rows(before, after) given before's core rows, rendered by an earlier write
// (row_cache.hpp); after's core rows are left in `after_core` for the next one.
std::vector<events::view_write> changed_rows(const row_set& before_core,
                                             const collaboration::state& before,
                                             const collaboration::state& after,
                                             row_set& after_core);

// Row value headers (see keys.hpp): "<a>|<b>|json".
struct membership_row {
  std::string_view owner;
  std::string_view collaboration_id;
  std::string_view json;
};
bool parse_membership_row(std::string_view value, membership_row& out);
// "<status>|json" rows of the per-account lists.
bool split_status_row(std::string_view value, std::string_view& status, std::string_view& json);

}  // namespace crs::projections
