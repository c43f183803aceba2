// CreateMembership, UpdateMembership, DeleteMembership, tags (SPEC.md 7, 15, 19.3).
#include "given_when_then.hpp"

using namespace crs;
using namespace crs::testing;

SCENARIO("invited members join by creating a membership") {
  GIVEN("a created collaboration") {
    auto s = created();
    WHEN("the querier joins without a payment configuration") {
      auto ctx = s.as(querier);
      auto d = s.when(join_cmd(), ctx);
      THEN("the membership exists, the member is ACTIVE and it accepted paying for queries") {
        REQUIRE(d.ok());
        const auto* m = find_event<events::membership_created>(d.value());
        REQUIRE(m);
        CHECK(m->membership_id == ctx.fresh_id);
        CHECK(m->payment.at(payment_dimension::query_compute) == true);
        const auto* accepted = find_event<events::payment_assigned>(d.value());
        REQUIRE(accepted);
        CHECK(accepted->accepted);
        CHECK(s.state.member(querier)->status == member_status::active);
        CHECK(s.state.member(querier)->membership_id == ctx.fresh_id);
        CHECK(s.state.payers[0]->accepted);
      }
      THEN("joining twice is a conflict naming the existing membership") {
        auto again = s.when(join_cmd(), querier);
        THEN_ERROR(again, error_kind::conflict, "ALREADY_EXISTS");
        CHECK(again.error().resource_id == ctx.fresh_id);
        CHECK(again.error().resource_type == "MEMBERSHIP");
      }
    }
    WHEN("the provider joins") {
      auto d = s.when(join_cmd(), provider);
      THEN("it pays for nothing") {
        REQUIRE(d.ok());
        const auto* m = find_event<events::membership_created>(d.value());
        CHECK(m->payment.at(payment_dimension::query_compute) == false);
        CHECK(count_events<events::payment_assigned>(d.value()) == 0);
      }
    }
    THEN("an outsider is denied") {
      THEN_ERROR(s.when(join_cmd(), outsider), error_kind::access_denied,
                 "INSUFFICIENT_PERMISSIONS");
    }
  }
}

TEST_CASE("CreateMembership applies the acceptance rules of SPEC.md 19.3") {
  scenario s;
  auto cmd = standard_create();
  cmd.members[0].payment = pays_query(false);
  cmd.members[1].payment = pays_query(true);  // the provider pays, without CAN_QUERY
  auto ctx = s.as(creator);
  ctx.fresh_id = cid;
  REQUIRE(s.when(cmd, ctx).ok());

  SECTION("a non-querier payer must accept explicitly") {
    THEN_ERROR(s.when(join_cmd(), provider), error_kind::validation, "INVALID_CONFIGURATION");
    auto join = join_cmd();
    join.payment = pays_query(true);
    REQUIRE(s.when(join, provider).ok());
  }
  SECTION("declining an assigned responsibility is rejected") {
    auto join = join_cmd();
    join.payment = pays_query(false);
    THEN_ERROR(s.when(join, provider), error_kind::validation, "INVALID_CONFIGURATION");
  }
  SECTION("claiming a responsibility that was not assigned is rejected") {
    auto join = join_cmd();
    join.payment = pays_query(true);
    THEN_ERROR(s.when(join, querier), error_kind::validation, "INVALID_CONFIGURATION");
  }
}

TEST_CASE("CreateMembership checks settings against the member and the collaboration") {
  auto s = created();
  SECTION("a default result configuration needs CAN_RECEIVE_RESULTS") {
    auto join = join_cmd();
    join.default_result = query_result_config{result_format::csv, "bucket", {}, {}, {}};
    THEN_ERROR(s.when(join, provider), error_kind::validation, "INVALID_CONFIGURATION");
    REQUIRE(s.when(join, querier).ok());
    CHECK(s.state.memberships.begin()->second.default_result->bucket == "bucket");
  }
  SECTION("singleFileOutput needs the SPARK engine") {
    auto join = join_cmd();
    join.default_result = query_result_config{result_format::csv, "bucket", {}, true, {}};
    THEN_ERROR(s.when(join, querier), error_kind::validation, "INVALID_CONFIGURATION");
  }
  SECTION("job logging cannot be enabled when the collaboration has none") {
    auto join = join_cmd();
    join.job_log = log_status::enabled;
    THEN_ERROR(s.when(join, querier), error_kind::validation, "INVALID_CONFIGURATION");
  }
  SECTION("metrics need the collaboration's metrics") {
    auto join = join_cmd();
    join.metrics_enabled = true;
    THEN_ERROR(s.when(join, querier), error_kind::validation, "INVALID_CONFIGURATION");
  }
  SECTION("the memberships quota") {
    auto ctx = s.as(querier);
    ctx.caller_memberships = 100;
    auto d = s.when(join_cmd(), ctx);
    THEN_ERROR(d, error_kind::quota_exceeded, "");
    CHECK(d.error().quota_name == "Memberships per account");
  }
}

SCENARIO("members update and leave through their memberships") {
  GIVEN("the querier and the creator joined") {
    auto s = created();
    auto qctx = s.as(querier);
    REQUIRE(s.when(join_cmd(), qctx).ok());
    auto cctx = s.as(creator);
    REQUIRE(s.when(join_cmd(), cctx).ok());
    const auto qid = qctx.fresh_id;
    const auto cmid = cctx.fresh_id;

    WHEN("the querier enables query logging") {
      collaboration::update_membership u;
      u.membership_id = qid;
      u.query_log = log_status::enabled;
      auto d = s.when(u, querier);
      THEN("MembershipUpdated carries only that") {
        REQUIRE(d.ok());
        CHECK(s.state.membership(qid)->query_log == log_status::enabled);
      }
    }
    THEN("another account's membership is not found") {
      collaboration::update_membership u;
      u.membership_id = qid;
      u.query_log = log_status::enabled;
      auto d = s.when(u, creator);
      THEN_ERROR(d, error_kind::not_found, "");
      CHECK(d.error().resource_type == "MEMBERSHIP");
      THEN_ERROR(s.when(collaboration::delete_membership{qid}, provider), error_kind::not_found,
                 "");
    }
    WHEN("the querier leaves") {
      auto d = s.when(collaboration::delete_membership{qid}, querier);
      THEN("the membership is gone and the member LEFT for good") {
        REQUIRE(d.ok());
        CHECK(count_events<events::membership_deleted>(d.value()) == 1);
        CHECK(count_events<events::member_left>(d.value()) == 1);
        CHECK_FALSE(s.state.membership(qid));
        CHECK(s.state.member(querier)->status == member_status::left);
        CHECK_FALSE(s.state.member(querier)->membership_id);
        THEN_ERROR(s.when(join_cmd(), querier), error_kind::access_denied,
                   "INSUFFICIENT_PERMISSIONS");
      }
    }
    THEN("the creator cannot leave a live collaboration") {
      THEN_ERROR(s.when(collaboration::delete_membership{cmid}, creator), error_kind::conflict,
                 "INVALID_STATE");
    }
    WHEN("the collaboration is deleted") {
      REQUIRE(s.when(collaboration::delete_collaboration{}, creator).ok());
      THEN("memberships are read-only but deletable, and deleting one leaves no LEFT record") {
        collaboration::update_membership u;
        u.membership_id = qid;
        u.query_log = log_status::enabled;
        THEN_ERROR(s.when(u, querier), error_kind::access_denied, "INSUFFICIENT_PERMISSIONS");
        auto d = s.when(collaboration::delete_membership{cmid}, creator);
        REQUIRE(d.ok());
        CHECK(d.value().size() == 1);
        CHECK(s.state.member(creator)->status == member_status::active);
      }
    }
    WHEN("the querier is removed") {
      REQUIRE(s.when(collaboration::delete_member{querier}, creator).ok());
      THEN("its REMOVED membership can still be deleted, without a LEFT record") {
        auto d = s.when(collaboration::delete_membership{qid}, querier);
        REQUIRE(d.ok());
        CHECK(count_events<events::member_left>(d.value()) == 0);
        CHECK(s.state.member(querier)->status == member_status::removed);
      }
    }
  }
}

SCENARIO("tags belong to the account that owns the resource") {
  GIVEN("a collaboration the querier joined") {
    auto s = created();
    auto qctx = s.as(querier);
    REQUIRE(s.when(join_cmd(), qctx).ok());
    const auto collab_arn = collaboration::collaboration_arn(s.state);
    const auto ms_arn = collaboration::membership_arn(*s.state.membership(qctx.fresh_id));
    WHEN("the creator tags the collaboration and the querier its membership") {
      REQUIRE(
          s.when(collaboration::tag_resource{collab_arn, {{"a", "1"}, {"b", "2"}}}, creator).ok());
      REQUIRE(s.when(collaboration::tag_resource{ms_arn, {{"m", "x"}}}, querier).ok());
      THEN("each sees its own tags") {
        CHECK(s.state.tags.at(collab_arn).size() == 2);
        CHECK(s.state.tags.at(ms_arn).at("m") == "x");
      }
      THEN("untagging drops present keys and ignores missing ones") {
        auto d = s.when(collaboration::untag_resource{collab_arn, {"a", "zzz"}}, creator);
        REQUIRE(d.ok());
        CHECK(std::get<events::tags_changed>(d.value()[0]).removed ==
              std::vector<std::string>{"a"});
        auto none = s.when(collaboration::untag_resource{collab_arn, {"zzz"}}, creator);
        REQUIRE(none.ok());
        CHECK(none.value().empty());
      }
    }
    THEN("other accounts get not-found") {
      THEN_ERROR(s.when(collaboration::tag_resource{collab_arn, {{"a", "1"}}}, querier),
                 error_kind::not_found, "");
      THEN_ERROR(s.when(collaboration::tag_resource{ms_arn, {{"a", "1"}}}, creator),
                 error_kind::not_found, "");
    }
    THEN("more than 200 tags are rejected") {
      tag_map many;
      for (int i = 0; i < 201; ++i) many["k" + std::to_string(i)] = "v";
      THEN_ERROR(s.when(collaboration::tag_resource{collab_arn, many}, creator),
                 error_kind::validation, "FIELD_VALIDATION_FAILED");
    }
    WHEN("the collaboration is deleted") {
      REQUIRE(s.when(collaboration::delete_collaboration{}, creator).ok());
      THEN("its tags are unreachable") {
        THEN_ERROR(s.when(collaboration::tag_resource{collab_arn, {{"a", "1"}}}, creator),
                   error_kind::not_found, "");
      }
    }
  }
}

TEST_CASE("resources are regional: another region sees nothing") {
  auto s = created();  // in us-east-1
  auto elsewhere = [&](const std::string& account) {
    auto ctx = s.as(account);
    ctx.region = "eu-west-1";
    return ctx;
  };
  THEN_ERROR(s.when(join_cmd(), elsewhere(querier)), error_kind::access_denied,
             "INSUFFICIENT_PERMISSIONS");
  THEN_ERROR(s.when(collaboration::update_collaboration{"x", {}, {}}, elsewhere(creator)),
             error_kind::access_denied, "INSUFFICIENT_PERMISSIONS");
  THEN_ERROR(s.when(collaboration::delete_collaboration{}, elsewhere(creator)),
             error_kind::access_denied, "INSUFFICIENT_PERMISSIONS");
  auto qctx = s.as(querier);
  REQUIRE(s.when(join_cmd(), qctx).ok());
  collaboration::update_membership u;
  u.membership_id = qctx.fresh_id;
  u.query_log = log_status::enabled;
  THEN_ERROR(s.when(u, elsewhere(querier)), error_kind::not_found, "");
  THEN_ERROR(s.when(collaboration::delete_membership{qctx.fresh_id}, elsewhere(querier)),
             error_kind::not_found, "");
  CHECK(s.state.member(querier)->status == member_status::active);
}

TEST_CASE("events that do not fit the state are named, not folded silently") {
  auto s = created();
  using collaboration::why_not_applicable;
  CHECK(why_not_applicable(s.state, events::collaboration_created{}));
  CHECK(why_not_applicable(s.state, events::member_invited{spec(querier, {})}));
  CHECK(why_not_applicable(s.state, events::member_left{querier}));  // only INVITED so far
  CHECK(why_not_applicable(s.state, events::membership_updated{"nope", {}, {}, {}, {}}));
  CHECK(why_not_applicable(s.state, events::tags_changed{"arn:unknown", {}, {}}));
  CHECK_FALSE(why_not_applicable(s.state, events::member_removed{provider}));
  REQUIRE(s.when(collaboration::delete_collaboration{}, creator).ok());
  CHECK(why_not_applicable(s.state, events::collaboration_updated{}));
  CHECK(why_not_applicable(s.state, events::collaboration_deleted{}));
}

TEST_CASE("an ML payer without ML abilities must accept explicitly (SPEC.md 19.3)") {
  scenario s;
  auto cmd = standard_create();
  cmd.members[1].ml_abilities = std::vector<ml_ability>{ml_ability::can_receive_model_output};
  auto ctx = s.as(creator);
  ctx.fresh_id = cid;
  REQUIRE(s.when(cmd, ctx).ok());
  // ML is in use, so the querier (who has no ML ability) is the default ML payer.
  REQUIRE(s.state.payers[static_cast<int>(payment_dimension::model_training)]);
  THEN_ERROR(s.when(join_cmd(), querier), error_kind::validation, "INVALID_CONFIGURATION");
  auto join = join_cmd();
  join.payment = pays_query(true);
  join.payment->at(payment_dimension::model_training) = true;
  join.payment->at(payment_dimension::model_inference) = true;
  join.payment->at(payment_dimension::synthetic_data_generation) = true;
  auto d = s.when(join, querier);
  REQUIRE(d.ok());
  CHECK(count_events<events::payment_assigned>(d.value()) == 4);
}

TEST_CASE("tags are regional like every other resource") {
  auto s = created();
  const auto arn = collaboration::collaboration_arn(s.state);
  auto ctx = s.as(creator);
  ctx.region = "eu-west-1";
  THEN_ERROR(s.when(collaboration::tag_resource{arn, {{"a", "1"}}}, ctx), error_kind::not_found,
             "");
  THEN_ERROR(s.when(collaboration::untag_resource{arn, {"a"}}, ctx), error_kind::not_found, "");
}
