// A collaboration's facts for the rule-check suites: tables of every rule type, owned by the
// querier (222222222222) or by other members.
#pragma once

#include <string>
#include <vector>

#include "query/sql/check.hpp"

namespace sqltest {

using namespace crs;
using namespace crs::query;

inline const std::string owner = "111111111111";   // the data owner
inline const std::string caller = "222222222222";  // the querier
inline const std::string other = "333333333333";   // a third member
inline const std::string template_arn =
    "arn:aws:cleanrooms:us-east-1:111111111111:membership/"
    "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa/analysistemplate/bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb";

inline schema_fact table(std::string name, std::string account, std::vector<std::string> columns,
                         std::optional<analysis_rule_policy> policy) {
  schema_fact s;
  s.name = std::move(name);
  s.owner = std::move(account);
  s.columns = std::move(columns);
  s.policy = std::move(policy);
  return s;
}

// purchases (owner): SUM/AVG(amount), COUNT_DISTINCT(user_id); dimension segment; join user_id;
// output constraint COUNT_DISTINCT(user_id) >= 2; scalar functions LOWER, ROUND, CAST, COALESCE.
inline aggregation_rule purchases_rule() {
  aggregation_rule r;
  r.aggregate_columns = {{{"amount"}, aggregate_function::sum},
                         {{"amount"}, aggregate_function::avg},
                         {{"user_id"}, aggregate_function::count_distinct}};
  r.join_columns = {"user_id"};
  r.dimension_columns = {"segment"};
  r.scalar_functions = {scalar_function::lower, scalar_function::round, scalar_function::cast,
                        scalar_function::coalesce, scalar_function::current_date};
  r.output_constraints = {{"user_id", 2}};
  return r;
}

// customers (the querier's): dimension region; join user_id; COUNT_DISTINCT(user_id), SUM(age);
// output constraint user_id >= 3; scalar functions UPPER, CURRENT_DATE.
inline aggregation_rule customers_rule() {
  aggregation_rule r;
  r.aggregate_columns = {{{"user_id"}, aggregate_function::count_distinct},
                         {{"age"}, aggregate_function::sum}};
  r.join_columns = {"user_id"};
  r.dimension_columns = {"region"};
  r.scalar_functions = {scalar_function::upper, scalar_function::current_date};
  r.output_constraints = {{"user_id", 3}};
  return r;
}

// partners (a third member): joinRequired, AND/OR joins allowed.
inline aggregation_rule partners_rule() {
  aggregation_rule r;
  r.aggregate_columns = {{{"spend"}, aggregate_function::sum}};
  r.join_columns = {"user_id", "email"};
  r.join_required = true;
  r.allowed_join_operators =
      std::vector<join_operator>{join_operator::and_op, join_operator::or_op};
  r.dimension_columns = {"channel"};
  r.output_constraints = {{"user_id", 100}};
  return r;
}

inline list_rule emails_list_rule() {
  list_rule r;
  r.join_columns = {"user_id"};
  r.list_columns = {"email", "city"};
  return r;
}

inline list_rule my_list_rule() {
  list_rule r;
  r.join_columns = {"user_id"};
  r.list_columns = {"name", "user_id"};
  return r;
}

// orders_custom (owner): provider mode for the querier; email is a disallowed output column.
inline custom_rule orders_custom_rule() {
  custom_rule r;
  r.allowed_analyses = {"ANY_QUERY"};
  r.allowed_analysis_providers = std::vector<std::string>{caller};
  r.disallowed_output_columns = std::vector<std::string>{"email"};
  return r;
}

inline custom_rule my_custom_rule() {
  custom_rule r;
  r.allowed_analyses = {"ANY_QUERY"};
  r.allowed_analysis_providers = std::vector<std::string>{caller};
  return r;
}

inline custom_rule template_custom_rule() {
  custom_rule r;
  r.allowed_analyses = {template_arn};
  return r;
}

inline custom_rule other_provider_rule() {
  custom_rule r;
  r.allowed_analyses = {"ANY_QUERY"};
  r.allowed_analysis_providers = std::vector<std::string>{other};
  return r;
}

inline custom_rule dp_custom_rule() {
  custom_rule r = my_custom_rule();
  r.differential_privacy_columns = std::vector<std::string>{"user_id"};
  return r;
}

inline query_facts facts() {
  query_facts f;
  f.caller = caller;
  f.schemas = {
      table("purchases", owner, {"user_id", "segment", "amount", "email"}, purchases_rule()),
      table("customers", caller, {"user_id", "region", "age"}, customers_rule()),
      table("partners", other, {"user_id", "email", "channel", "spend"}, partners_rule()),
      table("emails_list", owner, {"user_id", "email", "city"}, emails_list_rule()),
      table("my_list", caller, {"user_id", "name"}, my_list_rule()),
      table("orders_custom", owner, {"order_id", "user_id", "email", "total"},
            orders_custom_rule()),
      table("my_custom", caller, {"user_id", "score"}, my_custom_rule()),
      table("tmpl_custom", owner, {"user_id", "total"}, template_custom_rule()),
      table("closed_custom", other, {"user_id"}, other_provider_rule()),
      table("dp_custom", owner, {"user_id", "total"}, dp_custom_rule()),
      table("no_rule", owner, {"user_id"}, std::nullopt),
      table("job_table", owner, {"user_id"}, my_custom_rule()),
  };
  f.schemas.back().method = analysis_method::direct_job;
  return f;
}

// The outcome of a check, flattened for assertions.
struct outcome {
  bool ok = false;
  std::string code;
  std::string message;
  checked_query query;
};

inline outcome check(std::string_view sql, const query_facts& f = facts()) {
  auto r = check_query(sql, f);
  outcome o;
  o.ok = r.ok();
  if (r) {
    o.query = *r;
  } else {
    o.code = r.error().code;
    o.message = r.error().message;
  }
  return o;
}

// CREATE TABLE statements for every schema of facts(), with its allowed columns, so tests can
// prepare or run the checked SQL in SQLite.
inline std::string fixture_ddl() {
  std::string ddl;
  for (const schema_fact& s : facts().schemas) {
    ddl += "CREATE TABLE \"" + s.name + "\"(";
    for (std::size_t i = 0; i < s.columns.size(); ++i)
      ddl += (i ? ", \"" : "\"") + s.columns[i] + "\"";
    ddl += ");";
  }
  return ddl;
}

}  // namespace sqltest
