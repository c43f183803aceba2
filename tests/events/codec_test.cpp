// The codec: exact round trips for every event, and no trust in the bytes it is given.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>

#include <random>
#include <set>

#include "events/codec.hpp"
#include "events_generated.h"
#include "samples.hpp"

namespace ev = crs::events;
using crs::store_error;
using crs::test::all_samples;
using crs::test::sample_envelope;

namespace {

bool same_envelope(const ev::envelope& a, const ev::envelope& b) {
  return a.position == b.position && a.stream == b.stream && a.version == b.version &&
         a.type == b.type && a.time == b.time && a.account == b.account &&
         a.request_id == b.request_id;
}

std::string finish(flatbuffers::FlatBufferBuilder& b, flatbuffers::Offset<crs::fb::Envelope> e) {
  crs::fb::FinishEnvelopeBuffer(b, e);
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

// A hand-built envelope, to forge what encode() never writes.
std::string forged(std::uint16_t format, crs::fb::Payload tag, flatbuffers::Offset<void> body,
                   const char* type, flatbuffers::FlatBufferBuilder& b) {
  auto type_str = b.CreateString(type);
  crs::fb::EnvelopeBuilder eb(b);
  eb.add_format(format);
  eb.add_position(1);
  eb.add_version(1);
  eb.add_type(type_str);
  eb.add_payload_type(tag);
  if (!body.IsNull()) eb.add_payload(body);
  return finish(b, eb.Finish());
}

// Decodes from an 8-byte-aligned copy: the decoder's in-place path.
crs::result<ev::recorded_event> aligned_decode(std::string_view bytes) {
  std::vector<std::uint64_t> words((bytes.size() + 7) / 8 + 1);
  std::memcpy(words.data(), bytes.data(), bytes.size());
  return ev::decode(std::string_view(reinterpret_cast<const char*>(words.data()), bytes.size()));
}

bool is_corruption(const crs::result<ev::recorded_event>& r) {
  return !r.ok() && r.error().code == store_error::kind::corruption;
}

// Corruption for the expected reason, so a forgery refused for another (say, a misspelt type
// name) cannot pass for the check under test.
bool corrupt_because(const crs::result<ev::recorded_event>& r, const std::string& why) {
  if (!is_corruption(r)) return false;
  INFO(r.error().message);
  CHECK(r.error().message == "event decode: " + why);
  return r.error().message == "event decode: " + why;
}

}  // namespace

TEST_CASE("the samples cover every event type", "[codec]") {
  std::set<std::size_t> seen;
  for (const auto& s : all_samples()) seen.insert(s.payload.index());
  CHECK(seen.size() == std::variant_size_v<ev::event_payload>);
}

TEST_CASE("each payload table is named like its event type", "[codec]") {
  for (const auto& s : all_samples()) {
    INFO(s.name);
    auto bytes = ev::encode(sample_envelope(s.payload), s.payload);
    const auto* env = crs::fb::GetEnvelope(bytes.data());
    CHECK(crs::fb::EnumNamePayload(env->payload_type()) == ev::type_name(s.payload));
    CHECK(static_cast<std::size_t>(env->payload_type()) == s.payload.index() + 1);
  }
}

TEST_CASE("the samples cover every table reference kind and every policy kind", "[codec]") {
  std::set<std::size_t> references, policies, association_rule_types;
  for (const auto& s : all_samples()) {
    if (const auto* c = std::get_if<ev::configured_table_created>(&s.payload))
      references.insert(c->reference.index());
    if (const auto* u = std::get_if<ev::configured_table_updated>(&s.payload); u && u->reference)
      references.insert(u->reference->index());
    if (const auto* r = std::get_if<ev::analysis_rule_created>(&s.payload))
      policies.insert(r->policy.index());
    if (const auto* r = std::get_if<ev::association_rule_created>(&s.payload))
      association_rule_types.insert(static_cast<std::size_t>(r->type));
  }
  CHECK(references.size() == std::variant_size_v<crs::table_reference>);
  CHECK(policies.size() == std::variant_size_v<crs::analysis_rule_policy>);
  CHECK(association_rule_types.size() == crs::analysis_rule_type_count);
}

SCENARIO("every event round-trips exactly through encode and decode", "[codec]") {
  for (const auto& s : all_samples()) {
    GIVEN("the sample " + s.name) {
      auto env = sample_envelope(s.payload);
      WHEN("it is encoded and decoded") {
        auto decoded = ev::decode(ev::encode(env, s.payload));
        THEN("the envelope and the payload come back equal, optionals and order included") {
          REQUIRE(decoded.ok());
          CHECK(same_envelope(decoded->env, env));
          CHECK(decoded->payload.index() == s.payload.index());
          CHECK(decoded->payload == s.payload);
        }
      }
    }
  }
}

SCENARIO("an optional list present and empty stays distinct from an absent one", "[codec]") {
  auto round_trip = [](const ev::event_payload& p) {
    auto r = ev::decode(ev::encode(sample_envelope(p), p));
    REQUIRE(r.ok());
    return r->payload;
  };
  GIVEN("a configured table update that clears the selected methods") {
    ev::configured_table_updated cleared;
    cleared.selected_methods = std::vector<crs::selected_analysis_method>{};
    cleared.allowed_columns = std::vector<std::string>{};
    THEN("it reads back present and empty, and the bare update reads back absent") {
      auto back = std::get<ev::configured_table_updated>(round_trip(cleared));
      REQUIRE(back.selected_methods.has_value());
      CHECK(back.selected_methods->empty());
      REQUIRE(back.allowed_columns.has_value());
      CHECK(back.allowed_columns->empty());
      auto bare =
          std::get<ev::configured_table_updated>(round_trip(ev::configured_table_updated{}));
      CHECK_FALSE(bare.selected_methods.has_value());
      CHECK_FALSE(bare.allowed_columns.has_value());
      CHECK_FALSE(bare.reference.has_value());
      CHECK_FALSE(bare.method.has_value());
    }
  }
  GIVEN("policies whose optional lists are empty") {
    auto custom = std::get<ev::analysis_rule_created>(
        round_trip(ev::analysis_rule_created{crs::test::empty_custom()}));
    auto list = std::get<crs::custom_rule>(custom.policy);
    THEN("each optional list is present and empty") {
      REQUIRE(list.allowed_analysis_providers.has_value());
      CHECK(list.allowed_analysis_providers->empty());
      REQUIRE(list.disallowed_output_columns.has_value());
      REQUIRE(list.differential_privacy_columns.has_value());
      CHECK_FALSE(list.additional.has_value());
    }
    auto aggregation = std::get<crs::aggregation_rule>(
        std::get<ev::analysis_rule_created>(
            round_trip(ev::analysis_rule_created{crs::test::empty_aggregation()}))
            .policy);
    THEN("the aggregation rule keeps its empty join operators and its first-value enum") {
      REQUIRE(aggregation.allowed_join_operators.has_value());
      CHECK(aggregation.allowed_join_operators->empty());
      CHECK(aggregation.additional == crs::additional_analyses::allowed);
      CHECK_FALSE(aggregation.join_required);
    }
    auto association =
        std::get<ev::association_rule_created>(round_trip(ev::association_rule_created{
            "a", crs::analysis_rule_type::list, {std::vector<std::string>{}, std::nullopt}}));
    THEN("an association policy keeps one list empty and the other absent") {
      REQUIRE(association.policy.allowed_result_receivers.has_value());
      CHECK(association.policy.allowed_result_receivers->empty());
      CHECK_FALSE(association.policy.allowed_additional_analyses.has_value());
    }
  }
}

SCENARIO("the envelope records the payload's type name", "[codec]") {
  GIVEN("an envelope whose type field disagrees with its payload") {
    ev::event_payload p = ev::member_left{"111122223333"};
    auto env = sample_envelope(p);
    env.type = "Whatever";
    THEN("the stored type is derived from the payload") {
      auto decoded = ev::decode(ev::encode(env, p));
      REQUIRE(decoded.ok());
      CHECK(decoded->env.type == "MemberLeft");
    }
  }
}

SCENARIO("decode refuses truncated encodings", "[codec]") {
  // A FlatBuffer may end in alignment padding that nothing references, so a prefix that keeps
  // every referenced byte is still the same buffer. Any other prefix must be refused.
  std::size_t refused = 0, total = 0;
  for (const auto& s : all_samples()) {
    auto bytes = ev::encode(sample_envelope(s.payload), s.payload);
    INFO(s.name);
    for (std::size_t n = 0; n < bytes.size(); ++n, ++total) {
      INFO("prefix of " << n << " of " << bytes.size() << " bytes");
      auto r = ev::decode(std::string_view(bytes.data(), n));
      if (r.ok()) {
        CHECK(bytes.size() - n < 8);
        CHECK(r->payload == s.payload);
      } else {
        CHECK(r.error().code == store_error::kind::corruption);
        ++refused;
      }
    }
  }
  CHECK(refused > total * 9 / 10);
}

SCENARIO("decode survives arbitrary bytes", "[codec]") {
  std::mt19937_64 rng(0x5eed2026);
  auto random_bytes = [&](std::size_t n) {
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng());
    return s;
  };

  GIVEN("thousands of random buffers") {
    THEN("each one is rejected as corruption") {
      for (int i = 0; i < 3000; ++i) {
        auto bytes = random_bytes(rng() % 600);
        REQUIRE(is_corruption(ev::decode(bytes)));
      }
    }
  }

  GIVEN("random buffers with a plausible root offset and the right file identifier") {
    THEN("the verifier still rejects each one") {
      for (int i = 0; i < 3000; ++i) {
        auto bytes = random_bytes(8 + rng() % 600);
        auto root = static_cast<std::uint32_t>(rng() % bytes.size()) & ~3u;
        for (int k = 0; k < 4; ++k) bytes[k] = static_cast<char>(root >> (8 * k));
        bytes.replace(4, 4, "CRSE");
        REQUIRE(is_corruption(ev::decode(bytes)));
      }
    }
  }

  GIVEN("valid encodings with random bytes overwritten") {
    auto samples = all_samples();
    THEN("decode never crashes, and whatever it accepts encodes again") {
      int rejected = 0;
      for (int i = 0; i < 4000; ++i) {
        const auto& s = samples[rng() % samples.size()];
        auto bytes = ev::encode(sample_envelope(s.payload), s.payload);
        int flips = 1 + static_cast<int>(rng() % 4);
        for (int f = 0; f < flips; ++f) bytes[rng() % bytes.size()] = static_cast<char>(rng());
        auto r = ev::decode(bytes);
        if (!r.ok()) {
          ++rejected;
          continue;
        }
        auto again = ev::decode(ev::encode(r->env, r->payload));
        REQUIRE(again.ok());
        CHECK(again->payload == r->payload);
      }
      CHECK(rejected > 0);
    }
  }

  GIVEN("a valid encoding at an odd address (RocksDB slices need not be aligned)") {
    auto samples = all_samples();
    const auto& s = samples.front();
    auto bytes = ev::encode(sample_envelope(s.payload), s.payload);
    std::string shifted = "x" + bytes;
    THEN("it decodes the same") {
      auto r = ev::decode(std::string_view(shifted).substr(1));
      REQUIRE(r.ok());
      CHECK(r->payload == s.payload);
    }
  }

  GIVEN("every sample at each unaligned offset, one after another, largest first") {
    // Unaligned events are copied into a buffer the thread reuses: what a longer event left
    // in it must never leak into the next one.
    auto samples = all_samples();
    std::vector<std::string> encoded;
    for (const auto& s : samples)
      encoded.push_back(ev::encode(sample_envelope(s.payload), s.payload));
    std::vector<std::size_t> order(samples.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return encoded[a].size() > encoded[b].size(); });
    THEN("each decodes to its own payload") {
      for (std::size_t offset = 1; offset < 8; ++offset)
        for (std::size_t i : order) {
          const std::string shifted = std::string(offset, 'x') + encoded[i];
          auto r = ev::decode(std::string_view(shifted).substr(offset));
          REQUIRE(r.ok());
          CHECK(r->payload == samples[i].payload);
          // A cut buffer decodes (or fails) exactly as an aligned copy of it does, which the
          // decoder reads in place: stale bytes past the cut take no part.
          for (std::size_t cut : {encoded[i].size() - 1, encoded[i].size() / 2}) {
            auto copied = ev::decode(std::string_view(shifted).substr(offset, cut));
            auto in_place = aligned_decode(std::string_view(encoded[i]).substr(0, cut));
            REQUIRE(copied.ok() == in_place.ok());
            if (copied.ok()) CHECK(copied->payload == in_place->payload);
          }
        }
    }
  }
}

SCENARIO("decode checks what the verifier cannot", "[codec]") {
  flatbuffers::FlatBufferBuilder b;
  namespace fb = crs::fb;

  WHEN("an enum holds a value outside the schema") {
    auto account = b.CreateString("111122223333");
    auto t = fb::CreatePaymentAssigned(b, static_cast<fb::PaymentDimension>(9), account, true);
    auto bytes = forged(1, fb::Payload::PaymentAssigned, t.Union(), "PaymentAssigned", b);
    THEN("it is corruption") {
      CHECK(is_corruption(ev::decode(bytes)));
    }
  }
  WHEN("an enum inside a vector holds a value outside the schema") {
    auto account = b.CreateString("1");
    std::vector<fb::MemberAbility> abilities{fb::MemberAbility::CanQuery,
                                             static_cast<fb::MemberAbility>(200)};
    auto spec = fb::CreateMemberSpec(b, account, account, b.CreateVector(abilities));
    auto t = fb::CreateMemberInvited(b, spec);
    auto bytes = forged(1, fb::Payload::MemberInvited, t.Union(), "MemberInvited", b);
    THEN("it is corruption") {
      CHECK(is_corruption(ev::decode(bytes)));
    }
  }
  WHEN("the union tag is one this version does not know") {
    auto t = fb::CreateCollaborationDeleted(b);
    auto bytes = forged(1, static_cast<fb::Payload>(77), t.Union(), "Future", b);
    THEN("it is corruption") {
      CHECK(is_corruption(ev::decode(bytes)));
    }
  }
  WHEN("the union tag is the first one after the newest event") {
    auto t = fb::CreateCollaborationDeleted(b);
    auto tag = static_cast<fb::Payload>(std::variant_size_v<ev::event_payload> + 1);
    auto bytes = forged(1, tag, t.Union(), "Future", b);
    THEN("it is corruption") {
      CHECK(is_corruption(ev::decode(bytes)));
    }
  }
  WHEN("the payload is missing") {
    auto bytes = forged(1, fb::Payload::MemberLeft, 0, "MemberLeft", b);
    THEN("it is corruption") {
      CHECK(is_corruption(ev::decode(bytes)));
    }
  }
  WHEN("the format is absent or newer than this reader") {
    auto t0 = fb::CreateCollaborationDeleted(b);
    auto zero = forged(0, fb::Payload::CollaborationDeleted, t0.Union(), "CollaborationDeleted", b);
    flatbuffers::FlatBufferBuilder b2;
    auto t2 = fb::CreateCollaborationDeleted(b2);
    auto two = forged(2, fb::Payload::CollaborationDeleted, t2.Union(), "CollaborationDeleted", b2);
    THEN("it is corruption") {
      CHECK(is_corruption(ev::decode(zero)));
      CHECK(is_corruption(ev::decode(two)));
    }
  }
  WHEN("the recorded type name disagrees with the payload") {
    auto t = fb::CreateCollaborationDeleted(b);
    auto bytes = forged(1, fb::Payload::CollaborationDeleted, t.Union(), "MemberLeft", b);
    THEN("it is corruption") {
      CHECK(is_corruption(ev::decode(bytes)));
    }
  }
  WHEN("everything is right") {
    auto t = fb::CreateCollaborationDeleted(b);
    auto bytes = forged(1, fb::Payload::CollaborationDeleted, t.Union(), "CollaborationDeleted", b);
    THEN("the forged buffer decodes") {
      CHECK(ev::decode(bytes).ok());
    }
  }
}

namespace {

namespace fb = crs::fb;

// A ConfiguredTableCreated around the given reference holder (0 = absent).
std::string forged_table(flatbuffers::FlatBufferBuilder& b,
                         flatbuffers::Offset<fb::TableReference> reference,
                         fb::AnalysisMethod method = fb::AnalysisMethod::DirectQuery) {
  auto t = fb::CreateConfiguredTableCreated(b, 0, 0, 0, 0, 0, reference, 0, method);
  return forged(1, fb::Payload::ConfiguredTableCreated, t.Union(), "ConfiguredTableCreated", b);
}

// A ConfiguredTableAnalysisRuleCreated around the given policy holder (0 = absent).
std::string forged_rule(flatbuffers::FlatBufferBuilder& b,
                        flatbuffers::Offset<fb::AnalysisRulePolicy> policy) {
  auto t = fb::CreateConfiguredTableAnalysisRuleCreated(b, policy);
  return forged(1, fb::Payload::ConfiguredTableAnalysisRuleCreated, t.Union(),
                "ConfiguredTableAnalysisRuleCreated", b);
}

std::string forged_aggregation(flatbuffers::FlatBufferBuilder& b,
                               flatbuffers::Offset<fb::AggregationRule> rule) {
  return forged_rule(b, fb::CreateAnalysisRulePolicy(b, fb::AnalysisRulePolicyKind::AggregationRule,
                                                     rule.Union()));
}

}  // namespace

SCENARIO("decode checks the configured-table values the verifier cannot", "[codec]") {
  flatbuffers::FlatBufferBuilder b;

  WHEN("a well-formed table reference and policy are forged") {
    auto db = b.CreateString("db");
    auto glue = fb::CreateGlueTableReference(b, 0, db, db);
    auto bytes = forged_table(
        b, fb::CreateTableReference(b, fb::TableReferenceKind::GlueTableReference, glue.Union()));
    THEN("the forgery itself decodes, so the refusals below are the checks at work") {
      auto r = ev::decode(bytes);
      REQUIRE(r.ok());
      const auto& c = std::get<ev::configured_table_created>(r->payload);
      CHECK(std::get<crs::glue_table_reference>(c.reference).database_name == "db");
      CHECK_FALSE(std::get<crs::glue_table_reference>(c.reference).region.has_value());
    }
  }
  WHEN("the table reference kind is one this version does not know") {
    auto glue = fb::CreateGlueTableReference(b);
    auto bytes = forged_table(
        b, fb::CreateTableReference(b, static_cast<fb::TableReferenceKind>(9), glue.Union()));
    THEN("it is corruption: bad table reference kind") {
      CHECK(corrupt_because(ev::decode(bytes), "bad table reference kind"));
    }
  }
  WHEN("the table reference holder is present but its kind is NONE") {
    auto bytes = forged_table(b, fb::CreateTableReference(b));
    THEN("it is corruption: bad table reference kind") {
      CHECK(corrupt_because(ev::decode(bytes), "bad table reference kind"));
    }
  }
  WHEN("the kind is known but its table is missing") {
    auto bytes = forged_table(
        b, fb::CreateTableReference(b, fb::TableReferenceKind::AthenaTableReference, 0));
    THEN("it is corruption: bad table reference kind") {
      CHECK(corrupt_because(ev::decode(bytes), "bad table reference kind"));
    }
  }
  WHEN("a created table has no reference at all") {
    auto bytes = forged_table(b, 0);
    THEN("it is corruption, even for the lenient log reader") {
      CHECK(corrupt_because(ev::decode(bytes), "table reference missing"));
    }
  }
  WHEN("the analysis method is outside the schema") {
    auto glue = fb::CreateGlueTableReference(b);
    auto bytes = forged_table(
        b, fb::CreateTableReference(b, fb::TableReferenceKind::GlueTableReference, glue.Union()),
        static_cast<fb::AnalysisMethod>(3));
    THEN("it is corruption: bad analysis method") {
      CHECK(corrupt_because(ev::decode(bytes), "bad analysis method"));
    }
  }
  WHEN("a selected analysis method is outside the schema") {
    std::vector<fb::SelectedAnalysisMethod> methods{fb::SelectedAnalysisMethod::DirectJob,
                                                    static_cast<fb::SelectedAnalysisMethod>(2)};
    auto selected = b.CreateVector(methods);
    auto t = fb::CreateConfiguredTableUpdated(b, 0, 0, 0, 0, flatbuffers::nullopt, selected);
    auto bytes =
        forged(1, fb::Payload::ConfiguredTableUpdated, t.Union(), "ConfiguredTableUpdated", b);
    THEN("it is corruption: bad selected analysis method") {
      CHECK(corrupt_because(ev::decode(bytes), "bad selected analysis method"));
    }
  }
  WHEN("the policy kind is one this version does not know") {
    auto list = fb::CreateListRule(b);
    auto bytes = forged_rule(b, fb::CreateAnalysisRulePolicy(
                                    b, static_cast<fb::AnalysisRulePolicyKind>(4), list.Union()));
    THEN("it is corruption: bad analysis rule policy kind") {
      CHECK(corrupt_because(ev::decode(bytes), "bad analysis rule policy kind"));
    }
  }
  WHEN("the policy holder's kind is NONE") {
    auto bytes = forged_rule(b, fb::CreateAnalysisRulePolicy(b));
    THEN("it is corruption: bad analysis rule policy kind") {
      CHECK(corrupt_because(ev::decode(bytes), "bad analysis rule policy kind"));
    }
  }
  WHEN("a rule event has no policy") {
    auto bytes = forged_rule(b, 0);
    THEN("it is corruption: analysis rule policy missing") {
      CHECK(corrupt_because(ev::decode(bytes), "analysis rule policy missing"));
    }
  }
  WHEN("the policy's kind disagrees with its table") {
    // Tagged CustomRule but pointing at a ListRule: the Verifier checks the bytes as a
    // CustomRule, and a ListRule read as one is still in bounds, so it decodes as a custom rule.
    auto list = fb::CreateListRule(b);
    auto bytes = forged_rule(
        b, fb::CreateAnalysisRulePolicy(b, fb::AnalysisRulePolicyKind::CustomRule, list.Union()));
    THEN("decode never crashes, and whatever it accepts is a custom rule") {
      auto r = ev::decode(bytes);
      if (r.ok())
        CHECK(std::holds_alternative<crs::custom_rule>(
            std::get<ev::analysis_rule_created>(r->payload).policy));
    }
  }
  WHEN("an aggregate function is outside the schema") {
    auto column = fb::CreateAggregateColumn(b, 0, static_cast<fb::AggregateFunction>(5));
    std::vector<flatbuffers::Offset<fb::AggregateColumn>> columns{column};
    auto bytes = forged_aggregation(b, fb::CreateAggregationRule(b, b.CreateVector(columns)));
    THEN("it is corruption: bad aggregate function") {
      CHECK(corrupt_because(ev::decode(bytes), "bad aggregate function"));
    }
  }
  WHEN("a join operator is outside the schema") {
    std::vector<fb::JoinOperator> ops{static_cast<fb::JoinOperator>(2)};
    auto ops_v = b.CreateVector(ops);
    auto bytes = forged_aggregation(b, fb::CreateAggregationRule(b, 0, 0, true, ops_v));
    THEN("it is corruption: bad join operator") {
      CHECK(corrupt_because(ev::decode(bytes), "bad join operator"));
    }
  }
  WHEN("a scalar function is outside the schema") {
    std::vector<fb::ScalarFunction> fns{fb::ScalarFunction::Upper,
                                        static_cast<fb::ScalarFunction>(24)};
    auto fns_v = b.CreateVector(fns);
    auto bytes = forged_aggregation(b, fb::CreateAggregationRule(b, 0, 0, false, 0, 0, fns_v));
    THEN("it is corruption: bad scalar function") {
      CHECK(corrupt_because(ev::decode(bytes), "bad scalar function"));
    }
  }
  WHEN("additional analyses is outside the schema") {
    auto custom = fb::CreateCustomRule(b, 0, 0, static_cast<fb::AdditionalAnalyses>(3));
    auto bytes = forged_rule(
        b, fb::CreateAnalysisRulePolicy(b, fb::AnalysisRulePolicyKind::CustomRule, custom.Union()));
    THEN("it is corruption: bad additional analyses") {
      CHECK(corrupt_because(ev::decode(bytes), "bad additional analyses"));
    }
  }
  WHEN("a deleted rule's type is outside the schema") {
    auto t = fb::CreateConfiguredTableAnalysisRuleDeleted(b, static_cast<fb::AnalysisRuleType>(3));
    auto bytes = forged(1, fb::Payload::ConfiguredTableAnalysisRuleDeleted, t.Union(),
                        "ConfiguredTableAnalysisRuleDeleted", b);
    THEN("it is corruption: bad analysis rule type") {
      CHECK(corrupt_because(ev::decode(bytes), "bad analysis rule type"));
    }
  }
  WHEN("an association rule's type is outside the schema") {
    auto id = b.CreateString("cta");
    auto t = fb::CreateConfiguredTableAssociationAnalysisRuleCreated(
        b, id, static_cast<fb::AnalysisRuleType>(200));
    auto bytes = forged(1, fb::Payload::ConfiguredTableAssociationAnalysisRuleCreated, t.Union(),
                        "ConfiguredTableAssociationAnalysisRuleCreated", b);
    THEN("it is corruption: bad analysis rule type") {
      CHECK(corrupt_because(ev::decode(bytes), "bad analysis rule type"));
    }
  }
  WHEN("an association rule has no policy") {
    auto id = b.CreateString("cta");
    auto t =
        fb::CreateConfiguredTableAssociationAnalysisRuleCreated(b, id, fb::AnalysisRuleType::List);
    auto bytes = forged(1, fb::Payload::ConfiguredTableAssociationAnalysisRuleCreated, t.Union(),
                        "ConfiguredTableAssociationAnalysisRuleCreated", b);
    THEN("the lenient log reader reads a policy with both members absent") {
      auto r = ev::decode(bytes);
      REQUIRE(r.ok());
      const auto& e = std::get<ev::association_rule_created>(r->payload);
      CHECK(e.type == crs::analysis_rule_type::list);
      CHECK(e.policy == crs::association_rule_policy{});
    }
  }
}

// ---- analysis templates and change requests ----

TEST_CASE("the samples cover every parameter type, both source kinds and both change kinds",
          "[codec]") {
  std::set<int> parameter_types, change_types, statuses;
  std::set<std::size_t> sources, change_kinds;
  for (const auto& s : all_samples()) {
    if (const auto* t = std::get_if<ev::analysis_template_created>(&s.payload)) {
      sources.insert(t->source.index());
      if (t->parameters)
        for (const auto& p : *t->parameters) parameter_types.insert(static_cast<int>(p.type));
    }
    if (const auto* r = std::get_if<ev::change_request_created>(&s.payload)) {
      statuses.insert(static_cast<int>(r->status));
      for (const auto& c : r->changes) {
        change_kinds.insert(c.spec.index());
        for (auto t : c.types) change_types.insert(static_cast<int>(t));
      }
    }
  }
  CHECK(static_cast<int>(parameter_types.size()) == crs::parameter_type_count);
  CHECK(sources.size() == std::variant_size_v<crs::analysis_source>);
  CHECK(change_kinds.size() == std::variant_size_v<decltype(crs::change::spec)>);
  CHECK(change_types.size() == 4);
  CHECK(statuses.size() == 5);
}

SCENARIO("template and change request optionals: present, present-but-empty and absent differ",
         "[codec]") {
  auto round_trip = [](const ev::event_payload& p) {
    auto r = ev::decode(ev::encode(sample_envelope(p), p));
    REQUIRE(r.ok());
    return r->payload;
  };
  GIVEN("templates with parameters present, present and empty, and absent") {
    ev::analysis_template_created with;
    with.parameters = crs::test::every_parameter_type();
    ev::analysis_template_created empty;
    empty.parameters = std::vector<crs::analysis_parameter>{};
    THEN("each reads back as written, default values included") {
      auto w = std::get<ev::analysis_template_created>(round_trip(with));
      REQUIRE(w.parameters.has_value());
      REQUIRE(w.parameters->size() == crs::parameter_type_count);
      CHECK_FALSE((*w.parameters)[0].default_value.has_value());
      CHECK((*w.parameters)[1].default_value == std::optional<std::string>("default 1"));
      CHECK((*w.parameters)[2].default_value == std::optional<std::string>(""));
      CHECK((*w.parameters)[8].type == crs::parameter_type::varchar);  // the schema default
      CHECK((*w.parameters)[27].type == crs::parameter_type::tinyint);
      auto e = std::get<ev::analysis_template_created>(round_trip(empty));
      REQUIRE(e.parameters.has_value());
      CHECK(e.parameters->empty());
      auto a = std::get<ev::analysis_template_created>(round_trip(ev::analysis_template_created{}));
      CHECK_FALSE(a.parameters.has_value());
      CHECK_FALSE(a.description.has_value());
      CHECK(std::holds_alternative<std::string>(a.source));
    }
  }
  GIVEN("artifacts with additional artifacts absent and present-but-empty") {
    ev::analysis_template_created absent;
    absent.source = crs::template_artifacts{};
    ev::analysis_template_created empty;
    empty.source = crs::template_artifacts{{}, std::vector<crs::s3_location>{}, {}};
    THEN("they stay distinct") {
      auto a = std::get<crs::template_artifacts>(
          std::get<ev::analysis_template_created>(round_trip(absent)).source);
      CHECK_FALSE(a.additional_artifacts.has_value());
      auto e = std::get<crs::template_artifacts>(
          std::get<ev::analysis_template_created>(round_trip(empty)).source);
      REQUIRE(e.additional_artifacts.has_value());
      CHECK(e.additional_artifacts->empty());
    }
  }
  GIVEN("changes whose optional members are absent or present and empty") {
    ev::change_request_created r;
    r.changes = {
        crs::change{crs::member_change{"1", {}, std::nullopt}, {}},
        crs::change{crs::member_change{"2", {}, std::string()}, {}},
        crs::change{crs::collaboration_change{}, {}},
        crs::change{crs::collaboration_change{std::vector<crs::auto_approved_change_type>{}}, {}}};
    THEN("each reads back as written") {
      auto back = std::get<ev::change_request_created>(round_trip(r));
      REQUIRE(back.changes.size() == 4);
      CHECK_FALSE(std::get<crs::member_change>(back.changes[0].spec).display_name.has_value());
      CHECK(std::get<crs::member_change>(back.changes[1].spec).display_name ==
            std::optional<std::string>(""));
      CHECK_FALSE(
          std::get<crs::collaboration_change>(back.changes[2].spec).auto_approved.has_value());
      const auto& empty = std::get<crs::collaboration_change>(back.changes[3].spec).auto_approved;
      REQUIRE(empty.has_value());
      CHECK(empty->empty());
    }
  }
  GIVEN("a DENY vote (the schema default of approve)") {
    THEN("it reads back as a DENY, and an APPROVE as an APPROVE") {
      CHECK_FALSE(
          std::get<ev::change_request_voted>(round_trip(ev::change_request_voted{"cr", "1", false}))
              .approve);
      CHECK(
          std::get<ev::change_request_voted>(round_trip(ev::change_request_voted{"cr", "1", true}))
              .approve);
    }
  }
}

namespace {

// An AnalysisTemplateCreated around the given source holder (0 = absent).
std::string forged_template(
    flatbuffers::FlatBufferBuilder& b, flatbuffers::Offset<fb::AnalysisSource> source,
    fb::AnalysisFormat format = fb::AnalysisFormat::Sql,
    flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fb::AnalysisParameter>>>
        parameters = 0) {
  auto t = fb::CreateAnalysisTemplateCreated(b, 0, 0, 0, 0, 0, 0, format, source, 0, parameters);
  return forged(1, fb::Payload::AnalysisTemplateCreated, t.Union(), "AnalysisTemplateCreated", b);
}

flatbuffers::Offset<fb::AnalysisSource> sql_source(flatbuffers::FlatBufferBuilder& b) {
  auto text = b.CreateString("SELECT 1");
  return fb::CreateAnalysisSource(b, fb::AnalysisSourceKind::AnalysisSourceText,
                                  fb::CreateAnalysisSourceText(b, text).Union());
}

// A ChangeRequestCreated holding the one given change.
std::string forged_request(flatbuffers::FlatBufferBuilder& b, flatbuffers::Offset<fb::Change> c,
                           fb::ChangeRequestStatus status = fb::ChangeRequestStatus::Pending) {
  std::vector<flatbuffers::Offset<fb::Change>> changes{c};
  auto changes_v = b.CreateVector(changes);
  auto t = fb::CreateChangeRequestCreated(b, 0, changes_v, false, status);
  return forged(1, fb::Payload::ChangeRequestCreated, t.Union(), "ChangeRequestCreated", b);
}

flatbuffers::Offset<fb::Change> forged_member_change(flatbuffers::FlatBufferBuilder& b,
                                                     std::vector<fb::ChangeType> types) {
  auto account = b.CreateString("444455556666");
  std::vector<fb::MemberAbility> abilities{fb::MemberAbility::CanQuery};
  auto spec = fb::CreateMemberChange(b, account, b.CreateVector(abilities));
  return fb::CreateChange(b, fb::ChangeSpecification::MemberChange, spec.Union(),
                          b.CreateVector(types));
}

}  // namespace

SCENARIO("decode checks the template and change request values the verifier cannot", "[codec]") {
  flatbuffers::FlatBufferBuilder b;

  WHEN("a well-formed template and change request are forged") {
    auto bytes = forged_template(b, sql_source(b));
    flatbuffers::FlatBufferBuilder b2;
    auto request = forged_request(b2, forged_member_change(b2, {fb::ChangeType::AddMember}));
    THEN("the forgeries decode, so the refusals below are the checks at work") {
      auto r = ev::decode(bytes);
      REQUIRE(r.ok());
      CHECK(std::get<std::string>(std::get<ev::analysis_template_created>(r->payload).source) ==
            "SELECT 1");
      auto q = ev::decode(request);
      REQUIRE(q.ok());
      const auto& c = std::get<ev::change_request_created>(q->payload).changes.at(0);
      CHECK(std::get<crs::member_change>(c.spec).account == "444455556666");
      CHECK(c.types == std::vector<crs::change_type>{crs::change_type::add_member});
    }
  }
  WHEN("a template has no source at all") {
    auto bytes = forged_template(b, 0);
    THEN("it is corruption, even for the lenient log reader") {
      CHECK(corrupt_because(ev::decode(bytes), "analysis source missing"));
    }
  }
  WHEN("the source holder's kind is NONE") {
    auto bytes = forged_template(b, fb::CreateAnalysisSource(b));
    THEN("it is corruption: bad analysis source kind") {
      CHECK(corrupt_because(ev::decode(bytes), "bad analysis source kind"));
    }
  }
  WHEN("the source kind is one this version does not know") {
    auto text = fb::CreateAnalysisSourceText(b);
    auto bytes = forged_template(
        b, fb::CreateAnalysisSource(b, static_cast<fb::AnalysisSourceKind>(3), text.Union()));
    THEN("it is corruption: bad analysis source kind") {
      CHECK(corrupt_because(ev::decode(bytes), "bad analysis source kind"));
    }
  }
  WHEN("the source kind is known but its table is missing") {
    auto bytes = forged_template(
        b, fb::CreateAnalysisSource(b, fb::AnalysisSourceKind::AnalysisSourceArtifacts, 0));
    THEN("it is corruption: bad analysis source kind") {
      CHECK(corrupt_because(ev::decode(bytes), "bad analysis source kind"));
    }
  }
  WHEN("artifacts have no entry point") {
    auto role = b.CreateString("r");
    auto artifacts = fb::CreateAnalysisSourceArtifacts(b, 0, 0, role);
    auto bytes = forged_template(
        b, fb::CreateAnalysisSource(b, fb::AnalysisSourceKind::AnalysisSourceArtifacts,
                                    artifacts.Union()));
    THEN("the lenient log reader reads an empty location") {
      auto r = ev::decode(bytes);
      REQUIRE(r.ok());
      const auto& a = std::get<crs::template_artifacts>(
          std::get<ev::analysis_template_created>(r->payload).source);
      CHECK(a.entry_point == crs::s3_location{});
      CHECK(a.role_arn == "r");
    }
  }
  WHEN("the analysis format is outside the schema") {
    auto bytes = forged_template(b, sql_source(b), static_cast<fb::AnalysisFormat>(2));
    THEN("it is corruption: bad analysis format") {
      CHECK(corrupt_because(ev::decode(bytes), "bad analysis format"));
    }
  }
  WHEN("a parameter type is outside the schema") {
    auto name = b.CreateString("p");
    std::vector<flatbuffers::Offset<fb::AnalysisParameter>> params{
        fb::CreateAnalysisParameter(b, name, fb::ParameterType::Tinyint),
        fb::CreateAnalysisParameter(b, name, static_cast<fb::ParameterType>(28))};
    auto params_v = b.CreateVector(params);
    auto bytes = forged_template(b, sql_source(b), fb::AnalysisFormat::Sql, params_v);
    THEN("it is corruption: bad parameter type") {
      CHECK(corrupt_because(ev::decode(bytes), "bad parameter type"));
    }
  }
  WHEN("a change's specification kind is NONE") {
    std::vector<fb::ChangeType> types{fb::ChangeType::AddMember};
    auto bytes = forged_request(
        b, fb::CreateChange(b, fb::ChangeSpecification::NONE, 0, b.CreateVector(types)));
    THEN("it is corruption: bad change specification kind") {
      CHECK(corrupt_because(ev::decode(bytes), "bad change specification kind"));
    }
  }
  WHEN("a change's specification kind is one this version does not know") {
    auto spec = fb::CreateCollaborationChange(b);
    auto bytes = forged_request(
        b, fb::CreateChange(b, static_cast<fb::ChangeSpecification>(3), spec.Union()));
    THEN("it is corruption: bad change specification kind") {
      CHECK(corrupt_because(ev::decode(bytes), "bad change specification kind"));
    }
  }
  WHEN("a change's specification kind is known but its table is missing") {
    auto bytes =
        forged_request(b, fb::CreateChange(b, fb::ChangeSpecification::CollaborationChange, 0));
    THEN("it is corruption: bad change specification kind") {
      CHECK(corrupt_because(ev::decode(bytes), "bad change specification kind"));
    }
  }
  WHEN("a change type is outside the schema") {
    auto bytes = forged_request(
        b, forged_member_change(b, {fb::ChangeType::AddMember, static_cast<fb::ChangeType>(4)}));
    THEN("it is corruption: bad change type") {
      CHECK(corrupt_because(ev::decode(bytes), "bad change type"));
    }
  }
  WHEN("a change request status is outside the schema") {
    auto bytes =
        forged_request(b, forged_member_change(b, {}), static_cast<fb::ChangeRequestStatus>(5));
    THEN("it is corruption: bad change request status") {
      CHECK(corrupt_because(ev::decode(bytes), "bad change request status"));
    }
  }
  WHEN("a collaboration change's auto-approved type is outside the schema") {
    std::vector<fb::AutoApprovedChangeType> types{static_cast<fb::AutoApprovedChangeType>(3)};
    auto spec = fb::CreateCollaborationChange(b, b.CreateVector(types));
    auto bytes = forged_request(
        b, fb::CreateChange(b, fb::ChangeSpecification::CollaborationChange, spec.Union()));
    THEN("it is corruption: bad auto-approved change type") {
      CHECK(corrupt_because(ev::decode(bytes), "bad auto-approved change type"));
    }
  }
  WHEN("a committed ability change holds an ability outside the schema") {
    std::vector<fb::MemberAbility> abilities{static_cast<fb::MemberAbility>(3)};
    auto t = fb::CreateMemberAbilitiesChanged(b, 0, b.CreateVector(abilities));
    auto bytes =
        forged(1, fb::Payload::MemberAbilitiesChanged, t.Union(), "MemberAbilitiesChanged", b);
    THEN("it is corruption: bad member ability") {
      CHECK(corrupt_because(ev::decode(bytes), "bad member ability"));
    }
  }
  WHEN("a committed auto-approved list holds a type outside the schema") {
    std::vector<fb::AutoApprovedChangeType> types{fb::AutoApprovedChangeType::AddMember,
                                                  static_cast<fb::AutoApprovedChangeType>(200)};
    auto t = fb::CreateAutoApprovedChangeTypesChanged(b, b.CreateVector(types));
    auto bytes = forged(1, fb::Payload::AutoApprovedChangeTypesChanged, t.Union(),
                        "AutoApprovedChangeTypesChanged", b);
    THEN("it is corruption: bad auto-approved change type") {
      CHECK(corrupt_because(ev::decode(bytes), "bad auto-approved change type"));
    }
  }
  WHEN("a vote has no approve field") {
    auto id = b.CreateString("cr");
    fb::ChangeRequestVotedBuilder vb(b);
    vb.add_change_request_id(id);
    auto t = vb.Finish();
    auto bytes = forged(1, fb::Payload::ChangeRequestVoted, t.Union(), "ChangeRequestVoted", b);
    THEN("it reads as a DENY, never as a consent") {
      auto r = ev::decode(bytes);
      REQUIRE(r.ok());
      CHECK_FALSE(std::get<ev::change_request_voted>(r->payload).approve);
    }
  }
}

// ---- protected queries ----

TEST_CASE("the samples cover both SQL kinds, every output shape and every terminal status",
          "[codec]") {
  std::set<std::size_t> kinds;
  std::set<int> finished;
  bool query_string = false, template_arn = false, parameters = false, distributed = false,
       single = false, no_output = false;
  for (const auto& s : all_samples()) {
    if (const auto* q = std::get_if<ev::query_started>(&s.payload)) {
      query_string |= q->sql.query_string.has_value();
      template_arn |= q->sql.analysis_template_arn.has_value();
      parameters |= q->sql.parameters && !q->sql.parameters->empty();
      no_output |= !q->output;
      if (q->output) {
        (q->output->distribute ? distributed : single) = true;
        std::set<std::size_t> in_this;
        for (const auto& l : q->output->locations) in_this.insert(l.index());
        if (q->output->distribute && in_this.size() == std::variant_size_v<crs::query_location>)
          kinds.insert(99);  // one distributed output holding both kinds
        kinds.insert(in_this.begin(), in_this.end());
      }
    }
    if (const auto* c = std::get_if<ev::query_completed>(&s.payload))
      finished.insert(static_cast<int>(c->status));
  }
  CHECK(query_string);
  CHECK(template_arn);
  CHECK(parameters);
  CHECK(distributed);
  CHECK(single);
  CHECK(no_output);
  CHECK(kinds == std::set<std::size_t>{0, 1, 99});
  for (auto st : {crs::query_status::success, crs::query_status::failed,
                  crs::query_status::cancelled, crs::query_status::timed_out})
    CHECK(finished.count(static_cast<int>(st)) == 1);
}

SCENARIO("query optionals: present, present-but-empty and absent differ", "[codec]") {
  auto round_trip = [](const ev::event_payload& p) {
    auto r = ev::decode(ev::encode(sample_envelope(p), p));
    REQUIRE(r.ok());
    return r->payload;
  };
  GIVEN("SQL parameters with a parameters map that is full, empty and absent") {
    ev::query_started full;
    full.sql.analysis_template_arn = "arn:t";
    full.sql.parameters = std::map<std::string, std::string>{{"b", "2"}, {"a", ""}, {"c", "3"}};
    ev::query_started empty;
    empty.sql.analysis_template_arn = "arn:t";
    empty.sql.parameters = std::map<std::string, std::string>{};
    ev::query_started absent;
    absent.sql.query_string = "SELECT 1";
    THEN("each reads back as written") {
      auto f = std::get<ev::query_started>(round_trip(full));
      REQUIRE(f.sql.parameters.has_value());
      CHECK(*f.sql.parameters ==
            std::map<std::string, std::string>{{"a", ""}, {"b", "2"}, {"c", "3"}});
      CHECK_FALSE(f.sql.query_string.has_value());
      auto e = std::get<ev::query_started>(round_trip(empty));
      REQUIRE(e.sql.parameters.has_value());
      CHECK(e.sql.parameters->empty());
      auto a = std::get<ev::query_started>(round_trip(absent));
      CHECK_FALSE(a.sql.parameters.has_value());
      CHECK_FALSE(a.sql.analysis_template_arn.has_value());
      CHECK(a.sql.query_string == std::optional<std::string>("SELECT 1"));
    }
  }
  GIVEN("the associations a query reads: some, and none") {
    ev::query_started some;
    some.sql.query_string = "SELECT 1";
    some.associations = {"a-2", "a-1", ""};
    ev::query_started none = some;
    none.associations.clear();
    THEN("each reads back as written, and none is the field absent, as before it existed") {
      CHECK(std::get<ev::query_started>(round_trip(some)).associations == some.associations);
      CHECK(std::get<ev::query_started>(round_trip(none)).associations.empty());
      const auto bytes = ev::encode(sample_envelope(none), none);
      const auto* q = crs::fb::GetEnvelope(bytes.data())->payload_as_QueryStarted();
      REQUIRE(q);
      CHECK(q->associations() == nullptr);
      const auto with = ev::encode(sample_envelope(some), some);
      REQUIRE(crs::fb::GetEnvelope(with.data())->payload_as_QueryStarted()->associations());
    }
  }
  GIVEN("outputs: absent, single, distributed with both kinds, distributed and empty") {
    ev::query_started none;
    ev::query_started single;
    single.output = crs::query_output{false, {crs::query_member_output{"1"}}};
    ev::query_started both;
    both.output = crs::query_output{
        true,
        {crs::query_member_output{"2"},
         crs::query_s3_output{crs::result_format::parquet, "b", std::string(), false},
         crs::query_s3_output{crs::result_format::csv, "c", std::nullopt, std::nullopt}}};
    ev::query_started empty;
    empty.output = crs::query_output{true, {}};
    THEN("each reads back as written, location order and S3 optionals included") {
      CHECK_FALSE(std::get<ev::query_started>(round_trip(none)).output.has_value());
      auto s = std::get<ev::query_started>(round_trip(single)).output;
      REQUIRE(s.has_value());
      CHECK_FALSE(s->distribute);
      REQUIRE(s->locations.size() == 1);
      CHECK(std::get<crs::query_member_output>(s->locations[0]).account == "1");
      auto b = std::get<ev::query_started>(round_trip(both)).output;
      REQUIRE(b.has_value());
      CHECK(b->distribute);
      REQUIRE(b->locations.size() == 3);
      CHECK(std::holds_alternative<crs::query_member_output>(b->locations[0]));
      const auto& with = std::get<crs::query_s3_output>(b->locations[1]);
      CHECK(with.format == crs::result_format::parquet);
      CHECK(with.key_prefix == std::optional<std::string>(""));
      CHECK(with.single_file_output == std::optional<bool>(false));
      const auto& without = std::get<crs::query_s3_output>(b->locations[2]);
      CHECK_FALSE(without.key_prefix.has_value());
      CHECK_FALSE(without.single_file_output.has_value());
      auto e = std::get<ev::query_started>(round_trip(empty)).output;
      REQUIRE(e.has_value());
      CHECK(e->distribute);
      CHECK(e->locations.empty());
    }
  }
  GIVEN("a compute configuration absent and present with zero values") {
    ev::query_started zero;
    zero.compute = crs::query_compute{"", 0};
    THEN("they stay distinct") {
      CHECK_FALSE(std::get<ev::query_started>(round_trip(ev::query_started{})).compute);
      CHECK(std::get<ev::query_started>(round_trip(zero)).compute == zero.compute);
    }
  }
  GIVEN("completions with their optional members absent and present-but-empty") {
    ev::query_completed empty{
        "q", crs::query_status::failed, 0, std::string(), 0, std::string(), std::string()};
    THEN("they stay distinct, and the schema-default status reads back as itself") {
      auto e = std::get<ev::query_completed>(round_trip(empty));
      CHECK(e.result_location == std::optional<std::string>(""));
      CHECK(e.error_code == std::optional<std::string>(""));
      CHECK(e.error_message == std::optional<std::string>(""));
      auto a = std::get<ev::query_completed>(round_trip(ev::query_completed{}));
      CHECK(a.status == crs::query_status::success);
      CHECK_FALSE(a.result_location.has_value());
      CHECK_FALSE(a.error_code.has_value());
      CHECK_FALSE(a.error_message.has_value());
      for (int st = 0; st < crs::query_status_count; ++st) {
        ev::query_completed c;
        c.status = static_cast<crs::query_status>(st);
        CHECK(std::get<ev::query_completed>(round_trip(c)).status == c.status);
      }
    }
  }
}

namespace {

// A QueryStarted around the given SQL parameters and output (0 = absent).
std::string forged_query(flatbuffers::FlatBufferBuilder& b,
                         flatbuffers::Offset<fb::QuerySqlParameters> sql,
                         flatbuffers::Offset<fb::QueryOutput> output = 0) {
  auto id = b.CreateString("q-1");
  auto t = fb::CreateQueryStarted(b, id, 0, 0, sql, output);
  return forged(1, fb::Payload::QueryStarted, t.Union(), "QueryStarted", b);
}

flatbuffers::Offset<fb::QuerySqlParameters> forged_sql(flatbuffers::FlatBufferBuilder& b) {
  auto text = b.CreateString("SELECT 1");
  return fb::CreateQuerySqlParameters(b, text);
}

// A distributed QueryOutput holding the one given location holder.
flatbuffers::Offset<fb::QueryOutput> forged_output(flatbuffers::FlatBufferBuilder& b,
                                                   flatbuffers::Offset<fb::QueryLocation> l) {
  std::vector<flatbuffers::Offset<fb::QueryLocation>> locations{l};
  return fb::CreateQueryOutput(b, true, b.CreateVector(locations));
}

}  // namespace

SCENARIO("decode checks the query values the verifier cannot", "[codec]") {
  flatbuffers::FlatBufferBuilder b;

  WHEN("a well-formed query start is forged") {
    auto account = b.CreateString("444455556666");
    auto member = fb::CreateQueryMemberOutput(b, account);
    auto bytes = forged_query(
        b, forged_sql(b),
        forged_output(b, fb::CreateQueryLocation(b, fb::QueryLocationKind::QueryMemberOutput,
                                                 member.Union())));
    THEN("the forgery decodes, so the refusals below are the checks at work") {
      auto r = ev::decode(bytes);
      REQUIRE(r.ok());
      const auto& q = std::get<ev::query_started>(r->payload);
      CHECK(q.query_id == "q-1");
      CHECK(q.sql.query_string == std::optional<std::string>("SELECT 1"));
      REQUIRE(q.output.has_value());
      REQUIRE(q.output->locations.size() == 1);
      CHECK(std::get<crs::query_member_output>(q.output->locations[0]).account == "444455556666");
      CHECK_FALSE(q.compute.has_value());
    }
  }
  WHEN("a query start has no SQL parameters at all") {
    auto bytes = forged_query(b, 0);
    THEN("it is corruption, even for the lenient log reader") {
      CHECK(corrupt_because(ev::decode(bytes), "query SQL parameters missing"));
    }
  }
  WHEN("an output location's kind is NONE") {
    auto bytes = forged_query(b, forged_sql(b), forged_output(b, fb::CreateQueryLocation(b)));
    THEN("it is corruption: bad query output location kind") {
      CHECK(corrupt_because(ev::decode(bytes), "bad query output location kind"));
    }
  }
  WHEN("an output location's kind is one this version does not know") {
    auto member = fb::CreateQueryMemberOutput(b);
    auto bytes = forged_query(
        b, forged_sql(b),
        forged_output(
            b, fb::CreateQueryLocation(b, static_cast<fb::QueryLocationKind>(3), member.Union())));
    THEN("it is corruption: bad query output location kind") {
      CHECK(corrupt_because(ev::decode(bytes), "bad query output location kind"));
    }
  }
  WHEN("an output location's kind is known but its table is missing") {
    auto bytes = forged_query(
        b, forged_sql(b),
        forged_output(b, fb::CreateQueryLocation(b, fb::QueryLocationKind::QueryS3Output, 0)));
    THEN("it is corruption: bad query output location kind") {
      CHECK(corrupt_because(ev::decode(bytes), "bad query output location kind"));
    }
  }
  WHEN("an S3 location's result format is outside the schema") {
    auto bucket = b.CreateString("b");
    auto s3 = fb::CreateQueryS3Output(b, static_cast<fb::ResultFormat>(2), bucket);
    auto bytes = forged_query(
        b, forged_sql(b),
        forged_output(
            b, fb::CreateQueryLocation(b, fb::QueryLocationKind::QueryS3Output, s3.Union())));
    THEN("it is corruption: bad result format") {
      CHECK(corrupt_because(ev::decode(bytes), "bad result format"));
    }
  }
  WHEN("a completion's status is outside the schema") {
    auto completed = [](int raw) {
      flatbuffers::FlatBufferBuilder fbb;
      auto id = fbb.CreateString("q-1");
      auto t = fb::CreateQueryCompleted(fbb, id, static_cast<fb::QueryStatus>(raw));
      return forged(1, fb::Payload::QueryCompleted, t.Union(), "QueryCompleted", fbb);
    };
    THEN("it is corruption: bad query status, just past the last status as well as far off") {
      REQUIRE(ev::decode(completed(crs::query_status_count - 1)).ok());
      CHECK(corrupt_because(ev::decode(completed(crs::query_status_count)), "bad query status"));
      CHECK(corrupt_because(ev::decode(completed(200)), "bad query status"));
    }
  }
  WHEN("an output has no locations list") {
    auto bytes = forged_query(b, forged_sql(b), fb::CreateQueryOutput(b, false));
    THEN("the lenient log reader reads no locations") {
      auto r = ev::decode(bytes);
      REQUIRE(r.ok());
      const auto& q = std::get<ev::query_started>(r->payload);
      REQUIRE(q.output.has_value());
      CHECK(q.output->locations.empty());
    }
  }
  WHEN("a parameter name repeats (never written by encode)") {
    auto name = b.CreateString("day");
    auto first = b.CreateString("1");
    auto second = b.CreateString("2");
    std::vector<flatbuffers::Offset<fb::QueryParameter>> params{
        fb::CreateQueryParameter(b, name, first), fb::CreateQueryParameter(b, name, second)};
    auto params_v = b.CreateVector(params);
    auto arn = b.CreateString("arn:t");
    auto bytes = forged_query(b, fb::CreateQuerySqlParameters(b, 0, arn, params_v));
    THEN("the lenient log reader keeps the last value, as it does for tags") {
      auto r = ev::decode(bytes);
      REQUIRE(r.ok());
      const auto& q = std::get<ev::query_started>(r->payload);
      CHECK(q.sql.parameters == std::optional<std::map<std::string, std::string>>(
                                    std::map<std::string, std::string>{{"day", "2"}}));
    }
  }
}
