// The analysis-rule check of protected-query SQL (SPEC.md 12 step 8, 17.2-17.5): from the
// query text and the collaboration's facts to the SQL an engine may run, or the violation
// that fails the query. Pure: no I/O, clock or globals besides libpg_query.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "events/result.hpp"
#include "events/template_values.hpp"
#include "query/plan.hpp"

namespace crs::query {

// Substitutes an analysis template's parameters: every `:name` placeholder outside string
// literals, quoted identifiers and comments (and not part of a `::` cast) becomes a SQL literal
// of the value: numeric parameter types (SMALLINT, INTEGER, BIGINT, DECIMAL, REAL,
// DOUBLE_PRECISION, DOUBLE, FLOAT, INT, LONG, NUMERIC, SHORT, TINYINT) must be a valid number
// literal (else violation code_parameter naming the parameter) and are inserted bare (a
// negative one in parentheses, so `x-:p` cannot become a `--` comment); BOOLEAN must be
// true/false; everything else becomes a single-quoted string with quotes doubled. Value: the
// supplied one, else the declared defaultValue, else violation. A placeholder naming an
// undeclared parameter -> violation; a supplied name that is not declared -> violation.
[[nodiscard]] result<std::string, violation> substitute_parameters(
    std::string_view sql, const std::vector<analysis_parameter>& declared,
    const std::map<std::string, std::string>& supplied);

// The rule check. Pure: no I/O, clock or globals besides libpg_query.
[[nodiscard]] result<checked_query, violation> check_query(std::string_view sql,
                                                           const query_facts& facts);

}  // namespace crs::query
