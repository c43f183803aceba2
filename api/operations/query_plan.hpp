// What a protected query needs before an engine can run it, read from the projections and the
// local catalog: the SQL (a template's text with its parameters substituted), the facts of the
// collaboration's schemas, the rule check's verdict (query/sql) and the tables' data files.
// Used twice: by StartProtectedQuery, whose verdict the decider reports (SPEC.md 12 check 8),
// and by the runner just before executing, because rules and data may have changed meanwhile.
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "events/event_store.hpp"
#include "events/query_values.hpp"
#include "events/result.hpp"
#include "query/engine/engine.hpp"
#include "query/plan.hpp"
#include "query/runner.hpp"

namespace crs::api {

// The SQL a query runs: its queryString, or its template's text with the parameters
// substituted (query/sql/check.hpp).
[[nodiscard]] result<std::string, query::violation> query_text(const events::event_store& store,
                                                               const std::string& cid,
                                                               const query_sql_parameters& sql);

// The text, checked against the rules.
[[nodiscard]] result<query::checked_query, query::violation> check_sql(
    const events::event_store& store, const std::string& cid, const account_id& caller,
    const query_sql_parameters& sql);

struct prepared_query {
  query::checked_query checked;
  std::vector<query::table_data> tables;
};

// check_sql (every visible schema's configured columns and rule, read once), then each table's
// CSV from the catalog, restricted to its allowed columns.
[[nodiscard]] result<prepared_query, query::violation> prepare_query(
    const events::event_store& store, const catalog::local_catalog& catalog, const std::string& cid,
    const account_id& caller, const query_sql_parameters& sql);

// The runner's plan port: the recorded query (its pq/ row), prepared now, with its S3 output.
[[nodiscard]] result<query::job_plan, query::violation> plan_job(
    const events::event_store& store, const catalog::local_catalog& catalog, const query::job& j);

}  // namespace crs::api
