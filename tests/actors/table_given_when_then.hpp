// given(events) / when(command) / then(events or error) for the configured table decider.
#pragma once

#include <catch2/catch.hpp>

#include <cstdio>
#include <initializer_list>

#include "actors/configured_table/check.hpp"
#include "actors/configured_table/decide.hpp"
#include "then.hpp"

namespace crs::testing::tables {

inline const std::string owner = "111111111111";
inline const std::string stranger = "444444444444";
inline const std::string table_id = "7c1e2d3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
inline const std::string region = "us-east-1";

struct table_scenario {
  configured_table::state state;
  time_ms clock = 1'700'000'000'000;
  // What the host read from the catalog: by default the table is not in it (lenient mode).
  configured_table::catalog_facts catalog;
  std::size_t associations = 0;  // decide_context::table_associations
  std::size_t tables_owned = 0;  // decide_context::caller_configured_tables

  table_scenario() { state.id = table_id; }  // the host names the stream before any event

  decide_context as(const std::string& account) {
    decide_context ctx;
    ctx.caller = account;
    ctx.region = region;
    ctx.request_id = "req";
    ctx.now = clock += 1000;
    ctx.fresh_id = state.id;
    ctx.table_associations = associations;
    ctx.caller_configured_tables = tables_owned;
    return ctx;
  }
  // given: apply events as history.
  table_scenario& given(const std::vector<events::event_payload>& evs) {
    for (const auto& e : evs) configured_table::apply(state, e, clock);
    return *this;
  }
  // when: decide, and on success apply (so scenarios can chain commands).
  configured_table::decision when(const configured_table::command& c, const decide_context& ctx) {
    auto d = configured_table::decide(state, c, ctx, catalog);
    if (d) {
      // Whatever decide emits must pass the check verify runs over the log.
      for (const auto& e : d.value()) {
        auto why = configured_table::why_not_applicable(state, e);
        INFO(why.value_or(""));
        REQUIRE_FALSE(why.has_value());
        configured_table::apply(state, e, clock);
      }
    }
    return d;
  }
  configured_table::decision when(const configured_table::command& c, const std::string& account) {
    return when(c, as(account));
  }
};

inline table_reference glue(std::string database, std::string table) {
  return glue_table_reference{std::nullopt, std::move(database), std::move(table)};
}

inline table_reference athena(std::string database, std::string table) {
  athena_table_reference r;
  r.work_group = "primary";
  r.database_name = std::move(database);
  r.table_name = std::move(table);
  return r;
}

inline const std::vector<std::string>& standard_columns() {
  static const std::vector<std::string> columns = {"hashed_email", "city",  "age",    "spend",
                                                   "purchases",    "email", "user_id"};
  return columns;
}

// CreateConfiguredTable of a Glue table queried directly, with two tags.
inline configured_table::create_configured_table standard_table() {
  configured_table::create_configured_table c;
  c.name = "customers";
  c.description = "loyalty customers";
  c.reference = glue("sales", "customers");
  c.allowed_columns = standard_columns();
  c.method = analysis_method::direct_query;
  c.tags = {{"team", "ads"}, {"env", "test"}};
  return c;
}

// A scenario whose table `owner` created with `standard_table`.
inline table_scenario created_table() {
  table_scenario s;
  auto d = s.when(standard_table(), owner);
  REQUIRE(d.ok());
  return s;
}

inline aggregation_rule valid_aggregation() {
  aggregation_rule r;
  r.aggregate_columns = {{{"spend"}, aggregate_function::sum}};
  r.join_columns = {"hashed_email"};
  r.dimension_columns = {"city"};
  r.output_constraints = {{"hashed_email", 100}};
  return r;
}

inline list_rule valid_list() {
  list_rule r;
  r.join_columns = {"hashed_email"};
  r.list_columns = {"city", "age"};
  return r;
}

// CUSTOM in provider mode with differential privacy on user_id (a Glue-only feature).
inline custom_rule dp_custom() {
  custom_rule r;
  r.allowed_analyses = {"ANY_QUERY"};
  r.allowed_analysis_providers = std::vector<std::string>{"222222222222"};
  r.differential_privacy_columns = std::vector<std::string>{"user_id"};
  return r;
}

inline configured_table::create_analysis_rule rule_of(analysis_rule_policy p,
                                                      std::size_t bytes = 512) {
  return configured_table::create_analysis_rule{type_of(p), std::move(p), bytes};
}

inline configured_table::update_analysis_rule new_policy(analysis_rule_policy p,
                                                         std::size_t bytes = 512) {
  return configured_table::update_analysis_rule{type_of(p), std::move(p), bytes};
}

template <class E>
const E* find_event(const std::vector<events::event_payload>& evs, std::size_t nth = 0) {
  for (const auto& e : evs)
    if (const auto* p = std::get_if<E>(&e))
      if (nth-- == 0) return p;
  return nullptr;
}

}  // namespace crs::testing::tables
