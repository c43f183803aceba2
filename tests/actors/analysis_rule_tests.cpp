// The validity rules of analysis rules (SPEC.md 17): given a table and a policy, when the policy
// is checked, then it passes or fails with INVALID_CONFIGURATION naming the offending member.
#include <catch2/catch.hpp>

#include "actors/configured_table/rules.hpp"

using namespace crs;
using configured_table::check_association_policy;
using configured_table::check_policy;
using configured_table::referenced_columns;
using configured_table::suits_method;
using configured_table::table_facts;

namespace {

const std::vector<std::string> columns = {"hashed_email", "city",  "age",    "spend",
                                          "purchases",    "email", "user_id"};
const std::string template_arn =
    "arn:aws:cleanrooms:us-east-1:111111111111:membership/0b8a5f4e-1c2d/analysistemplate/"
    "a1b2c3d4-5e6f";
const std::string querier = "222222222222";

table_facts table(analysis_method method = analysis_method::direct_query,
                  std::string_view kind = "glue") {
  return table_facts{columns, method, kind};
}

aggregation_rule valid_aggregation() {
  aggregation_rule r;
  r.aggregate_columns = {{{"spend"}, aggregate_function::sum},
                         {{"purchases", "spend"}, aggregate_function::avg}};
  r.join_columns = {"hashed_email"};
  r.allowed_join_operators = std::vector<join_operator>{join_operator::and_op};
  r.dimension_columns = {"city", "age"};
  r.scalar_functions = {scalar_function::round, scalar_function::lower};
  r.output_constraints = {{"hashed_email", 100}};
  return r;
}

list_rule valid_list() {
  list_rule r;
  r.join_columns = {"hashed_email"};
  r.list_columns = {"city", "age"};
  return r;
}

custom_rule template_mode() {
  custom_rule r;
  r.allowed_analyses = {template_arn};
  r.disallowed_output_columns = std::vector<std::string>{"email"};
  return r;
}

custom_rule provider_mode() {
  custom_rule r;
  r.allowed_analyses = {"ANY_QUERY"};
  r.allowed_analysis_providers = std::vector<std::string>{querier};
  return r;
}

}  // namespace

// A policy passes; on failure the message says why.
#define THEN_VALID(result)                           \
  do {                                               \
    const auto& e_ = (result);                       \
    INFO((e_ ? e_->message : std::string("valid"))); \
    CHECK_FALSE(e_.has_value());                     \
  } while (0)

// A policy fails with INVALID_CONFIGURATION and a message holding every fragment.
#define THEN_INVALID(result, ...)                                                 \
  do {                                                                            \
    const auto& e_ = (result);                                                    \
    REQUIRE(e_.has_value());                                                      \
    CHECK(e_->kind == error_kind::validation);                                    \
    CHECK(e_->reason == "INVALID_CONFIGURATION");                                 \
    for (const std::string& f_ : std::initializer_list<std::string>{__VA_ARGS__}) \
      CHECK_THAT(e_->message, Catch::Contains(f_));                               \
  } while (0)

SCENARIO("a valid policy of every type passes", "[analysis_rule]") {
  GIVEN("a Glue table analysed by direct queries") {
    THEN("an aggregation rule passes") {
      THEN_VALID(check_policy(valid_aggregation(), table()));
    }
    THEN("a list rule passes") {
      THEN_VALID(check_policy(valid_list(), table()));
    }
    THEN("a custom rule in template mode passes") {
      THEN_VALID(check_policy(template_mode(), table()));
    }
    THEN("a custom rule in provider mode passes") {
      THEN_VALID(check_policy(provider_mode(), table()));
    }
    THEN("a custom rule with differential privacy on one allowed column passes") {
      auto r = template_mode();
      r.differential_privacy_columns = std::vector<std::string>{"user_id"};
      THEN_VALID(check_policy(r, table()));
    }
    THEN("a custom rule allowing nothing passes (nobody can query the table)") {
      THEN_VALID(check_policy(custom_rule{}, table()));
    }
    THEN("one column may carry several aggregate functions") {
      auto r = valid_aggregation();
      r.aggregate_columns.push_back({{"spend"}, aggregate_function::count_distinct});
      THEN_VALID(check_policy(r, table()));
    }
    THEN("a join column may double as an aggregate column") {
      auto r = valid_aggregation();
      r.aggregate_columns.push_back({{"hashed_email"}, aggregate_function::count_distinct});
      THEN_VALID(check_policy(r, table()));
    }
  }
}

SCENARIO("every column a policy names must be an allowed column", "[analysis_rule]") {
  GIVEN("a table whose allowedColumns lack \"ghost\"") {
    WHEN("an aggregation rule aggregates it") {
      auto r = valid_aggregation();
      r.aggregate_columns[1].column_names.push_back("ghost");
      THEN("the entry's columnNames are named") {
        THEN_INVALID(check_policy(r, table()),
                     "analysisRulePolicy.v1.aggregation.aggregateColumns[1].columnNames",
                     "column \"ghost\"", "allowedColumns");
      }
    }
    WHEN("an aggregation rule joins on it") {
      auto r = valid_aggregation();
      r.join_columns.push_back("ghost");
      THEN("joinColumns is named") {
        THEN_INVALID(check_policy(r, table()),
                     "analysisRulePolicy.v1.aggregation.joinColumns: column \"ghost\" is not in "
                     "the configured table's allowedColumns");
      }
    }
    WHEN("an aggregation rule groups by it") {
      auto r = valid_aggregation();
      r.dimension_columns.push_back("ghost");
      THEN("dimensionColumns is named") {
        THEN_INVALID(check_policy(r, table()), "aggregation.dimensionColumns", "\"ghost\"");
      }
    }
    WHEN("an aggregation rule constrains it") {
      auto r = valid_aggregation();
      r.output_constraints.push_back({"ghost", 10});
      THEN("the constraint's columnName is named") {
        THEN_INVALID(check_policy(r, table()), "aggregation.outputConstraints[1].columnName",
                     "\"ghost\"");
      }
    }
    WHEN("a list rule joins on it") {
      auto r = valid_list();
      r.join_columns = {"ghost"};
      THEN("joinColumns is named") {
        THEN_INVALID(check_policy(r, table()), "analysisRulePolicy.v1.list.joinColumns",
                     "\"ghost\"");
      }
    }
    WHEN("a list rule lists it") {
      auto r = valid_list();
      r.list_columns.push_back("ghost");
      THEN("listColumns is named") {
        THEN_INVALID(check_policy(r, table()), "list.listColumns", "\"ghost\"");
      }
    }
    WHEN("a custom rule disallows it as output") {
      auto r = template_mode();
      r.disallowed_output_columns->push_back("ghost");
      THEN("disallowedOutputColumns is named") {
        THEN_INVALID(check_policy(r, table()), "custom.disallowedOutputColumns", "\"ghost\"");
      }
    }
    WHEN("a custom rule uses it as the differential privacy column") {
      auto r = template_mode();
      r.differential_privacy_columns = std::vector<std::string>{"ghost"};
      THEN("the DP column is named") {
        THEN_INVALID(check_policy(r, table()), "custom.differentialPrivacy.columns[0].name",
                     "\"ghost\"");
      }
    }
  }
}

SCENARIO("no list of a policy holds the same value twice", "[analysis_rule]") {
  GIVEN("an otherwise valid aggregation rule") {
    auto r = valid_aggregation();
    WHEN("one aggregate entry names a column twice") {
      r.aggregate_columns[0].column_names = {"spend", "spend"};
      THEN("the entry is named") {
        THEN_INVALID(check_policy(r, table()), "aggregateColumns[0].columnNames",
                     "column \"spend\" is listed more than once");
      }
    }
    WHEN("two entries allow the same function on the same column") {
      r.aggregate_columns.push_back({{"age", "spend"}, aggregate_function::sum});
      THEN("the later entry and the earlier one are named") {
        THEN_INVALID(check_policy(r, table()), "aggregateColumns[2].columnNames",
                     "column \"spend\" with function SUM", "aggregateColumns[0]");
      }
    }
    WHEN("a join column repeats") {
      r.join_columns = {"hashed_email", "hashed_email"};
      THEN_INVALID(check_policy(r, table()), "aggregation.joinColumns",
                   "\"hashed_email\" is listed more than once");
    }
    WHEN("a join operator repeats") {
      r.allowed_join_operators =
          std::vector<join_operator>{join_operator::or_op, join_operator::or_op};
      THEN_INVALID(check_policy(r, table()), "aggregation.allowedJoinOperators",
                   "\"OR\" is listed more than once");
    }
    WHEN("a dimension column repeats") {
      r.dimension_columns = {"city", "age", "city"};
      THEN_INVALID(check_policy(r, table()), "aggregation.dimensionColumns",
                   "\"city\" is listed more than once");
    }
    WHEN("a scalar function repeats") {
      r.scalar_functions = {scalar_function::upper, scalar_function::upper};
      THEN_INVALID(check_policy(r, table()), "aggregation.scalarFunctions",
                   "\"UPPER\" is listed more than once");
    }
    WHEN("two output constraints constrain one column") {
      r.output_constraints.push_back({"hashed_email", 150});
      THEN_INVALID(check_policy(r, table()), "outputConstraints[1].columnName", "\"hashed_email\"",
                   "outputConstraints[0]");
    }
  }
  GIVEN("an otherwise valid list rule") {
    auto r = valid_list();
    WHEN("a join column repeats") {
      r.join_columns = {"hashed_email", "hashed_email"};
      THEN_INVALID(check_policy(r, table()), "list.joinColumns", "\"hashed_email\"");
    }
    WHEN("a list column repeats") {
      r.list_columns = {"age", "age"};
      THEN_INVALID(check_policy(r, table()), "list.listColumns",
                   "\"age\" is listed more than once");
    }
  }
  GIVEN("an otherwise valid custom rule") {
    WHEN("an analysis template repeats") {
      auto r = template_mode();
      r.allowed_analyses.push_back(template_arn);
      THEN_INVALID(check_policy(r, table()), "custom.allowedAnalyses",
                   "\"" + template_arn + "\" is listed more than once");
    }
    WHEN("a provider repeats") {
      auto r = provider_mode();
      r.allowed_analysis_providers->push_back(querier);
      THEN_INVALID(check_policy(r, table()), "custom.allowedAnalysisProviders",
                   "account \"" + querier + "\" is listed more than once");
    }
    WHEN("a disallowed output column repeats") {
      auto r = template_mode();
      r.disallowed_output_columns->push_back("email");
      THEN_INVALID(check_policy(r, table()), "custom.disallowedOutputColumns", "\"email\"");
    }
  }
}

SCENARIO("aggregation rules follow SPEC.md 17.2", "[analysis_rule]") {
  GIVEN("an otherwise valid aggregation rule") {
    auto r = valid_aggregation();
    WHEN("it has no aggregate columns") {
      r.aggregate_columns.clear();
      THEN_INVALID(check_policy(r, table()), "aggregation.aggregateColumns",
                   "at least one aggregate column");
    }
    WHEN("an aggregate entry has no columns") {
      r.aggregate_columns[1].column_names.clear();
      THEN_INVALID(check_policy(r, table()), "aggregateColumns[1].columnNames",
                   "at least one column");
    }
    WHEN("a dimension column is also a join column") {
      r.dimension_columns.push_back("hashed_email");
      THEN("joins cannot be projected through dimensions") {
        THEN_INVALID(check_policy(r, table()),
                     "analysisRulePolicy.v1.aggregation.dimensionColumns: column \"hashed_email\" "
                     "is also a join column");
      }
    }
    WHEN("a dimension column is also an aggregate column (Q5)") {
      r.dimension_columns.push_back("purchases");
      THEN_INVALID(check_policy(r, table()), "aggregation.dimensionColumns",
                   "column \"purchases\" is also an aggregate column (aggregateColumns[1])");
    }
    WHEN("it has no output constraints") {
      r.output_constraints.clear();
      THEN_INVALID(check_policy(r, table()), "aggregation.outputConstraints",
                   "at least one output constraint");
    }
    WHEN("a minimum is below 2") {
      r.output_constraints.push_back({"user_id", 1});
      THEN_INVALID(check_policy(r, table()), "outputConstraints[1].minimum",
                   "1 is outside 2..100000");
    }
    WHEN("a minimum is above 100000") {
      r.output_constraints[0].minimum = 100001;
      THEN_INVALID(check_policy(r, table()), "outputConstraints[0].minimum",
                   "100001 is outside 2..100000");
    }
    WHEN("the minimums sit on the bounds") {
      r.output_constraints = {{"hashed_email", 2}, {"user_id", 100000}};
      THEN_VALID(check_policy(r, table()));
    }
    WHEN("a join is required but no join column is given") {
      r.join_required = true;
      r.join_columns.clear();
      THEN_INVALID(check_policy(r, table()), "aggregation.joinRequired", "joinColumns");
    }
    WHEN("a join is required and a join column is given") {
      r.join_required = true;
      THEN_VALID(check_policy(r, table()));
    }
    WHEN("additional analyses are ALLOWED") {
      r.additional = additional_analyses::allowed;
      THEN_INVALID(check_policy(r, table()), "aggregation.additionalAnalyses",
                   "\"ALLOWED\" is not supported on AGGREGATION rules");
    }
    WHEN("additional analyses are REQUIRED") {
      r.additional = additional_analyses::required;
      THEN_INVALID(check_policy(r, table()), "aggregation.additionalAnalyses", "\"REQUIRED\"");
    }
    WHEN("additional analyses are NOT_ALLOWED") {
      r.additional = additional_analyses::not_allowed;
      THEN_VALID(check_policy(r, table()));
    }
  }
}

SCENARIO("list rules follow SPEC.md 17.3", "[analysis_rule]") {
  GIVEN("an otherwise valid list rule") {
    auto r = valid_list();
    WHEN("it has no join column") {
      r.join_columns.clear();
      THEN_INVALID(check_policy(r, table()), "list.joinColumns", "at least one join column");
    }
    WHEN("it has no list column") {
      r.list_columns.clear();
      THEN_INVALID(check_policy(r, table()), "list.listColumns", "at least one list column");
    }
    WHEN("a list column is also a join column and additional analyses are REQUIRED") {
      r.list_columns.push_back("hashed_email");
      r.additional = additional_analyses::required;
      THEN_VALID(check_policy(r, table()));
    }
  }
}

SCENARIO("custom rules follow SPEC.md 17.4", "[analysis_rule]") {
  GIVEN("custom rules on a Glue table analysed by direct queries") {
    WHEN("an allowed analysis is neither a keyword nor a template ARN") {
      auto r = template_mode();
      r.allowed_analyses.push_back(
          "arn:aws:cleanrooms:us-east-1:1111:membership/m/analysistemplate/t");
      THEN_INVALID(check_policy(r, table()), "custom.allowedAnalyses",
                   "\"arn:aws:cleanrooms:us-east-1:1111:membership/m/analysistemplate/t\"",
                   "neither ANY_QUERY, ANY_JOB nor an analysis template ARN");
    }
    WHEN("templates and ANY_QUERY are mixed") {
      auto r = provider_mode();
      r.allowed_analyses.push_back(template_arn);
      THEN_INVALID(check_policy(r, table()), "custom.allowedAnalyses",
                   "\"" + template_arn + "\" cannot be combined with \"ANY_QUERY\"");
    }
    WHEN("templates come with providers") {
      auto r = template_mode();
      r.allowed_analysis_providers = std::vector<std::string>{querier};
      THEN_INVALID(check_policy(r, table()), "custom.allowedAnalysisProviders",
                   "account \"" + querier + "\"", "exclusive");
    }
    WHEN("templates come with an empty provider list") {
      auto r = template_mode();
      r.allowed_analysis_providers = std::vector<std::string>{};
      THEN_VALID(check_policy(r, table()));
    }
    WHEN("ANY_QUERY comes without providers") {
      auto r = provider_mode();
      r.allowed_analysis_providers.reset();
      THEN_INVALID(check_policy(r, table()), "custom.allowedAnalysisProviders",
                   "at least one account", "\"ANY_QUERY\"");
    }
    WHEN("ANY_QUERY comes with an empty provider list") {
      auto r = provider_mode();
      r.allowed_analysis_providers->clear();
      THEN_INVALID(check_policy(r, table()), "custom.allowedAnalysisProviders", "\"ANY_QUERY\"");
    }
    WHEN("a provider is not a 12-digit account id") {
      auto r = provider_mode();
      r.allowed_analysis_providers->push_back("12345678901x");
      THEN_INVALID(check_policy(r, table()), "custom.allowedAnalysisProviders",
                   "\"12345678901x\" is not a 12-digit AWS account id");
    }
    WHEN("differential privacy names two columns") {
      auto r = template_mode();
      r.differential_privacy_columns = std::vector<std::string>{"user_id", "hashed_email"};
      THEN_INVALID(check_policy(r, table()), "custom.differentialPrivacy.columns",
                   "exactly one column", "got 2");
    }
    WHEN("differential privacy names no column") {
      auto r = template_mode();
      r.differential_privacy_columns = std::vector<std::string>{};
      THEN_INVALID(check_policy(r, table()), "custom.differentialPrivacy.columns", "got 0");
    }
  }
  GIVEN("a custom rule with differential privacy") {
    auto r = template_mode();
    r.differential_privacy_columns = std::vector<std::string>{"user_id"};
    THEN("it is refused on an Athena table") {
      THEN_INVALID(check_policy(r, table(analysis_method::direct_query, "athena")),
                   "custom.differentialPrivacy", "athena table reference");
    }
    THEN("it is refused on a Snowflake table") {
      THEN_INVALID(check_policy(r, table(analysis_method::direct_query, "snowflake")),
                   "custom.differentialPrivacy", "snowflake table reference");
    }
    THEN("without differential privacy the same rule passes on an Athena table") {
      r.differential_privacy_columns.reset();
      THEN_VALID(check_policy(r, table(analysis_method::direct_query, "athena")));
    }
  }
}

SCENARIO("the rule type must suit the table's analysis method (17.1 rule 4)", "[analysis_rule]") {
  GIVEN("a table analysed by direct jobs") {
    const auto jobs = table(analysis_method::direct_job);
    THEN("aggregation and list rules are refused, naming the method") {
      THEN_INVALID(check_policy(valid_aggregation(), jobs),
                   "analysisRulePolicy.v1.aggregation:", "AGGREGATION", "DIRECT_JOB",
                   "only CUSTOM");
      THEN_INVALID(check_policy(valid_list(), jobs), "analysisRulePolicy.v1.list:", "LIST",
                   "DIRECT_JOB");
      CHECK_FALSE(suits_method(valid_aggregation(), analysis_method::direct_job));
      CHECK_FALSE(suits_method(valid_list(), analysis_method::direct_job));
    }
    THEN("a custom rule may allow ANY_JOB and templates but not ANY_QUERY") {
      custom_rule r;
      r.allowed_analyses = {"ANY_JOB"};
      r.allowed_analysis_providers = std::vector<std::string>{querier};
      THEN_VALID(check_policy(r, jobs));
      THEN_VALID(check_policy(template_mode(), jobs));
      THEN_INVALID(check_policy(provider_mode(), jobs), "custom.allowedAnalyses",
                   "\"ANY_QUERY\" is not allowed", "DIRECT_JOB");
      CHECK(suits_method(r, analysis_method::direct_job));
      CHECK_FALSE(suits_method(provider_mode(), analysis_method::direct_job));
    }
  }
  GIVEN("a table analysed by direct queries") {
    THEN("a custom rule allowing ANY_JOB is refused") {
      custom_rule r;
      r.allowed_analyses = {"ANY_JOB"};
      r.allowed_analysis_providers = std::vector<std::string>{querier};
      THEN_INVALID(check_policy(r, table()), "custom.allowedAnalyses", "\"ANY_JOB\" is not allowed",
                   "DIRECT_QUERY");
      CHECK_FALSE(suits_method(r, analysis_method::direct_query));
    }
    THEN("every rule type suits it") {
      CHECK(suits_method(valid_aggregation(), analysis_method::direct_query));
      CHECK(suits_method(valid_list(), analysis_method::direct_query));
      CHECK(suits_method(provider_mode(), analysis_method::direct_query));
    }
  }
  GIVEN("a table analysed by both methods") {
    const auto both = table(analysis_method::multiple);
    THEN("only custom rules suit it, with queries and jobs") {
      auto r = provider_mode();
      r.allowed_analyses.push_back("ANY_JOB");
      THEN_VALID(check_policy(r, both));
      THEN_INVALID(check_policy(valid_list(), both), "LIST", "MULTIPLE");
      CHECK_FALSE(suits_method(valid_aggregation(), analysis_method::multiple));
      CHECK(suits_method(r, analysis_method::multiple));
    }
  }
}

SCENARIO("the first violation in SPEC.md order is the one reported", "[analysis_rule]") {
  GIVEN("an aggregation rule on a job table with an unknown column and a dimension/join overlap") {
    auto r = valid_aggregation();
    r.dimension_columns.push_back("hashed_email");
    r.join_columns.push_back("ghost");
    WHEN("it is checked") {
      const auto e = check_policy(r, table(analysis_method::direct_job));
      THEN("the unknown column comes first") {
        THEN_INVALID(e, "joinColumns: column \"ghost\"");
        CHECK_THAT(e->message, !Catch::Contains("DIRECT_JOB"));
      }
    }
    WHEN("the unknown column is fixed") {
      r.join_columns.pop_back();
      THEN("the method comes before the overlap") {
        THEN_INVALID(check_policy(r, table(analysis_method::direct_job)), "DIRECT_JOB");
      }
    }
  }
}

SCENARIO("referenced_columns lists every column a policy names", "[analysis_rule]") {
  GIVEN("an aggregation rule") {
    auto r = valid_aggregation();
    r.output_constraints.push_back({"user_id", 5});
    THEN("aggregate, join, dimension and constrained columns, sorted and unique") {
      CHECK(referenced_columns(r) == std::vector<std::string>{"age", "city", "hashed_email",
                                                              "purchases", "spend", "user_id"});
    }
  }
  GIVEN("a list rule whose list columns overlap its join columns") {
    auto r = valid_list();
    r.list_columns.push_back("hashed_email");
    THEN("each column appears once") {
      CHECK(referenced_columns(r) == std::vector<std::string>{"age", "city", "hashed_email"});
    }
  }
  GIVEN("a custom rule with disallowed output and a DP column") {
    auto r = template_mode();
    r.differential_privacy_columns = std::vector<std::string>{"user_id"};
    THEN("both are referenced") {
      CHECK(referenced_columns(r) == std::vector<std::string>{"email", "user_id"});
    }
    THEN("a custom rule naming no column references none") {
      CHECK(referenced_columns(provider_mode()).empty());
    }
  }
}

SCENARIO("association rule policies hold no duplicates", "[analysis_rule]") {
  GIVEN("an association rule policy") {
    association_rule_policy p;
    p.allowed_result_receivers = std::vector<std::string>{querier, "333333333333"};
    p.allowed_additional_analyses = std::vector<std::string>{
        "arn:aws:cleanrooms:us-east-1:111111111111:membership/m/configuredaudiencemodelassociation/"
        "a"};
    THEN("distinct lists pass") {
      THEN_VALID(check_association_policy(p));
    }
    THEN("absent lists pass") {
      THEN_VALID(check_association_policy(association_rule_policy{}));
    }
    WHEN("a result receiver repeats") {
      p.allowed_result_receivers->push_back(querier);
      THEN_INVALID(check_association_policy(p), "allowedResultReceivers",
                   "account \"" + querier + "\" is listed more than once");
    }
    WHEN("an additional analysis repeats") {
      p.allowed_additional_analyses->push_back(p.allowed_additional_analyses->front());
      THEN_INVALID(check_association_policy(p), "allowedAdditionalAnalyses",
                   "\"" + p.allowed_additional_analyses->front() + "\" is listed more than once");
    }
  }
}
