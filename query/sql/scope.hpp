// Name resolution over the parse tree, for every rule type: which schema or CTE each FROM item
// reads, which table column each column reference means (aliases, `t.c`, unqualified names
// with ambiguity detection, USING/NATURAL merges, correlated references to outer queries), and
// the lineage of every output column: the schema columns whose values it carries. The walk also
// whitelists the node types the rule check understands; anything else is unsupported SQL, so
// no construct can slip past the rules by being unknown to them. The binder reads names as
// PostgreSQL does, the engine (SQLite) runs the query: where the two would bind a name to
// different columns (duplicate or unnamed columns of a derived table, WITH queries that shadow,
// recurse or read ahead), the query is refused.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "events/result.hpp"
#include "query/plan.hpp"
#include "query/sql/lexer.hpp"
#include "query/sql/parse_tree.hpp"

namespace crs::query::sql {

// Nesting and size limits of the walk (the brief: reject rather than recurse forever).
inline constexpr int max_tree_depth = 200;
inline constexpr std::size_t max_tree_nodes = 100000;

// A column of a schema: the schema's index in query_facts::schemas and the column as spelled
// in schema_fact::columns.
struct base_column {
  std::size_t schema = 0;
  std::string column;
  friend bool operator<(const base_column& a, const base_column& b) {
    return a.schema != b.schema ? a.schema < b.schema : a.column < b.column;
  }
};
// The schema columns whose values an expression passes on. Only COUNT(...) and
// COUNT(DISTINCT ...) cut it; everything else, SUM/AVG/MIN/MAX and scalar functions included,
// passes the values of its arguments on (a SUM over a group of one row is the row's value).
using lineage = std::set<base_column>;

// One item of a FROM clause: a schema table, a CTE or a subquery.
struct range_entry {
  std::string name;                    // the alias, else the table name: what `name.c` refers to
  std::optional<std::size_t> schema;   // set for a schema of the collaboration
  std::vector<std::string> columns;    // the columns it offers (a schema: its allowed columns)
  std::vector<lineage> lineages;       // per column
  const json::object* node = nullptr;  // the RangeVar / RangeSubselect body
};

struct output_column {
  std::string name;
  lineage carried;
};

// What a ColumnRef means.
struct column_binding {
  const range_entry* entry = nullptr;  // null: it names output column `output` (ORDER/GROUP BY)
  std::size_t column = 0;              // index into entry->columns
  std::size_t output = 0;
  bool outer = false;  // a correlated reference to an enclosing query
};

// A column merged by JOIN ... USING or NATURAL JOIN: unqualified, it names all its sources.
struct merged_column {
  std::string name;
  std::vector<std::pair<const range_entry*, std::size_t>> sources;
};

// One SELECT ... FROM ... block (not a set operation).
struct bound_block {
  const json::object* stmt = nullptr;   // the SelectStmt body
  const bound_block* parent = nullptr;  // where correlated references resolve
  std::vector<std::unique_ptr<range_entry>> entries;
  std::vector<merged_column> merged;
  std::vector<output_column> outputs;
};

struct bound_query {
  std::vector<std::size_t> schemas;  // distinct schemas read, in order of first reference
  std::map<const json::object*, column_binding> columns;     // ColumnRef body -> meaning
  std::map<const json::object*, const range_entry*> ranges;  // RangeVar body -> entry
  std::vector<std::unique_ptr<bound_block>> blocks;
  const bound_block* top = nullptr;    // the outermost block; null for UNION/VALUES at the top
  std::vector<output_column> outputs;  // of the outermost query
  std::size_t ctes = 0;
  std::size_t subqueries = 0;  // FROM subqueries and expression sublinks
  std::size_t set_operations = 0;
  std::size_t window_functions = 0;
  std::size_t values_lists = 0;
  // The first unknown or ambiguous column. Reported after the table-level checks, so that a
  // query over a forbidden table says so rather than complaining about one of its columns.
  std::optional<violation> column_error;
};

// Binds the statement `select` (a SelectStmt body). Fails on unsupported constructs and unknown
// tables; column problems are left in column_error.
[[nodiscard]] result<bound_query, violation> bind(const json::object& select,
                                                  const query_facts& facts);

// Function names (lower case) of aggregate functions.
[[nodiscard]] bool is_aggregate_name(std::string_view lower_name);

}  // namespace crs::query::sql
