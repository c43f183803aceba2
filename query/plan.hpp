// The contract between the three parts of protected-query execution (SPEC.md 12, 17):
//   query/sql    : text + facts  -> checked_query | violation   (pure: parse tree, analysis rules)
//   query/engine : checked_query + table data -> result file    (SQLite, off the actor threads)
//   query/runner : asks the collaboration actor to record each status change as an event
// The facts are gathered from the projections by the caller, so the check itself reads nothing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "events/table_values.hpp"
#include "events/values.hpp"

namespace crs::query {

// One schema of the collaboration as the rule check sees it: a configured table associated by
// an ACTIVE member, under the association's name.
struct schema_fact {
  std::string name;                  // the schema (association) name, as created
  account_id owner;                  // the account that associated the table
  std::vector<std::string> columns;  // the configured table's allowedColumns
  analysis_method method = analysis_method::direct_query;
  std::optional<analysis_rule_policy> policy;  // the table's analysis rule; none = not queryable
};

struct query_facts {
  account_id caller;                        // the querier (the membership's owner)
  std::optional<std::string> template_arn;  // set when the SQL is an analysis template's
  std::vector<schema_fact> schemas;         // every schema of the collaboration
  std::size_t max_tables = 15;              // configured tables per query (SPEC.md 18)
  std::size_t max_text_bytes = 90 * 1024;   // Clean Rooms SQL text (SPEC.md 18)
};

// Why a query may not run. `code` is a stable upper-case token reported as the query's
// error.code (e.g. "ANALYSIS_RULE_VIOLATION"); `message` names the rule and the column.
struct violation {
  std::string code;
  std::string message;
};

// A query the rules allow, ready for an engine.
struct checked_query {
  // The SQL to execute: template parameters substituted; under AGGREGATION one hidden
  // COUNT(DISTINCT ...) column per output constraint appended to the outermost SELECT list;
  // a top-level LIMIT/OFFSET lifted out (below) so it applies after suppression.
  std::string sql;
  std::vector<std::string> tables;  // the schema names the query reads, as in query_facts
  std::size_t output_columns = 0;   // the visible columns; the hidden ones follow them
  // One entry per hidden column, in order: a row whose hidden value is below the minimum is
  // suppressed (SPEC.md 17.2 output constraints). Hidden columns are never written.
  std::vector<std::int64_t> minimums;
  std::optional<std::int64_t> limit;  // applied by the engine after suppression
  std::int64_t offset = 0;
};

// Stable error codes of a FAILED query (error.code in GetProtectedQuery).
inline constexpr const char* code_parse_error = "QUERY_PARSE_ERROR";
inline constexpr const char* code_unsupported = "UNSUPPORTED_SQL";
inline constexpr const char* code_unknown_table = "UNKNOWN_TABLE";
inline constexpr const char* code_unknown_column = "UNKNOWN_COLUMN";
inline constexpr const char* code_rule_violation = "ANALYSIS_RULE_VIOLATION";
inline constexpr const char* code_query_too_large = "QUERY_TOO_LARGE";
inline constexpr const char* code_parameter = "INVALID_PARAMETER";
inline constexpr const char* code_data_unavailable = "DATA_UNAVAILABLE";
inline constexpr const char* code_execution_error = "EXECUTION_ERROR";
inline constexpr const char* code_result_too_large = "RESULT_TOO_LARGE";
inline constexpr const char* code_timed_out = "QUERY_TIMED_OUT";

}  // namespace crs::query
