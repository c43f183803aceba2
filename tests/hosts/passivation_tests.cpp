// Passivation (registry_options::max_resident): beyond the bound, the least recently used idle
// actors quit, and a passivated collaboration comes back from its log with nothing lost.
#include <chrono>
#include <thread>

#include "hosts/registry_fixture.hpp"

using namespace crs;
using namespace crs::testing;

namespace {

// Passivation is asynchronous (a message to each actor): wait until the registry settles.
bool settles_at_most(const registry& reg, std::size_t n) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (reg.resident() > n) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

void create_collaborations(registry_fixture& f, int n) {
  for (int i = 0; i < n; ++i) {
    auto ctx = f.clock.as(creator);
    ctx.fresh_id = nth_cid(i);
    REQUIRE(f.send(nth_cid(i), standard_create(), ctx).ok());
  }
}

}  // namespace

SCENARIO("Idle actors beyond max_resident are passivated, least recently used first") {
  GIVEN("a registry that keeps at most 2 actors resident") {
    registry_options opts;
    opts.max_resident = 2;
    registry_fixture f(opts);
    WHEN("8 collaborations are created one after the other") {
      create_collaborations(f, 8);
      THEN("at most 2 stay resident; the others were passivated") {
        REQUIRE(settles_at_most(*f.reg, 2));
        CHECK(f.reg->passivations() >= 6);
      }
      AND_WHEN("the first (long passivated) collaboration is used again") {
        REQUIRE(settles_at_most(*f.reg, 2));
        auto join = f.clock.as(provider);
        auto first = f.send(nth_cid(0), join_cmd(), join);
        THEN("it is reactivated from its log with its state intact") {
          CHECK(first.ok());
          // The second join sees the first: the membership exists, so it is refused.
          auto again = f.clock.as(provider);
          CHECK_FALSE(f.send(nth_cid(0), join_cmd(), again).ok());
          CHECK(settles_at_most(*f.reg, 2));
        }
      }
    }
  }
  GIVEN("the default bound") {
    registry_fixture f;
    WHEN("8 collaborations are created") {
      create_collaborations(f, 8);
      THEN("all 8 stay resident and none was passivated") {
        CHECK(f.reg->resident() == 8);
        CHECK(f.reg->passivations() == 0);
      }
    }
  }
}
