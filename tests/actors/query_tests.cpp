// Protected queries inside the collaboration aggregate (SPEC.md 12, 16.3): the checks of
// StartProtectedQuery in their order, the runner's reports, cancellation, the concurrency quota
// and the cascades that cancel unfinished queries.
#include "actors/collaboration/queries.hpp"
#include "given_when_then.hpp"

using namespace crs;
using namespace crs::testing;
namespace co = crs::collaboration;

namespace {

const std::string unknown_id = "99999999-9999-4999-8999-999999999999";

query_output s3_output(std::string bucket = "results-bucket",
                       result_format format = result_format::csv) {
  query_output o;
  o.locations.emplace_back(query_s3_output{format, std::move(bucket), std::string("daily/"), {}});
  return o;
}

query_output member_output(const std::string& account) {
  query_output o;
  o.locations.emplace_back(query_member_output{account});
  return o;
}

co::start_query sql_query(const std::string& mid, std::optional<query_output> out = s3_output()) {
  co::start_query c;
  c.membership_id = mid;
  c.sql.query_string = "SELECT COUNT(DISTINCT user_id) FROM purchases";
  c.output = std::move(out);
  return c;
}

// Starts a query as the querier; returns its id.
std::string started(three_joined& t) {
  auto ctx = t.s.as(querier);
  REQUIRE(t.s.when(sql_query(t.querier_mid), ctx).ok());
  return ctx.fresh_id;
}

co::finish_query finished(const std::string& id, query_status st = query_status::success) {
  co::finish_query f;
  f.query_id = id;
  f.status = st;
  f.duration_ms = 42;
  if (st == query_status::success) {
    f.result_location = "s3://results-bucket/daily/" + id + "/result.csv";
    f.result_rows = 3;
  } else {
    f.error_code = "EXECUTION_ERROR";
    f.error_message = "no such column: x";
  }
  return f;
}

query_status status_of(const three_joined& t, const std::string& id) {
  return t.s.state.queries.at(id).status;
}

}  // namespace

SCENARIO("StartProtectedQuery checks the caller, the SQL source, the payer and the destination") {
  GIVEN("a collaboration whose three members joined; the querier can query and receive") {
    auto t = joined();
    WHEN("the membership is unknown or another account's") {
      THEN_REJECTED(t.s.when(sql_query(unknown_id), querier), error_kind::not_found, "",
                    "MEMBERSHIP", unknown_id);
      THEN_REJECTED(t.s.when(sql_query(t.provider_mid), querier), error_kind::not_found, "",
                    "MEMBERSHIP");
    }
    WHEN("a member without CAN_QUERY starts a query") {
      THEN_REJECTED(t.s.when(sql_query(t.provider_mid), provider), error_kind::access_denied,
                    "INSUFFICIENT_PERMISSIONS", "", "CAN_QUERY");
    }
    WHEN("the SQL source is ambiguous or missing") {
      auto both = sql_query(t.querier_mid);
      both.sql.analysis_template_arn = "arn:aws:cleanrooms:us-east-1:222222222222:membership/" +
                                       t.querier_mid + "/analysistemplate/" + unknown_id;
      THEN_REJECTED(t.s.when(both, querier), error_kind::validation, "INVALID_CONFIGURATION", "",
                    "exactly one");
      auto none = sql_query(t.querier_mid);
      none.sql.query_string.reset();
      THEN_REJECTED(t.s.when(none, querier), error_kind::validation, "INVALID_CONFIGURATION", "",
                    "exactly one");
      auto params = sql_query(t.querier_mid);
      params.sql.parameters = std::map<std::string, std::string>{{"x", "1"}};
      THEN_REJECTED(t.s.when(params, querier), error_kind::validation, "INVALID_CONFIGURATION", "",
                    "analysisTemplateArn");
    }
    WHEN("the template ARN names no template of this collaboration") {
      auto c = sql_query(t.querier_mid);
      c.sql.query_string.reset();
      c.sql.analysis_template_arn = "arn:aws:cleanrooms:us-east-1:222222222222:membership/" +
                                    t.querier_mid + "/analysistemplate/" + unknown_id;
      THEN_REJECTED(t.s.when(c, querier), error_kind::not_found, "", "MEMBERSHIP", unknown_id);
    }
    WHEN("the analysis rules refused the SQL (the verdict computed outside)") {
      auto c = sql_query(t.querier_mid);
      c.rule_violation = "AGGREGATION rule of table 'purchases' does not allow column 'email'";
      THEN_REJECTED(t.s.when(c, querier), error_kind::validation, "INVALID_QUERY", "", "'email'");
      THEN("nothing was recorded") {
        CHECK(t.s.state.queries.empty());
      }
    }
    WHEN("the querier, who can receive results, gives no destination and has no default") {
      THEN_REJECTED(t.s.when(sql_query(t.querier_mid, std::nullopt), querier),
                    error_kind::validation, "INVALID_CONFIGURATION", "",
                    "defaultResultConfiguration");
    }
    WHEN("the output asks for PARQUET, which the local engine does not write") {
      THEN_REJECTED(
          t.s.when(sql_query(t.querier_mid, s3_output("b1", result_format::parquet)), querier),
          error_kind::validation, "INVALID_CONFIGURATION", "", "PARQUET", "CSV");
    }
    WHEN("the key prefix would climb out of the results directory") {
      auto out = s3_output();
      std::get<query_s3_output>(out.locations[0]).key_prefix = "a/../../etc";
      THEN_REJECTED(t.s.when(sql_query(t.querier_mid, out), querier), error_kind::validation,
                    "INVALID_CONFIGURATION", "", "'..'");
      std::get<query_s3_output>(out.locations[0]).key_prefix = "a..b/.../c";
      CHECK(t.s.when(sql_query(t.querier_mid, out), querier).ok());
    }
    WHEN("a member output names an account that cannot receive results") {
      THEN_REJECTED(t.s.when(sql_query(t.querier_mid, member_output(provider)), querier),
                    error_kind::validation, "INVALID_CONFIGURATION", "", provider);
    }
    WHEN("distribute is asked of a collaboration without the SPARK engine") {
      auto out = s3_output();
      out.distribute = true;
      THEN_REJECTED(t.s.when(sql_query(t.querier_mid, out), querier), error_kind::validation,
                    "INVALID_CONFIGURATION", "", "SPARK");
    }
    WHEN("the query is valid with an S3 output") {
      auto ctx = t.s.as(querier);
      auto d = t.s.when(sql_query(t.querier_mid), ctx);
      THEN("QueryStarted records it SUBMITTED, the querier receiving the results") {
        REQUIRE(d.ok());
        const auto* e = find_event<events::query_started>(d.value());
        REQUIRE(e);
        CHECK(e->query_id == ctx.fresh_id);
        CHECK(e->membership_id == t.querier_mid);
        CHECK(e->receivers == std::vector<account_id>{querier});
        CHECK(e->receiver_memberships == std::vector<std::string>{t.querier_mid});
        CHECK(status_of(t, ctx.fresh_id) == query_status::submitted);
      }
    }
    WHEN("a member output names the creator, who can receive results") {
      auto d = t.s.when(sql_query(t.querier_mid, member_output(creator)), querier);
      THEN("the creator is the receiver") {
        REQUIRE(d.ok());
        const auto* e = find_event<events::query_started>(d.value());
        CHECK(e->receivers == std::vector<account_id>{creator});
        CHECK(e->receiver_memberships == std::vector<std::string>{t.creator_mid});
      }
    }
  }
  GIVEN("a querier with a default result configuration") {
    auto t = joined();
    co::update_membership u;
    u.membership_id = t.querier_mid;
    u.default_result =
        query_result_config{result_format::csv, "defaults", std::string("p/"), {}, {}};
    REQUIRE(t.s.when(u, querier).ok());
    WHEN("the query names no destination") {
      auto d = t.s.when(sql_query(t.querier_mid, std::nullopt), querier);
      THEN("the membership's default is the effective output") {
        REQUIRE(d.ok());
        const auto* e = find_event<events::query_started>(d.value());
        REQUIRE(e->output);
        const auto& s3 = std::get<query_s3_output>(e->output->locations.at(0));
        CHECK(s3.bucket == "defaults");
        CHECK(s3.key_prefix == std::optional<std::string>("p/"));
      }
    }
  }
}

SCENARIO("At most five queries of a membership run at once") {
  GIVEN("five unfinished queries") {
    auto t = joined();
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(started(t));
    WHEN("a sixth is started") {
      auto d = t.s.when(sql_query(t.querier_mid), querier);
      THEN("the quota refuses it") {
        REQUIRE_FALSE(d.ok());
        CHECK(d.error().kind == error_kind::quota_exceeded);
        CHECK(d.error().quota_name == "Concurrent ongoing queries per membership");
        CHECK(d.error().quota_value == 5.0);
      }
    }
    WHEN("one of them finishes") {
      REQUIRE(t.s.when(co::begin_query{ids[0]}, querier).ok());
      REQUIRE(t.s.when(finished(ids[0]), querier).ok());
      THEN("another may start") {
        CHECK(t.s.when(sql_query(t.querier_mid), querier).ok());
      }
    }
  }
}

SCENARIO("The runner's reports become the status events of SPEC.md 16.3") {
  GIVEN("a submitted query") {
    auto t = joined();
    const auto id = started(t);
    WHEN("the runner picks it up, twice (the second time after a restart)") {
      auto first = t.s.when(co::begin_query{id}, querier);
      auto second = t.s.when(co::begin_query{id}, querier);
      THEN("QueryRunning is recorded once") {
        REQUIRE(first.ok());
        CHECK(find_event<events::query_running>(first.value()));
        THEN_NOTHING_HAPPENS(second);
        CHECK(status_of(t, id) == query_status::started);
      }
    }
    WHEN("it succeeds") {
      REQUIRE(t.s.when(co::begin_query{id}, querier).ok());
      auto d = t.s.when(finished(id), querier);
      THEN("QueryCompleted carries the location, rows and duration; a second report conflicts") {
        REQUIRE(d.ok());
        const auto* e = find_event<events::query_completed>(d.value());
        REQUIRE(e);
        CHECK(e->status == query_status::success);
        CHECK(e->result_location == "s3://results-bucket/daily/" + id + "/result.csv");
        CHECK(e->result_rows == 3);
        CHECK(e->duration_ms == 42);
        CHECK_FALSE(e->error_code);
        THEN_REJECTED(t.s.when(finished(id), querier), error_kind::conflict, "INVALID_STATE",
                      "MEMBERSHIP", "SUCCESS");
        THEN_REJECTED(t.s.when(co::cancel_query{t.querier_mid, id}, querier), error_kind::conflict,
                      "INVALID_STATE", "MEMBERSHIP", "no longer");
      }
    }
    WHEN("it fails") {
      REQUIRE(t.s.when(co::begin_query{id}, querier).ok());
      auto d = t.s.when(finished(id, query_status::failed), querier);
      THEN("the error is recorded and no location") {
        REQUIRE(d.ok());
        const auto& q = t.s.state.queries.at(id);
        CHECK(q.status == query_status::failed);
        CHECK(q.error_code == std::optional<std::string>("EXECUTION_ERROR"));
        CHECK_FALSE(q.result_location);
      }
    }
    WHEN("a report names an unknown query or a non-terminal status") {
      THEN_REJECTED(t.s.when(co::begin_query{unknown_id}, querier), error_kind::not_found, "",
                    "MEMBERSHIP", unknown_id);
      auto bad = finished(id);
      bad.status = query_status::started;
      CHECK(t.s.when(bad, querier).error().kind == error_kind::internal);
    }
  }
}

SCENARIO("UpdateProtectedQuery cancels: at once before start, through CANCELLING after") {
  GIVEN("a submitted query") {
    auto t = joined();
    const auto id = started(t);
    WHEN("another membership tries to cancel it") {
      THEN_REJECTED(t.s.when(co::cancel_query{t.creator_mid, id}, creator), error_kind::not_found,
                    "", "MEMBERSHIP", id);
    }
    WHEN("the querier cancels it before the runner picked it up") {
      auto d = t.s.when(co::cancel_query{t.querier_mid, id}, querier);
      THEN("it is CANCELLED at once, and the runner's pick-up is refused") {
        REQUIRE(d.ok());
        CHECK(status_of(t, id) == query_status::cancelled);
        CHECK_FALSE(t.s.when(co::begin_query{id}, querier).ok());
        THEN_NOTHING_HAPPENS(t.s.when(co::cancel_query{t.querier_mid, id}, querier));
      }
    }
    WHEN("the querier cancels it while it runs") {
      REQUIRE(t.s.when(co::begin_query{id}, querier).ok());
      auto d = t.s.when(co::cancel_query{t.querier_mid, id}, querier);
      THEN("it is CANCELLING until the runner reports, whatever the engine did") {
        REQUIRE(d.ok());
        CHECK(find_event<events::query_cancel_requested>(d.value()));
        CHECK(status_of(t, id) == query_status::cancelling);
        THEN_NOTHING_HAPPENS(t.s.when(co::cancel_query{t.querier_mid, id}, querier));
        REQUIRE(t.s.when(finished(id), querier).ok());
        CHECK(status_of(t, id) == query_status::cancelled);
        CHECK_FALSE(t.s.state.queries.at(id).result_location);
      }
    }
    WHEN("a restart picks up a query that was CANCELLING") {
      REQUIRE(t.s.when(co::begin_query{id}, querier).ok());
      REQUIRE(t.s.when(co::cancel_query{t.querier_mid, id}, querier).ok());
      auto d = t.s.when(co::begin_query{id}, querier);
      THEN("it is completed as CANCELLED instead of running") {
        REQUIRE(d.ok());
        CHECK(status_of(t, id) == query_status::cancelled);
      }
    }
  }
}

SCENARIO("Unfinished queries are cancelled by the cascades, and block leaving") {
  GIVEN("a submitted and a running query") {
    auto t = joined();
    const auto a = started(t);
    const auto b = started(t);
    REQUIRE(t.s.when(co::begin_query{b}, querier).ok());
    WHEN("the creator deletes the collaboration") {
      REQUIRE(t.s.when(co::delete_collaboration{}, creator).ok());
      THEN("both are CANCELLED") {
        CHECK(status_of(t, a) == query_status::cancelled);
        CHECK(status_of(t, b) == query_status::cancelled);
      }
    }
    WHEN("the creator removes the querier") {
      REQUIRE(t.s.when(co::delete_member{querier}, creator).ok());
      THEN("both are CANCELLED") {
        CHECK(status_of(t, a) == query_status::cancelled);
        CHECK(status_of(t, b) == query_status::cancelled);
      }
    }
    WHEN("the querier tries to leave") {
      auto d = t.s.when(co::delete_membership{t.querier_mid}, querier);
      THEN("running queries block it (SPEC.md 7) and nothing changes") {
        THEN_REJECTED(d, error_kind::conflict, "INVALID_STATE", "MEMBERSHIP", "protected query");
        CHECK(d.error().resource_id == t.querier_mid);
        CHECK(t.s.state.membership(t.querier_mid));
        CHECK(status_of(t, a) == query_status::submitted);
        CHECK(status_of(t, b) == query_status::started);
      }
      AND_WHEN("one is cancelled and the other is CANCELLING") {
        REQUIRE(t.s.when(co::cancel_query{t.querier_mid, a}, querier).ok());
        REQUIRE(t.s.when(co::cancel_query{t.querier_mid, b}, querier).ok());
        REQUIRE(status_of(t, b) == query_status::cancelling);
        THEN("the CANCELLING one still blocks until the engine acknowledges") {
          THEN_REJECTED(t.s.when(co::delete_membership{t.querier_mid}, querier),
                        error_kind::conflict, "INVALID_STATE", "MEMBERSHIP", b, "CANCELLING");
          REQUIRE(t.s.when(finished(b), querier).ok());
          auto leave = t.s.when(co::delete_membership{t.querier_mid}, querier);
          REQUIRE(leave.ok());
          CHECK_FALSE(t.s.state.membership(t.querier_mid));
          CHECK(status_of(t, a) == query_status::cancelled);
          CHECK(status_of(t, b) == query_status::cancelled);
        }
      }
      AND_WHEN("both finish") {
        REQUIRE(t.s.when(co::cancel_query{t.querier_mid, a}, querier).ok());
        REQUIRE(t.s.when(finished(b), querier).ok());
        THEN("finished queries are history and do not block") {
          REQUIRE(t.s.when(co::delete_membership{t.querier_mid}, querier).ok());
          CHECK(status_of(t, b) == query_status::success);
        }
      }
    }
    WHEN("a finished query meets a cascade") {
      REQUIRE(t.s.when(finished(b), querier).ok());
      REQUIRE(t.s.when(co::delete_collaboration{}, creator).ok());
      THEN("it keeps its status") {
        CHECK(status_of(t, b) == query_status::success);
      }
    }
  }
}
