// CreateCollaboration, UpdateCollaboration, DeleteCollaboration, DeleteMember (SPEC.md 6, 19).
#include "given_when_then.hpp"

using namespace crs;
using namespace crs::testing;
using collaboration::create_collaboration;

SCENARIO("a collaboration is created with its members invited") {
  GIVEN("no history") {
    scenario s;
    WHEN("the creator creates it with a querier, a provider and tags") {
      auto cmd = standard_create();
      cmd.tags = {{"team", "ads"}};
      auto ctx = s.as(creator);
      auto d = s.when(cmd, ctx);
      THEN("the facts are recorded in order") {
        REQUIRE(d.ok());
        const auto& evs = d.value();
        REQUIRE(evs.size() == 6);
        const auto* c = std::get_if<events::collaboration_created>(&evs[0]);
        REQUIRE(c);
        CHECK(c->collaboration_id == ctx.fresh_id);
        CHECK(c->creator == creator);
        CHECK(c->region == "us-east-1");
        CHECK(std::get<events::member_invited>(evs[1]).member.account == creator);
        CHECK(std::get<events::member_invited>(evs[2]).member.account == querier);
        CHECK(std::get<events::member_invited>(evs[3]).member.account == provider);
        const auto& pay = std::get<events::payment_assigned>(evs[4]);
        CHECK(pay.dimension == payment_dimension::query_compute);
        CHECK(pay.account == querier);  // the querier is the default payer
        CHECK_FALSE(pay.accepted);
        const auto& tags = std::get<events::tags_changed>(evs[5]);
        CHECK(tags.resource_arn ==
              "arn:aws:cleanrooms:us-east-1:111111111111:collaboration/" + ctx.fresh_id);
      }
      THEN("every member, the creator included, is INVITED") {
        REQUIRE(s.state.members.size() == 3);
        for (const auto& m : s.state.members) CHECK(m.status == member_status::invited);
        CHECK(s.state.visible_to(creator));
        CHECK(s.state.visible_to(provider));
        CHECK_FALSE(s.state.visible_to(outsider));
      }
    }
  }
}

TEST_CASE("CreateCollaboration rejects inconsistent member lists") {
  scenario s;
  auto cmd = standard_create();
  SECTION("the creator listed among members") {
    cmd.members.push_back(spec(creator, {}));
    THEN_ERROR(s.when(cmd, creator), error_kind::validation, "INVALID_CONFIGURATION");
  }
  SECTION("an account listed twice") {
    cmd.members.push_back(spec(provider, {}));
    THEN_ERROR(s.when(cmd, creator), error_kind::validation, "INVALID_CONFIGURATION");
  }
  SECTION("an ability repeated") {
    cmd.members[1].abilities = {member_ability::can_receive_results,
                                member_ability::can_receive_results};
    THEN_ERROR(s.when(cmd, creator), error_kind::validation, "INVALID_CONFIGURATION");
  }
  SECTION("two members who can query") {
    cmd.creator_abilities = {member_ability::can_query};
    THEN_ERROR(s.when(cmd, creator), error_kind::validation, "INVALID_CONFIGURATION");
  }
  SECTION("two members who can run jobs") {
    cmd.creator_abilities = {member_ability::can_run_job};
    cmd.members[1].abilities = {member_ability::can_run_job};
    THEN_ERROR(s.when(cmd, creator), error_kind::validation, "INVALID_CONFIGURATION");
  }
  SECTION("nothing is applied on rejection") {
    cmd.members.push_back(spec(provider, {}));
    (void)s.when(cmd, creator);
    CHECK_FALSE(s.state.created);
    CHECK(s.state.version == 0);
  }
}

TEST_CASE("CreateCollaboration applies the payment rules of SPEC.md 19.1") {
  scenario s;
  auto cmd = standard_create();
  SECTION("two explicit payers are rejected") {
    cmd.creator_payment = pays_query(true);
    cmd.members[1].payment = pays_query(true);
    THEN_ERROR(s.when(cmd, creator), error_kind::validation, "INVALID_CONFIGURATION");
  }
  SECTION("an explicit false for the querier when nobody else pays is rejected") {
    cmd.members[0].payment = pays_query(false);
    THEN_ERROR(s.when(cmd, creator), error_kind::validation, "INVALID_CONFIGURATION");
  }
  SECTION("the querier may decline when another member pays") {
    cmd.members[0].payment = pays_query(false);
    cmd.members[1].payment = pays_query(true);
    auto d = s.when(cmd, creator);
    REQUIRE(d.ok());
    const auto* pay = find_event<events::payment_assigned>(d.value());
    REQUIRE(pay);
    CHECK(pay->account == provider);
  }
  SECTION("no querier and no payer leaves query compute unpaid") {
    cmd.members[0].abilities = {member_ability::can_receive_results};
    auto d = s.when(cmd, creator);
    REQUIRE(d.ok());
    CHECK(count_events<events::payment_assigned>(d.value()) == 0);
  }
  SECTION("the job runner pays job compute by default") {
    cmd.members[1].abilities = {member_ability::can_run_job};
    auto d = s.when(cmd, creator);
    REQUIRE(d.ok());
    const auto* job = find_event<events::payment_assigned>(d.value(), 1);
    REQUIRE(job);
    CHECK(job->dimension == payment_dimension::job_compute);
    CHECK(job->account == provider);
  }
  SECTION("ListMembers shows the resolved payer") {
    REQUIRE(s.when(cmd, creator).ok());
    const auto& st = s.state;
    CHECK(collaboration::resolved_payment(st, st.members[1]).at(payment_dimension::query_compute) ==
          true);
    CHECK(collaboration::resolved_payment(st, st.members[0]).at(payment_dimension::query_compute) ==
          false);
    CHECK_FALSE(collaboration::resolved_payment(st, st.members[0])
                    .at(payment_dimension::job_compute)
                    .has_value());
  }
}

TEST_CASE("CreateCollaboration enforces its quotas") {
  scenario s;
  auto cmd = standard_create();
  SECTION("more than 5 invited members") {
    for (int i = 0; i < 4; ++i) cmd.members.push_back(spec("55555555555" + std::to_string(i), {}));
    auto d = s.when(cmd, creator);
    THEN_ERROR(d, error_kind::quota_exceeded, "");
    CHECK(d.error().quota_name == "Members invited per collaboration");
    CHECK(d.error().quota_value == 5.0);
  }
  SECTION("an 11th collaboration by one account") {
    auto ctx = s.as(creator);
    ctx.caller_collaborations_created = 10;
    auto d = s.when(cmd, ctx);
    THEN_ERROR(d, error_kind::quota_exceeded, "");
    CHECK(d.error().quota_name == "Collaborations created per account");
  }
}

SCENARIO("only the creator updates or deletes a live collaboration") {
  GIVEN("a created collaboration") {
    auto s = created();
    WHEN("the creator renames it") {
      auto d = s.when(collaboration::update_collaboration{"renamed", std::nullopt, std::nullopt},
                      creator);
      THEN("CollaborationUpdated carries only the name") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        const auto& u = std::get<events::collaboration_updated>(d.value()[0]);
        CHECK(u.name == "renamed");
        CHECK_FALSE(u.description);
        CHECK(s.state.info.name == "renamed");
        CHECK(s.state.update_time > s.state.create_time);
      }
    }
    WHEN("the creator sends nothing to change") {
      auto before = s.state.version;
      auto d = s.when(collaboration::update_collaboration{}, creator);
      THEN("it is a no-op") {
        REQUIRE(d.ok());
        CHECK(d.value().empty());
        CHECK(s.state.version == before);
      }
    }
    WHEN("a member or an outsider tries") {
      THEN("access is denied") {
        THEN_ERROR(s.when(collaboration::update_collaboration{"x", {}, {}}, querier),
                   error_kind::access_denied, "INSUFFICIENT_PERMISSIONS");
        THEN_ERROR(s.when(collaboration::update_collaboration{"x", {}, {}}, outsider),
                   error_kind::access_denied, "INSUFFICIENT_PERMISSIONS");
        THEN_ERROR(s.when(collaboration::delete_collaboration{}, querier),
                   error_kind::access_denied, "INSUFFICIENT_PERMISSIONS");
      }
    }
    WHEN("the collaboration is deleted with active memberships") {
      REQUIRE(s.when(join_cmd(), querier).ok());
      REQUIRE(s.when(join_cmd(), creator).ok());
      auto d = s.when(collaboration::delete_collaboration{}, creator);
      THEN("each active membership moves to COLLABORATION_DELETED") {
        REQUIRE(d.ok());
        CHECK(count_events<events::membership_status_changed>(d.value()) == 2);
        for (const auto& [id, m] : s.state.memberships)
          CHECK(m.status == membership_status::collaboration_deleted);
        CHECK_FALSE(s.state.visible_to(creator));
      }
      THEN("a second delete is denied, like any call on a deleted collaboration") {
        THEN_ERROR(s.when(collaboration::delete_collaboration{}, creator),
                   error_kind::access_denied, "INSUFFICIENT_PERMISSIONS");
        THEN_ERROR(s.when(collaboration::update_collaboration{"x", {}, {}}, creator),
                   error_kind::access_denied, "INSUFFICIENT_PERMISSIONS");
      }
    }
  }
}

SCENARIO("the creator removes members") {
  GIVEN("a collaboration where the querier joined") {
    auto s = created();
    REQUIRE(s.when(join_cmd(), querier).ok());
    WHEN("the creator removes the querier") {
      auto d = s.when(collaboration::delete_member{querier}, creator);
      THEN("the member is REMOVED and its membership too") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 2);
        CHECK(std::get<events::member_removed>(d.value()[0]).account == querier);
        CHECK(std::get<events::membership_status_changed>(d.value()[1]).status ==
              membership_status::removed);
        CHECK(s.state.member(querier)->status == member_status::removed);
        CHECK_FALSE(s.state.visible_to(querier));
      }
      THEN("removing again is a conflict") {
        THEN_ERROR(s.when(collaboration::delete_member{querier}, creator), error_kind::conflict,
                   "INVALID_STATE");
      }
    }
    WHEN("the creator withdraws an invitation") {
      auto d = s.when(collaboration::delete_member{provider}, creator);
      THEN("only MemberRemoved is recorded") {
        REQUIRE(d.ok());
        CHECK(d.value().size() == 1);
      }
      THEN("the removed invitee cannot join") {
        THEN_ERROR(s.when(join_cmd(), provider), error_kind::access_denied,
                   "INSUFFICIENT_PERMISSIONS");
      }
    }
    THEN("the creator cannot remove itself") {
      THEN_ERROR(s.when(collaboration::delete_member{creator}, creator), error_kind::validation,
                 "INVALID_CONFIGURATION");
    }
    THEN("an account that is not a member is not found") {
      auto d = s.when(collaboration::delete_member{outsider}, creator);
      THEN_ERROR(d, error_kind::not_found, "");
      CHECK(d.error().resource_type == "COLLABORATION");
      CHECK(d.error().resource_id == outsider);
    }
    THEN("a member cannot remove another") {
      THEN_ERROR(s.when(collaboration::delete_member{provider}, querier), error_kind::access_denied,
                 "INSUFFICIENT_PERMISSIONS");
    }
  }
}
