// Everything a decider may know beyond the aggregate's state. The host fills it from its ports
// (clock, id source, projections for cross-aggregate counts); the events record what mattered,
// so replay never consults the clock or the id source again.
#pragma once

#include <cstddef>
#include <string>

#include "events/values.hpp"

namespace crs {

struct limits {
  std::size_t members_per_collaboration = 5;    // "Members invited per collaboration"
  std::size_t collaborations_per_account = 10;  // "Collaborations created per account"
  std::size_t memberships_per_account = 100;    // "Memberships per account"
  std::size_t tags_per_resource = 200;
  std::size_t configured_tables_per_account = 250;  // "Configured tables per account"
  std::size_t columns_per_table = 100;              // "Columns per configured table allowlist"
  std::size_t associations_per_membership = 25;     // SPEC.md Q23 (not published by AWS)
  std::size_t templates_per_membership = 25;        // "Analysis templates per membership"
};

struct decide_context {
  account_id caller;
  std::string region;
  std::string request_id;
  time_ms now = 0;
  std::string fresh_id;  // a new lower-case UUID, used when the command creates something
  limits quotas;
  // Cross-aggregate counts read from projections just before deciding (soft quota checks).
  std::size_t caller_collaborations_created = 0;
  std::size_t caller_memberships = 0;
  std::size_t caller_configured_tables = 0;
  // Associations (in any collaboration) of the configured table a command addresses.
  std::size_t table_associations = 0;
  // An unfinished protected query that reads one of those associations, by id ("" for none);
  // read only in registry_options::strict_rule_deletion. Not shown to the caller: the table's
  // owner may not see other members' queries (SPEC.md 12).
  std::string table_read_by_query;
};

}  // namespace crs
