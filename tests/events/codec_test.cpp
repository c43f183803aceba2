// The codec: exact round trips for every event, and no trust in the bytes it is given.
#include <catch2/catch.hpp>

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

bool is_corruption(const crs::result<ev::recorded_event>& r) {
  return !r.ok() && r.error().code == store_error::kind::corruption;
}

}  // namespace

TEST_CASE("the samples cover every event type", "[codec]") {
  std::set<std::size_t> seen;
  for (const auto& s : all_samples()) seen.insert(s.payload.index());
  CHECK(seen.size() == std::variant_size_v<ev::event_payload>);
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
