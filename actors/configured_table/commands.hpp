// Commands of the configured table aggregate, already shape-validated by api/ (SPEC.md 2.2).
// Business rules (owner, analysis-rule validity, catalog columns, quotas) are the decider's.
#pragma once

#include <cstddef>
#include <variant>

#include "events/table_values.hpp"

namespace crs::configured_table {

// What the host read from the local data catalog (catalog/) for the table reference a command
// leaves in place, so the decider can check columns without doing I/O itself.
struct catalog_facts {
  bool strict = false;               // --strict-catalog: a missing table is an error
  bool found = false;                // the reference names a table the catalog has
  std::vector<std::string> columns;  // all its columns (partition keys included) when found
  std::string problem;               // found, but the file or its sidecar cannot be used: why
};

struct create_configured_table {
  std::string name;
  std::optional<std::string> description;
  table_reference reference;
  std::vector<std::string> allowed_columns;
  analysis_method method = analysis_method::direct_query;
  std::optional<std::vector<selected_analysis_method>> selected_methods;
  tag_map tags;
};

struct update_configured_table {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<table_reference> reference;
  std::optional<std::vector<std::string>> allowed_columns;
  std::optional<analysis_method> method;
  std::optional<std::vector<selected_analysis_method>> selected_methods;
};

struct delete_configured_table {};

struct create_analysis_rule {
  analysis_rule_type type = analysis_rule_type::aggregation;  // analysisRuleType
  analysis_rule_policy policy;
  std::size_t policy_bytes = 0;  // the serialized policy's size (the 100 KB quota)
};

// `type` is the path label; the policy's union member must match it.
struct update_analysis_rule {
  analysis_rule_type type = analysis_rule_type::aggregation;
  analysis_rule_policy policy;
  std::size_t policy_bytes = 0;
};

struct delete_analysis_rule {
  analysis_rule_type type = analysis_rule_type::aggregation;
};

struct tag_resource {
  std::string resource_arn;
  tag_map tags;
};

struct untag_resource {
  std::string resource_arn;
  std::vector<std::string> keys;
};

// Asked by the association protocol (actors/association_flow.hpp) before a collaboration
// records an association of this table: the table must exist and be the caller's. Decides no
// event; the host keeps the table from being deleted until the association is settled.
struct check_association {};

using command = std::variant<create_configured_table, update_configured_table,
                             delete_configured_table, create_analysis_rule, update_analysis_rule,
                             delete_analysis_rule, tag_resource, untag_resource, check_association>;

}  // namespace crs::configured_table
