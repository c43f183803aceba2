// Analysis templates inside the collaboration aggregate (SPEC.md 13): every check of
// Create/Update/DeleteAnalysisTemplate in its order, the SQL scanning they rely on, and the
// DeleteMembership / tags interplay.
#include "actors/collaboration/templates.hpp"
#include "given_when_then.hpp"

using namespace crs;
using namespace crs::testing;
namespace co = crs::collaboration;

namespace {

const std::string unknown_id = "99999999-9999-4999-8999-999999999999";
const std::string role = "arn:aws:iam::222222222222:role/cleanrooms-jobs";
using names = std::vector<std::string>;

co::create_analysis_template sql_template(const std::string& membership, const std::string& name,
                                          std::string text = "SELECT COUNT(*) FROM orders") {
  co::create_analysis_template c;
  c.membership_id = membership;
  c.name = name;
  c.description = "the " + name + " analysis";
  c.format = analysis_format::sql;
  c.source = std::move(text);
  return c;
}

co::create_analysis_template with_parameters(const std::string& membership, std::string text,
                                             std::vector<analysis_parameter> params) {
  auto c = sql_template(membership, "parameterised", std::move(text));
  c.parameters = std::move(params);
  return c;
}

analysis_parameter param(std::string name, parameter_type type = parameter_type::varchar,
                         std::optional<std::string> default_value = std::nullopt) {
  return analysis_parameter{std::move(name), type, std::move(default_value)};
}

template_artifacts spark_artifacts() {
  template_artifacts a;
  a.entry_point = s3_location{"jobs-bucket", "scripts/main.py"};
  a.role_arn = role;
  return a;
}

co::create_analysis_template pyspark_template(const std::string& membership,
                                              const std::string& name) {
  co::create_analysis_template c;
  c.membership_id = membership;
  c.name = name;
  c.format = analysis_format::pyspark_1_0;
  c.source = spark_artifacts();
  return c;
}

std::string expected_arn(const std::string& account, const std::string& membership,
                         const std::string& id) {
  return "arn:aws:cleanrooms:us-east-1:" + account + ":membership/" + membership +
         "/analysistemplate/" + id;
}

// The referenced tables the decider derives from `text` (no schema.referencedTables sent).
names derived(const std::string& text) {
  auto t = joined();
  auto d = t.s.when(sql_template(t.querier_mid, "derive", text), querier);
  REQUIRE(d.ok());
  const auto* e = find_event<events::analysis_template_created>(d.value());
  REQUIRE(e);
  return e->referenced_tables;
}

}  // namespace

// ---- CreateAnalysisTemplate: effects -----------------------------------------------------------

SCENARIO("an active member publishes a SQL template through its membership (SPEC.md 13)") {
  GIVEN("a collaboration everyone joined") {
    auto t = joined();
    auto& s = t.s;

    WHEN("the querier creates a template with a parameter and tags") {
      auto c = with_parameters(t.querier_mid,
                               "SELECT SUM(amount) FROM orders o JOIN customers c ON o.id = c.id "
                               "WHERE o.region = :region",
                               {param("region", parameter_type::varchar, "eu")});
      c.tags = {{"team", "analytics"}};
      auto ctx = s.as(querier);
      auto d = s.when(c, ctx);
      const auto arn = expected_arn(querier, t.querier_mid, ctx.fresh_id);
      THEN("AnalysisTemplateCreated records it, then TagsChanged tags its ARN") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 2);
        const auto* e = std::get_if<events::analysis_template_created>(&d.value()[0]);
        REQUIRE(e);
        CHECK(e->template_id == ctx.fresh_id);
        CHECK(e->membership_id == t.querier_mid);
        CHECK(e->account == querier);
        CHECK(e->region == "us-east-1");
        CHECK(e->name == "parameterised");
        CHECK(e->description == std::optional<std::string>("the parameterised analysis"));
        CHECK(e->format == analysis_format::sql);
        CHECK(e->source == c.source);
        CHECK(e->parameters == c.parameters);
        CHECK_FALSE(e->detailed_errors);
        const auto* tags = std::get_if<events::tags_changed>(&d.value()[1]);
        REQUIRE(tags);
        CHECK(tags->resource_arn == arn);
        CHECK(tags->set == tag_map{{"team", "analytics"}});
      }
      THEN("schema.referencedTables was derived from FROM and JOIN") {
        const auto* e = find_event<events::analysis_template_created>(d.value());
        REQUIRE(e);
        CHECK(e->referenced_tables == names{"orders", "customers"});
      }
      THEN("the template lives in the collaboration under its membership-scoped ARN") {
        const auto& rec = s.state.templates.at(ctx.fresh_id);
        CHECK(co::template_arn(rec) == arn);
        CHECK(rec.create_time == ctx.now);
        CHECK(rec.update_time == ctx.now);
        CHECK(s.state.tags.at(arn).at("team") == "analytics");
      }
    }

    WHEN("the creator publishes without tags") {
      auto d = s.when(sql_template(t.creator_mid, "counts"), creator);
      THEN("only AnalysisTemplateCreated is recorded, and the ARN is taggable later") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        CHECK(count_events<events::analysis_template_created>(d.value()) == 1);
        CHECK(s.state.tags.size() >= 1);
      }
    }

    WHEN("a pure data provider publishes (no ability is needed, SPEC.md Q15)") {
      auto d = s.when(sql_template(t.provider_mid, "provider view"), provider);
      THEN("it is accepted") {
        REQUIRE(d.ok());
      }
    }

    WHEN("schema.referencedTables is sent") {
      auto c = sql_template(t.querier_mid, "explicit", "SELECT COUNT(*) FROM orders");
      c.referenced_tables = names{"Customers", "not yet associated"};
      auto d = s.when(c, querier);
      THEN("it is kept as sent, not derived, and the tables need not exist yet") {
        REQUIRE(d.ok());
        CHECK(find_event<events::analysis_template_created>(d.value())->referenced_tables ==
              names{"Customers", "not yet associated"});
      }
    }

    WHEN("schema.referencedTables is sent empty") {
      auto c = sql_template(t.querier_mid, "explicit empty");
      c.referenced_tables = names{};
      auto d = s.when(c, querier);
      THEN("it stays empty") {
        REQUIRE(d.ok());
        CHECK(find_event<events::analysis_template_created>(d.value())->referenced_tables.empty());
      }
    }
  }
}

SCENARIO("a PySpark template carries artifacts (SPEC.md 13, Appendix A)") {
  GIVEN("a collaboration everyone joined") {
    auto t = joined();
    WHEN("the querier creates one with an additional artifact and detailed errors") {
      auto c = pyspark_template(t.querier_mid, "spark job");
      auto a = spark_artifacts();
      a.additional_artifacts = std::vector<s3_location>{{"jobs-bucket", "lib/util.zip"}};
      c.source = a;
      c.detailed_errors = true;
      auto d = t.s.when(c, querier);
      THEN("the event keeps the artifacts, no tables, and the error configuration") {
        REQUIRE(d.ok());
        const auto* e = find_event<events::analysis_template_created>(d.value());
        REQUIRE(e);
        CHECK(e->format == analysis_format::pyspark_1_0);
        CHECK(std::get<template_artifacts>(e->source) == a);
        CHECK(e->referenced_tables.empty());
        CHECK_FALSE(e->parameters.has_value());
        CHECK(e->detailed_errors);
      }
    }
  }
}

// ---- CreateAnalysisTemplate: checks in order ---------------------------------------------------

SCENARIO("check 2: the membership must be the caller's and ACTIVE") {
  GIVEN("a collaboration everyone joined") {
    auto t = joined();
    WHEN("the membership is unknown") {
      THEN("404 MEMBERSHIP") {
        THEN_REJECTED(t.s.when(sql_template(unknown_id, "x"), querier), error_kind::not_found, "",
                      "MEMBERSHIP", unknown_id);
      }
    }
    WHEN("the membership is another account's") {
      THEN("404 MEMBERSHIP, as if it did not exist (SPEC.md 3.3)") {
        THEN_REJECTED(t.s.when(sql_template(t.provider_mid, "x"), querier), error_kind::not_found,
                      "", "MEMBERSHIP", t.provider_mid);
      }
    }
    WHEN("the request was signed for another region") {
      auto ctx = t.s.as(querier);
      ctx.region = "eu-west-1";
      THEN("404 MEMBERSHIP") {
        THEN_REJECTED(t.s.when(sql_template(t.querier_mid, "x"), ctx), error_kind::not_found, "",
                      "MEMBERSHIP");
      }
    }
    WHEN("the provider was removed, so its membership is REMOVED") {
      REQUIRE(t.s.when(co::delete_member{provider}, creator).ok());
      THEN("403, even for a request that would also break later checks") {
        auto bad = pyspark_template(t.provider_mid, "x");
        bad.source = std::string("SELECT 1");
        THEN_REJECTED(t.s.when(bad, provider), error_kind::access_denied,
                      "INSUFFICIENT_PERMISSIONS", "", "REMOVED");
      }
    }
    WHEN("the collaboration was deleted") {
      REQUIRE(t.s.when(co::delete_collaboration{}, creator).ok());
      THEN("403: the membership is COLLABORATION_DELETED") {
        THEN_REJECTED(t.s.when(sql_template(t.querier_mid, "x"), querier),
                      error_kind::access_denied, "INSUFFICIENT_PERMISSIONS", "",
                      "COLLABORATION_DELETED");
      }
    }
  }
}

SCENARIO("check 3: format and source agree (INVALID_CONFIGURATION)") {
  GIVEN("a collaboration everyone joined") {
    auto t = joined();
    WHEN("SQL comes with artifacts") {
      auto c = sql_template(t.querier_mid, "x");
      c.source = spark_artifacts();
      THEN("rejected") {
        THEN_REJECTED(t.s.when(c, querier), error_kind::validation, "INVALID_CONFIGURATION", "",
                      "SQL", "source.text");
      }
    }
    WHEN("PYSPARK_1_0 comes with text") {
      auto c = pyspark_template(t.querier_mid, "x");
      c.source = std::string("SELECT 1");
      THEN("rejected") {
        THEN_REJECTED(t.s.when(c, querier), error_kind::validation, "INVALID_CONFIGURATION", "",
                      "PYSPARK_1_0", "source.artifacts");
      }
    }
    WHEN("PYSPARK_1_0 declares analysis parameters") {
      auto c = pyspark_template(t.querier_mid, "x");
      c.parameters = std::vector<analysis_parameter>{param("p")};
      THEN("rejected: parameters are SQL placeholders") {
        THEN_REJECTED(t.s.when(c, querier), error_kind::validation, "INVALID_CONFIGURATION", "",
                      "analysisParameters");
      }
    }
    WHEN("PYSPARK_1_0 declares an empty parameter list") {
      auto c = pyspark_template(t.querier_mid, "x");
      c.parameters = std::vector<analysis_parameter>{};
      THEN("accepted: nothing is declared") {
        CHECK(t.s.when(c, querier).ok());
      }
    }
    WHEN("SQL asks for detailed error messages") {
      auto c = sql_template(t.querier_mid, "x");
      c.detailed_errors = true;
      THEN("rejected: errorMessageConfiguration is for PySpark jobs") {
        THEN_REJECTED(t.s.when(c, querier), error_kind::validation, "INVALID_CONFIGURATION", "",
                      "errorMessageConfiguration");
      }
    }
    WHEN("format and source disagree and the parameters are also wrong") {
      auto c = with_parameters(t.querier_mid, "SELECT 1", {param("unused")});
      c.source = spark_artifacts();
      THEN("the format check answers first") {
        THEN_REJECTED(t.s.when(c, querier), error_kind::validation, "INVALID_CONFIGURATION", "");
      }
    }
  }
}

SCENARIO("SPEC.md 18: a CLEAN_ROOMS_SQL collaboration refuses SQL over 90 KB") {
  const std::string long_sql =
      "SELECT COUNT(*) FROM orders WHERE note <> '" + std::string(90 * 1024, 'x') + "'";
  GIVEN("a collaboration on the Clean Rooms SQL engine") {
    auto t = joined(analytics_engine::clean_rooms_sql);
    THEN("a text over 90 KB is INVALID_QUERY") {
      THEN_REJECTED(t.s.when(sql_template(t.querier_mid, "long", long_sql), querier),
                    error_kind::validation, "INVALID_QUERY", "", "90 KB");
    }
    THEN("a text of 90 KB is accepted") {
      CHECK(
          t.s.when(sql_template(t.querier_mid, "at limit", long_sql.substr(0, 90 * 1024)), querier)
              .ok());
    }
  }
  GIVEN("a collaboration on Spark") {
    auto t = joined(analytics_engine::spark);
    THEN("the same text is accepted (the model's 500,000 characters apply)") {
      CHECK(t.s.when(sql_template(t.querier_mid, "long", long_sql), querier).ok());
    }
  }
}

SCENARIO("check 4: analysis parameters match the :name references (INVALID_QUERY)") {
  GIVEN("a collaboration everyone joined") {
    auto t = joined();
    auto when = [&](std::string text, std::vector<analysis_parameter> params) {
      return t.s.when(with_parameters(t.querier_mid, std::move(text), std::move(params)), querier);
    };
    THEN("a parameter declared twice is rejected") {
      THEN_REJECTED(when("SELECT COUNT(*) FROM t WHERE a = :p", {param("p"), param("p")}),
                    error_kind::validation, "INVALID_QUERY", "", "p", "more than once");
    }
    THEN("a declared parameter the text never uses is rejected") {
      THEN_REJECTED(when("SELECT COUNT(*) FROM t WHERE a = :p", {param("p"), param("q")}),
                    error_kind::validation, "INVALID_QUERY", "", ":q");
    }
    THEN("a :name the text uses without declaring it is rejected") {
      THEN_REJECTED(when("SELECT COUNT(*) FROM t WHERE a = :p AND b = :q", {param("p")}),
                    error_kind::validation, "INVALID_QUERY", "", ":q", "not a declared");
    }
    THEN("a :name without any declaration is rejected") {
      THEN_REJECTED(when("SELECT COUNT(*) FROM t WHERE a = :p", {}), error_kind::validation,
                    "INVALID_QUERY", "", ":p");
    }
    THEN("names compare exactly: :P is not :p") {
      THEN_REJECTED(when("SELECT COUNT(*) FROM t WHERE a = :P", {param("p")}),
                    error_kind::validation, "INVALID_QUERY", "");
    }
    THEN("casts, literals and comments hold no references") {
      CHECK(when("SELECT COUNT(*)::bigint FROM t WHERE ts > '12:30' -- :gone\n"
                 "AND a = :p /* :also_gone */ AND b = \":quoted\"",
                 {param("p")})
                .ok());
    }
    THEN("a parameter used several times is declared once") {
      CHECK(when("SELECT COUNT(*) FROM t WHERE a = :p OR b = :p", {param("p")}).ok());
    }
    THEN("more than 50 parameters are rejected") {
      std::vector<analysis_parameter> many;
      std::string text = "SELECT COUNT(*) FROM t WHERE 1 = 1";
      for (int i = 0; i < 51; ++i) {
        many.push_back(param("p" + std::to_string(i)));
        text += " AND c = :p" + std::to_string(i);
      }
      THEN_REJECTED(when(text, many), error_kind::validation, "FIELD_VALIDATION_FAILED", "", "50");
    }
    THEN("duplicates are reported before unused declarations") {
      THEN_REJECTED(when("SELECT 1", {param("p"), param("p")}), error_kind::validation,
                    "INVALID_QUERY", "", "more than once");
    }
  }
}

SCENARIO("check 4: a defaultValue must read as its declared type") {
  GIVEN("a collaboration everyone joined") {
    auto t = joined();
    int n = 0;  // a fresh name each time: accepted ones must not collide (check 6)
    auto with_default = [&](parameter_type type, std::string value) {
      auto c = with_parameters(t.querier_mid, "SELECT COUNT(*) FROM t WHERE a = :p",
                               {param("p", type, std::move(value))});
      c.name = "default " + std::to_string(++n);
      auto ctx = t.s.as(querier);
      ctx.quotas.templates_per_membership = 1000;  // more examples than the default quota
      return t.s.when(c, ctx);
    };
    struct example {
      parameter_type type;
      const char* value;
      bool ok;
    };
    using p = parameter_type;
    const std::vector<example> examples{
        {p::integer, "42", true},
        {p::integer, "-2147483648", true},
        {p::integer, "2147483648", false},
        {p::integer, "4.2", false},
        {p::integer, "", false},
        {p::int_type, "+7", true},
        {p::smallint, "32767", true},
        {p::smallint, "32768", false},
        {p::short_type, "-32769", false},
        {p::tinyint, "127", true},
        {p::tinyint, "128", false},
        {p::byte, "-128", true},
        {p::bigint, "9223372036854775807", true},
        {p::bigint, "9223372036854775808", false},
        {p::long_type, "12abc", false},
        {p::decimal, "12.50", true},
        {p::decimal, "-.5", true},
        {p::numeric, "1e3", false},
        {p::numeric, ".", false},
        {p::real, "1.5e-3", true},
        {p::double_type, "NaN", true},
        {p::float_type, "-Infinity", true},
        {p::double_precision, "1,5", false},
        {p::boolean, "true", true},
        {p::boolean, "FALSE", true},
        {p::boolean, "0", true},
        {p::boolean, "maybe", false},
        {p::date, "2024-02-29", true},
        {p::date, "2023-02-29", false},
        {p::date, "2024-13-01", false},
        {p::date, "2024-1-1", false},
        {p::timestamp, "2024-04-10 12:30:00", true},
        {p::timestamp, "2024-04-10T12:30:00.123", true},
        {p::timestamp, "2024-04-10", true},
        {p::timestamp, "2024-04-10 25:00:00", false},
        {p::timestamp_ntz, "2024-04-10 12:30:00+02:00", false},
        {p::timestamptz, "2024-04-10 12:30:00+02:00", true},
        {p::timestamp_ltz, "2024-04-10T12:30:00Z", true},
        {p::timestamptz, "2024-04-10 12:30:00 nowhere", false},
        {p::time, "23:59:59", true},
        {p::time, "23:59", true},
        {p::time, "24:00", false},
        {p::timetz, "08:00:00-05", true},
        {p::time, "08:00:00-05", false},
        {p::varchar, "anything at all", true},
        {p::string, "", true},
        {p::char_type, "x", true},
        {p::character, "xy", true},
        {p::varbyte, "\\x00ff", true},
        {p::binary, "raw", true},
    };
    THEN("each example is accepted or refused as listed") {
      for (const auto& ex : examples) {
        INFO(to_string(ex.type) << " '" << ex.value << "'");
        auto d = with_default(ex.type, ex.value);
        if (ex.ok) {
          CHECK(d.ok());
        } else {
          REQUIRE_FALSE(d.ok());
          CHECK(d.error().reason == "INVALID_QUERY");
          CHECK_THAT(d.error().message, Catch::Contains(std::string(to_string(ex.type))));
        }
      }
    }
    THEN("a parameter without a default is accepted whatever its type") {
      CHECK(t.s.when(with_parameters(t.querier_mid, "SELECT COUNT(*) FROM t WHERE a = :p",
                                     {param("p", p::date)}),
                     querier)
                .ok());
    }
  }
}

SCENARIO("check 5: referencedTables derived from the SQL text") {
  THEN("FROM and JOIN names, in order, each once whatever its case") {
    CHECK(derived("SELECT COUNT(*) FROM orders o JOIN Customers c ON o.id = c.id "
                  "LEFT OUTER JOIN customers x ON 1 = 1") == names{"orders", "Customers"});
  }
  THEN("a FROM list names every table") {
    CHECK(derived("SELECT COUNT(*) FROM a, b AS bb, c cc WHERE a.x = b.x") == names{"a", "b", "c"});
  }
  THEN("common table expressions are not tables, their sources are") {
    CHECK(derived("WITH recent AS (SELECT * FROM orders WHERE dt > '2024-01-01'), "
                  "totals (k, n) AS (SELECT k, COUNT(*) FROM recent GROUP BY k) "
                  "SELECT SUM(n) FROM totals JOIN customers USING (k)") ==
          names{"orders", "customers"});
  }
  THEN("subqueries are looked into") {
    CHECK(derived("SELECT COUNT(*) FROM (SELECT id FROM orders) sub "
                  "WHERE id IN (SELECT id FROM refunds)") == names{"orders", "refunds"});
  }
  THEN("FROM inside a function call names no table") {
    CHECK(derived("SELECT EXTRACT(YEAR FROM dt), SUBSTRING(name FROM 2), COUNT(*) FROM sales "
                  "GROUP BY 1, 2") == names{"sales"});
  }
  THEN("quoted names keep their spelling; dotted names are skipped") {
    CHECK(derived("SELECT COUNT(*) FROM \"Order Lines\" JOIN db.other ON 1 = 1 "
                  "JOIN `spark_table` ON 1 = 1") == names{"Order Lines", "spark_table"});
  }
  THEN("names that are no «ALIAS» are not kept") {
    CHECK(derived("SELECT COUNT(*) FROM \"bad--name\" JOIN \"-lead\" ON 1 = 1 JOIN ok ON 1 = 1") ==
          names{"ok"});
  }
  THEN("literals and comments hold no tables") {
    CHECK(derived("SELECT COUNT(*) FROM t -- FROM commented\n WHERE s = 'FROM quoted' "
                  "/* JOIN hidden */") == names{"t"});
  }
  THEN("a text without FROM has none") {
    CHECK(derived("SELECT 1").empty());
  }
}

SCENARIO("check 6: one name per membership (409 ALREADY_EXISTS)") {
  GIVEN("the querier has a template named counts") {
    auto t = joined();
    auto first = t.s.as(querier);
    REQUIRE(t.s.when(sql_template(t.querier_mid, "counts"), first).ok());
    WHEN("it creates another named counts") {
      auto d = t.s.when(sql_template(t.querier_mid, "counts", "SELECT SUM(x) FROM y"), querier);
      THEN("409 naming the existing template, type MEMBERSHIP") {
        THEN_REJECTED(d, error_kind::conflict, "ALREADY_EXISTS", "MEMBERSHIP", "counts");
        CHECK(d.error().resource_id == first.fresh_id);
      }
    }
    WHEN("it creates one named Counts") {
      THEN("accepted: template names compare exactly") {
        CHECK(t.s.when(sql_template(t.querier_mid, "Counts"), querier).ok());
      }
    }
    WHEN("another member creates one named counts") {
      THEN("accepted: names are unique per membership") {
        CHECK(t.s.when(sql_template(t.creator_mid, "counts"), creator).ok());
      }
    }
    WHEN("the first one is deleted") {
      REQUIRE(t.s.when(co::delete_analysis_template{t.querier_mid, first.fresh_id}, querier).ok());
      THEN("the name is free again") {
        CHECK(t.s.when(sql_template(t.querier_mid, "counts"), querier).ok());
      }
    }
  }
}

SCENARIO("check 7: at most 25 templates per membership (402)") {
  GIVEN("the querier has 25 templates") {
    auto t = joined();
    for (int i = 0; i < 25; ++i)
      REQUIRE(t.s.when(sql_template(t.querier_mid, "t" + std::to_string(i)), querier).ok());
    WHEN("it creates a 26th") {
      auto d = t.s.when(sql_template(t.querier_mid, "one more"), querier);
      THEN("ServiceQuotaExceededException with the quota's name and value") {
        REQUIRE_FALSE(d.ok());
        CHECK(d.error().kind == error_kind::quota_exceeded);
        CHECK(d.error().quota_name == "Analysis templates per membership");
        CHECK(d.error().quota_value == 25.0);
      }
    }
    WHEN("it reuses a taken name") {
      THEN("the 409 answers before the quota") {
        THEN_REJECTED(t.s.when(sql_template(t.querier_mid, "t3"), querier), error_kind::conflict,
                      "ALREADY_EXISTS", "MEMBERSHIP");
      }
    }
    WHEN("another membership creates one") {
      THEN("its own count is what counts") {
        CHECK(t.s.when(sql_template(t.creator_mid, "mine"), creator).ok());
      }
    }
  }
  GIVEN("a configured quota of 1") {
    auto t = joined();
    auto ctx = t.s.as(querier);
    ctx.quotas.templates_per_membership = 1;
    REQUIRE(t.s.when(sql_template(t.querier_mid, "only"), ctx).ok());
    auto again = t.s.as(querier);
    again.quotas.templates_per_membership = 1;
    THEN("the second one is over it") {
      auto d = t.s.when(sql_template(t.querier_mid, "second"), again);
      REQUIRE_FALSE(d.ok());
      CHECK(d.error().quota_value == 1.0);
    }
  }
}

// ---- UpdateAnalysisTemplate
// ----------------------------------------------------------------------

SCENARIO("UpdateAnalysisTemplate changes only the description (SPEC.md 13)") {
  GIVEN("the querier has a template") {
    auto t = joined();
    auto ctx = t.s.as(querier);
    REQUIRE(t.s.when(sql_template(t.querier_mid, "counts"), ctx).ok());
    const auto tid = ctx.fresh_id;

    WHEN("it sends a new description") {
      auto u = t.s.as(querier);
      auto d = t.s.when(co::update_analysis_template{t.querier_mid, tid, "refreshed"}, u);
      THEN("AnalysisTemplateUpdated; updateTime moves, the rest stays") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        const auto* e = std::get_if<events::analysis_template_updated>(&d.value()[0]);
        REQUIRE(e);
        CHECK(e->template_id == tid);
        CHECK(e->description == std::optional<std::string>("refreshed"));
        const auto& rec = t.s.state.templates.at(tid);
        CHECK(rec.description == std::optional<std::string>("refreshed"));
        CHECK(rec.update_time == u.now);
        CHECK(rec.create_time == ctx.now);
        CHECK(rec.name == "counts");
      }
    }
    WHEN("it sends an empty description") {
      auto d = t.s.when(co::update_analysis_template{t.querier_mid, tid, ""}, querier);
      THEN("the description becomes empty") {
        REQUIRE(d.ok());
        CHECK(t.s.state.templates.at(tid).description == std::optional<std::string>(""));
      }
    }
    WHEN("it sends no description") {
      THEN("nothing happens") {
        THEN_NOTHING_HAPPENS(
            t.s.when(co::update_analysis_template{t.querier_mid, tid, std::nullopt}, querier));
      }
    }
    WHEN("it sends the description it already has") {
      THEN("nothing happens") {
        THEN_NOTHING_HAPPENS(t.s.when(
            co::update_analysis_template{t.querier_mid, tid, "the counts analysis"}, querier));
      }
    }
    WHEN("the template id is unknown") {
      THEN("404 MEMBERSHIP naming the template") {
        auto d = t.s.when(co::update_analysis_template{t.querier_mid, unknown_id, "x"}, querier);
        THEN_REJECTED(d, error_kind::not_found, "", "MEMBERSHIP", unknown_id);
        CHECK(d.error().resource_id == unknown_id);
      }
    }
    WHEN("the template belongs to another membership of the caller's collaboration") {
      THEN("404: templates are addressed through their own membership") {
        auto other = t.s.as(creator);
        REQUIRE(t.s.when(sql_template(t.creator_mid, "creator's"), other).ok());
        THEN_REJECTED(
            t.s.when(co::update_analysis_template{t.querier_mid, other.fresh_id, "x"}, querier),
            error_kind::not_found, "", "MEMBERSHIP");
      }
    }
    WHEN("another account addresses it through the querier's membership") {
      THEN("404 MEMBERSHIP for the membership") {
        THEN_REJECTED(t.s.when(co::update_analysis_template{t.querier_mid, tid, "x"}, provider),
                      error_kind::not_found, "", "MEMBERSHIP", t.querier_mid);
      }
    }
    WHEN("the querier's membership is no longer ACTIVE") {
      REQUIRE(t.s.when(co::delete_member{querier}, creator).ok());
      THEN("403") {
        THEN_REJECTED(t.s.when(co::update_analysis_template{t.querier_mid, tid, "x"}, querier),
                      error_kind::access_denied, "INSUFFICIENT_PERMISSIONS", "");
      }
      THEN("but an unknown template is still 404: the 404s come first") {
        THEN_REJECTED(
            t.s.when(co::update_analysis_template{t.querier_mid, unknown_id, "x"}, querier),
            error_kind::not_found, "", "MEMBERSHIP");
      }
    }
  }
}

// ---- DeleteAnalysisTemplate
// ----------------------------------------------------------------------

SCENARIO("DeleteAnalysisTemplate (SPEC.md 13)") {
  GIVEN("the provider has a tagged template") {
    auto t = joined();
    auto ctx = t.s.as(provider);
    auto c = sql_template(t.provider_mid, "provider view");
    c.tags = {{"k", "v"}};
    REQUIRE(t.s.when(c, ctx).ok());
    const auto tid = ctx.fresh_id;
    const auto arn = expected_arn(provider, t.provider_mid, tid);

    WHEN("it deletes it") {
      auto d = t.s.when(co::delete_analysis_template{t.provider_mid, tid}, provider);
      THEN("AnalysisTemplateDeleted; the template and its tags are gone") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        CHECK(std::get<events::analysis_template_deleted>(d.value()[0]).template_id == tid);
        CHECK_FALSE(t.s.state.templates.count(tid));
        CHECK_FALSE(t.s.state.tags.count(arn));
      }
      THEN("deleting it again is 404") {
        THEN_REJECTED(t.s.when(co::delete_analysis_template{t.provider_mid, tid}, provider),
                      error_kind::not_found, "", "MEMBERSHIP", tid);
      }
    }
    WHEN("another account tries through its own membership") {
      THEN("404: the template is not that membership's") {
        THEN_REJECTED(t.s.when(co::delete_analysis_template{t.querier_mid, tid}, querier),
                      error_kind::not_found, "", "MEMBERSHIP", tid);
      }
    }
    WHEN("another account tries through the provider's membership") {
      THEN("404 for the membership") {
        THEN_REJECTED(t.s.when(co::delete_analysis_template{t.provider_mid, tid}, querier),
                      error_kind::not_found, "", "MEMBERSHIP", t.provider_mid);
      }
    }
    WHEN("the provider was removed from the collaboration") {
      REQUIRE(t.s.when(co::delete_member{provider}, creator).ok());
      THEN("DeleteMembership is refused while the template exists") {
        THEN_REJECTED(t.s.when(co::delete_membership{t.provider_mid}, provider),
                      error_kind::conflict, "SUBRESOURCES_EXIST", "MEMBERSHIP");
      }
      THEN("it can still delete the template, and then its membership") {
        REQUIRE(t.s.when(co::delete_analysis_template{t.provider_mid, tid}, provider).ok());
        CHECK(t.s.when(co::delete_membership{t.provider_mid}, provider).ok());
      }
    }
  }
}

SCENARIO("a template's ARN is tagged by its owner only (SPEC.md 15)") {
  GIVEN("the querier has a template") {
    auto t = joined();
    auto ctx = t.s.as(querier);
    REQUIRE(t.s.when(sql_template(t.querier_mid, "counts"), ctx).ok());
    const auto arn = expected_arn(querier, t.querier_mid, ctx.fresh_id);
    THEN("the owner tags it") {
      CHECK(t.s.when(co::tag_resource{arn, {{"a", "b"}}}, querier).ok());
      CHECK(t.s.state.tags.at(arn).at("a") == "b");
    }
    THEN("another member gets 404 MEMBERSHIP") {
      THEN_REJECTED(t.s.when(co::tag_resource{arn, {{"a", "b"}}}, creator), error_kind::not_found,
                    "", "MEMBERSHIP");
    }
  }
}

// ---- the scanner itself -------------------------------------------------------------------------

TEST_CASE("sql::tokenize: depth, literals, quoted identifiers, parameters") {
  using co::sql::token_kind;
  const auto t = co::sql::tokenize("SELECT f(a, 'x)') FROM \"T\"\"q\" WHERE b = :p::int");
  std::vector<std::string> texts;
  for (const auto& k : t) texts.emplace_back(k.text);
  CHECK(texts == names{"SELECT", "f", "(", "a", ",", "'x)'", ")", "FROM", "T\"\"q", "WHERE", "b",
                       "=", "p", ":", ":", "int"});
  CHECK(t[2].depth == 0);
  CHECK(t[3].depth == 1);
  CHECK(t[5].kind == token_kind::literal);
  CHECK(t[6].depth == 0);
  CHECK(t[8].kind == token_kind::quoted);
  CHECK(t[12].kind == token_kind::parameter);
  SECTION("unterminated literals and comments end the text") {
    CHECK(co::sql::tokenize("SELECT 'open").size() == 2);
    CHECK(co::sql::tokenize("SELECT /* open").size() == 1);
    CHECK(co::sql::tokenize("SELECT \"open").back().text == "open");
  }
  SECTION("an unbalanced ')' does not go below depth 0") {
    const auto u = co::sql::tokenize(") SELECT");
    CHECK(u[1].depth == 0);
  }
}
