// The configured table aggregate's state and its pure evolve. One stream per configured table
// ("configured-table-<id>"), owned by one account: the table, its (at most one) analysis rule
// and its tags. Which associations use the table is the collaborations' business: they record
// it in their own streams (SPEC.md 10), and the deletion check reads it from the projections.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "events/domain_events.hpp"

namespace crs::configured_table {

struct rule_record {
  analysis_rule_policy policy;
  time_ms create_time = 0;
  time_ms update_time = 0;
};

struct state {
  std::string id;             // the stream's table id, set by the host before any event
  std::uint64_t version = 0;  // events applied: the stream head
  bool created = false;
  bool deleted = false;
  events::configured_table_created info;  // kept current by updates
  time_ms create_time = 0;
  time_ms update_time = 0;
  std::optional<rule_record> rule;
  std::map<std::string, tag_map> tags;  // by resource ARN (the table's own), live tables only

  bool live() const { return created && !deleted; }
  // A live table `account` owns in `region`; anything else answers 404 (SPEC.md 3.3).
  bool owned_by(std::string_view account, std::string_view region) const;
};

state evolve(state s, const events::event_payload& e, time_ms at);
void apply(state& s, const events::event_payload& e, time_ms at);  // in place, same rules

std::string stream_id(std::string_view configured_table_id);
std::string configured_table_arn(const state& s);
std::string make_configured_table_arn(std::string_view region, std::string_view account,
                                      std::string_view id);

}  // namespace crs::configured_table
