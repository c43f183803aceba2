// Configured table associations and their association-level analysis rules, inside the
// collaboration aggregate (SPEC.md 10, 7 DeleteMembership check 3, 15).
#include "given_when_then.hpp"

using namespace crs;
using namespace crs::testing;
namespace co = crs::collaboration;

namespace {

const std::string role = "arn:aws:iam::333333333333:role/cleanrooms-read";
const std::string other_role = "arn:aws:iam::333333333333:role/cleanrooms-read-v2";
const std::string unknown_id = "99999999-9999-4999-8999-999999999999";

// A collaboration whose creator can query and receive results, with one pure data provider.
co::create_collaboration two_party_create() {
  co::create_collaboration c;
  c.name = "lookalikes";
  c.description = "audience overlap";
  c.creator_display_name = "Creator";
  c.creator_abilities = {member_ability::can_query, member_ability::can_receive_results};
  c.members = {spec(provider, {})};
  c.query_log = log_status::disabled;
  return c;
}

struct two_party {
  scenario s;
  std::string creator_mid;
  std::string provider_mid;
};

// The collaboration above, both members joined.
two_party both_joined() {
  two_party t;
  auto ctx = t.s.as(creator);
  ctx.fresh_id = cid;
  REQUIRE(t.s.when(two_party_create(), ctx).ok());
  auto cctx = t.s.as(creator);
  REQUIRE(t.s.when(join_cmd(), cctx).ok());
  t.creator_mid = cctx.fresh_id;
  auto pctx = t.s.as(provider);
  REQUIRE(t.s.when(join_cmd(), pctx).ok());
  t.provider_mid = pctx.fresh_id;
  return t;
}

std::string table(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "5e1f2a3b-0000-4000-8000-%012d", n);
  return buf;
}

co::create_association associate(const std::string& membership, const std::string& table_id,
                                 const std::string& name, tag_map tags = {}) {
  co::create_association c;
  c.membership_id = membership;
  c.configured_table_id = table_id;
  c.name = name;
  c.description = "the " + name + " table";
  c.role_arn = role;
  c.tags = std::move(tags);
  return c;
}

std::string expected_arn(const std::string& account, const std::string& membership,
                         const std::string& association) {
  return "arn:aws:cleanrooms:us-east-1:" + account + ":membership/" + membership +
         "/configuredtableassociation/" + association;
}

association_rule_policy receivers(std::vector<std::string> accounts) {
  association_rule_policy p;
  p.allowed_result_receivers = std::move(accounts);
  return p;
}

co::create_association_rule rule(const std::string& membership, const std::string& association,
                                 analysis_rule_type type, association_rule_policy policy) {
  return co::create_association_rule{membership, association, type, type, std::move(policy)};
}

co::update_association_rule rule_update(const std::string& membership,
                                        const std::string& association, analysis_rule_type type,
                                        association_rule_policy policy) {
  return co::update_association_rule{membership, association, type, type, std::move(policy)};
}

}  // namespace

// ---- CreateConfiguredTableAssociation ----------------------------------------------------------

SCENARIO("a member links one of its configured tables into the collaboration (SPEC.md 10)") {
  GIVEN("a collaboration both members joined") {
    auto [s, creator_mid, provider_mid] = both_joined();

    WHEN("the provider associates a table with tags") {
      auto ctx = s.as(provider);
      auto d = s.when(associate(provider_mid, table(1), "customers", {{"team", "data"}}), ctx);
      const auto aid = ctx.fresh_id;
      const auto arn = expected_arn(provider, provider_mid, aid);
      THEN("AssociationCreated records it, then TagsChanged tags its membership-scoped ARN") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 2);
        const auto* e = std::get_if<events::association_created>(&d.value()[0]);
        REQUIRE(e);
        CHECK(e->association_id == aid);
        CHECK(e->membership_id == provider_mid);
        CHECK(e->configured_table_id == table(1));
        CHECK(e->account == provider);
        CHECK(e->region == "us-east-1");
        CHECK(e->name == "customers");
        CHECK(e->description == std::optional<std::string>("the customers table"));
        CHECK(e->role_arn == role);
        const auto* tags = std::get_if<events::tags_changed>(&d.value()[1]);
        REQUIRE(tags);
        CHECK(tags->resource_arn == arn);
        CHECK(tags->set == tag_map{{"team", "data"}});
      }
      THEN("the association lives in the collaboration under that ARN") {
        const auto* a = s.state.association(aid);
        REQUIRE(a);
        CHECK(co::association_arn(*a) == arn);
        CHECK(a->create_time == ctx.now);
        CHECK(a->update_time == ctx.now);
        CHECK(a->rules.empty());
        CHECK(s.state.tags.at(arn).at("team") == "data");
      }
      THEN("the name is taken for every member, whatever its case") {
        auto d2 = s.when(associate(creator_mid, table(2), "CUSTOMERS"), creator);
        THEN_REJECTED(d2, error_kind::conflict, "ALREADY_EXISTS", "CONFIGURED_TABLE_ASSOCIATION",
                      "customers");
        CHECK(d2.error().resource_id == aid);
        THEN_REJECTED(s.when(associate(provider_mid, table(3), "Customers"), provider),
                      error_kind::conflict, "ALREADY_EXISTS", "CONFIGURED_TABLE_ASSOCIATION",
                      "customers");
        CHECK(s.state.associations.size() == 1);
      }
      THEN("the same table cannot be associated twice through one membership") {
        auto d2 = s.when(associate(provider_mid, table(1), "customers_again"), provider);
        THEN_REJECTED(d2, error_kind::conflict, "ALREADY_EXISTS", "CONFIGURED_TABLE_ASSOCIATION",
                      table(1));
        CHECK(d2.error().resource_id == aid);
        CHECK(s.state.associations.size() == 1);
      }
      THEN("another member associates its own table under another name") {
        REQUIRE(s.when(associate(creator_mid, table(2), "purchases"), creator).ok());
        CHECK(s.state.associations.size() == 2);
      }
    }
    WHEN("the provider associates a table without tags") {
      auto ctx = s.as(provider);
      auto d = s.when(associate(provider_mid, table(1), "customers"), ctx);
      THEN("only AssociationCreated, yet the ARN is taggable") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        CHECK(std::holds_alternative<events::association_created>(d.value()[0]));
        CHECK(s.state.tags.count(expected_arn(provider, provider_mid, ctx.fresh_id)) == 1);
      }
    }
    THEN("an unknown membership or another account's is not found") {
      auto unknown = s.when(associate(unknown_id, table(1), "customers"), provider);
      THEN_REJECTED(unknown, error_kind::not_found, "", "MEMBERSHIP", unknown_id);
      CHECK(unknown.error().resource_id == unknown_id);
      auto foreign = s.when(associate(provider_mid, table(1), "customers"), creator);
      THEN_REJECTED(foreign, error_kind::not_found, "", "MEMBERSHIP", provider_mid);
      CHECK(foreign.error().resource_id == provider_mid);
      THEN_REJECTED(s.when(associate(provider_mid, table(1), "customers"), outsider),
                    error_kind::not_found, "", "MEMBERSHIP", provider_mid);
      auto ctx = s.as(provider);
      ctx.region = "eu-west-1";
      THEN_REJECTED(s.when(associate(provider_mid, table(1), "customers"), ctx),
                    error_kind::not_found, "", "MEMBERSHIP", provider_mid);
      CHECK(s.state.associations.empty());
    }
    WHEN("the provider's association is named orders and the creator then removes it") {
      REQUIRE(s.when(associate(provider_mid, table(1), "Orders"), provider).ok());
      REQUIRE(s.when(co::delete_member{provider}, creator).ok());
      THEN("the name is free: a removed member's association is no schema (SPEC.md 11)") {
        CHECK(s.when(associate(creator_mid, table(2), "orders"), creator).ok());
        CHECK(s.state.associations.size() == 2);
      }
    }
    WHEN("the creator removes the provider") {
      REQUIRE(s.when(co::delete_member{provider}, creator).ok());
      REQUIRE(s.state.membership(provider_mid)->status == membership_status::removed);
      THEN("its REMOVED membership cannot associate tables") {
        THEN_REJECTED(s.when(associate(provider_mid, table(1), "customers"), provider),
                      error_kind::access_denied, "INSUFFICIENT_PERMISSIONS", "", "REMOVED");
        CHECK(s.state.associations.empty());
      }
    }
    WHEN("the collaboration is deleted") {
      REQUIRE(s.when(co::delete_collaboration{}, creator).ok());
      THEN("no membership can associate tables") {
        THEN_REJECTED(s.when(associate(creator_mid, table(1), "customers"), creator),
                      error_kind::access_denied, "INSUFFICIENT_PERMISSIONS", "",
                      "COLLABORATION_DELETED");
      }
    }
    WHEN("the provider has 25 associations") {
      for (int i = 0; i < 25; ++i)
        REQUIRE(s.when(associate(provider_mid, table(i), "t" + std::to_string(i)), provider).ok());
      THEN("a 26th exceeds the per-membership quota, which other memberships do not share") {
        auto d = s.when(associate(provider_mid, table(25), "t25"), provider);
        THEN_REJECTED(d, error_kind::quota_exceeded, "", "",
                      "Configured table associations per membership");
        CHECK(d.error().quota_name == "Configured table associations per membership");
        CHECK(d.error().quota_value == 25.0);
        CHECK(s.state.associations.size() == 25);
        REQUIRE(s.when(associate(creator_mid, table(100), "t100"), creator).ok());
      }
    }
  }
}

// ---- UpdateConfiguredTableAssociation ----------------------------------------------------------

SCENARIO("the owner updates its association (SPEC.md 10)") {
  GIVEN("an association of each member") {
    auto [s, creator_mid, provider_mid] = both_joined();
    auto pctx = s.as(provider);
    REQUIRE(s.when(associate(provider_mid, table(1), "customers"), pctx).ok());
    auto cctx = s.as(creator);
    REQUIRE(s.when(associate(creator_mid, table(2), "purchases"), cctx).ok());
    const auto aid = pctx.fresh_id;
    const auto creator_aid = cctx.fresh_id;

    WHEN("the provider changes the description and the role") {
      co::update_association u{provider_mid, aid, std::string("renamed columns"), other_role};
      auto ctx = s.as(provider);
      auto d = s.when(u, ctx);
      THEN("AssociationUpdated carries both") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        const auto& e = std::get<events::association_updated>(d.value()[0]);
        CHECK(e.association_id == aid);
        CHECK(e.description == std::optional<std::string>("renamed columns"));
        CHECK(e.role_arn == std::optional<std::string>(other_role));
        const auto* a = s.state.association(aid);
        CHECK(a->description == std::optional<std::string>("renamed columns"));
        CHECK(a->role_arn == other_role);
        CHECK(a->update_time == ctx.now);
        CHECK(a->create_time == pctx.now);
        CHECK(a->name == "customers");
      }
    }
    WHEN("only the role changes") {
      auto d =
          s.when(co::update_association{provider_mid, aid, std::nullopt, other_role}, provider);
      THEN("the description is kept") {
        REQUIRE(d.ok());
        CHECK_FALSE(std::get<events::association_updated>(d.value()[0]).description);
        CHECK(s.state.association(aid)->description ==
              std::optional<std::string>("the customers table"));
        CHECK(s.state.association(aid)->role_arn == other_role);
      }
    }
    THEN("an update that sends nothing records nothing") {
      const auto version = s.state.version;
      THEN_NOTHING_HAPPENS(
          s.when(co::update_association{provider_mid, aid, std::nullopt, std::nullopt}, provider));
      CHECK(s.state.version == version);
    }
    THEN("an unknown association, or one of another membership, is not found") {
      auto unknown =
          s.when(co::update_association{provider_mid, unknown_id, {}, other_role}, provider);
      THEN_REJECTED(unknown, error_kind::not_found, "", "CONFIGURED_TABLE_ASSOCIATION", unknown_id);
      CHECK(unknown.error().resource_id == unknown_id);
      THEN_REJECTED(
          s.when(co::update_association{provider_mid, creator_aid, {}, other_role}, provider),
          error_kind::not_found, "", "CONFIGURED_TABLE_ASSOCIATION", creator_aid);
      THEN_REJECTED(s.when(co::update_association{creator_mid, aid, {}, other_role}, creator),
                    error_kind::not_found, "", "CONFIGURED_TABLE_ASSOCIATION", aid);
      THEN_REJECTED(s.when(co::update_association{provider_mid, aid, {}, other_role}, creator),
                    error_kind::not_found, "", "MEMBERSHIP", provider_mid);
      CHECK(s.state.association(aid)->role_arn == role);
    }
    WHEN("the provider is removed") {
      REQUIRE(s.when(co::delete_member{provider}, creator).ok());
      THEN("its association can no longer be changed") {
        THEN_REJECTED(s.when(co::update_association{provider_mid, aid, {}, other_role}, provider),
                      error_kind::access_denied, "INSUFFICIENT_PERMISSIONS", "", "REMOVED");
        CHECK(s.state.association(aid)->role_arn == role);
      }
    }
  }
}

// ---- DeleteConfiguredTableAssociation and DeleteMembership ------------------------------------

SCENARIO("the owner deletes its association, also to leave (SPEC.md 10, 7)") {
  GIVEN("a tagged association of the provider with an analysis rule") {
    auto [s, creator_mid, provider_mid] = both_joined();
    auto pctx = s.as(provider);
    REQUIRE(s.when(associate(provider_mid, table(1), "customers", {{"team", "data"}}), pctx).ok());
    const auto aid = pctx.fresh_id;
    const auto arn = expected_arn(provider, provider_mid, aid);
    REQUIRE(
        s.when(rule(provider_mid, aid, analysis_rule_type::list, receivers({creator})), provider)
            .ok());

    THEN("the membership cannot be deleted while the association exists") {
      auto d = s.when(co::delete_membership{provider_mid}, provider);
      THEN_REJECTED(d, error_kind::conflict, "SUBRESOURCES_EXIST", "MEMBERSHIP", "customers", aid);
      CHECK(d.error().resource_id == provider_mid);
      CHECK(s.state.membership(provider_mid));
      CHECK(s.state.member(provider)->status == member_status::active);
    }
    THEN("another account cannot delete it") {
      THEN_REJECTED(s.when(co::delete_association{provider_mid, aid}, creator),
                    error_kind::not_found, "", "MEMBERSHIP", provider_mid);
      THEN_REJECTED(s.when(co::delete_association{creator_mid, aid}, creator),
                    error_kind::not_found, "", "CONFIGURED_TABLE_ASSOCIATION", aid);
      THEN_REJECTED(s.when(co::delete_association{provider_mid, unknown_id}, provider),
                    error_kind::not_found, "", "CONFIGURED_TABLE_ASSOCIATION", unknown_id);
      CHECK(s.state.association(aid));
    }
    WHEN("the provider deletes the association") {
      auto d = s.when(co::delete_association{provider_mid, aid}, provider);
      THEN("AssociationDeleted takes its rules and tags with it") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        CHECK(std::get<events::association_deleted>(d.value()[0]).association_id == aid);
        CHECK_FALSE(s.state.association(aid));
        CHECK(s.state.tags.count(arn) == 0);
        THEN_REJECTED(s.when(co::tag_resource{arn, {{"a", "1"}}}, provider), error_kind::not_found,
                      "", "CONFIGURED_TABLE_ASSOCIATION", arn);
        THEN_REJECTED(s.when(co::delete_association{provider_mid, aid}, provider),
                      error_kind::not_found, "", "CONFIGURED_TABLE_ASSOCIATION", aid);
      }
      THEN("the name is free again") {
        REQUIRE(s.when(associate(creator_mid, table(2), "Customers"), creator).ok());
      }
      THEN("the provider can leave") {
        auto leave = s.when(co::delete_membership{provider_mid}, provider);
        REQUIRE(leave.ok());
        CHECK(count_events<events::membership_deleted>(leave.value()) == 1);
        CHECK(count_events<events::member_left>(leave.value()) == 1);
        CHECK(s.state.member(provider)->status == member_status::left);
      }
    }
    WHEN("the provider is removed") {
      REQUIRE(s.when(co::delete_member{provider}, creator).ok());
      THEN("the association still blocks deleting the REMOVED membership") {
        THEN_REJECTED(s.when(co::delete_membership{provider_mid}, provider), error_kind::conflict,
                      "SUBRESOURCES_EXIST", "MEMBERSHIP", aid);
      }
      THEN("the provider cleans up through its REMOVED membership, then deletes it") {
        REQUIRE(s.when(co::delete_association{provider_mid, aid}, provider).ok());
        CHECK(s.state.associations.empty());
        auto leave = s.when(co::delete_membership{provider_mid}, provider);
        REQUIRE(leave.ok());
        CHECK(count_events<events::member_left>(leave.value()) == 0);
        CHECK(s.state.member(provider)->status == member_status::removed);
      }
    }
    WHEN("the creator associated a table too and deleted the collaboration") {
      auto cctx = s.as(creator);
      REQUIRE(s.when(associate(creator_mid, table(2), "purchases"), cctx).ok());
      REQUIRE(s.when(co::delete_collaboration{}, creator).ok());
      THEN("the creator's association blocks deleting its membership until it is deleted") {
        THEN_REJECTED(s.when(co::delete_membership{creator_mid}, creator), error_kind::conflict,
                      "SUBRESOURCES_EXIST", "MEMBERSHIP", "purchases");
        REQUIRE(s.when(co::delete_association{creator_mid, cctx.fresh_id}, creator).ok());
        REQUIRE(s.when(co::delete_membership{creator_mid}, creator).ok());
        CHECK_FALSE(s.state.membership(creator_mid));
      }
      THEN("the provider deletes its association and leaves") {
        REQUIRE(s.when(co::delete_association{provider_mid, aid}, provider).ok());
        REQUIRE(s.when(co::delete_membership{provider_mid}, provider).ok());
        CHECK_FALSE(s.state.membership(provider_mid));
      }
    }
  }
}

// ---- association-level analysis rules ----------------------------------------------------------

SCENARIO("the owner sets association-level analysis rules") {
  GIVEN("an association of the provider") {
    auto [s, creator_mid, provider_mid] = both_joined();
    auto pctx = s.as(provider);
    REQUIRE(s.when(associate(provider_mid, table(1), "customers"), pctx).ok());
    const auto aid = pctx.fresh_id;
    auto policy = receivers({creator});
    policy.allowed_additional_analyses = std::vector<std::string>{"ANY_QUERY"};

    WHEN("an AGGREGATION rule is created") {
      auto ctx = s.as(provider);
      auto d = s.when(rule(provider_mid, aid, analysis_rule_type::aggregation, policy), ctx);
      THEN("AssociationRuleCreated records it on the association") {
        REQUIRE(d.ok());
        REQUIRE(d.value().size() == 1);
        const auto& e = std::get<events::association_rule_created>(d.value()[0]);
        CHECK(e.association_id == aid);
        CHECK(e.type == analysis_rule_type::aggregation);
        CHECK(e.policy == policy);
        const auto& rules = s.state.association(aid)->rules;
        REQUIRE(rules.count(analysis_rule_type::aggregation));
        CHECK(rules.at(analysis_rule_type::aggregation).policy == policy);
        CHECK(rules.at(analysis_rule_type::aggregation).create_time == ctx.now);
      }
      THEN("a second rule of the same type is a conflict, of another type is fine") {
        auto again =
            s.when(rule(provider_mid, aid, analysis_rule_type::aggregation, policy), provider);
        THEN_REJECTED(again, error_kind::conflict, "ALREADY_EXISTS", "CONFIGURED_TABLE_ASSOCIATION",
                      "AGGREGATION");
        CHECK(again.error().resource_id == aid);
        REQUIRE(s.when(rule(provider_mid, aid, analysis_rule_type::list, policy), provider).ok());
        CHECK(s.state.association(aid)->rules.size() == 2);
      }
      THEN("an identical update records nothing") {
        THEN_NOTHING_HAPPENS(s.when(
            rule_update(provider_mid, aid, analysis_rule_type::aggregation, policy), provider));
      }
      WHEN("the rule is updated") {
        auto changed = receivers({creator});
        auto uctx = s.as(provider);
        auto u =
            s.when(rule_update(provider_mid, aid, analysis_rule_type::aggregation, changed), uctx);
        THEN("AssociationRuleUpdated replaces the policy whole") {
          REQUIRE(u.ok());
          REQUIRE(u.value().size() == 1);
          const auto& e = std::get<events::association_rule_updated>(u.value()[0]);
          CHECK(e.type == analysis_rule_type::aggregation);
          CHECK(e.policy == changed);
          const auto& r = s.state.association(aid)->rules.at(analysis_rule_type::aggregation);
          CHECK(r.policy == changed);
          CHECK_FALSE(r.policy.allowed_additional_analyses);
          CHECK(r.create_time == ctx.now);
          CHECK(r.update_time == uctx.now);
        }
      }
      THEN("an update must name members that receive results") {
        THEN_REJECTED(s.when(rule_update(provider_mid, aid, analysis_rule_type::aggregation,
                                         receivers({outsider})),
                             provider),
                      error_kind::validation, "INVALID_CONFIGURATION", "", outsider);
        CHECK(s.state.association(aid)->rules.at(analysis_rule_type::aggregation).policy == policy);
      }
      WHEN("the rule is deleted") {
        auto del =
            s.when(co::delete_association_rule{provider_mid, aid, analysis_rule_type::aggregation},
                   provider);
        THEN("AssociationRuleDeleted leaves the association without rules") {
          REQUIRE(del.ok());
          REQUIRE(del.value().size() == 1);
          CHECK(std::get<events::association_rule_deleted>(del.value()[0]).type ==
                analysis_rule_type::aggregation);
          CHECK(s.state.association(aid)->rules.empty());
        }
      }
      WHEN("the provider is removed") {
        REQUIRE(s.when(co::delete_member{provider}, creator).ok());
        THEN("its rules can be deleted but not created or changed") {
          THEN_REJECTED(s.when(rule(provider_mid, aid, analysis_rule_type::list, policy), provider),
                        error_kind::access_denied, "INSUFFICIENT_PERMISSIONS", "", "REMOVED");
          THEN_REJECTED(s.when(rule_update(provider_mid, aid, analysis_rule_type::aggregation,
                                           receivers({creator})),
                               provider),
                        error_kind::access_denied, "INSUFFICIENT_PERMISSIONS", "", "REMOVED");
          REQUIRE(s.when(co::delete_association_rule{provider_mid, aid,
                                                     analysis_rule_type::aggregation},
                         provider)
                      .ok());
          CHECK(s.state.association(aid)->rules.empty());
        }
      }
    }
    THEN("the rule type must be the policy's union member") {
      co::create_association_rule c = rule(provider_mid, aid, analysis_rule_type::list, policy);
      c.policy_type = analysis_rule_type::aggregation;
      THEN_REJECTED(s.when(c, provider), error_kind::validation, "INVALID_CONFIGURATION", "",
                    "AGGREGATION", "LIST");
      CHECK(s.state.association(aid)->rules.empty());
    }
    THEN("result receivers must be members with CAN_RECEIVE_RESULTS") {
      THEN_REJECTED(s.when(rule(provider_mid, aid, analysis_rule_type::list, receivers({outsider})),
                           provider),
                    error_kind::validation, "INVALID_CONFIGURATION", "", outsider,
                    "CAN_RECEIVE_RESULTS");
      THEN_REJECTED(
          s.when(rule(provider_mid, aid, analysis_rule_type::list, receivers({creator, provider})),
                 provider),
          error_kind::validation, "INVALID_CONFIGURATION", "", provider, "CAN_RECEIVE_RESULTS");
      CHECK(s.state.association(aid)->rules.empty());
    }
    THEN("no list may repeat an entry") {
      THEN_REJECTED(
          s.when(rule(provider_mid, aid, analysis_rule_type::custom, receivers({creator, creator})),
                 provider),
          error_kind::validation, "INVALID_CONFIGURATION", "", "allowedResultReceivers", creator);
      association_rule_policy twice;
      twice.allowed_additional_analyses = std::vector<std::string>{"ANY_QUERY", "ANY_QUERY"};
      THEN_REJECTED(s.when(rule(provider_mid, aid, analysis_rule_type::custom, twice), provider),
                    error_kind::validation, "INVALID_CONFIGURATION", "",
                    "allowedAdditionalAnalyses", "ANY_QUERY");
      CHECK(s.state.association(aid)->rules.empty());
    }
    THEN("updating or deleting a rule the association does not have is not found") {
      auto u = s.when(rule_update(provider_mid, aid, analysis_rule_type::custom, policy), provider);
      THEN_REJECTED(u, error_kind::not_found, "", "CONFIGURED_TABLE_ASSOCIATION", "CUSTOM");
      CHECK(u.error().resource_id == aid);
      THEN_REJECTED(s.when(co::delete_association_rule{provider_mid, aid, analysis_rule_type::list},
                           provider),
                    error_kind::not_found, "", "CONFIGURED_TABLE_ASSOCIATION", "LIST");
    }
    THEN("rules of an unknown association or through another account's membership are not found") {
      THEN_REJECTED(
          s.when(rule(provider_mid, unknown_id, analysis_rule_type::list, policy), provider),
          error_kind::not_found, "", "CONFIGURED_TABLE_ASSOCIATION", unknown_id);
      THEN_REJECTED(s.when(rule(provider_mid, aid, analysis_rule_type::list, policy), creator),
                    error_kind::not_found, "", "MEMBERSHIP", provider_mid);
      THEN_REJECTED(s.when(rule(creator_mid, aid, analysis_rule_type::list, policy), creator),
                    error_kind::not_found, "", "CONFIGURED_TABLE_ASSOCIATION", aid);
    }
  }
}

// ---- tags on association ARNs (SPEC.md 15) -----------------------------------------------------

SCENARIO("an association's tags belong to the account that owns it") {
  GIVEN("an association of the provider") {
    auto [s, creator_mid, provider_mid] = both_joined();
    auto pctx = s.as(provider);
    REQUIRE(s.when(associate(provider_mid, table(1), "customers", {{"team", "data"}}), pctx).ok());
    const auto arn = expected_arn(provider, provider_mid, pctx.fresh_id);

    WHEN("the provider tags and untags it") {
      auto tag = s.when(co::tag_resource{arn, {{"cost", "7"}, {"team", "ml"}}}, provider);
      auto untag = s.when(co::untag_resource{arn, {"cost", "absent"}}, provider);
      THEN("TagsChanged events change exactly those keys") {
        REQUIRE(tag.ok());
        REQUIRE(tag.value().size() == 1);
        CHECK(std::get<events::tags_changed>(tag.value()[0]).resource_arn == arn);
        REQUIRE(untag.ok());
        REQUIRE(untag.value().size() == 1);
        CHECK(std::get<events::tags_changed>(untag.value()[0]).removed ==
              std::vector<std::string>{"cost"});
        CHECK(s.state.tags.at(arn) == tag_map{{"team", "ml"}});
      }
    }
    THEN("the collaboration's creator and outsiders get not-found") {
      for (const auto& account : {creator, outsider}) {
        auto d = s.when(co::tag_resource{arn, {{"a", "1"}}}, account);
        THEN_REJECTED(d, error_kind::not_found, "", "CONFIGURED_TABLE_ASSOCIATION", arn);
        CHECK(d.error().resource_id == arn);
        THEN_REJECTED(s.when(co::untag_resource{arn, {"team"}}, account), error_kind::not_found, "",
                      "CONFIGURED_TABLE_ASSOCIATION", arn);
      }
      CHECK(s.state.tags.at(arn) == tag_map{{"team", "data"}});
    }
    THEN("an ARN that names the association under another membership is not found") {
      const auto wrong = expected_arn(provider, creator_mid, pctx.fresh_id);
      THEN_REJECTED(s.when(co::tag_resource{wrong, {{"a", "1"}}}, provider), error_kind::not_found,
                    "", "CONFIGURED_TABLE_ASSOCIATION", wrong);
    }
  }
}

SCENARIO("An association is not deleted while a query that reads its schema is unfinished") {
  // SPEC.md 10 DeleteConfiguredTableAssociation and Q22: ConflictException INVALID_STATE.
  GIVEN("the provider's Customers and Orders; the creator queries Customers") {
    auto t = both_joined();
    auto actx = t.s.as(provider);
    REQUIRE(t.s.when(associate(t.provider_mid, table(1), "Customers"), actx).ok());
    const auto customers = actx.fresh_id;
    auto octx = t.s.as(provider);
    REQUIRE(t.s.when(associate(t.provider_mid, table(2), "Orders"), octx).ok());
    const auto orders = octx.fresh_id;
    co::start_query q;
    q.membership_id = t.creator_mid;
    q.sql.query_string = "SELECT COUNT(*) FROM customers c JOIN CUSTOMERS d ON c.id = d.id";
    q.output = query_output{false, {query_s3_output{result_format::csv, "results", {}, {}}}};
    // The names as the rule check found them: any case, repeated, and one whose association
    // has gone since the check read the projections.
    q.schemas = {"customers", "CUSTOMERS", "returns"};
    auto qctx = t.s.as(creator);
    auto started = t.s.when(q, qctx);
    REQUIRE(started.ok());
    const auto qid = qctx.fresh_id;
    THEN("QueryStarted names the association once, by id") {
      const auto* e = find_event<events::query_started>(started.value());
      REQUIRE(e);
      CHECK(e->associations == std::vector<std::string>{customers});
      CHECK(t.s.state.queries.at(qid).associations == std::vector<std::string>{customers});
    }
    THEN("a QueryStarted naming an association the collaboration does not have does not fit") {
      auto e = *find_event<events::query_started>(started.value());
      e.query_id = unknown_id;
      CHECK_FALSE(co::why_not_applicable(t.s.state, e));
      e.associations.push_back(unknown_id);
      const auto why = co::why_not_applicable(t.s.state, e);
      REQUIRE(why);
      CHECK_THAT(*why, Catch::Contains(unknown_id));
    }
    THEN("an AssociationDeleted of what the query reads does not fit either (verify's check)") {
      const auto why = co::why_not_applicable(t.s.state, events::association_deleted{customers});
      REQUIRE(why);
      CHECK_THAT(*why, Catch::Contains("unfinished query"));
      CHECK_FALSE(co::why_not_applicable(t.s.state, events::association_deleted{orders}));
    }
    WHEN("the provider deletes Customers while the query is SUBMITTED, STARTED or CANCELLING") {
      auto refused = t.s.when(co::delete_association{t.provider_mid, customers}, provider);
      THEN_REJECTED(refused, error_kind::conflict, "INVALID_STATE", "CONFIGURED_TABLE_ASSOCIATION",
                    customers, "SUBMITTED");
      // The provider may not see the creator's query (SPEC.md 12): not named.
      CHECK_THAT(refused.error().message, !Catch::Contains(qid));
      REQUIRE(t.s.when(co::begin_query{qid}, creator).ok());
      THEN_REJECTED(t.s.when(co::delete_association{t.provider_mid, customers}, provider),
                    error_kind::conflict, "INVALID_STATE", "CONFIGURED_TABLE_ASSOCIATION",
                    "STARTED");
      REQUIRE(t.s.when(co::cancel_query{t.creator_mid, qid}, creator).ok());
      REQUIRE(t.s.state.queries.at(qid).status == query_status::cancelling);
      THEN_REJECTED(t.s.when(co::delete_association{t.provider_mid, customers}, provider),
                    error_kind::conflict, "INVALID_STATE", "CONFIGURED_TABLE_ASSOCIATION",
                    "CANCELLING");
      CHECK(t.s.state.association(customers));
      THEN("Orders, which it does not read, can go") {
        REQUIRE(t.s.when(co::delete_association{t.provider_mid, orders}, provider).ok());
        CHECK_FALSE(t.s.state.association(orders));
      }
    }
    WHEN("the query has finished") {
      REQUIRE(t.s.when(co::begin_query{qid}, creator).ok());
      co::finish_query done;
      done.query_id = qid;
      done.status = query_status::failed;
      done.error_code = "EXECUTION_ERROR";
      REQUIRE(t.s.when(done, creator).ok());
      THEN("Customers can be deleted") {
        REQUIRE(t.s.when(co::delete_association{t.provider_mid, customers}, provider).ok());
        CHECK_FALSE(t.s.state.association(customers));
      }
    }
  }
  GIVEN("a query whose QueryStarted names no association (recorded before the field existed)") {
    auto t = both_joined();
    auto actx = t.s.as(provider);
    REQUIRE(t.s.when(associate(t.provider_mid, table(1), "Customers"), actx).ok());
    co::start_query q;
    q.membership_id = t.creator_mid;
    q.sql.query_string = "SELECT COUNT(*) FROM customers";
    q.output = query_output{false, {query_s3_output{result_format::csv, "results", {}, {}}}};
    REQUIRE(t.s.when(q, creator).ok());
    THEN("it holds up no deletion") {
      REQUIRE(t.s.when(co::delete_association{t.provider_mid, actx.fresh_id}, provider).ok());
    }
  }
}
