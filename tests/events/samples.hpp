// Sample events for the codec and store suites: every event type, each with its optionals
// absent, present with default or empty values, and present with everything set.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "events/domain_events.hpp"
#include "events/envelope.hpp"

namespace crs::test {

using namespace std::string_literals;

struct sample {
  std::string name;
  events::event_payload payload;
};

inline payment_config mixed_payment() {
  payment_config p;
  p.at(payment_dimension::query_compute) = true;
  p.at(payment_dimension::job_compute) = false;
  // model_training stays absent
  p.at(payment_dimension::model_inference) = true;
  p.at(payment_dimension::synthetic_data_generation) = false;
  p.machine_learning_sent = true;
  return p;
}

inline query_result_config full_query_result() {
  return {result_format::parquet, "results-bucket", "prefix/", true,
          "arn:aws:iam::111122223333:role/results"};
}

// Present, but every optional inside present with an empty or false value.
inline query_result_config empty_query_result() {
  return {result_format::csv, "", ""s, false, ""s};
}

inline std::vector<sample> collaboration_samples() {
  using namespace events;
  collaboration_created full;
  full.collaboration_id = "3f2b8c1e-0000-4000-8000-000000000001";
  full.region = "eu-west-1";
  full.name = "Sales \xc3\xa9t\xc3\xa9 2026";  // UTF-8
  full.description = "line1\nline2 with a \0 NUL"s;
  full.creator = "111122223333";
  full.creator_display_name = "Creator";
  full.encryption = data_encryption_metadata{true, false, true, true};
  full.query_log = log_status::enabled;
  full.job_log = log_status::disabled;
  full.engine = analytics_engine::clean_rooms_sql;
  full.auto_approved = std::vector<auto_approved_change_type>{
      auto_approved_change_type::revoke_receive_results_ability,
      auto_approved_change_type::add_member};
  full.allowed_result_regions = std::vector<std::string>{"us-east-1", "eu-west-1", "ap-south-1"};
  full.metrics_enabled = true;

  collaboration_created bare;  // every optional absent, every string empty

  collaboration_created defaults = bare;
  defaults.encryption = data_encryption_metadata{};
  defaults.job_log = log_status::enabled;
  defaults.engine = analytics_engine::spark;
  defaults.auto_approved = std::vector<auto_approved_change_type>{};
  defaults.allowed_result_regions = std::vector<std::string>{};
  defaults.metrics_enabled = false;

  collaboration_updated upd_full{"New name"s, "New description"s,
                                 analytics_engine::clean_rooms_sql};
  collaboration_updated upd_bare;
  collaboration_updated upd_empty{""s, ""s, analytics_engine::spark};

  return {{"CollaborationCreated/full", full},
          {"CollaborationCreated/bare", bare},
          {"CollaborationCreated/defaults", defaults},
          {"CollaborationUpdated/full", upd_full},
          {"CollaborationUpdated/bare", upd_bare},
          {"CollaborationUpdated/empty", upd_empty},
          {"CollaborationDeleted", collaboration_deleted{}}};
}

inline std::vector<sample> member_samples() {
  using namespace events;
  member_spec full{"444455556666",
                   "Analyst",
                   {member_ability::can_run_job, member_ability::can_query},
                   std::vector<ml_ability>{ml_ability::can_receive_inference_output,
                                           ml_ability::can_receive_model_output},
                   mixed_payment()};
  member_spec bare;
  member_spec empties{"", "", {}, std::vector<ml_ability>{}, payment_config{}};

  payment_assigned pay_full{payment_dimension::synthetic_data_generation, "444455556666", true};

  return {{"MemberInvited/full", member_invited{full}},
          {"MemberInvited/bare", member_invited{bare}},
          {"MemberInvited/empties", member_invited{empties}},
          {"PaymentAssigned/full", pay_full},
          {"PaymentAssigned/bare", payment_assigned{}},
          {"MemberLeft", member_left{"444455556666"}},
          {"MemberLeft/bare", member_left{}},
          {"MemberRemoved", member_removed{"777788889999"}},
          {"MemberRemoved/bare", member_removed{}}};
}

inline std::vector<sample> membership_samples() {
  using namespace events;
  membership_created full;
  full.membership_id = "m-1";
  full.account = "444455556666";
  full.region = "us-west-2";
  full.query_log = log_status::enabled;
  full.job_log = log_status::disabled;
  full.default_result = full_query_result();
  full.default_job_result = job_result_config{"jobs", "k/"s, "arn:aws:iam::1:role/j"};
  full.payment = mixed_payment();
  full.metrics_enabled = true;

  membership_created bare;

  membership_created empties = bare;
  empties.job_log = log_status::enabled;
  empties.default_result = empty_query_result();
  empties.default_job_result = job_result_config{"", ""s, ""};
  empties.metrics_enabled = false;

  membership_created partial = full;  // a nested config with its own optionals absent
  partial.default_result = query_result_config{result_format::csv, "b", {}, {}, {}};
  partial.default_job_result = job_result_config{"b", {}, "r"};

  membership_updated upd_full{"m-1", log_status::disabled, log_status::enabled, full_query_result(),
                              job_result_config{"j", "p"s, "r"}};
  membership_updated upd_bare{"m-1", {}, {}, {}, {}};
  membership_updated upd_empty{"", log_status::enabled, log_status::enabled, empty_query_result(),
                               job_result_config{}};

  return {{"MembershipCreated/full", full},
          {"MembershipCreated/bare", bare},
          {"MembershipCreated/empties", empties},
          {"MembershipCreated/partial", partial},
          {"MembershipUpdated/full", upd_full},
          {"MembershipUpdated/bare", upd_bare},
          {"MembershipUpdated/empty", upd_empty},
          {"MembershipStatusChanged/active",
           membership_status_changed{"m-1", membership_status::active}},
          {"MembershipStatusChanged/removed",
           membership_status_changed{"m-1", membership_status::removed}},
          {"MembershipStatusChanged/collaboration_deleted",
           membership_status_changed{"m-1", membership_status::collaboration_deleted}},
          {"MembershipDeleted", membership_deleted{"m-1", "444455556666"}},
          {"MembershipDeleted/bare", membership_deleted{}}};
}

inline std::vector<sample> tag_samples() {
  using namespace events;
  tags_changed full;
  full.resource_arn = "arn:aws:cleanrooms:us-east-1:111122223333:collaboration/c";
  full.set = {{"env", "prod"}, {"empty", ""}, {"\xe2\x9c\x93", "nul\0inside"s}};
  full.removed = {"zeta", "alpha", "mid"};  // request order, not sorted
  return {{"TagsChanged/full", full}, {"TagsChanged/bare", tags_changed{}}};
}

// ---- configured tables: every reference kind and every policy kind ----

inline table_reference full_glue() {
  return glue_table_reference{"eu-west-1"s, "sales_db", "orders"};
}

inline table_reference full_snowflake() {
  return snowflake_table_reference{"arn:aws:secretsmanager:us-east-1:111122223333:secret:sf",
                                   "org-account",
                                   "SALES",
                                   "ORDERS",
                                   "PUBLIC",
                                   {{"order_id", "NUMBER"}, {"email", "VARCHAR"}, {"", ""}}};
}

inline table_reference full_athena() {
  return athena_table_reference{"us-west-2"s, "primary", "s3://out/athena/"s,
                                "db",         "t",       "AwsDataCatalog"s};
}

inline aggregation_rule full_aggregation() {
  aggregation_rule r;
  r.aggregate_columns = {{{"amount", "tax"}, aggregate_function::sum_distinct},
                         {{"order_id"}, aggregate_function::count},
                         {{}, aggregate_function::avg}};
  r.join_columns = {"email", "phone"};
  r.join_required = true;
  r.allowed_join_operators =
      std::vector<join_operator>{join_operator::and_op, join_operator::or_op};
  r.dimension_columns = {"region"};
  r.scalar_functions = {scalar_function::upper, scalar_function::abs,
                        scalar_function::to_timestamp};
  r.output_constraints = {{"email", 100}, {"phone", 0}, {"", -5}};
  r.additional = additional_analyses::not_allowed;
  return r;
}

// Every optional list present and empty, every optional scalar present with its first value.
inline aggregation_rule empty_aggregation() {
  aggregation_rule r;
  r.allowed_join_operators = std::vector<join_operator>{};
  r.additional = additional_analyses::allowed;
  return r;
}

inline list_rule full_list() {
  return {{"email"},
          std::vector<join_operator>{join_operator::or_op},
          {"email", "city", "zip"},
          additional_analyses::required};
}

inline custom_rule full_custom() {
  return {
      {"ANY_QUERY", "arn:aws:cleanrooms:us-east-1:111122223333:membership/m/analysistemplate/t"},
      std::vector<std::string>{"444455556666", "777788889999"},
      additional_analyses::allowed,
      std::vector<std::string>{"ssn"},
      std::vector<std::string>{"user_id"}};
}

inline custom_rule empty_custom() {
  return {{},
          std::vector<std::string>{},
          std::nullopt,
          std::vector<std::string>{},
          std::vector<std::string>{}};
}

inline std::vector<sample> configured_table_samples() {
  using namespace events;
  configured_table_created full;
  full.configured_table_id = "ct-1";
  full.region = "us-east-1";
  full.owner = "111122223333";
  full.name = "orders \xc3\xa9";
  full.description = "all the orders"s;
  full.reference = full_snowflake();
  full.allowed_columns = {"order_id", "email", "amount"};
  full.method = analysis_method::multiple;
  full.selected_methods = std::vector<selected_analysis_method>{
      selected_analysis_method::direct_job, selected_analysis_method::direct_query};

  configured_table_created bare;  // glue reference with empty strings, no optionals

  configured_table_created empties = bare;
  empties.description = ""s;
  empties.reference = glue_table_reference{""s, "", ""};
  empties.selected_methods = std::vector<selected_analysis_method>{};

  configured_table_created athena = full;
  athena.reference = full_athena();
  athena.method = analysis_method::direct_job;
  athena.selected_methods.reset();

  configured_table_created athena_bare = bare;
  athena_bare.reference = athena_table_reference{};

  configured_table_created snowflake_bare = bare;
  snowflake_bare.reference = snowflake_table_reference{};

  configured_table_updated upd_full{
      "renamed"s,
      "new description"s,
      full_glue(),
      std::vector<std::string>{"a", "b"},
      analysis_method::direct_query,
      std::vector<selected_analysis_method>{selected_analysis_method::direct_query}};
  configured_table_updated upd_bare;
  configured_table_updated upd_empty{""s,
                                     ""s,
                                     athena_table_reference{},
                                     std::vector<std::string>{},
                                     analysis_method::direct_query,
                                     std::vector<selected_analysis_method>{}};

  return {
      {"ConfiguredTableCreated/full", full},
      {"ConfiguredTableCreated/bare", bare},
      {"ConfiguredTableCreated/empties", empties},
      {"ConfiguredTableCreated/athena", athena},
      {"ConfiguredTableCreated/athena_bare", athena_bare},
      {"ConfiguredTableCreated/snowflake_bare", snowflake_bare},
      {"ConfiguredTableUpdated/full", upd_full},
      {"ConfiguredTableUpdated/bare", upd_bare},
      {"ConfiguredTableUpdated/empty", upd_empty},
      {"ConfiguredTableDeleted", configured_table_deleted{}},
      {"ConfiguredTableAnalysisRuleCreated/aggregation", analysis_rule_created{full_aggregation()}},
      {"ConfiguredTableAnalysisRuleCreated/aggregation_bare",
       analysis_rule_created{aggregation_rule{}}},
      {"ConfiguredTableAnalysisRuleCreated/aggregation_empty",
       analysis_rule_created{empty_aggregation()}},
      {"ConfiguredTableAnalysisRuleCreated/list", analysis_rule_created{full_list()}},
      {"ConfiguredTableAnalysisRuleCreated/list_bare", analysis_rule_created{list_rule{}}},
      {"ConfiguredTableAnalysisRuleCreated/list_empty",
       analysis_rule_created{
           list_rule{{}, std::vector<join_operator>{}, {}, additional_analyses::allowed}}},
      {"ConfiguredTableAnalysisRuleCreated/custom", analysis_rule_created{full_custom()}},
      {"ConfiguredTableAnalysisRuleCreated/custom_bare", analysis_rule_created{custom_rule{}}},
      {"ConfiguredTableAnalysisRuleCreated/custom_empty", analysis_rule_created{empty_custom()}},
      {"ConfiguredTableAnalysisRuleUpdated/aggregation", analysis_rule_updated{full_aggregation()}},
      {"ConfiguredTableAnalysisRuleUpdated/list", analysis_rule_updated{full_list()}},
      {"ConfiguredTableAnalysisRuleUpdated/custom", analysis_rule_updated{full_custom()}},
      {"ConfiguredTableAnalysisRuleDeleted/aggregation",
       analysis_rule_deleted{analysis_rule_type::aggregation}},
      {"ConfiguredTableAnalysisRuleDeleted/list", analysis_rule_deleted{analysis_rule_type::list}},
      {"ConfiguredTableAnalysisRuleDeleted/custom",
       analysis_rule_deleted{analysis_rule_type::custom}}};
}

inline association_rule_policy full_association_policy() {
  return {std::vector<std::string>{"444455556666", "111122223333"},
          std::vector<std::string>{"arn:aws:cleanrooms:us-east-1:1:configuredtableassociation/x",
                                   "ANY"}};
}

inline std::vector<sample> association_samples() {
  using namespace events;
  association_created full{"cta-1",
                           "m-1",
                           "ct-1",
                           "111122223333",
                           "us-east-1",
                           "orders",
                           "linked \xc3\xa9"s,
                           "arn:aws:iam::111122223333:role/cr"};
  association_created bare;
  association_created empties = bare;
  empties.description = ""s;

  const association_rule_policy empty_policy{std::vector<std::string>{},
                                             std::vector<std::string>{}};
  const association_rule_policy half_policy{std::vector<std::string>{"444455556666"}, std::nullopt};

  return {
      {"ConfiguredTableAssociationCreated/full", full},
      {"ConfiguredTableAssociationCreated/bare", bare},
      {"ConfiguredTableAssociationCreated/empties", empties},
      {"ConfiguredTableAssociationUpdated/full",
       association_updated{"cta-1", "d"s, "arn:aws:iam::1:role/r"s}},
      {"ConfiguredTableAssociationUpdated/bare", association_updated{"cta-1", {}, {}}},
      {"ConfiguredTableAssociationUpdated/empty", association_updated{"", ""s, ""s}},
      {"ConfiguredTableAssociationDeleted", association_deleted{"cta-1"}},
      {"ConfiguredTableAssociationDeleted/bare", association_deleted{}},
      {"ConfiguredTableAssociationAnalysisRuleCreated/full",
       association_rule_created{"cta-1", analysis_rule_type::custom, full_association_policy()}},
      {"ConfiguredTableAssociationAnalysisRuleCreated/bare", association_rule_created{}},
      {"ConfiguredTableAssociationAnalysisRuleCreated/empty",
       association_rule_created{"cta-1", analysis_rule_type::list, empty_policy}},
      {"ConfiguredTableAssociationAnalysisRuleCreated/half",
       association_rule_created{"cta-1", analysis_rule_type::aggregation, half_policy}},
      {"ConfiguredTableAssociationAnalysisRuleUpdated/full",
       association_rule_updated{"cta-1", analysis_rule_type::list, full_association_policy()}},
      {"ConfiguredTableAssociationAnalysisRuleUpdated/bare", association_rule_updated{}},
      {"ConfiguredTableAssociationAnalysisRuleUpdated/empty",
       association_rule_updated{"cta-1", analysis_rule_type::custom, empty_policy}},
      {"ConfiguredTableAssociationAnalysisRuleDeleted/custom",
       association_rule_deleted{"cta-1", analysis_rule_type::custom}},
      {"ConfiguredTableAssociationAnalysisRuleDeleted/bare", association_rule_deleted{}}};
}

// ---- analysis templates: both source kinds and every parameter type ----

// One parameter of every type, in the model's order, the default value cycling through absent,
// present and present-but-empty.
inline std::vector<analysis_parameter> every_parameter_type() {
  std::vector<analysis_parameter> out;
  for (int i = 0; i < parameter_type_count; ++i) {
    analysis_parameter p;
    p.name = "p" + std::to_string(i);
    p.type = static_cast<parameter_type>(i);
    if (i % 3 == 1) p.default_value = "default " + std::to_string(i);
    if (i % 3 == 2) p.default_value = ""s;
    out.push_back(p);
  }
  return out;
}

inline template_artifacts full_artifacts() {
  return {{"code-bucket", "jobs/entry.py"},
          std::vector<s3_location>{{"code-bucket", "lib/a.zip"}, {"other", ""}},
          "arn:aws:iam::111122223333:role/pyspark"};
}

inline std::vector<sample> template_samples() {
  using namespace events;
  analysis_template_created full;
  full.template_id = "at-1";
  full.membership_id = "m-1";
  full.account = "111122223333";
  full.region = "us-east-1";
  full.name = "spend \xc3\xa9";
  full.description = "total spend per region"s;
  full.format = analysis_format::sql;
  full.source = "SELECT region, SUM(amount) FROM orders\nWHERE day = :day GROUP BY region"s;
  full.referenced_tables = {"orders", "customers"};
  full.parameters = every_parameter_type();
  full.detailed_errors = true;

  analysis_template_created bare;  // SQL source, empty text, no optionals

  analysis_template_created empties = bare;
  empties.description = ""s;
  empties.parameters = std::vector<analysis_parameter>{};

  analysis_template_created pyspark = full;
  pyspark.format = analysis_format::pyspark_1_0;
  pyspark.source = full_artifacts();
  pyspark.parameters.reset();
  pyspark.detailed_errors = false;

  analysis_template_created pyspark_bare = bare;  // artifacts, additional absent, empty strings
  pyspark_bare.format = analysis_format::pyspark_1_0;
  pyspark_bare.source = template_artifacts{};

  analysis_template_created pyspark_empty = pyspark_bare;
  pyspark_empty.source = template_artifacts{{"", ""}, std::vector<s3_location>{}, ""};

  return {{"AnalysisTemplateCreated/full", full},
          {"AnalysisTemplateCreated/bare", bare},
          {"AnalysisTemplateCreated/empties", empties},
          {"AnalysisTemplateCreated/pyspark", pyspark},
          {"AnalysisTemplateCreated/pyspark_bare", pyspark_bare},
          {"AnalysisTemplateCreated/pyspark_empty", pyspark_empty},
          {"AnalysisTemplateUpdated/full", analysis_template_updated{"at-1", "new text"s}},
          {"AnalysisTemplateUpdated/bare", analysis_template_updated{"at-1", {}}},
          {"AnalysisTemplateUpdated/empty", analysis_template_updated{"", ""s}},
          {"AnalysisTemplateDeleted", analysis_template_deleted{"at-1"}},
          {"AnalysisTemplateDeleted/bare", analysis_template_deleted{}}};
}

// ---- change requests: both change kinds, every change type and every status ----

inline change add_member_change() {
  return {member_change{"444455556666",
                        {member_ability::can_receive_results, member_ability::can_query},
                        "New member"s},
          {change_type::add_member, change_type::grant_receive_results_ability}};
}

inline change revoke_change() {
  return {member_change{"777788889999", {}, std::nullopt},
          {change_type::revoke_receive_results_ability}};
}

inline change edit_auto_approved_change() {
  return {collaboration_change{std::vector<auto_approved_change_type>{
              auto_approved_change_type::grant_receive_results_ability,
              auto_approved_change_type::add_member}},
          {change_type::edit_auto_approved_change_types}};
}

inline std::vector<sample> change_request_samples() {
  using namespace events;
  change_request_created full;
  full.change_request_id = "cr-1";
  full.changes = {add_member_change(), revoke_change(), edit_auto_approved_change(),
                  change{collaboration_change{}, {}}};
  full.auto_approved = true;
  full.status = change_request_status::approved;
  full.approvers = {"444455556666", "777788889999"};

  change_request_created bare;

  change_request_created empties;  // every optional inside present and empty
  empties.changes = {change{member_change{"", {}, ""s}, {}},
                     change{collaboration_change{std::vector<auto_approved_change_type>{}}, {}}};

  std::vector<sample> out{
      {"ChangeRequestCreated/full", full},
      {"ChangeRequestCreated/bare", bare},
      {"ChangeRequestCreated/empties", empties},
      {"ChangeRequestVoted/approve", change_request_voted{"cr-1", "444455556666", true}},
      {"ChangeRequestVoted/deny", change_request_voted{"cr-1", "777788889999", false}},
      {"ChangeRequestVoted/bare", change_request_voted{}},
      {"ChangeRequestApproved", change_request_approved{"cr-1"}},
      {"ChangeRequestApproved/bare", change_request_approved{}},
      {"ChangeRequestDenied", change_request_denied{"cr-1"}},
      {"ChangeRequestCancelled", change_request_cancelled{"cr-1"}},
      {"ChangeRequestCommitted", change_request_committed{"cr-1"}},
      {"ChangeRequestCommitted/bare", change_request_committed{}},
      {"MemberAbilitiesChanged/full",
       member_abilities_changed{"444455556666",
                                {member_ability::can_run_job, member_ability::can_query}}},
      {"MemberAbilitiesChanged/bare", member_abilities_changed{}},
      {"AutoApprovedChangeTypesChanged/full",
       auto_approved_changed{{auto_approved_change_type::revoke_receive_results_ability,
                              auto_approved_change_type::add_member}}},
      {"AutoApprovedChangeTypesChanged/bare", auto_approved_changed{}}};
  for (auto status : {change_request_status::pending, change_request_status::cancelled,
                      change_request_status::denied, change_request_status::committed}) {
    change_request_created c = full;
    c.auto_approved = false;
    c.status = status;
    out.push_back({"ChangeRequestCreated/" + std::string(to_string(status)), c});
  }
  return out;
}

// ---- protected queries: both SQL kinds, every output shape and every terminal status ----

inline query_s3_output full_query_s3() {
  return {result_format::parquet, "results-bucket", "queries/q-1/"s, true};
}

inline std::vector<sample> query_samples() {
  using namespace events;
  query_started sql;  // a query string, one S3 output, a compute configuration
  sql.query_id = "q-1";
  sql.membership_id = "m-1";
  sql.account = "444455556666";
  sql.sql.query_string =
      "SELECT region, COUNT(DISTINCT email) AS n\nFROM orders JOIN customers USING (email)\n"
      "WHERE name = 'Jos\xc3\xa9' GROUP BY region"s;
  sql.output = query_output{false, {full_query_s3()}};
  sql.compute = query_compute{"CR.4X", 16};
  sql.receivers = {"444455556666"};
  sql.receiver_memberships = {"m-1"};
  sql.associations = {"a-orders", "a-customers"};

  query_started templated;  // a template run with parameters, a member output, no compute
  templated.query_id = "q-2";
  templated.membership_id = "m-2";
  templated.account = "777788889999";
  templated.sql.analysis_template_arn =
      "arn:aws:cleanrooms:us-east-1:111122223333:membership/m-1/analysistemplate/at-1"s;
  templated.sql.parameters = std::map<std::string, std::string>{
      {"day", "2026-01-01"}, {"empty", ""}, {"region name", "eu west, \"1\""}, {"\xc3\xa9", "x"}};
  templated.output = query_output{false, {query_member_output{"777788889999"}}};
  templated.receivers = {"777788889999"};
  templated.receiver_memberships = {"m-2"};

  query_started distribute = sql;  // both location kinds, several receivers
  distribute.query_id = "q-3";
  distribute.output =
      query_output{true,
                   {query_s3_output{result_format::csv, "bucket-a", std::nullopt, false},
                    query_member_output{"444455556666"}, query_member_output{"111122223333"},
                    query_s3_output{result_format::parquet, "bucket-b", "p/"s, std::nullopt}}};
  distribute.compute = query_compute{"CR.1X", 2};
  distribute.receivers = {"444455556666", "111122223333"};
  distribute.receiver_memberships = {"m-1", "m-0"};

  query_started to_receivers = sql;  // no output: the collaboration's result receivers
  to_receivers.query_id = "q-4";
  to_receivers.output.reset();
  to_receivers.compute.reset();

  query_started bare;  // every optional absent, every string and list empty

  query_started empties;  // every optional present with an empty or zero value
  empties.sql = query_sql_parameters{""s, ""s, std::map<std::string, std::string>{}};
  empties.output = query_output{true, {}};
  empties.compute = query_compute{"", 0};

  query_started empty_s3 = bare;  // an S3 location whose optionals are present and empty
  empty_s3.output = query_output{false, {query_s3_output{result_format::csv, "", ""s, false}}};

  query_completed success;
  success.query_id = "q-1";
  success.status = query_status::success;
  success.duration_ms = 1234;
  success.result_location = "s3://results-bucket/queries/q-1/result.parquet"s;
  success.result_rows = 1LL << 40;

  query_completed failed;
  failed.query_id = "q-2";
  failed.status = query_status::failed;
  failed.duration_ms = 17;
  failed.error_code = "SQL_ERROR"s;
  failed.error_message = "column \"ssn\" is not allowed\nby the analysis rule"s;

  query_completed cancelled{"q-3",       query_status::cancelled, 0, std::nullopt, 0, std::nullopt,
                            std::nullopt};
  query_completed timed_out{
      "q-4", query_status::timed_out, 86400000, std::nullopt, 0, "TIMED_OUT"s, std::nullopt};
  query_completed empties_done{"", query_status::failed, -1, ""s, -5, ""s, ""s};

  return {{"QueryStarted/sql", sql},
          {"QueryStarted/template", templated},
          {"QueryStarted/distribute", distribute},
          {"QueryStarted/receivers", to_receivers},
          {"QueryStarted/bare", bare},
          {"QueryStarted/empties", empties},
          {"QueryStarted/empty_s3", empty_s3},
          {"QueryRunning", query_running{"q-1"}},
          {"QueryRunning/bare", query_running{}},
          {"QueryCancelRequested", query_cancel_requested{"q-1"}},
          {"QueryCancelRequested/bare", query_cancel_requested{}},
          {"QueryCompleted/success", success},
          {"QueryCompleted/failed", failed},
          {"QueryCompleted/cancelled", cancelled},
          {"QueryCompleted/timed_out", timed_out},
          {"QueryCompleted/empties", empties_done},
          {"QueryCompleted/bare", query_completed{}}};
}

inline std::vector<sample> all_samples() {
  std::vector<sample> out;
  for (auto* group : {&collaboration_samples, &member_samples, &membership_samples, &tag_samples,
                      &configured_table_samples, &association_samples, &template_samples,
                      &change_request_samples, &query_samples})
    for (auto& s : (*group)()) out.push_back(std::move(s));
  return out;
}

inline events::envelope sample_envelope(const events::event_payload& p) {
  events::envelope env;
  env.position = 0x0102030405060708ull;
  env.stream = "collaboration-3f2b8c1e";
  env.version = 42;
  env.type = std::string(events::type_name(p));
  env.time = 1767225600123;
  env.account = "111122223333";
  env.request_id = "req-\xc3\xa9-1";
  return env;
}

}  // namespace crs::test
