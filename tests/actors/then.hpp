// then(...) for every decider's given/when/then tests: a rejection with its kind, reason,
// resourceType and message fragments, or an accepted command that emits nothing.
#pragma once

#include <initializer_list>
#include <string>

#include <catch2/catch.hpp>

// then: rejected with this kind, reason and resourceType; the message holds every fragment.
#define THEN_REJECTED(decision, kind_, reason_, type_, ...)                       \
  do {                                                                            \
    const auto& d_ = (decision);                                                  \
    REQUIRE_FALSE(d_.ok());                                                       \
    CHECK(d_.error().kind == (kind_));                                            \
    CHECK(d_.error().reason == (reason_));                                        \
    CHECK(d_.error().resource_type == (type_));                                   \
    for (const std::string& f_ : std::initializer_list<std::string>{__VA_ARGS__}) \
      CHECK_THAT(d_.error().message, Catch::Contains(f_));                        \
  } while (0)

#define THEN_NOTHING_HAPPENS(decision) \
  do {                                 \
    const auto& d_ = (decision);       \
    REQUIRE(d_.ok());                  \
    CHECK(d_.value().empty());         \
  } while (0)
