// The association protocol through the real registry, journal and store (SPEC.md 10, DESIGN.md
// "Aggregates"): the table's actor checks and holds the table, the collaboration decides, the
// hold is released; an associated table refuses deletion until its association is gone; a held
// table refuses deletion while the association is being decided.
#include <atomic>
#include <thread>

#include "actors/configured_table/state.hpp"
#include "hosts/registry_fixture.hpp"
#include "projections/keys.hpp"

using namespace crs;
using namespace crs::testing;
namespace keys = crs::projections::keys;

namespace {

constexpr const char* table_id = "7a7a7a7a-0000-4000-8000-0000000000aa";

struct host_fixture : registry_fixture {
  std::string provider_membership;
  using registry_fixture::registry_fixture;

  command_result associate(const std::string& who, const std::string& membership,
                           const std::string& name) {
    collaboration::create_association c;
    c.membership_id = membership;
    c.configured_table_id = table_id;
    c.name = name;
    c.role_arn = "arn:aws:iam::" + who + ":role/reader";
    waiter w;
    reg->associate(table_id, cid, std::move(c), clock.as(who), w.fn());
    return w.wait();
  }
  // A collaboration where `provider` joined, and a configured table `provider` owns.
  void given_a_joined_provider_with_a_table() {
    auto ctx = clock.as(creator);
    ctx.fresh_id = cid;
    REQUIRE(send(cid, standard_create(), ctx).ok());
    auto join = clock.as(provider);
    provider_membership = join.fresh_id;
    REQUIRE(send(cid, join_cmd(), join).ok());
    configured_table::create_configured_table t;
    t.name = "orders";
    t.reference = glue_table_reference{std::nullopt, "sales", "orders"};
    t.allowed_columns = {"customer_id", "amount"};
    auto tctx = clock.as(provider);
    tctx.fresh_id = table_id;
    REQUIRE(send(table_id, t, tctx).ok());
  }
};

}  // namespace

SCENARIO("an associated configured table cannot be deleted until its association is", "[hosts]") {
  host_fixture f;
  GIVEN("a provider that joined and owns a configured table") {
    f.given_a_joined_provider_with_a_table();
    WHEN("it associates the table") {
      auto r = f.associate(provider, f.provider_membership, "Orders");
      REQUIRE(r.ok());
      CHECK_THAT(r.value(), Catch::Contains("\"configuredTableAssociation\""));
      THEN("deleting the table is a conflict, and deleting the association frees it") {
        auto del =
            f.send(table_id, configured_table::delete_configured_table{}, f.clock.as(provider));
        REQUIRE_FALSE(del.ok());
        CHECK(del.error().kind == error_kind::conflict);
        CHECK(del.error().reason == "SUBRESOURCES_EXIST");
        CHECK(f.store->get_view(keys::configured_table("us-east-1", table_id)).has_value());

        const auto body = r.value();
        const auto at = body.find("\"id\":\"") + 6;
        const auto association_id = body.substr(at, 36);
        REQUIRE(f.send(cid,
                       collaboration::delete_association{f.provider_membership, association_id},
                       f.clock.as(provider))
                    .ok());
        auto again =
            f.send(table_id, configured_table::delete_configured_table{}, f.clock.as(provider));
        CHECK(again.ok());
        CHECK_FALSE(f.store->get_view(keys::configured_table("us-east-1", table_id)).has_value());
      }
    }
    WHEN("another account tries to associate the provider's table") {
      auto querier_join = f.clock.as(querier);
      const auto querier_membership = querier_join.fresh_id;
      REQUIRE(f.send(cid, join_cmd(), querier_join).ok());
      auto r = f.associate(querier, querier_membership, "Stolen");
      THEN("the table is not found and nothing is recorded") {
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().kind == error_kind::not_found);
        CHECK(r.error().resource_type == "CONFIGURED_TABLE");
        CHECK_FALSE(f.store->get_view(keys::schema(cid, "Stolen")).has_value());
      }
    }
    WHEN("the collaboration refuses the association (a taken name)") {
      REQUIRE(f.associate(provider, f.provider_membership, "Orders").ok());
      auto r = f.associate(provider, f.provider_membership, "ORDERS");
      THEN("the refusal is the collaboration's and the hold is released") {
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().kind == error_kind::conflict);
        CHECK(r.error().reason == "ALREADY_EXISTS");
        // Released: the table's own answer is about its association, not a pending one.
        auto del =
            f.send(table_id, configured_table::delete_configured_table{}, f.clock.as(provider));
        REQUIRE_FALSE(del.ok());
        CHECK(del.error().reason == "SUBRESOURCES_EXIST");
      }
    }
  }
}

SCENARIO("a table held by an association in progress refuses deletion", "[hosts]") {
  host_fixture f;
  GIVEN("a table whose association check was granted and not yet released") {
    f.given_a_joined_provider_with_a_table();
    REQUIRE(f.send(table_id, configured_table::check_association{}, f.clock.as(provider)).ok());
    WHEN("its owner deletes it") {
      auto del =
          f.send(table_id, configured_table::delete_configured_table{}, f.clock.as(provider));
      THEN("the answer is a conflict on the in-flight association") {
        REQUIRE_FALSE(del.ok());
        CHECK(del.error().kind == error_kind::conflict);
        CHECK(del.error().reason == "SUBRESOURCES_EXIST");
        CHECK(f.store->get_view(keys::configured_table("us-east-1", table_id)).has_value());
      }
    }
  }
}

SCENARIO("the configured table actor asks the catalog port before deciding", "[hosts]") {
  registry_options opts;
  std::atomic<int> asked{0};
  opts.catalog = [&](const table_reference& ref) {
    ++asked;
    configured_table::catalog_facts facts;
    const auto* glue = std::get_if<glue_table_reference>(&ref);
    facts.found = glue && glue->table_name == "orders";
    if (facts.found) facts.columns = {"customer_id", "amount", "email"};
    return facts;
  };
  host_fixture f(std::move(opts));
  GIVEN("a catalog with sales.orders(customer_id, amount, email)") {
    configured_table::create_configured_table t;
    t.name = "orders";
    t.reference = glue_table_reference{std::nullopt, "sales", "orders"};
    WHEN("a table allows a column the catalog table lacks") {
      t.allowed_columns = {"customer_id", "phone"};
      auto r = f.send(table_id, t, f.clock.as(provider));
      THEN("it is a ValidationException naming the column, and nothing is written") {
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().kind == error_kind::validation);
        CHECK_THAT(r.error().message, Catch::Contains("phone"));
        CHECK(asked == 1);
        CHECK(f.store->head_version(configured_table::stream_id(table_id)) == 0);
      }
    }
    WHEN("every allowed column is in the catalog table") {
      t.allowed_columns = {"customer_id", "email"};
      auto ctx = f.clock.as(provider);
      ctx.fresh_id = table_id;
      auto r = f.send(table_id, t, ctx);
      THEN("the table is created") {
        REQUIRE(r.ok());
        CHECK(f.store->head_version(configured_table::stream_id(table_id)) == 1);
      }
    }
  }
}

SCENARIO("a table actor retiring under a collaboration's id leaves the collaboration alone",
         "[hosts]") {
  host_fixture f;
  GIVEN("a collaboration with a joined member") {
    f.given_a_joined_provider_with_a_table();
    WHEN("a configured-table command names the collaboration's id (no such table)") {
      const auto resident = f.reg->resident();
      auto r = f.send(cid, configured_table::check_association{}, f.clock.as(provider));
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().kind == error_kind::not_found);
      // The table actor retired; the collaboration's actor is still the registered one. (A
      // retirement used to drop both kinds' slots, leaving two writers for one stream.)
      for (int i = 0; i < 100 && f.reg->resident() != resident; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      CHECK(f.reg->resident() == resident);
      THEN("the collaboration keeps its one actor: later writes succeed, none conflict") {
        for (int i = 0; i < 20; ++i) {
          auto u = f.send(cid, collaboration::update_collaboration{"n" + std::to_string(i), {}, {}},
                          f.clock.as(creator));
          INFO((u.ok() ? std::string() : u.error().message));
          REQUIRE(u.ok());
        }
      }
    }
  }
}

SCENARIO("commands racing a retiring actor are answered by a live one", "[hosts]") {
  host_fixture f;
  GIVEN("an id no table has") {
    const std::string unknown = "7a7a7a7a-0000-4000-8000-0000000000ff";
    WHEN("several threads ask about it at once") {
      std::atomic<int> not_found{0}, other{0};
      std::vector<std::thread> threads;
      for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
          for (int i = 0; i < 100; ++i) {
            decide_context ctx;  // built here: the fixture's scenario is not thread-safe
            ctx.caller = provider;
            ctx.region = "us-east-1";
            ctx.now = 1'700'000'000'000;
            auto r = f.send(unknown, configured_table::check_association{}, ctx);
            if (!r.ok() && r.error().kind == error_kind::not_found)
              ++not_found;
            else
              ++other;
          }
        });
      for (auto& t : threads) t.join();
      THEN("every answer is the table's 404, never a dropped command") {
        CHECK(other == 0);
        CHECK(not_found == 400);
      }
    }
  }
}

SCENARIO("in strict mode a table's analysis rule is not deleted while a query reads the table",
         "[hosts]") {
  // SPEC.md 9 strict mode and Q22: the collaboration's query rows (x/qa/) reach the table's
  // actor through the projections, as the association rows (x/ct/) do for DeleteConfiguredTable.
  const bool strict = GENERATE(true, false);
  CAPTURE(strict);
  registry_options opts;
  opts.strict_rule_deletion = strict;
  host_fixture f(opts);
  GIVEN("the provider's table with a LIST rule, associated as Orders; the querier joined") {
    f.given_a_joined_provider_with_a_table();
    list_rule rule;
    rule.join_columns = {"customer_id"};
    rule.list_columns = {"amount"};
    REQUIRE(f.send(table_id,
                   configured_table::create_analysis_rule{analysis_rule_type::list, rule, 64},
                   f.clock.as(provider))
                .ok());
    REQUIRE(f.associate(provider, f.provider_membership, "Orders").ok());
    auto join = f.clock.as(querier);
    const auto querier_membership = join.fresh_id;
    REQUIRE(f.send(cid, join_cmd(), join).ok());
    WHEN("the querier starts a query that reads orders") {
      collaboration::start_query q;
      q.membership_id = querier_membership;
      q.sql.query_string = "SELECT amount FROM orders";
      q.output = query_output{false, {query_s3_output{result_format::csv, "results", {}, {}}}};
      q.schemas = {"orders"};
      auto qctx = f.clock.as(querier);
      REQUIRE(f.send(cid, q, qctx).ok());
      const configured_table::delete_analysis_rule del{analysis_rule_type::list};
      if (strict) {
        THEN("the rule cannot be deleted until the query has finished") {
          auto refused = f.send(table_id, del, f.clock.as(provider));
          REQUIRE_FALSE(refused.ok());
          CHECK(refused.error().kind == error_kind::conflict);
          CHECK(refused.error().reason == "INVALID_STATE");
          REQUIRE(f.send(cid, collaboration::cancel_query{querier_membership, qctx.fresh_id},
                         f.clock.as(querier))
                      .ok());
          CHECK(f.send(table_id, del, f.clock.as(provider)).ok());
        }
      } else {
        THEN("by default the query holds nothing up (SPEC.md 9)") {
          CHECK(f.send(table_id, del, f.clock.as(provider)).ok());
        }
      }
    }
  }
}
