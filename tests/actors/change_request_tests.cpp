// Collaboration change requests (SPEC.md 14, 16.4): every transition of the status machine, every
// check of Create/UpdateCollaborationChangeRequest, and the cascades of DeleteCollaboration and
// DeleteMember (SPEC.md 6).
#include "actors/collaboration/change_requests.hpp"
#include "given_when_then.hpp"

using namespace crs;
using namespace crs::testing;
namespace co = crs::collaboration;

namespace {

const std::string newcomer = "555555555555";
const std::string another = "666666666666";
const std::string unknown_id = "99999999-9999-4999-8999-999999999999";

using events_t = std::vector<events::event_payload>;
using auto_list = std::vector<auto_approved_change_type>;

co::change_input add(const std::string& account, std::vector<member_ability> abilities = {},
                     std::optional<std::string> name = std::string("Newcomer")) {
  return {co::change_spec_type::member, member_change{account, std::move(abilities), name}};
}
co::change_input grant(const std::string& account) {
  return {co::change_spec_type::member,
          member_change{account, {member_ability::can_receive_results}, std::nullopt}};
}
co::change_input revoke(const std::string& account) {
  return {co::change_spec_type::member, member_change{account, {}, std::nullopt}};
}
co::change_input edit(std::optional<auto_list> types) {
  return {co::change_spec_type::collaboration, collaboration_change{std::move(types)}};
}
co::create_change_request request(std::vector<co::change_input> changes) {
  return co::create_change_request{std::move(changes)};
}
co::update_change_request act(const std::string& id, change_request_action a) {
  return co::update_change_request{id, a};
}
constexpr auto approve = change_request_action::approve;
constexpr auto deny = change_request_action::deny;
constexpr auto cancel = change_request_action::cancel;
constexpr auto commit = change_request_action::commit;

// standard_create() (creator receives results, querier queries and receives, provider
// contributes data) with `autos` as autoApprovedChangeRequestTypes; the creator joined, and the
// querier and the provider too when `others_join`.
scenario setup(std::optional<auto_list> autos = std::nullopt, bool others_join = true) {
  scenario s;
  auto create = standard_create();
  create.auto_approved = std::move(autos);
  auto ctx = s.as(creator);
  ctx.fresh_id = cid;
  REQUIRE(s.when(create, ctx).ok());
  REQUIRE(s.when(join_cmd(), creator).ok());
  if (others_join) {
    REQUIRE(s.when(join_cmd(), querier).ok());
    REQUIRE(s.when(join_cmd(), provider).ok());
  }
  return s;
}

// The creator files `changes`; returns the new request's id.
std::string filed(scenario& s, std::vector<co::change_input> changes) {
  auto ctx = s.as(creator);
  auto d = s.when(request(std::move(changes)), ctx);
  REQUIRE(d.ok());
  return ctx.fresh_id;
}

const co::change_request_record& record(const scenario& s, const std::string& id) {
  REQUIRE(s.state.change_requests.count(id));
  return s.state.change_requests.at(id);
}

const co::member_record& member_of(const scenario& s, const std::string& account) {
  const auto* m = s.state.member(account);
  REQUIRE(m);
  return *m;
}

}  // namespace

// ---- Creation: the three ways a request comes into being (SPEC.md 16.4) ----------------------

SCENARIO("(none) -> PENDING: a manual request waits for every other ACTIVE member") {
  GIVEN("a collaboration all three members joined, without auto-approval") {
    auto s = setup();
    WHEN("the creator asks to add a new member") {
      auto ctx = s.as(creator);
      auto d = s.when(request({add(newcomer)}), ctx);
      THEN("ChangeRequestCreated is PENDING with a vote for the querier and the provider") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        const auto* e = std::get_if<events::change_request_created>(&d.value()[0]);
        REQUIRE(e);
        CHECK(e->change_request_id == ctx.fresh_id);
        CHECK_FALSE(e->auto_approved);
        CHECK(e->status == change_request_status::pending);
        CHECK(e->approvers == std::vector<account_id>{querier, provider});
        REQUIRE(e->changes.size() == 1);
        CHECK(e->changes[0].types == std::vector<change_type>{change_type::add_member});
        CHECK(e->changes[0].spec ==
              decltype(e->changes[0].spec){member_change{newcomer, {}, "Newcomer"}});
      }
      THEN("the request records both votes PENDING and its times; nobody was added yet") {
        const auto& r = record(s, ctx.fresh_id);
        CHECK(r.status == change_request_status::pending);
        CHECK(r.approvals ==
              std::map<account_id, approval_status>{{querier, approval_status::pending},
                                                    {provider, approval_status::pending}});
        CHECK(r.create_time == ctx.now);
        CHECK(r.update_time == ctx.now);
        CHECK(s.state.member(newcomer) == nullptr);
      }
    }
  }
  GIVEN("a collaboration where only the creator and the querier joined") {
    auto s = setup(std::nullopt, false);
    REQUIRE(s.when(join_cmd(), querier).ok());
    WHEN("the creator files a request") {
      auto d = s.when(request({add(newcomer)}), creator);
      THEN("the INVITED provider is no approver") {
        REQUIRE(d.ok());
        const auto* e = find_event<events::change_request_created>(d.value());
        REQUIRE(e);
        CHECK(e->approvers == std::vector<account_id>{querier});
      }
    }
  }
}

SCENARIO("(none) -> APPROVED: a manual request with nobody to vote") {
  GIVEN("a collaboration only the creator joined") {
    auto s = setup(std::nullopt, false);
    WHEN("the creator asks to add a member") {
      auto ctx = s.as(creator);
      auto d = s.when(request({add(newcomer)}), ctx);
      THEN("the request is APPROVED at once, without approvals, and waits for COMMIT") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        const auto* e = std::get_if<events::change_request_created>(&d.value()[0]);
        REQUIRE(e);
        CHECK(e->status == change_request_status::approved);
        CHECK_FALSE(e->auto_approved);
        CHECK(e->approvers.empty());
        CHECK(record(s, ctx.fresh_id).status == change_request_status::approved);
        CHECK(s.state.member(newcomer) == nullptr);
      }
    }
  }
}

SCENARIO("(none) -> COMMITTED: every change type auto-approved applies at once (SPEC.md Q16)") {
  GIVEN("a collaboration auto-approving ADD_MEMBER, every member joined") {
    auto s = setup(auto_list{auto_approved_change_type::add_member});
    WHEN("the creator asks to add a member that receives results") {
      auto ctx = s.as(creator);
      auto d = s.when(request({add(newcomer, {member_ability::can_receive_results}, "New")}), ctx);
      THEN("Created (APPROVED, auto) + MemberInvited + Committed, in one decision") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 3);
        const auto* created = std::get_if<events::change_request_created>(&d.value()[0]);
        REQUIRE(created);
        CHECK(created->auto_approved);
        CHECK(created->status == change_request_status::approved);
        CHECK(created->approvers.empty());
        const auto* invited = std::get_if<events::member_invited>(&d.value()[1]);
        REQUIRE(invited);
        CHECK(invited->member == member_spec{newcomer,
                                             "New",
                                             {member_ability::can_receive_results},
                                             std::nullopt,
                                             std::nullopt});
        const auto* committed = std::get_if<events::change_request_committed>(&d.value()[2]);
        REQUIRE(committed);
        CHECK(committed->change_request_id == ctx.fresh_id);
      }
      THEN("the request is COMMITTED without approvals and the newcomer is INVITED now") {
        const auto& r = record(s, ctx.fresh_id);
        CHECK(r.status == change_request_status::committed);
        CHECK(r.auto_approved);
        CHECK(r.approvals.empty());
        const auto& m = member_of(s, newcomer);
        CHECK(m.status == member_status::invited);
        CHECK(m.create_time == ctx.now);
        CHECK(s.state.members.back().spec.account == newcomer);
      }
      THEN("the newcomer can join, and pays for nothing") {
        REQUIRE(s.when(join_cmd(), newcomer).ok());
        CHECK(member_of(s, newcomer).status == member_status::active);
        CHECK_FALSE(co::resolved_payment(s.state, member_of(s, newcomer))
                        .at(payment_dimension::query_compute)
                        .value_or(true));
      }
    }
    WHEN("the request also grants an ability, which is not auto-approved") {
      auto d = s.when(request({add(newcomer), grant(provider)}), creator);
      THEN("it takes the manual path") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        const auto* e = std::get_if<events::change_request_created>(&d.value()[0]);
        REQUIRE(e);
        CHECK_FALSE(e->auto_approved);
        CHECK(e->status == change_request_status::pending);
        CHECK(s.state.member(newcomer) == nullptr);
      }
    }
  }
  GIVEN("a collaboration auto-approving GRANT_ and REVOKE_RECEIVE_RESULTS_ABILITY") {
    auto s = setup(auto_list{auto_approved_change_type::grant_receive_results_ability,
                             auto_approved_change_type::revoke_receive_results_ability});
    WHEN("the creator grants the provider CAN_RECEIVE_RESULTS and revokes it from the querier") {
      auto d = s.when(request({grant(provider), revoke(querier)}), creator);
      THEN("MemberAbilitiesChanged for both; the querier keeps CAN_QUERY") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 4);
        const auto* g = std::get_if<events::member_abilities_changed>(&d.value()[1]);
        const auto* r = std::get_if<events::member_abilities_changed>(&d.value()[2]);
        REQUIRE(g);
        REQUIRE(r);
        CHECK(g->account == provider);
        CHECK(g->abilities == std::vector<member_ability>{member_ability::can_receive_results});
        CHECK(r->account == querier);
        CHECK(r->abilities == std::vector<member_ability>{member_ability::can_query});
        CHECK(member_of(s, provider).spec.abilities ==
              std::vector<member_ability>{member_ability::can_receive_results});
      }
    }
  }
  GIVEN("a collaboration auto-approving every auto-approvable type") {
    auto s = setup(auto_list{auto_approved_change_type::add_member,
                             auto_approved_change_type::grant_receive_results_ability,
                             auto_approved_change_type::revoke_receive_results_ability});
    WHEN("the creator edits the auto-approval settings") {
      auto d = s.when(request({edit(auto_list{})}), creator);
      THEN("EDIT_AUTO_APPROVED_CHANGE_TYPES is never auto-approved") {
        REQUIRE(d.ok());
        const auto* e = find_event<events::change_request_created>(d.value());
        REQUIRE(e);
        CHECK_FALSE(e->auto_approved);
        CHECK(e->status == change_request_status::pending);
        CHECK(e->changes[0].types ==
              std::vector<change_type>{change_type::edit_auto_approved_change_types});
        CHECK(count_events<events::auto_approved_changed>(d.value()) == 0);
      }
    }
  }
}

TEST_CASE("CreateCollaborationChangeRequest computes one type per change (SPEC.md 14 table)") {
  auto s = setup();
  auto d = s.when(request({add(newcomer), grant(provider), revoke(querier),
                           edit(auto_list{auto_approved_change_type::add_member})}),
                  creator);
  REQUIRE(d.ok());
  const auto* e = find_event<events::change_request_created>(d.value());
  REQUIRE(e);
  REQUIRE(e->changes.size() == 4);
  CHECK(e->changes[0].types == std::vector<change_type>{change_type::add_member});
  CHECK(e->changes[1].types ==
        std::vector<change_type>{change_type::grant_receive_results_ability});
  CHECK(e->changes[2].types ==
        std::vector<change_type>{change_type::revoke_receive_results_ability});
  CHECK(e->changes[3].types ==
        std::vector<change_type>{change_type::edit_auto_approved_change_types});
}

// ---- Voting ----------------------------------------------------------------------------------

SCENARIO("PENDING -> APPROVED: the last outstanding APPROVE vote") {
  GIVEN("a PENDING request with two voters") {
    auto s = setup();
    const auto id = filed(s, {add(newcomer)});
    WHEN("the querier approves") {
      auto ctx = s.as(querier);
      auto d = s.when(act(id, approve), ctx);
      THEN("only its vote is recorded; the request stays PENDING") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        CHECK(std::get<events::change_request_voted>(d.value()[0]) ==
              events::change_request_voted{id, querier, true});
        const auto& r = record(s, id);
        CHECK(r.status == change_request_status::pending);
        CHECK(r.approvals.at(querier) == approval_status::approved);
        CHECK(r.approvals.at(provider) == approval_status::pending);
        CHECK(r.update_time == ctx.now);
      }
      AND_WHEN("the provider approves too") {
        auto d2 = s.when(act(id, approve), provider);
        THEN("its vote, then ChangeRequestApproved") {
          REQUIRE(d2.ok());
          REQUIRE(d2.value().size() == 2);
          CHECK(std::get<events::change_request_voted>(d2.value()[0]) ==
                events::change_request_voted{id, provider, true});
          CHECK(std::get<events::change_request_approved>(d2.value()[1]).change_request_id == id);
          CHECK(record(s, id).status == change_request_status::approved);
          CHECK(s.state.member(newcomer) == nullptr);  // COMMIT is still the creator's
        }
      }
      AND_WHEN("the querier votes a second time") {
        THEN("409 INVALID_STATE") {
          THEN_REJECTED(s.when(act(id, approve), querier), error_kind::conflict, "INVALID_STATE",
                        "COLLABORATION", "already voted");
          THEN_REJECTED(s.when(act(id, deny), querier), error_kind::conflict, "INVALID_STATE",
                        "COLLABORATION", "already voted");
        }
      }
    }
  }
}

SCENARIO("PENDING -> DENIED: any DENY vote") {
  GIVEN("a PENDING request with two voters, one of whom approved") {
    auto s = setup();
    const auto id = filed(s, {add(newcomer)});
    REQUIRE(s.when(act(id, approve), querier).ok());
    WHEN("the provider denies") {
      auto d = s.when(act(id, deny), provider);
      THEN("its vote, then ChangeRequestDenied; nothing is applied") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 2);
        CHECK(std::get<events::change_request_voted>(d.value()[0]) ==
              events::change_request_voted{id, provider, false});
        CHECK(std::get<events::change_request_denied>(d.value()[1]).change_request_id == id);
        const auto& r = record(s, id);
        CHECK(r.status == change_request_status::denied);
        CHECK(r.approvals.at(provider) == approval_status::denied);
        CHECK(s.state.member(newcomer) == nullptr);
      }
      THEN("DENIED is terminal: every action is 409") {
        for (auto a : {cancel, commit})
          THEN_REJECTED(s.when(act(id, a), creator), error_kind::conflict, "INVALID_STATE",
                        "COLLABORATION", "DENIED");
      }
    }
  }
}

TEST_CASE("a DENY alone decides, even before anyone else voted") {
  auto s = setup();
  const auto id = filed(s, {add(newcomer)});
  auto d = s.when(act(id, deny), querier);
  REQUIRE(d.ok());
  CHECK(count_events<events::change_request_denied>(d.value()) == 1);
  CHECK(record(s, id).status == change_request_status::denied);
  THEN_REJECTED(s.when(act(id, approve), provider), error_kind::conflict, "INVALID_STATE",
                "COLLABORATION", "DENIED");
}

TEST_CASE("only members with a pending vote may vote; the creator never") {
  auto s = setup(std::nullopt, false);
  REQUIRE(s.when(join_cmd(), querier).ok());  // the provider stays INVITED: no vote
  const auto id = filed(s, {add(newcomer)});
  SECTION("the creator") {
    THEN_REJECTED(s.when(act(id, approve), creator), error_kind::access_denied,
                  "INSUFFICIENT_PERMISSIONS", "", "cannot vote");
    THEN_REJECTED(s.when(act(id, deny), creator), error_kind::access_denied,
                  "INSUFFICIENT_PERMISSIONS", "", "cannot vote");
  }
  SECTION("an INVITED member without a vote") {
    THEN_REJECTED(s.when(act(id, approve), provider), error_kind::access_denied,
                  "INSUFFICIENT_PERMISSIONS", "", "not an approver");
  }
  SECTION("the voter itself may") {
    CHECK(s.when(act(id, approve), querier).ok());
  }
}

// ---- Cancel and commit -------------------------------------------------------------------------

SCENARIO("PENDING -> CANCELLED and APPROVED -> CANCELLED: CANCEL by the creator") {
  GIVEN("a PENDING request") {
    auto s = setup();
    const auto id = filed(s, {add(newcomer)});
    WHEN("the creator cancels it") {
      auto ctx = s.as(creator);
      auto d = s.when(act(id, cancel), ctx);
      THEN("ChangeRequestCancelled; CANCELLED is terminal") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        CHECK(std::get<events::change_request_cancelled>(d.value()[0]).change_request_id == id);
        CHECK(record(s, id).status == change_request_status::cancelled);
        CHECK(record(s, id).update_time == ctx.now);
        THEN_REJECTED(s.when(act(id, approve), querier), error_kind::conflict, "INVALID_STATE",
                      "COLLABORATION", "CANCELLED");
        THEN_REJECTED(s.when(act(id, cancel), creator), error_kind::conflict, "INVALID_STATE",
                      "COLLABORATION", "CANCELLED");
        THEN_REJECTED(s.when(act(id, commit), creator), error_kind::conflict, "INVALID_STATE",
                      "COLLABORATION", "CANCELLED");
      }
      THEN("the account is free for a new request") {
        CHECK(s.when(request({add(newcomer)}), creator).ok());
      }
    }
    WHEN("a member other than the creator cancels it") {
      THEN("403") {
        THEN_REJECTED(s.when(act(id, cancel), querier), error_kind::access_denied,
                      "INSUFFICIENT_PERMISSIONS", "", "Only the collaboration creator");
      }
    }
  }
  GIVEN("an APPROVED request") {
    auto s = setup(std::nullopt, false);
    const auto id = filed(s, {add(newcomer)});
    REQUIRE(record(s, id).status == change_request_status::approved);
    WHEN("the creator cancels it") {
      auto d = s.when(act(id, cancel), creator);
      THEN("it is CANCELLED and never applied") {
        REQUIRE(d.ok());
        CHECK(count_events<events::change_request_cancelled>(d.value()) == 1);
        CHECK(record(s, id).status == change_request_status::cancelled);
        CHECK(s.state.member(newcomer) == nullptr);
      }
    }
  }
}

SCENARIO("APPROVED -> COMMITTED: COMMIT by the creator applies the changes") {
  GIVEN("a request adding a member, approved by both voters") {
    auto s = setup();
    const auto id = filed(s, {add(newcomer, {}, "Data partner")});
    REQUIRE(s.when(act(id, approve), querier).ok());
    REQUIRE(s.when(act(id, approve), provider).ok());
    WHEN("the creator commits") {
      auto ctx = s.as(creator);
      auto d = s.when(act(id, commit), ctx);
      THEN("MemberInvited (no payment), then ChangeRequestCommitted") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 2);
        CHECK(std::get<events::member_invited>(d.value()[0]).member ==
              member_spec{newcomer, "Data partner", {}, std::nullopt, std::nullopt});
        CHECK(std::get<events::change_request_committed>(d.value()[1]).change_request_id == id);
        CHECK(record(s, id).status == change_request_status::committed);
        CHECK(member_of(s, newcomer).status == member_status::invited);
        CHECK(member_of(s, newcomer).create_time == ctx.now);
      }
      THEN("the new member joins") {
        REQUIRE(s.when(join_cmd(), newcomer).ok());
        CHECK(member_of(s, newcomer).status == member_status::active);
      }
      THEN("COMMITTED is terminal") {
        THEN_REJECTED(s.when(act(id, commit), creator), error_kind::conflict, "INVALID_STATE",
                      "COLLABORATION", "COMMITTED");
        THEN_REJECTED(s.when(act(id, cancel), creator), error_kind::conflict, "INVALID_STATE",
                      "COLLABORATION", "COMMITTED");
      }
    }
    WHEN("a member other than the creator commits") {
      THEN("403") {
        THEN_REJECTED(s.when(act(id, commit), querier), error_kind::access_denied,
                      "INSUFFICIENT_PERMISSIONS", "", "Only the collaboration creator");
      }
    }
  }
  GIVEN("a PENDING request") {
    auto s = setup();
    const auto id = filed(s, {add(newcomer)});
    WHEN("the creator commits before the votes are in") {
      THEN("409 INVALID_STATE") {
        THEN_REJECTED(s.when(act(id, commit), creator), error_kind::conflict, "INVALID_STATE",
                      "COLLABORATION", "PENDING");
      }
    }
  }
  GIVEN("approved requests granting, then revoking, CAN_RECEIVE_RESULTS of the provider") {
    auto s = setup(std::nullopt, false);  // nobody to vote: APPROVED at once
    REQUIRE(s.when(join_cmd(), provider).ok());
    const auto g = filed(s, {grant(provider)});
    REQUIRE(s.when(act(g, approve), provider).ok());
    WHEN("the grant is committed") {
      auto ctx = s.as(creator);
      auto d = s.when(act(g, commit), ctx);
      THEN("MemberAbilitiesChanged; the member record and its membership show the change") {
        REQUIRE(d.ok());
        CHECK(std::get<events::member_abilities_changed>(d.value()[0]) ==
              events::member_abilities_changed{provider, {member_ability::can_receive_results}});
        const auto& m = member_of(s, provider);
        CHECK(m.spec.abilities == std::vector<member_ability>{member_ability::can_receive_results});
        CHECK(m.update_time == ctx.now);
        CHECK(s.state.membership(*m.membership_id)->update_time == ctx.now);
      }
      AND_WHEN("a revoke is approved and committed") {
        const auto r = filed(s, {revoke(provider)});
        REQUIRE(s.when(act(r, approve), provider).ok());
        auto d2 = s.when(act(r, commit), creator);
        THEN("the ability is gone again") {
          REQUIRE(d2.ok());
          CHECK(std::get<events::member_abilities_changed>(d2.value()[0]) ==
                events::member_abilities_changed{provider, {}});
          CHECK(member_of(s, provider).spec.abilities.empty());
        }
      }
    }
  }
  GIVEN("an approved request editing the auto-approval settings") {
    auto s = setup(std::nullopt, false);
    const auto id = filed(s, {edit(auto_list{auto_approved_change_type::add_member,
                                             auto_approved_change_type::add_member})});
    WHEN("it is committed") {
      auto ctx = s.as(creator);
      auto d = s.when(act(id, commit), ctx);
      THEN("AutoApprovedChangeTypesChanged with the deduplicated list") {
        REQUIRE(d.ok());
        CHECK(std::get<events::auto_approved_changed>(d.value()[0]).types ==
              auto_list{auto_approved_change_type::add_member});
        CHECK(s.state.info.auto_approved == auto_list{auto_approved_change_type::add_member});
        CHECK(s.state.update_time == ctx.now);
      }
      THEN("later ADD_MEMBER requests commit at once") {
        auto d2 = s.when(request({add(newcomer)}), creator);
        REQUIRE(d2.ok());
        CHECK(count_events<events::change_request_committed>(d2.value()) == 1);
        CHECK(member_of(s, newcomer).status == member_status::invited);
      }
    }
  }
}

TEST_CASE("COMMIT re-checks that the changes still apply (409 INVALID_STATE)") {
  SECTION("the quota was used up by an earlier commit") {
    auto s = setup(std::nullopt, false);  // 2 invitees; quota 5
    const auto a = filed(s, {add(newcomer), add(another)});
    const auto b = filed(s, {add("777777777777"), add("888888888888")});
    REQUIRE(s.when(act(a, commit), creator).ok());
    THEN_REJECTED(s.when(act(b, commit), creator), error_kind::conflict, "INVALID_STATE",
                  "COLLABORATION", "Members invited per collaboration");
    CHECK(record(s, b).status == change_request_status::approved);
  }
  SECTION("the account became a member meanwhile") {
    auto s = setup(std::nullopt, false);
    const auto a = filed(s, {add(newcomer)});
    s.given({events::member_invited{spec(newcomer, {})}});
    THEN_REJECTED(s.when(act(a, commit), creator), error_kind::conflict, "INVALID_STATE",
                  "COLLABORATION", newcomer, "a member already");
  }
  SECTION("the member to change was removed meanwhile") {
    auto s = setup(std::nullopt, false);
    const auto a = filed(s, {grant(provider)});
    REQUIRE(s.when(co::delete_member{provider}, creator).ok());
    THEN_REJECTED(s.when(act(a, commit), creator), error_kind::conflict, "INVALID_STATE",
                  "COLLABORATION", "no longer a member");
  }
  SECTION("the ability is already there") {
    auto s = setup(std::nullopt, false);
    const auto a = filed(s, {grant(provider)});
    s.given({events::member_abilities_changed{provider, {member_ability::can_receive_results}}});
    THEN_REJECTED(s.when(act(a, commit), creator), error_kind::conflict, "INVALID_STATE",
                  "COLLABORATION", "already holds");
  }
}

// ---- Who may address a request ---------------------------------------------------------------

TEST_CASE(
    "UpdateCollaborationChangeRequest: 403 for an invisible collaboration, 404 for an "
    "unknown request") {
  auto s = setup();
  const auto id = filed(s, {add(newcomer)});
  SECTION("unknown request id") {
    THEN_REJECTED(s.when(act(unknown_id, approve), querier), error_kind::not_found, "",
                  "COLLABORATION", unknown_id);
    CHECK(s.when(act(unknown_id, commit), creator).error().resource_id == unknown_id);
  }
  SECTION("an outsider") {
    THEN_REJECTED(s.when(act(id, approve), outsider), error_kind::access_denied,
                  "INSUFFICIENT_PERMISSIONS", "", "not a member");
  }
  SECTION("a request signed for another region") {
    auto ctx = s.as(querier);
    ctx.region = "eu-west-1";
    THEN_REJECTED(s.when(act(id, approve), ctx), error_kind::access_denied,
                  "INSUFFICIENT_PERMISSIONS", "", "not a member");
  }
  SECTION("a removed member") {
    REQUIRE(s.when(co::delete_member{provider}, creator).ok());
    THEN_REJECTED(s.when(act(id, approve), provider), error_kind::access_denied,
                  "INSUFFICIENT_PERMISSIONS", "", "not a member");
  }
}

// ---- CreateCollaborationChangeRequest checks, in order (SPEC.md 14) --------------------------

TEST_CASE("check 2: only the creator, and only once it is ACTIVE") {
  SECTION("another member") {
    auto s = setup();
    THEN_REJECTED(s.when(request({add(newcomer)}), querier), error_kind::access_denied,
                  "INSUFFICIENT_PERMISSIONS", "", "Only the collaboration creator");
  }
  SECTION("an outsider (even with a bad change: visibility comes first)") {
    auto s = setup();
    THEN_REJECTED(s.when(request({add(creator)}), outsider), error_kind::access_denied,
                  "INSUFFICIENT_PERMISSIONS", "", "not a member");
  }
  SECTION("the creator before it joined") {
    scenario s;
    auto ctx = s.as(creator);
    ctx.fresh_id = cid;
    REQUIRE(s.when(standard_create(), ctx).ok());
    THEN_REJECTED(s.when(request({add(newcomer)}), creator), error_kind::access_denied,
                  "INSUFFICIENT_PERMISSIONS", "", "ACTIVE");
  }
  SECTION("a deleted collaboration") {
    auto s = setup();
    REQUIRE(s.when(co::delete_collaboration{}, creator).ok());
    THEN_REJECTED(s.when(request({add(newcomer)}), creator), error_kind::access_denied,
                  "INSUFFICIENT_PERMISSIONS", "", "not a member");
  }
}

TEST_CASE("check 3: specificationType must name the union member sent") {
  auto s = setup();
  SECTION("MEMBER with a collaboration specification") {
    auto c = edit(auto_list{});
    c.declared = co::change_spec_type::member;
    THEN_REJECTED(s.when(request({add(newcomer), c}), creator), error_kind::validation,
                  "INVALID_CONFIGURATION", "", "changes.1", "specificationType");
  }
  SECTION("COLLABORATION with a member specification") {
    auto c = add(newcomer);
    c.declared = co::change_spec_type::collaboration;
    THEN_REJECTED(s.when(request({c}), creator), error_kind::validation, "INVALID_CONFIGURATION",
                  "", "changes.0", "specificationType");
  }
  SECTION("before the member rules (check 4)") {
    auto c = add(creator);
    c.declared = co::change_spec_type::collaboration;
    THEN_REJECTED(s.when(request({add(creator), c}), creator), error_kind::validation,
                  "INVALID_CONFIGURATION", "", "specificationType");
  }
}

TEST_CASE("check 4: the MEMBER change rules") {
  auto s = setup();
  SECTION("CAN_QUERY or CAN_RUN_JOB cannot be requested") {
    THEN_REJECTED(s.when(request({add(newcomer, {member_ability::can_query})}), creator),
                  error_kind::validation, "INVALID_CONFIGURATION", "", "memberAbilities");
    THEN_REJECTED(s.when(request({add(newcomer, {member_ability::can_receive_results,
                                                 member_ability::can_run_job})}),
                         creator),
                  error_kind::validation, "INVALID_CONFIGURATION", "", "memberAbilities");
  }
  SECTION("a new member needs a displayName") {
    THEN_REJECTED(s.when(request({add(newcomer, {}, std::nullopt)}), creator),
                  error_kind::validation, "INVALID_CONFIGURATION", "", "displayName");
  }
  SECTION("not the creator's own account") {
    THEN_REJECTED(s.when(request({grant(creator)}), creator), error_kind::validation,
                  "INVALID_CONFIGURATION", "", "creator's own account");
  }
  SECTION("a member that left or was removed is not added again") {
    REQUIRE(s.when(co::delete_member{provider}, creator).ok());
    THEN_REJECTED(s.when(request({add(provider)}), creator), error_kind::validation,
                  "INVALID_CONFIGURATION", "", "REMOVED");
    const auto mid = *member_of(s, querier).membership_id;
    REQUIRE(s.when(co::delete_membership{mid}, querier).ok());
    THEN_REJECTED(s.when(request({revoke(querier)}), creator), error_kind::validation,
                  "INVALID_CONFIGURATION", "", "LEFT");
  }
  SECTION("an existing member whose abilities would not change") {
    THEN_REJECTED(s.when(request({revoke(provider)}), creator), error_kind::validation,
                  "INVALID_CONFIGURATION", "", "would change nothing");
    THEN_REJECTED(s.when(request({grant(querier)}), creator), error_kind::validation,
                  "INVALID_CONFIGURATION", "", "would change nothing");
  }
  SECTION("the same account twice") {
    THEN_REJECTED(s.when(request({add(newcomer), add(newcomer)}), creator), error_kind::validation,
                  "INVALID_CONFIGURATION", "", "more than one change");
  }
  CHECK(s.state.change_requests.empty());
}

TEST_CASE("check 5: the COLLABORATION change rules") {
  SECTION("identical to the current setting (none = empty list)") {
    auto s = setup();
    THEN_REJECTED(s.when(request({edit(std::nullopt)}), creator), error_kind::validation,
                  "INVALID_CONFIGURATION", "", "identical");
    THEN_REJECTED(s.when(request({edit(auto_list{})}), creator), error_kind::validation,
                  "INVALID_CONFIGURATION", "", "identical");
  }
  SECTION("identical as a set, whatever the order") {
    auto s = setup(auto_list{auto_approved_change_type::add_member,
                             auto_approved_change_type::grant_receive_results_ability});
    THEN_REJECTED(
        s.when(request({edit(auto_list{auto_approved_change_type::grant_receive_results_ability,
                                       auto_approved_change_type::add_member})}),
               creator),
        error_kind::validation, "INVALID_CONFIGURATION", "", "identical");
  }
  SECTION("two edits in one request") {
    auto s = setup();
    THEN_REJECTED(s.when(request({edit(auto_list{auto_approved_change_type::add_member}),
                                  edit(auto_list{auto_approved_change_type::add_member})}),
                         creator),
                  error_kind::validation, "INVALID_CONFIGURATION", "", "more than one change");
  }
}

TEST_CASE("check 6: one open request per account and per auto-approval edit (409)") {
  auto s = setup();
  const auto pending =
      filed(s, {add(newcomer), edit(auto_list{auto_approved_change_type::add_member})});
  SECTION("an account a PENDING request adds") {
    THEN_REJECTED(s.when(request({add(another), add(newcomer)}), creator), error_kind::conflict,
                  "INVALID_STATE", "COLLABORATION", pending, newcomer);
    CHECK(s.when(request({add(newcomer)}), creator).error().resource_id == pending);
  }
  SECTION("a second edit of the auto-approval settings") {
    THEN_REJECTED(
        s.when(request({edit(auto_list{auto_approved_change_type::add_member})}), creator),
        error_kind::conflict, "INVALID_STATE", "COLLABORATION", "autoApprovedChangeTypes");
  }
  SECTION("an APPROVED request blocks too") {
    REQUIRE(s.when(act(pending, approve), querier).ok());
    REQUIRE(s.when(act(pending, approve), provider).ok());
    REQUIRE(record(s, pending).status == change_request_status::approved);
    THEN_REJECTED(s.when(request({add(newcomer)}), creator), error_kind::conflict, "INVALID_STATE",
                  "COLLABORATION", pending);
  }
  SECTION("a DENIED one does not") {
    REQUIRE(s.when(act(pending, deny), querier).ok());
    CHECK(s.when(request({add(newcomer)}), creator).ok());
  }
  SECTION("other accounts are free") {
    CHECK(s.when(request({grant(provider)}), creator).ok());
  }
}

TEST_CASE("check 7: the members quota (402 Members invited per collaboration)") {
  auto s = setup();  // 2 invitees; quota 5
  SECTION("three more fit") {
    CHECK(s.when(request({add(newcomer), add(another), add("777777777777")}), creator).ok());
  }
  SECTION("four more do not") {
    auto d = s.when(
        request({add(newcomer), add(another), add("777777777777"), add("888888888888")}), creator);
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().kind == error_kind::quota_exceeded);
    CHECK(d.error().quota_name == "Members invited per collaboration");
    CHECK(d.error().quota_value == 5.0);
  }
  SECTION("a configured quota") {
    auto ctx = s.as(creator);
    ctx.quotas.members_per_collaboration = 2;
    auto d = s.when(request({add(newcomer)}), ctx);
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().quota_value == 2.0);
  }
  SECTION("removed members free their place") {
    REQUIRE(s.when(co::delete_member{provider}, creator).ok());
    CHECK(s.when(request({add(newcomer), add(another), add("777777777777"), add("888888888888")}),
                 creator)
              .ok());
  }
}

// ---- Cascades (SPEC.md 6) ----------------------------------------------------------------------

SCENARIO("DeleteCollaboration cancels every PENDING or APPROVED request") {
  GIVEN("a PENDING, an APPROVED, a DENIED and a COMMITTED request") {
    auto s = setup(auto_list{auto_approved_change_type::add_member});
    const auto committed = filed(s, {add(newcomer)});
    const auto pending = filed(s, {grant(provider)});
    const auto approved = filed(s, {revoke(querier)});
    REQUIRE(s.when(act(approved, approve), querier).ok());
    REQUIRE(s.when(act(approved, approve), provider).ok());
    const auto denied = filed(s, {edit(auto_list{})});
    REQUIRE(s.when(act(denied, deny), provider).ok());
    WHEN("the creator deletes the collaboration") {
      auto d = s.when(co::delete_collaboration{}, creator);
      THEN("ChangeRequestCancelled for the PENDING and the APPROVED one only") {
        REQUIRE(d.ok());
        CHECK(count_events<events::change_request_cancelled>(d.value()) == 2);
        CHECK(record(s, pending).status == change_request_status::cancelled);
        CHECK(record(s, approved).status == change_request_status::cancelled);
        CHECK(record(s, denied).status == change_request_status::denied);
        CHECK(record(s, committed).status == change_request_status::committed);
      }
    }
  }
}

SCENARIO("a member who leaves drops its pending vote like a removed one") {
  GIVEN("a request the querier approved while the provider has not voted") {
    auto s = setup();
    const auto id = filed(s, {add(newcomer)});
    REQUIRE(s.when(act(id, approve), querier).ok());
    WHEN("the provider deletes its membership (leaves)") {
      const auto mid = *s.state.member(provider)->membership_id;
      auto d = s.when(co::delete_membership{mid}, provider);
      THEN("MemberLeft is followed by ChangeRequestApproved, and the creator can commit") {
        REQUIRE(d.ok());
        CHECK(count_events<events::member_left>(d.value()) == 1);
        const auto* approved = find_event<events::change_request_approved>(d.value());
        REQUIRE(approved);
        CHECK(approved->change_request_id == id);
        CHECK(record(s, id).status == change_request_status::approved);
        CHECK(s.when(act(id, commit), creator).ok());
      }
    }
  }
}

SCENARIO("DeleteMember drops the removed member's pending vote (SPEC.md 6, 16.4)") {
  GIVEN("a request the querier approved while the provider has not voted") {
    auto s = setup();
    const auto id = filed(s, {add(newcomer)});
    REQUIRE(s.when(act(id, approve), querier).ok());
    WHEN("the creator removes the provider") {
      auto d = s.when(co::delete_member{provider}, creator);
      THEN("MemberRemoved, MembershipStatusChanged, then ChangeRequestApproved") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 3);
        CHECK(std::holds_alternative<events::member_removed>(d.value()[0]));
        CHECK(std::get<events::change_request_approved>(d.value()[2]).change_request_id == id);
        CHECK(record(s, id).status == change_request_status::approved);
        CHECK_FALSE(co::vote_counts(s.state, provider, approval_status::pending));
        CHECK(co::vote_counts(s.state, querier, approval_status::approved));
      }
      THEN("the creator can commit") {
        CHECK(s.when(act(id, commit), creator).ok());
        CHECK(member_of(s, newcomer).status == member_status::invited);
      }
    }
  }
  GIVEN("a request nobody voted on yet") {
    auto s = setup();
    const auto id = filed(s, {add(newcomer)});
    WHEN("the provider is removed") {
      auto d = s.when(co::delete_member{provider}, creator);
      THEN("the request stays PENDING, waiting for the querier") {
        REQUIRE(d.ok());
        CHECK(count_events<events::change_request_approved>(d.value()) == 0);
        CHECK(record(s, id).status == change_request_status::pending);
      }
      AND_WHEN("the querier approves") {
        auto d2 = s.when(act(id, approve), querier);
        THEN("that was the last vote that counts: APPROVED") {
          REQUIRE(d2.ok());
          CHECK(count_events<events::change_request_approved>(d2.value()) == 1);
          CHECK(record(s, id).status == change_request_status::approved);
        }
      }
    }
  }
  GIVEN("a request the provider already approved") {
    auto s = setup();
    const auto id = filed(s, {add(newcomer)});
    REQUIRE(s.when(act(id, approve), provider).ok());
    WHEN("the provider is removed") {
      auto d = s.when(co::delete_member{provider}, creator);
      THEN("nothing changes for the request: the querier still has to vote") {
        REQUIRE(d.ok());
        CHECK(count_events<events::change_request_approved>(d.value()) == 0);
        CHECK(record(s, id).status == change_request_status::pending);
        CHECK(co::vote_counts(s.state, provider, approval_status::approved));
      }
    }
  }
  GIVEN("a request whose only voter is removed") {
    auto s = setup(std::nullopt, false);
    REQUIRE(s.when(join_cmd(), provider).ok());
    const auto id = filed(s, {add(newcomer)});
    WHEN("the creator removes that voter") {
      auto d = s.when(co::delete_member{provider}, creator);
      THEN("no vote is left that could say no: APPROVED") {
        REQUIRE(d.ok());
        CHECK(count_events<events::change_request_approved>(d.value()) == 1);
        CHECK(record(s, id).status == change_request_status::approved);
      }
    }
  }
  GIVEN("a DENIED request with the provider's vote still pending") {
    auto s = setup();
    const auto id = filed(s, {add(newcomer)});
    REQUIRE(s.when(act(id, deny), querier).ok());
    WHEN("the provider is removed") {
      auto d = s.when(co::delete_member{provider}, creator);
      THEN("the request stays DENIED") {
        REQUIRE(d.ok());
        CHECK(count_events<events::change_request_approved>(d.value()) == 0);
        CHECK(record(s, id).status == change_request_status::denied);
      }
    }
  }
}
