// The configured table aggregate (SPEC.md 8, 9, 15): given its events, when the owner (or
// someone else) sends a command, then the decider emits these events or this error.
#include "table_given_when_then.hpp"

using namespace crs;
using namespace crs::testing::tables;
namespace ct = crs::configured_table;

namespace {

const std::string own_arn = "arn:aws:cleanrooms:us-east-1:111111111111:configuredtable/" + table_id;

std::vector<std::string> numbered_columns(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back("c" + std::to_string(i));
  return out;
}

ct::update_configured_table columns_update(std::vector<std::string> columns) {
  ct::update_configured_table u;
  u.allowed_columns = std::move(columns);
  return u;
}

std::vector<std::string> without(const std::vector<std::string>& columns,
                                 const std::string& dropped) {
  std::vector<std::string> out;
  for (const auto& c : columns)
    if (c != dropped) out.push_back(c);
  return out;
}

}  // namespace

// ---- CreateConfiguredTable ---------------------------------------------------------------------

SCENARIO("an account configures one of its catalog tables") {
  GIVEN("a fresh configured-table stream") {
    table_scenario s;
    WHEN("the owner creates it with tags") {
      auto ctx = s.as(owner);
      auto d = s.when(standard_table(), ctx);
      THEN("ConfiguredTableCreated records the table, then TagsChanged tags its ARN") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 2);
        const auto* created = std::get_if<events::configured_table_created>(&d.value()[0]);
        REQUIRE(created);
        CHECK(created->configured_table_id == table_id);
        CHECK(created->owner == owner);
        CHECK(created->region == "us-east-1");
        CHECK(created->name == "customers");
        CHECK(created->description == std::optional<std::string>("loyalty customers"));
        CHECK(created->reference == glue("sales", "customers"));
        CHECK(created->allowed_columns == standard_columns());
        CHECK(created->method == analysis_method::direct_query);
        CHECK_FALSE(created->selected_methods);
        const auto* tags = std::get_if<events::tags_changed>(&d.value()[1]);
        REQUIRE(tags);
        CHECK(tags->resource_arn == own_arn);
        CHECK(tags->set == tag_map{{"env", "test"}, {"team", "ads"}});
        CHECK(tags->removed.empty());
      }
      THEN("the table is live, has no analysis rule and answers to its ARN") {
        CHECK(s.state.live());
        CHECK(s.state.version == 2);
        CHECK_FALSE(s.state.rule);
        CHECK(ct::configured_table_arn(s.state) == own_arn);
        CHECK(s.state.create_time == ctx.now);
        CHECK(s.state.update_time == ctx.now);
        CHECK(s.state.tags.at(own_arn).at("team") == "ads");
      }
      THEN("creating it again on the same stream is refused") {
        auto again = s.when(standard_table(), owner);
        REQUIRE_FALSE(again.ok());
        CHECK(again.error().kind == error_kind::internal);
      }
    }
    WHEN("the owner creates it without tags") {
      auto cmd = standard_table();
      cmd.tags.clear();
      auto d = s.when(cmd, owner);
      THEN("only ConfiguredTableCreated, yet the ARN is taggable") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        CHECK(std::holds_alternative<events::configured_table_created>(d.value()[0]));
        REQUIRE(s.state.tags.count(own_arn));
        CHECK(s.state.tags.at(own_arn).empty());
      }
    }
  }
}

TEST_CASE("CreateConfiguredTable checks the allowlist and the analysis methods (SPEC.md 8)") {
  table_scenario s;
  auto cmd = standard_table();

  SECTION("a column listed twice in allowedColumns") {
    cmd.allowed_columns = {"city", "age", "city"};
    THEN_REJECTED(s.when(cmd, owner), error_kind::validation, "INVALID_CONFIGURATION", "",
                  "allowedColumns", "\"city\"");
    CHECK_FALSE(s.state.created);
  }
  SECTION("MULTIPLE needs both methods selected") {
    cmd.method = analysis_method::multiple;
    SECTION("none selected") {}
    SECTION("one selected") {
      cmd.selected_methods =
          std::vector<selected_analysis_method>{selected_analysis_method::direct_query};
    }
    SECTION("one selected twice") {
      cmd.selected_methods = std::vector<selected_analysis_method>{
          selected_analysis_method::direct_job, selected_analysis_method::direct_job};
    }
    THEN_REJECTED(s.when(cmd, owner), error_kind::validation, "INVALID_CONFIGURATION", "",
                  "selectedAnalysisMethods", "MULTIPLE");
    CHECK_FALSE(s.state.created);
  }
  SECTION("MULTIPLE with both methods is accepted and recorded") {
    cmd.method = analysis_method::multiple;
    cmd.selected_methods = std::vector<selected_analysis_method>{
        selected_analysis_method::direct_job, selected_analysis_method::direct_query};
    auto d = s.when(cmd, owner);
    REQUIRE(d.ok());
    const auto* created = find_event<events::configured_table_created>(d.value());
    REQUIRE(created);
    CHECK(created->method == analysis_method::multiple);
    CHECK(created->selected_methods == cmd.selected_methods);
    CHECK(s.state.info.selected_methods == cmd.selected_methods);
  }
  SECTION("selectedAnalysisMethods without MULTIPLE") {
    cmd.method = analysis_method::direct_job;
    cmd.selected_methods =
        std::vector<selected_analysis_method>{selected_analysis_method::direct_job};
    THEN_REJECTED(s.when(cmd, owner), error_kind::validation, "INVALID_CONFIGURATION", "",
                  "selectedAnalysisMethods", "DIRECT_JOB");
    CHECK_FALSE(s.state.created);
  }
}

TEST_CASE("CreateConfiguredTable checks the allowlist against the data catalog (SPEC.md 8)") {
  table_scenario s;
  auto cmd = standard_table();

  SECTION("the catalog has the table: every allowed column must be one of its columns") {
    s.catalog.found = true;
    s.catalog.columns = without(standard_columns(), "email");
    s.catalog.columns.push_back("signup_date");
    THEN_REJECTED(s.when(cmd, owner), error_kind::validation, "INVALID_CONFIGURATION", "",
                  "\"email\"", "sales.customers");
    CHECK_FALSE(s.state.created);
  }
  SECTION("the catalog has the table with every allowed column (and more)") {
    s.catalog.found = true;
    s.catalog.columns = standard_columns();
    s.catalog.columns.push_back("signup_date");
    REQUIRE(s.when(cmd, owner).ok());
    CHECK(s.state.live());
  }
  SECTION("the catalog has the table but cannot use it: the problem is reported") {
    s.catalog.found = true;
    s.catalog.columns = standard_columns();
    s.catalog.problem = "sidecar customers.schema.json: unknown type \"blob\"";
    THEN_REJECTED(s.when(cmd, owner), error_kind::validation, "INVALID_CONFIGURATION", "",
                  "sales.customers", "unknown type \"blob\"");
    CHECK_FALSE(s.state.created);
  }
  SECTION("strict catalog: a table it does not have is not found, named database.table") {
    s.catalog.strict = true;
    auto d = s.when(cmd, owner);
    THEN_REJECTED(d, error_kind::not_found, "", "CONFIGURED_TABLE", "sales.customers");
    CHECK(d.error().resource_id == "sales.customers");
    CHECK_FALSE(s.state.created);
  }
  SECTION("lenient catalog: a table it does not have is taken as it is described") {
    s.catalog.strict = false;
    s.catalog.found = false;
    REQUIRE(s.when(cmd, owner).ok());
    CHECK(s.state.info.allowed_columns == standard_columns());
  }
}

TEST_CASE("CreateConfiguredTable enforces its quotas (SPEC.md 8, 18)") {
  table_scenario s;
  auto cmd = standard_table();

  SECTION("100 allowed columns are fine") {
    cmd.allowed_columns = numbered_columns(100);
    REQUIRE(s.when(cmd, owner).ok());
    CHECK(s.state.info.allowed_columns.size() == 100);
  }
  SECTION("101 allowed columns exceed the allowlist quota") {
    cmd.allowed_columns = numbered_columns(101);
    auto d = s.when(cmd, owner);
    THEN_REJECTED(d, error_kind::quota_exceeded, "", "", "Columns per configured table allowlist");
    CHECK(d.error().quota_name == "Columns per configured table allowlist");
    CHECK(d.error().quota_value == 100.0);
    CHECK_FALSE(s.state.created);
  }
  SECTION("the 250th table of an account is fine") {
    s.tables_owned = 249;
    REQUIRE(s.when(cmd, owner).ok());
  }
  SECTION("an account that owns 250 tables cannot create another") {
    s.tables_owned = 250;
    auto d = s.when(cmd, owner);
    THEN_REJECTED(d, error_kind::quota_exceeded, "", "", "Configured tables per account");
    CHECK(d.error().quota_name == "Configured tables per account");
    CHECK(d.error().quota_value == 250.0);
    CHECK_FALSE(s.state.created);
  }
}

// ---- who sees a table ------------------------------------------------------------------------

TEST_CASE("a configured table is the private resource of its owner, in its region (SPEC.md 3.3)") {
  SECTION("an unknown table is not found, by its id") {
    table_scenario s;
    const std::vector<ct::command> commands = {
        ct::update_configured_table{std::string("renamed"), {}, {}, {}, {}, {}},
        ct::delete_configured_table{},
        rule_of(valid_aggregation()),
        new_policy(valid_aggregation()),
        ct::delete_analysis_rule{analysis_rule_type::aggregation},
        ct::check_association{}};
    for (const auto& c : commands) {
      auto d = s.when(c, owner);
      THEN_REJECTED(d, error_kind::not_found, "", "CONFIGURED_TABLE", table_id);
      CHECK(d.error().resource_id == table_id);
    }
    CHECK(s.state.version == 0);
  }

  auto s = created_table();
  const auto version = s.state.version;
  auto elsewhere = [&](const std::string& account) {
    auto ctx = s.as(account);
    ctx.region = "eu-west-1";
    return ctx;
  };

  SECTION("another account gets the same 404 as for an unknown table") {
    const std::vector<ct::command> commands = {
        ct::update_configured_table{std::string("mine now"), {}, {}, {}, {}, {}},
        ct::delete_configured_table{}, rule_of(valid_aggregation()),
        ct::delete_analysis_rule{analysis_rule_type::aggregation}, ct::check_association{}};
    for (const auto& c : commands) {
      auto d = s.when(c, stranger);
      THEN_REJECTED(d, error_kind::not_found, "", "CONFIGURED_TABLE", table_id);
      CHECK(d.error().resource_id == table_id);
    }
  }
  SECTION("the owner, signing for another region, does not see it either") {
    THEN_REJECTED(
        s.when(ct::update_configured_table{std::string("x"), {}, {}, {}, {}, {}}, elsewhere(owner)),
        error_kind::not_found, "", "CONFIGURED_TABLE", table_id);
    THEN_REJECTED(s.when(ct::delete_configured_table{}, elsewhere(owner)), error_kind::not_found,
                  "", "CONFIGURED_TABLE", table_id);
    THEN_REJECTED(s.when(ct::check_association{}, elsewhere(owner)), error_kind::not_found, "",
                  "CONFIGURED_TABLE", table_id);
  }
  CHECK(s.state.version == version);
  CHECK(s.state.info.name == "customers");
}

// ---- UpdateConfiguredTable ---------------------------------------------------------------------

SCENARIO("the owner updates its configured table (SPEC.md 8)") {
  GIVEN("a table without an analysis rule") {
    auto s = created_table();
    const auto created_at = s.state.create_time;

    WHEN("only the description changes") {
      ct::update_configured_table u;
      u.description = "all customers";
      auto ctx = s.as(owner);
      auto d = s.when(u, ctx);
      THEN("ConfiguredTableUpdated carries only the description; the rest is kept") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        const auto& e = std::get<events::configured_table_updated>(d.value()[0]);
        CHECK(e.description == std::optional<std::string>("all customers"));
        CHECK_FALSE(e.name);
        CHECK_FALSE(e.reference);
        CHECK_FALSE(e.allowed_columns);
        CHECK_FALSE(e.method);
        CHECK_FALSE(e.selected_methods);
        CHECK(s.state.info.description == std::optional<std::string>("all customers"));
        CHECK(s.state.info.name == "customers");
        CHECK(s.state.info.allowed_columns == standard_columns());
        CHECK(s.state.create_time == created_at);
        CHECK(s.state.update_time == ctx.now);
      }
    }
    WHEN("the name, the reference and the allowlist are replaced") {
      ct::update_configured_table u;
      u.name = "buyers";
      u.reference = glue("sales", "buyers");
      u.allowed_columns = std::vector<std::string>{"hashed_email", "spend"};
      auto d = s.when(u, owner);
      THEN("they are replaced whole") {
        REQUIRE(d.ok());
        const auto& e = std::get<events::configured_table_updated>(d.value()[0]);
        CHECK(e.name == std::optional<std::string>("buyers"));
        CHECK(e.allowed_columns == u.allowed_columns);
        CHECK(s.state.info.name == "buyers");
        CHECK(s.state.info.reference == glue("sales", "buyers"));
        CHECK(s.state.info.allowed_columns == std::vector<std::string>{"hashed_email", "spend"});
      }
    }
    WHEN("nothing is sent") {
      const auto version = s.state.version;
      auto d = s.when(ct::update_configured_table{}, owner);
      THEN("no event is recorded") {
        THEN_NOTHING_HAPPENS(d);
        CHECK(s.state.version == version);
      }
    }
    THEN("the new values must pass the create checks") {
      THEN_REJECTED(s.when(columns_update({"spend", "age", "spend"}), owner),
                    error_kind::validation, "INVALID_CONFIGURATION", "", "\"spend\"");
      auto quota = s.when(columns_update(numbered_columns(101)), owner);
      THEN_REJECTED(quota, error_kind::quota_exceeded, "", "",
                    "Columns per configured table allowlist");
      CHECK(quota.error().quota_value == 100.0);
      ct::update_configured_table multiple;
      multiple.method = analysis_method::multiple;
      THEN_REJECTED(s.when(multiple, owner), error_kind::validation, "INVALID_CONFIGURATION", "",
                    "selectedAnalysisMethods");
      ct::update_configured_table selected_only;
      selected_only.selected_methods = std::vector<selected_analysis_method>{
          selected_analysis_method::direct_query, selected_analysis_method::direct_job};
      THEN_REJECTED(s.when(selected_only, owner), error_kind::validation, "INVALID_CONFIGURATION",
                    "", "selectedAnalysisMethods", "DIRECT_QUERY");
      s.catalog.found = true;
      s.catalog.columns = {"hashed_email", "spend"};
      THEN_REJECTED(s.when(columns_update({"hashed_email", "city"}), owner), error_kind::validation,
                    "INVALID_CONFIGURATION", "", "\"city\"");
      CHECK(s.state.info.allowed_columns == standard_columns());
      CHECK(s.state.version == 2);
    }
    WHEN("the method becomes MULTIPLE with both methods, then DIRECT_QUERY again") {
      ct::update_configured_table to_multiple;
      to_multiple.method = analysis_method::multiple;
      to_multiple.selected_methods = std::vector<selected_analysis_method>{
          selected_analysis_method::direct_query, selected_analysis_method::direct_job};
      REQUIRE(s.when(to_multiple, owner).ok());
      REQUIRE(s.state.info.selected_methods == to_multiple.selected_methods);
      ct::update_configured_table back;
      back.method = analysis_method::direct_query;
      auto d = s.when(back, owner);
      THEN("the selection is cleared by the same event") {
        REQUIRE(d.ok());
        const auto& e = std::get<events::configured_table_updated>(d.value()[0]);
        CHECK(e.method == analysis_method::direct_query);
        REQUIRE(e.selected_methods);
        CHECK(e.selected_methods->empty());
        CHECK(s.state.info.method == analysis_method::direct_query);
        CHECK_FALSE(s.state.info.selected_methods);
      }
    }
  }

  GIVEN("a table with an AGGREGATION rule") {
    auto s = created_table();
    REQUIRE(s.when(rule_of(valid_aggregation()), owner).ok());

    THEN("a column the rule uses cannot be dropped from allowedColumns") {
      THEN_REJECTED(s.when(columns_update(without(standard_columns(), "spend")), owner),
                    error_kind::validation, "INVALID_CONFIGURATION", "", "\"spend\"",
                    "AGGREGATION");
      CHECK(s.state.info.allowed_columns == standard_columns());
    }
    THEN("a column the rule does not use can") {
      REQUIRE(s.when(columns_update(without(standard_columns(), "email")), owner).ok());
      CHECK(s.state.info.allowed_columns == without(standard_columns(), "email"));
    }
    THEN("the method cannot become DIRECT_JOB under it") {
      ct::update_configured_table u;
      u.method = analysis_method::direct_job;
      auto d = s.when(u, owner);
      THEN_REJECTED(d, error_kind::conflict, "INVALID_STATE", "CONFIGURED_TABLE", "DIRECT_JOB",
                    "AGGREGATION");
      CHECK(d.error().resource_id == table_id);
      CHECK(s.state.info.method == analysis_method::direct_query);
    }
  }

  GIVEN("a table with a CUSTOM rule using differential privacy") {
    auto s = created_table();
    REQUIRE(s.when(rule_of(dp_custom()), owner).ok());

    THEN("its reference cannot move to Athena, where differential privacy is not offered") {
      ct::update_configured_table u;
      u.reference = athena("sales", "customers");
      THEN_REJECTED(s.when(u, owner), error_kind::validation, "INVALID_CONFIGURATION", "", "CUSTOM",
                    "differential privacy", "athena");
      CHECK(s.state.info.reference == glue("sales", "customers"));
    }
    THEN("it can move to another Glue table") {
      ct::update_configured_table u;
      u.reference = glue("sales", "customers_v2");
      REQUIRE(s.when(u, owner).ok());
      CHECK(s.state.info.reference == glue("sales", "customers_v2"));
    }
  }
}

// ---- DeleteConfiguredTable ---------------------------------------------------------------------

SCENARIO("the owner deletes its configured table (SPEC.md 8)") {
  GIVEN("a tagged table with a LIST rule") {
    auto s = created_table();
    REQUIRE(s.when(rule_of(valid_list()), owner).ok());
    const auto version = s.state.version;

    WHEN("two associations still use it") {
      s.associations = 2;
      auto d = s.when(ct::delete_configured_table{}, owner);
      THEN("it is a conflict: the associations must go first") {
        THEN_REJECTED(d, error_kind::conflict, "SUBRESOURCES_EXIST", "CONFIGURED_TABLE",
                      "associat");
        CHECK(d.error().resource_id == table_id);
        CHECK(s.state.live());
        CHECK(s.state.version == version);
      }
    }
    WHEN("no association uses it") {
      auto d = s.when(ct::delete_configured_table{}, owner);
      THEN("its rule is deleted first (SPEC.md 8), then the table, and its tags go with it") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 2);
        const auto* rule_gone = std::get_if<events::analysis_rule_deleted>(&d.value()[0]);
        REQUIRE(rule_gone);
        CHECK(rule_gone->type == analysis_rule_type::list);
        CHECK(std::holds_alternative<events::configured_table_deleted>(d.value()[1]));
        CHECK_FALSE(s.state.live());
        CHECK_FALSE(s.state.rule);
        CHECK(s.state.tags.empty());
      }
      THEN("every later command is a 404") {
        const std::vector<ct::command> commands = {
            ct::update_configured_table{std::string("back"), {}, {}, {}, {}, {}},
            ct::delete_configured_table{},
            rule_of(valid_aggregation()),
            new_policy(valid_list()),
            ct::delete_analysis_rule{analysis_rule_type::list},
            ct::check_association{}};
        for (const auto& c : commands) {
          auto again = s.when(c, owner);
          THEN_REJECTED(again, error_kind::not_found, "", "CONFIGURED_TABLE", table_id);
          CHECK(again.error().resource_id == table_id);
        }
        auto tag = s.when(ct::tag_resource{own_arn, {{"a", "1"}}}, owner);
        THEN_REJECTED(tag, error_kind::not_found, "", "CONFIGURED_TABLE", own_arn);
        CHECK(tag.error().resource_id == own_arn);
        THEN_REJECTED(s.when(ct::untag_resource{own_arn, {"team"}}, owner), error_kind::not_found,
                      "", "CONFIGURED_TABLE", own_arn);
      }
    }
  }
}

// ---- analysis rules (SPEC.md 9) ----------------------------------------------------------------

SCENARIO("the owner gives its table one analysis rule (SPEC.md 9)") {
  GIVEN("a table without a rule") {
    auto s = created_table();

    WHEN("an AGGREGATION rule is created") {
      auto ctx = s.as(owner);
      auto d = s.when(rule_of(valid_aggregation()), ctx);
      THEN("AnalysisRuleCreated keeps the policy as sent; the table lists the type") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        const auto& e = std::get<events::analysis_rule_created>(d.value()[0]);
        CHECK(e.policy == analysis_rule_policy{valid_aggregation()});
        REQUIRE(s.state.rule);
        CHECK(type_of(s.state.rule->policy) == analysis_rule_type::aggregation);
        CHECK(s.state.rule->create_time == ctx.now);
        CHECK(s.state.rule->update_time == ctx.now);
        CHECK(s.state.update_time == ctx.now);
      }
      THEN("a second rule, of any type, is a conflict") {
        for (auto second :
             {analysis_rule_policy{valid_aggregation()}, analysis_rule_policy{valid_list()},
              analysis_rule_policy{dp_custom()}}) {
          auto again = s.when(rule_of(second), owner);
          THEN_REJECTED(again, error_kind::conflict, "ALREADY_EXISTS", "CONFIGURED_TABLE",
                        "AGGREGATION");
          CHECK(again.error().resource_id == table_id);
        }
        CHECK(type_of(s.state.rule->policy) == analysis_rule_type::aggregation);
      }
    }
    THEN("the rule type must be the policy's union member") {
      ct::create_analysis_rule c = rule_of(valid_aggregation());
      c.type = analysis_rule_type::list;
      THEN_REJECTED(s.when(c, owner), error_kind::validation, "INVALID_CONFIGURATION", "",
                    "AGGREGATION", "LIST");
      CHECK_FALSE(s.state.rule);
    }
    THEN("an invalid policy is rejected with the offending column") {
      auto bad = valid_aggregation();
      bad.dimension_columns = {"country"};
      THEN_REJECTED(s.when(rule_of(bad), owner), error_kind::validation, "INVALID_CONFIGURATION",
                    "", "\"country\"", "allowedColumns");
      CHECK_FALSE(s.state.rule);
    }
    THEN("a policy of exactly 100 KB is accepted") {
      REQUIRE(s.when(rule_of(valid_list(), 100 * 1024), owner).ok());
      CHECK(s.state.rule);
    }
    THEN("a policy over 100 KB exceeds the rule size quota on create") {
      auto d = s.when(rule_of(valid_list(), 100 * 1024 + 1), owner);
      THEN_REJECTED(d, error_kind::quota_exceeded, "", "", "Analysis rule size");
      CHECK(d.error().quota_name == "Analysis rule size");
      CHECK(d.error().quota_value == 100.0);
      CHECK_FALSE(s.state.rule);
    }
    THEN("updating or deleting a rule the table does not have is a 404 on the table") {
      auto u = s.when(new_policy(valid_aggregation()), owner);
      THEN_REJECTED(u, error_kind::not_found, "", "CONFIGURED_TABLE", "AGGREGATION");
      CHECK(u.error().resource_id == table_id);
      auto del = s.when(ct::delete_analysis_rule{analysis_rule_type::custom}, owner);
      THEN_REJECTED(del, error_kind::not_found, "", "CONFIGURED_TABLE", "CUSTOM");
      CHECK(del.error().resource_id == table_id);
    }
    THEN("a table queried by jobs only takes CUSTOM rules") {
      ct::update_configured_table u;
      u.method = analysis_method::direct_job;
      REQUIRE(s.when(u, owner).ok());
      THEN_REJECTED(s.when(rule_of(valid_list()), owner), error_kind::validation,
                    "INVALID_CONFIGURATION", "", "DIRECT_JOB");
    }
  }

  GIVEN("a table with a LIST rule") {
    auto s = created_table();
    auto created_ctx = s.as(owner);
    REQUIRE(s.when(rule_of(valid_list()), created_ctx).ok());

    THEN("a rule of another type is not found") {
      auto u = s.when(new_policy(valid_aggregation()), owner);
      THEN_REJECTED(u, error_kind::not_found, "", "CONFIGURED_TABLE", "AGGREGATION");
      auto del = s.when(ct::delete_analysis_rule{analysis_rule_type::aggregation}, owner);
      THEN_REJECTED(del, error_kind::not_found, "", "CONFIGURED_TABLE", "AGGREGATION");
      CHECK(s.state.rule);
    }
    THEN("an identical update records nothing") {
      const auto version = s.state.version;
      THEN_NOTHING_HAPPENS(s.when(new_policy(valid_list()), owner));
      CHECK(s.state.version == version);
    }
    WHEN("the policy changes") {
      auto changed = valid_list();
      changed.list_columns = {"city"};
      changed.additional = additional_analyses::allowed;
      auto ctx = s.as(owner);
      auto d = s.when(new_policy(changed), ctx);
      THEN("AnalysisRuleUpdated replaces it whole and keeps the creation time") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        CHECK(std::get<events::analysis_rule_updated>(d.value()[0]).policy ==
              analysis_rule_policy{changed});
        CHECK(s.state.rule->policy == analysis_rule_policy{changed});
        CHECK(s.state.rule->create_time == created_ctx.now);
        CHECK(s.state.rule->update_time == ctx.now);
      }
    }
    THEN("the update's union member must be the path type") {
      ct::update_analysis_rule u = new_policy(valid_aggregation());
      u.type = analysis_rule_type::list;
      THEN_REJECTED(s.when(u, owner), error_kind::validation, "INVALID_CONFIGURATION", "",
                    "AGGREGATION", "LIST");
    }
    THEN("an invalid new policy is rejected") {
      auto bad = valid_list();
      bad.join_columns = {"hashed_email", "hashed_email"};
      THEN_REJECTED(s.when(new_policy(bad), owner), error_kind::validation, "INVALID_CONFIGURATION",
                    "", "joinColumns", "\"hashed_email\"");
      CHECK(s.state.rule->policy == analysis_rule_policy{valid_list()});
    }
    THEN("an oversized update is a ValidationException, not a quota error") {
      auto changed = valid_list();
      changed.list_columns = {"age"};
      auto d = s.when(new_policy(changed, 100 * 1024 + 1), owner);
      THEN_REJECTED(d, error_kind::validation, "INVALID_CONFIGURATION", "", "102401");
      CHECK(d.error().quota_name.empty());
      CHECK(s.state.rule->policy == analysis_rule_policy{valid_list()});
    }
    WHEN("the rule is deleted") {
      auto ctx = s.as(owner);
      auto d = s.when(ct::delete_analysis_rule{analysis_rule_type::list}, ctx);
      THEN("AnalysisRuleDeleted leaves the table without rule types, and a new rule may come") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        CHECK(std::get<events::analysis_rule_deleted>(d.value()[0]).type ==
              analysis_rule_type::list);
        CHECK_FALSE(s.state.rule);
        CHECK(s.state.update_time == ctx.now);
        THEN_REJECTED(s.when(ct::delete_analysis_rule{analysis_rule_type::list}, owner),
                      error_kind::not_found, "", "CONFIGURED_TABLE", "LIST");
        REQUIRE(s.when(rule_of(valid_aggregation()), owner).ok());
        CHECK(type_of(s.state.rule->policy) == analysis_rule_type::aggregation);
      }
    }
    WHEN("the rule is deleted while an unfinished query reads the table (SPEC.md Q22)") {
      auto ctx = s.as(owner);
      ctx.table_read_by_query = "9f0e1d2c-3b4a-4596-8877-665544332211";
      THEN("ConflictException INVALID_STATE, not naming the query, and the rule stays") {
        auto refused = s.when(ct::delete_analysis_rule{analysis_rule_type::list}, ctx);
        THEN_REJECTED(refused, error_kind::conflict, "INVALID_STATE", "CONFIGURED_TABLE", table_id,
                      "LIST");
        CHECK_THAT(refused.error().message, !Catch::Contains(ctx.table_read_by_query));
        CHECK(s.state.rule);
      }
      THEN("a rule type the table does not have is still a 404 first") {
        THEN_REJECTED(s.when(ct::delete_analysis_rule{analysis_rule_type::custom}, ctx),
                      error_kind::not_found, "", "CONFIGURED_TABLE", "CUSTOM");
      }
    }
  }
}

// ---- tags (SPEC.md 15) -------------------------------------------------------------------------

SCENARIO("the owner tags its configured table") {
  GIVEN("a table created with the tags team and env") {
    auto s = created_table();

    WHEN("the owner adds a tag and overwrites another") {
      auto d = s.when(ct::tag_resource{own_arn, {{"team", "data"}, {"cost", "42"}}}, owner);
      THEN("TagsChanged sets both") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        const auto& e = std::get<events::tags_changed>(d.value()[0]);
        CHECK(e.resource_arn == own_arn);
        CHECK(e.set == tag_map{{"cost", "42"}, {"team", "data"}});
        CHECK(s.state.tags.at(own_arn) ==
              tag_map{{"cost", "42"}, {"env", "test"}, {"team", "data"}});
      }
    }
    WHEN("the owner untags a present and a missing key") {
      auto d = s.when(ct::untag_resource{own_arn, {"env", "nope", "env"}}, owner);
      THEN("only the present key is removed, once") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        CHECK(std::get<events::tags_changed>(d.value()[0]).removed ==
              std::vector<std::string>{"env"});
        CHECK(s.state.tags.at(own_arn) == tag_map{{"team", "ads"}});
        THEN_NOTHING_HAPPENS(s.when(ct::untag_resource{own_arn, {"nope"}}, owner));
      }
    }
    THEN("an ARN this table does not answer to is not found") {
      const std::string other_table =
          "arn:aws:cleanrooms:us-east-1:111111111111:configuredtable/"
          "00000000-0000-4000-8000-000000000009";
      const std::string other_account =
          "arn:aws:cleanrooms:us-east-1:444444444444:configuredtable/" + table_id;
      for (const auto& arn : {other_table, other_account}) {
        auto d = s.when(ct::tag_resource{arn, {{"a", "1"}}}, owner);
        THEN_REJECTED(d, error_kind::not_found, "", "CONFIGURED_TABLE", arn);
        CHECK(d.error().resource_id == arn);
        THEN_REJECTED(s.when(ct::untag_resource{arn, {"team"}}, owner), error_kind::not_found, "",
                      "CONFIGURED_TABLE", arn);
      }
    }
    THEN("another account cannot touch the owner's tags") {
      auto d = s.when(ct::tag_resource{own_arn, {{"a", "1"}}}, stranger);
      THEN_REJECTED(d, error_kind::not_found, "", "CONFIGURED_TABLE", own_arn);
      CHECK(d.error().resource_id == own_arn);
      THEN_REJECTED(s.when(ct::untag_resource{own_arn, {"team"}}, stranger), error_kind::not_found,
                    "", "CONFIGURED_TABLE", own_arn);
      CHECK(s.state.tags.at(own_arn).size() == 2);
    }
    THEN("at most 200 tags") {
      tag_map more;  // 198 new keys: 200 in all
      for (int i = 0; i < 198; ++i) more["k" + std::to_string(i)] = "v";
      REQUIRE(s.when(ct::tag_resource{own_arn, more}, owner).ok());
      CHECK(s.state.tags.at(own_arn).size() == 200);
      // Overwriting a key at the limit adds nothing; an empty tag map is a no-op.
      REQUIRE(s.when(ct::tag_resource{own_arn, {{"team", "x"}}}, owner).ok());
      THEN_NOTHING_HAPPENS(s.when(ct::tag_resource{own_arn, {}}, owner));
      THEN_REJECTED(s.when(ct::tag_resource{own_arn, {{"one-too-many", "v"}}}, owner),
                    error_kind::validation, "FIELD_VALIDATION_FAILED", "", "200");
      CHECK(s.state.tags.at(own_arn).size() == 200);
    }
  }
}

// ---- the association protocol's question (SPEC.md 10 check 3) ----------------------------------

TEST_CASE("check_association: only the owner may associate its table") {
  auto s = created_table();
  const auto version = s.state.version;
  THEN_NOTHING_HAPPENS(s.when(ct::check_association{}, owner));
  auto d = s.when(ct::check_association{}, stranger);
  THEN_REJECTED(d, error_kind::not_found, "", "CONFIGURED_TABLE", table_id);
  CHECK(d.error().resource_id == table_id);
  CHECK(s.state.version == version);
}

TEST_CASE("the host looks up the reference a command leaves the table with") {
  auto s = created_table();
  auto create = standard_table();
  create.reference = athena("db", "t");
  CHECK(ct::reference_to_check(s.state, create) ==
        std::optional<table_reference>(create.reference));
  ct::update_configured_table u;
  // A rename does not consult the catalog: its table may have gone since (review finding).
  u.name = "renamed";
  CHECK_FALSE(ct::reference_to_check(s.state, u));
  u.allowed_columns = std::vector<std::string>{"customer_id"};
  CHECK(ct::reference_to_check(s.state, u) ==
        std::optional<table_reference>(glue("sales", "customers")));
  u.reference = glue("sales", "other");
  CHECK(ct::reference_to_check(s.state, u) ==
        std::optional<table_reference>(glue("sales", "other")));
  CHECK_FALSE(ct::reference_to_check(s.state, ct::delete_configured_table{}));
  CHECK_FALSE(ct::reference_to_check(s.state, rule_of(valid_list())));
}

SCENARIO("a strict catalog that lost the table: renames still work, new columns are a 400") {
  GIVEN("a table created while its catalog table existed") {
    auto s = created_table();
    s.catalog.strict = true;
    s.catalog.found = false;  // what the host reports now that the CSV is gone
    WHEN("the owner renames it") {
      ct::update_configured_table u;
      u.name = "renamed";
      // The host asks the catalog only when reference_to_check names a table.
      if (!ct::reference_to_check(s.state, u)) s.catalog = {};
      auto d = s.when(u, owner);
      THEN("the rename succeeds") {
        REQUIRE(d.ok());
        CHECK(s.state.info.name == "renamed");
      }
    }
    WHEN("the owner changes its allowed columns") {
      ct::update_configured_table u;
      u.allowed_columns = std::vector<std::string>{"customer_id"};
      auto d = s.when(u, owner);
      THEN("it is a ValidationException, not a 404 that would read as the table being gone") {
        REQUIRE_FALSE(d.ok());
        CHECK(d.error().kind == error_kind::validation);
        CHECK_THAT(d.error().message, Catch::Contains("does not exist in the data catalog"));
      }
    }
  }
}

TEST_CASE("configured table events that do not fit the state are named") {
  table_scenario fresh;
  using ct::why_not_applicable;
  CHECK(why_not_applicable(fresh.state, events::configured_table_updated{}));
  CHECK(why_not_applicable(fresh.state, events::analysis_rule_created{valid_list()}));
  CHECK(why_not_applicable(fresh.state, events::tags_changed{own_arn, {{"a", "1"}}, {}}));
  auto s = created_table();
  CHECK(why_not_applicable(s.state, events::configured_table_created{}));
  CHECK(why_not_applicable(s.state, events::analysis_rule_updated{valid_list()}));
  CHECK(why_not_applicable(s.state, events::analysis_rule_deleted{analysis_rule_type::list}));
  CHECK(why_not_applicable(s.state, events::collaboration_deleted{}));
  CHECK_FALSE(why_not_applicable(s.state, events::analysis_rule_created{valid_list()}));
}
