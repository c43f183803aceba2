#include "api/operations/table_shapes.hpp"

#include <array>
#include <initializer_list>

#include "api/operations/shapes.hpp"

namespace crs::api::shapes {
namespace {

// The model's constraints, by shape name (SPEC.md Appendix A).
constexpr string_rule rule_column_rule{1, 127, pattern::column};  // AnalysisRuleColumnName
constexpr string_rule column_name_rule{0, 128, pattern::column};  // ColumnName
constexpr string_rule glue_table_rule{0, 128, pattern::alias};
constexpr string_rule glue_database_rule{0, 128, pattern::glue_database};  // also Athena's
constexpr string_rule athena_table_rule{0, 128, pattern::athena_table};
constexpr string_rule work_group_rule{1, 128, pattern::athena_work_group};
constexpr string_rule output_location_rule{8, 1024, pattern::s3_uri};
constexpr string_rule catalog_rule{1, 64, pattern::athena_catalog};
constexpr string_rule secret_arn_rule{0, 256, pattern::secret_arn};
constexpr string_rule snowflake_account_rule{3, 256, pattern::snowflake_account};
constexpr string_rule snowflake_name_rule{1, 256, pattern::snowflake_name};
constexpr string_rule column_type_rule{0, 255, pattern::line};  // ColumnTypeString
constexpr string_rule analysis_ref_rule{0, 200, pattern::analysis_ref};
constexpr string_rule additional_arn_rule{0, 256, pattern::additional_analysis_arn};

constexpr std::size_t snowflake_max_columns = 250;
constexpr std::size_t max_join_operators = 2;
constexpr std::size_t max_additional_analyses = 25;
constexpr std::int64_t min_minimum = 2, max_minimum = 100000;
// A hostile list of half a million bad items would otherwise cost as many field errors (and a
// response of tens of MB); past this many errors in one list the rest is not examined.
constexpr std::size_t max_item_errors = 25;

constexpr std::string_view function_values = "SUM, SUM_DISTINCT, COUNT, COUNT_DISTINCT, AVG";
constexpr std::string_view join_operator_values = "OR, AND";
constexpr std::string_view additional_values = "ALLOWED, REQUIRED, NOT_ALLOWED";
constexpr std::string_view scalar_values =
    "ABS, CAST, CEILING, COALESCE, CONVERT, CURRENT_DATE, DATEADD, EXTRACT, FLOOR, GETDATE, LN, "
    "LOG, LOWER, ROUND, RTRIM, SQRT, SUBSTRING, TO_CHAR, TO_DATE, TO_NUMBER, TO_TIMESTAMP, TRIM, "
    "TRUNC, UPPER";

// CommercialRegion, in the model's order.
constexpr std::array<std::string_view, 33> region_names{
    "us-west-1",      "us-west-2",      "us-east-1",      "us-east-2",      "af-south-1",
    "ap-east-1",      "ap-south-2",     "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-5", "ap-southeast-4", "ap-southeast-7", "ap-south-1",     "ap-northeast-3",
    "ap-northeast-1", "ap-northeast-2", "ca-central-1",   "ca-west-1",      "eu-south-1",
    "eu-west-3",      "eu-south-2",     "eu-central-2",   "eu-central-1",   "eu-north-1",
    "eu-west-1",      "eu-west-2",      "me-south-1",     "me-central-1",   "il-central-1",
    "sa-east-1",      "mx-central-1",   "ap-east-2"};

std::optional<std::string> parse_region(std::string_view s) {
  for (auto r : region_names)
    if (r == s) return std::string(s);
  return std::nullopt;
}

const std::string& region_values() {
  static const std::string joined = [] {
    std::string out;
    for (auto r : region_names) {
      if (!out.empty()) out += ", ";
      out += r;
    }
    return out;
  }();
  return joined;
}

// Single-value enums of the model: JoinRequiredOption and AggregationType.
std::optional<bool> parse_query_runner(std::string_view s) {
  if (s == "QUERY_RUNNER") return true;
  return std::nullopt;
}
std::optional<bool> parse_count_distinct(std::string_view s) {
  if (s == "COUNT_DISTINCT") return true;
  return std::nullopt;
}

bool present(const boost::json::object& o, std::string_view member) {
  auto it = o.find(member);
  return it != o.end() && !it->value().is_null();
}

// A union: exactly one of `members` set (JSON null = absent). Returns the index of the one set,
// or -1 after recording an error that names the union and what it can hold.
int one_member(validator& v, const boost::json::object& u, const std::string& p,
               std::string_view union_name, std::initializer_list<std::string_view> members) {
  int found = -1, n = 0, i = 0;
  std::string names, set;
  for (auto m : members) {
    if (!names.empty()) names += ", ";
    names += m;
    if (present(u, m)) {
      if (n++) set += ", ";
      set += m;
      found = i;
    }
    ++i;
  }
  if (n == 1) return found;
  std::string message = "Value at '" + p +
                        "' failed to satisfy constraint: " + std::string(union_name) +
                        " must have exactly one member set (one of: " + names + "); ";
  message += n == 0 ? std::string("none is set") : std::to_string(n) + " are set: " + set;
  v.add(p, std::move(message));
  return -1;
}

// Calls item(value, path) -> bool for every element of `arr`; false if any failed. Stops early
// (with one error saying so) once the list has produced max_item_errors errors.
template <class F>
bool each_item(validator& v, const boost::json::array& arr, const std::string& p, F&& item) {
  const std::size_t before = v.errors().size();
  bool ok = true;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (v.errors().size() - before >= max_item_errors) {
      v.add(p, "Value at '" + p + "' has too many invalid items: only the first " +
                   std::to_string(i) + " of " + std::to_string(arr.size()) + " were checked");
      return false;
    }
    if (!item(arr[i], path(p, i))) ok = false;
  }
  return ok;
}

std::optional<std::vector<std::string>> string_list(validator& v, const boost::json::object& o,
                                                    std::string_view member, const std::string& p,
                                                    bool required, std::size_t min_items,
                                                    std::size_t max_items, string_rule rule) {
  const auto* arr = v.array(o, member, p, min_items, max_items, required);
  if (!arr) return std::nullopt;
  std::vector<std::string> out;
  out.reserve(arr->size());
  const bool ok = each_item(v, *arr, p, [&](const boost::json::value& item, const std::string& ip) {
    auto s = v.str_item(item, ip, rule);
    if (s) out.push_back(std::move(*s));
    return s.has_value();
  });
  if (!ok) return std::nullopt;
  return out;
}

template <class E>
std::optional<std::vector<E>> enum_items(validator& v, const boost::json::object& o,
                                         std::string_view member, const std::string& p,
                                         bool required, std::size_t max_items,
                                         std::optional<E> (*parse)(std::string_view),
                                         std::string_view allowed) {
  const auto* arr = v.array(o, member, p, 0, max_items, required);
  if (!arr) return std::nullopt;
  std::vector<E> out;
  const bool ok = each_item(v, *arr, p, [&](const boost::json::value& item, const std::string& ip) {
    auto e = v.enum_item(item, ip, parse, allowed);
    if (e) out.push_back(*e);
    return e.has_value();
  });
  if (!ok) return std::nullopt;
  return out;
}

// ---- TableReference ----

std::optional<table_reference> glue(validator& v, const boost::json::object& o,
                                    const std::string& p) {
  glue_table_reference r;
  r.region = v.enumeration(o, "region", path(p, "region"), &parse_region, region_values(), false);
  const bool region_ok = !present(o, "region") || r.region;
  auto table = v.str(o, "tableName", path(p, "tableName"), glue_table_rule, true);
  auto database = v.str(o, "databaseName", path(p, "databaseName"), glue_database_rule, true);
  if (!region_ok || !table || !database) return std::nullopt;
  r.table_name = std::move(*table);
  r.database_name = std::move(*database);
  return r;
}

std::optional<std::vector<snowflake_column>> snowflake_schema(validator& v,
                                                              const boost::json::object& o,
                                                              const std::string& p) {
  const auto* schema = v.object(o, "tableSchema", p, true);
  if (!schema || one_member(v, *schema, p, "SnowflakeTableSchema", {"v1"}) < 0) return std::nullopt;
  const std::string lp = path(p, "v1");
  const auto* arr = v.array(*schema, "v1", lp, 1, snowflake_max_columns, true);
  if (!arr) return std::nullopt;
  std::vector<snowflake_column> out;
  const bool ok =
      each_item(v, *arr, lp, [&](const boost::json::value& item, const std::string& ip) {
        const auto* c = v.object_item(item, ip);
        if (!c) return false;
        auto name = v.str(*c, "columnName", path(ip, "columnName"), column_name_rule, true);
        auto type = v.str(*c, "columnType", path(ip, "columnType"), column_type_rule, true);
        if (!name || !type) return false;
        out.push_back(snowflake_column{std::move(*name), std::move(*type)});
        return true;
      });
  if (!ok) return std::nullopt;
  return out;
}

std::optional<table_reference> snowflake(validator& v, const boost::json::object& o,
                                         const std::string& p) {
  auto secret = v.str(o, "secretArn", path(p, "secretArn"), secret_arn_rule, true);
  auto account =
      v.str(o, "accountIdentifier", path(p, "accountIdentifier"), snowflake_account_rule, true);
  auto database = v.str(o, "databaseName", path(p, "databaseName"), snowflake_name_rule, true);
  auto table = v.str(o, "tableName", path(p, "tableName"), snowflake_name_rule, true);
  auto schema_name = v.str(o, "schemaName", path(p, "schemaName"), snowflake_name_rule, true);
  auto columns = snowflake_schema(v, o, path(p, "tableSchema"));
  if (!secret || !account || !database || !table || !schema_name || !columns) return std::nullopt;
  return snowflake_table_reference{std::move(*secret),      std::move(*account),
                                   std::move(*database),    std::move(*table),
                                   std::move(*schema_name), std::move(*columns)};
}

std::optional<table_reference> athena(validator& v, const boost::json::object& o,
                                      const std::string& p) {
  athena_table_reference r;
  r.region = v.enumeration(o, "region", path(p, "region"), &parse_region, region_values(), false);
  bool ok = !present(o, "region") || r.region;
  auto work_group = v.str(o, "workGroup", path(p, "workGroup"), work_group_rule, true);
  r.output_location =
      v.str(o, "outputLocation", path(p, "outputLocation"), output_location_rule, false);
  ok = ok && (!present(o, "outputLocation") || r.output_location);
  auto database = v.str(o, "databaseName", path(p, "databaseName"), glue_database_rule, true);
  auto table = v.str(o, "tableName", path(p, "tableName"), athena_table_rule, true);
  r.catalog_name = v.str(o, "catalogName", path(p, "catalogName"), catalog_rule, false);
  ok = ok && (!present(o, "catalogName") || r.catalog_name);
  if (!ok || !work_group || !database || !table) return std::nullopt;
  r.work_group = std::move(*work_group);
  r.database_name = std::move(*database);
  r.table_name = std::move(*table);
  return r;
}

// ---- ConfiguredTableAnalysisRulePolicyV1 members ----

// An optional member whose parse failed when present: the caller must not accept the policy.
template <class T>
bool optional_ok(const boost::json::object& o, std::string_view member, const std::optional<T>& v) {
  return v.has_value() || !present(o, member);
}

std::optional<aggregate_column> aggregate_column_item(validator& v, const boost::json::value& item,
                                                      const std::string& p) {
  const auto* o = v.object_item(item, p);
  if (!o) return std::nullopt;
  auto names = column_list(v, *o, "columnNames", path(p, "columnNames"), true, 1);
  auto function = v.enumeration(*o, "function", path(p, "function"), &parse_aggregate_function,
                                function_values, true);
  if (!names || !function) return std::nullopt;
  return aggregate_column{std::move(*names), *function};
}

std::optional<aggregation_constraint> constraint_item(validator& v, const boost::json::value& item,
                                                      const std::string& p) {
  const auto* o = v.object_item(item, p);
  if (!o) return std::nullopt;
  auto column = v.str(*o, "columnName", path(p, "columnName"), rule_column_rule, true);
  auto minimum = v.integer(*o, "minimum", path(p, "minimum"), min_minimum, max_minimum, true);
  auto type =
      v.enumeration(*o, "type", path(p, "type"), &parse_count_distinct, "COUNT_DISTINCT", true);
  if (!column || !minimum || !type) return std::nullopt;
  return aggregation_constraint{std::move(*column), static_cast<std::int32_t>(*minimum)};
}

std::optional<analysis_rule_policy> aggregation(validator& v, const boost::json::object& o,
                                                const std::string& p) {
  aggregation_rule r;
  bool ok = true;
  const std::string acp = path(p, "aggregateColumns");
  if (const auto* arr = v.array(o, "aggregateColumns", acp, 1, SIZE_MAX, true)) {
    ok = each_item(v, *arr, acp, [&](const boost::json::value& item, const std::string& ip) {
      auto c = aggregate_column_item(v, item, ip);
      if (c) r.aggregate_columns.push_back(std::move(*c));
      return c.has_value();
    });
  } else {
    ok = false;
  }
  auto join = column_list(v, o, "joinColumns", path(p, "joinColumns"), true, 0);
  auto join_required = v.enumeration(o, "joinRequired", path(p, "joinRequired"),
                                     &parse_query_runner, "QUERY_RUNNER", false);
  ok = ok && optional_ok(o, "joinRequired", join_required);
  r.allowed_join_operators =
      enum_items(v, o, "allowedJoinOperators", path(p, "allowedJoinOperators"), false,
                 max_join_operators, &parse_join_operator, join_operator_values);
  ok = ok && optional_ok(o, "allowedJoinOperators", r.allowed_join_operators);
  auto dimensions = column_list(v, o, "dimensionColumns", path(p, "dimensionColumns"), true, 0);
  auto scalars = enum_items(v, o, "scalarFunctions", path(p, "scalarFunctions"), true, SIZE_MAX,
                            &parse_scalar_function, scalar_values);
  const std::string ocp = path(p, "outputConstraints");
  if (const auto* arr = v.array(o, "outputConstraints", ocp, 1, SIZE_MAX, true)) {
    ok = each_item(v, *arr, ocp,
                   [&](const boost::json::value& item, const std::string& ip) {
                     auto c = constraint_item(v, item, ip);
                     if (c) r.output_constraints.push_back(std::move(*c));
                     return c.has_value();
                   }) &&
         ok;
  } else {
    ok = false;
  }
  r.additional = v.enumeration(o, "additionalAnalyses", path(p, "additionalAnalyses"),
                               &parse_additional_analyses, additional_values, false);
  ok = ok && optional_ok(o, "additionalAnalyses", r.additional);
  if (!ok || !join || !dimensions || !scalars) return std::nullopt;
  r.join_columns = std::move(*join);
  r.join_required = join_required.has_value();
  r.dimension_columns = std::move(*dimensions);
  r.scalar_functions = std::move(*scalars);
  return r;
}

std::optional<analysis_rule_policy> list(validator& v, const boost::json::object& o,
                                         const std::string& p) {
  list_rule r;
  auto join = column_list(v, o, "joinColumns", path(p, "joinColumns"), true, 1);
  r.allowed_join_operators =
      enum_items(v, o, "allowedJoinOperators", path(p, "allowedJoinOperators"), false,
                 max_join_operators, &parse_join_operator, join_operator_values);
  auto columns = column_list(v, o, "listColumns", path(p, "listColumns"), true, 0);
  r.additional = v.enumeration(o, "additionalAnalyses", path(p, "additionalAnalyses"),
                               &parse_additional_analyses, additional_values, false);
  if (!join || !columns || !optional_ok(o, "allowedJoinOperators", r.allowed_join_operators) ||
      !optional_ok(o, "additionalAnalyses", r.additional))
    return std::nullopt;
  r.join_columns = std::move(*join);
  r.list_columns = std::move(*columns);
  return r;
}

// DifferentialPrivacyConfiguration: {"columns": [{"name": «COLUMN»}]}, exactly one column.
std::optional<std::vector<std::string>> differential_privacy(validator& v,
                                                             const boost::json::object& o,
                                                             const std::string& p) {
  const auto* dp = v.object(o, "differentialPrivacy", p, false);
  if (!dp) return std::nullopt;
  const std::string cp = path(p, "columns");
  const auto* arr = v.array(*dp, "columns", cp, 1, 1, true);
  if (!arr) return std::nullopt;
  std::vector<std::string> out;
  const bool ok =
      each_item(v, *arr, cp, [&](const boost::json::value& item, const std::string& ip) {
        const auto* c = v.object_item(item, ip);
        if (!c) return false;
        auto name = v.str(*c, "name", path(ip, "name"), column_name_rule, true);
        if (name) out.push_back(std::move(*name));
        return name.has_value();
      });
  if (!ok) return std::nullopt;
  return out;
}

std::optional<analysis_rule_policy> custom(validator& v, const boost::json::object& o,
                                           const std::string& p) {
  custom_rule r;
  auto analyses = string_list(v, o, "allowedAnalyses", path(p, "allowedAnalyses"), true, 0,
                              SIZE_MAX, analysis_ref_rule);
  r.allowed_analysis_providers =
      string_list(v, o, "allowedAnalysisProviders", path(p, "allowedAnalysisProviders"), false, 0,
                  SIZE_MAX, account_rule);
  r.additional = v.enumeration(o, "additionalAnalyses", path(p, "additionalAnalyses"),
                               &parse_additional_analyses, additional_values, false);
  r.disallowed_output_columns =
      column_list(v, o, "disallowedOutputColumns", path(p, "disallowedOutputColumns"), false, 0);
  r.differential_privacy_columns = differential_privacy(v, o, path(p, "differentialPrivacy"));
  if (!analyses || !optional_ok(o, "allowedAnalysisProviders", r.allowed_analysis_providers) ||
      !optional_ok(o, "additionalAnalyses", r.additional) ||
      !optional_ok(o, "disallowedOutputColumns", r.disallowed_output_columns) ||
      !optional_ok(o, "differentialPrivacy", r.differential_privacy_columns))
    return std::nullopt;
  r.allowed_analyses = std::move(*analyses);
  return r;
}

// ConfiguredTableAssociationAnalysisRule{Aggregation,List,Custom}: the same members for each.
std::optional<association_rule_policy> association_body(validator& v, const boost::json::object& o,
                                                        const std::string& p) {
  association_rule_policy r;
  r.allowed_result_receivers =
      string_list(v, o, "allowedResultReceivers", path(p, "allowedResultReceivers"), false, 0,
                  SIZE_MAX, account_rule);
  r.allowed_additional_analyses =
      string_list(v, o, "allowedAdditionalAnalyses", path(p, "allowedAdditionalAnalyses"), false, 0,
                  max_additional_analyses, additional_arn_rule);
  if (!optional_ok(o, "allowedResultReceivers", r.allowed_result_receivers) ||
      !optional_ok(o, "allowedAdditionalAnalyses", r.allowed_additional_analyses))
    return std::nullopt;
  return r;
}

// The union members of both policy V1 unions, in the model's order, and their rule types.
constexpr std::array<std::string_view, 3> v1_names{"list", "aggregation", "custom"};
constexpr std::array<analysis_rule_type, 3> v1_types{
    analysis_rule_type::list, analysis_rule_type::aggregation, analysis_rule_type::custom};

// {"v1": {...}}: the inner V1 object, or nullptr after recording why.
const boost::json::object* policy_v1(validator& v, const boost::json::object& o,
                                     std::string_view member, const std::string& p, bool required,
                                     std::string_view union_name) {
  const auto* policy = v.object(o, member, p, required);
  if (!policy || one_member(v, *policy, p, union_name, {"v1"}) < 0) return nullptr;
  return v.object(*policy, "v1", path(p, "v1"), true);
}

}  // namespace

std::optional<table_reference> table_ref(validator& v, const boost::json::object& o,
                                         std::string_view member, const std::string& p,
                                         bool required) {
  const auto* ref = v.object(o, member, p, required);
  if (!ref) return std::nullopt;
  const int which = one_member(v, *ref, p, "TableReference", {"glue", "snowflake", "athena"});
  if (which < 0) return std::nullopt;
  static constexpr std::string_view kinds[] = {"glue", "snowflake", "athena"};
  const std::string kp = path(p, kinds[which]);
  const auto* body = v.object(*ref, kinds[which], kp, true);
  if (!body) return std::nullopt;
  switch (which) {
    case 0:
      return glue(v, *body, kp);
    case 1:
      return snowflake(v, *body, kp);
    default:
      return athena(v, *body, kp);
  }
}

std::optional<analysis_rule_policy> analysis_policy(validator& v, const boost::json::object& o,
                                                    std::string_view member, const std::string& p,
                                                    bool required) {
  const auto* v1 = policy_v1(v, o, member, p, required, "ConfiguredTableAnalysisRulePolicy");
  if (!v1) return std::nullopt;
  const std::string v1p = path(p, "v1");
  // AnalysisRulePolicyV1 (the schema-side union) has idMappingTable; the configured-table one
  // does not: such rules come from ID mapping tables, never from a client's policy.
  const bool id_mapping = present(*v1, "idMappingTable");
  if (id_mapping) {
    const std::string ip = path(v1p, "idMappingTable");
    v.add(ip, "Value at '" + ip +
                  "' failed to satisfy constraint: idMappingTable is not a member of "
                  "ConfiguredTableAnalysisRulePolicyV1; a configured table analysis rule is one "
                  "of list, aggregation, custom");
    if (!present(*v1, "list") && !present(*v1, "aggregation") && !present(*v1, "custom"))
      return std::nullopt;  // the refusal says it all
  }
  const int which = one_member(v, *v1, v1p, "ConfiguredTableAnalysisRulePolicyV1",
                               {v1_names[0], v1_names[1], v1_names[2]});
  if (which < 0 || id_mapping) return std::nullopt;
  const std::string bp = path(v1p, v1_names[which]);
  const auto* body = v.object(*v1, v1_names[which], bp, true);
  if (!body) return std::nullopt;
  const auto type = v1_types[which];
  switch (type) {
    case analysis_rule_type::aggregation:
      return aggregation(v, *body, bp);
    case analysis_rule_type::list:
      return list(v, *body, bp);
    case analysis_rule_type::custom:
      return custom(v, *body, bp);
  }
  return std::nullopt;
}

std::optional<std::pair<analysis_rule_type, association_rule_policy>> association_policy(
    validator& v, const boost::json::object& o, std::string_view member, const std::string& p,
    bool required) {
  const auto* v1 =
      policy_v1(v, o, member, p, required, "ConfiguredTableAssociationAnalysisRulePolicy");
  if (!v1) return std::nullopt;
  const std::string v1p = path(p, "v1");
  const int which = one_member(v, *v1, v1p, "ConfiguredTableAssociationAnalysisRulePolicyV1",
                               {v1_names[0], v1_names[1], v1_names[2]});
  if (which < 0) return std::nullopt;
  const std::string bp = path(v1p, v1_names[which]);
  const auto* body = v.object(*v1, v1_names[which], bp, true);
  if (!body) return std::nullopt;
  auto rule = association_body(v, *body, bp);
  if (!rule) return std::nullopt;
  return std::make_pair(v1_types[which], std::move(*rule));
}

std::optional<std::vector<std::string>> column_list(validator& v, const boost::json::object& o,
                                                    std::string_view member, const std::string& p,
                                                    bool required, std::size_t min_items,
                                                    std::size_t max_chars) {
  return string_list(v, o, member, p, required, min_items, SIZE_MAX,
                     string_rule{1, max_chars, pattern::column});
}

}  // namespace crs::api::shapes
