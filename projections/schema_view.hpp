// Schemas, derived on read (SPEC.md 11 and 20): an association's row (written by its
// collaboration), its configured table's source row (written by the table's stream) and the
// local data catalog. Nothing here is stored, so a change to the table, its rule or the CSV
// file shows in every collaboration at once. Threading: safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "catalog/catalog.hpp"
#include "events/event_store.hpp"
#include "events/table_values.hpp"

namespace crs::projections {

// The two rows a schema comes from, parsed: its association's side (written by the
// collaboration) and its configured table's source row (written by the table's stream).
struct schema_rows {
  boost::json::object association;
  boost::json::object table;
};

// Every visible schema of the collaboration, at most `limit`, in key order (what the
// protected-query check reads, api/operations/query_plan). Malformed rows are skipped.
[[nodiscard]] std::vector<schema_rows> schema_sources(const events::event_store& store,
                                                      std::string_view cid, std::size_t limit);

class schema_view {
 public:
  schema_view(const events::event_store& store, const catalog::local_catalog& catalog)
      : store_(store), catalog_(catalog) {}

  // Schema JSON of `name` (ignoring case) in the collaboration, if it is visible.
  [[nodiscard]] std::optional<std::string> schema(std::string_view cid,
                                                  std::string_view name) const;
  // SchemaSummary JSON of the schema whose listing row points at `lower_name`.
  [[nodiscard]] std::optional<std::string> summary(std::string_view cid,
                                                   std::string_view lower_name) const;
  // AnalysisRule JSON (SPEC.md 20.3) of the schema's rule of `type`, if it has one.
  // ID_MAPPING_TABLE never exists for TABLE schemas.
  enum class rule_lookup { found, no_schema, no_rule };
  [[nodiscard]] rule_lookup analysis_rule(std::string_view cid, std::string_view name,
                                          std::string_view type, std::string& json_out) const;

  // What the differential-privacy validation of templates needs to know of a schema's
  // configured-table rule (SPEC.md 17.4), or nullopt when no schema of that name is visible.
  struct rule_facts {
    std::optional<std::string> type;    // AGGREGATION | LIST | CUSTOM; absent: no rule
    bool differential_privacy = false;  // a CUSTOM rule with differentialPrivacy
    std::string identifier_column;      // its differentialPrivacy.columns[0].name
  };
  [[nodiscard]] std::optional<rule_facts> facts(std::string_view cid, std::string_view name) const;

 private:
  const events::event_store& store_;
  const catalog::local_catalog& catalog_;
};

}  // namespace crs::projections
