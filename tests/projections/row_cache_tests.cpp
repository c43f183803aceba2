// The row cache on its own: what take() hands out, what it drops, and its bound.
#include <catch2/catch.hpp>

#include "projections/row_cache.hpp"

using namespace crs;
using projections::row_cache;
using projections::row_set;

namespace {
row_set rows_named(const std::string& tag) {
  return {{"c/" + tag, "{}"}, {"m/" + tag, "x"}};
}
}  // namespace

SCENARIO("The row cache hands out a stream's rows once, and only at the version they are of") {
  GIVEN("a cache holding stream a at version 3") {
    row_cache cache(4);
    cache.put("a", 3, rows_named("a3"));
    WHEN("they are taken at version 3") {
      auto got = cache.take("a", 3);
      THEN("they are the rows put, and they are gone from the cache") {
        REQUIRE(got);
        CHECK(*got == rows_named("a3"));
        CHECK(cache.size() == 0);
        CHECK_FALSE(cache.take("a", 3));
        CHECK(cache.hits() == 1);
        CHECK(cache.misses() == 1);
      }
    }
    WHEN("they are asked for at another version") {
      auto older = cache.take("a", 2);
      THEN("nothing is handed out and the stale entry is dropped") {
        CHECK_FALSE(older);
        CHECK(cache.size() == 0);
        CHECK_FALSE(cache.take("a", 3));
      }
    }
    WHEN("the stream is put again at a later version") {
      cache.put("a", 4, rows_named("a4"));
      THEN("only the later rows are kept") {
        CHECK(cache.size() == 1);
        CHECK_FALSE(cache.take("a", 3));
        cache.put("a", 4, rows_named("a4"));
        auto got = cache.take("a", 4);
        REQUIRE(got);
        CHECK(*got == rows_named("a4"));
      }
    }
    WHEN("another stream is asked for") {
      THEN("nothing is handed out and a's entry stays") {
        CHECK_FALSE(cache.take("b", 3));
        CHECK(cache.size() == 1);
      }
    }
  }
}

SCENARIO("The row cache keeps at most its capacity, dropping the least recently put") {
  GIVEN("a cache of capacity 2") {
    row_cache cache(2);
    WHEN("three streams are put, then the first again after the second") {
      cache.put("a", 1, rows_named("a"));
      cache.put("b", 1, rows_named("b"));
      cache.put("a", 2, rows_named("a2"));  // a is now the most recent
      cache.put("c", 1, rows_named("c"));   // b goes
      THEN("the least recently put one is gone, the others are kept") {
        CHECK(cache.size() == 2);
        CHECK_FALSE(cache.take("b", 1));
        CHECK(cache.take("a", 2));
        CHECK(cache.take("c", 1));
      }
    }
  }
  GIVEN("a cache of 0 bytes") {
    row_cache cache(8, 0);
    WHEN("even an empty row set is put") {
      cache.put("a", 1, {});
      THEN("nothing is kept") {
        CHECK(cache.size() == 0);
        CHECK_FALSE(cache.take("a", 1));
      }
    }
  }
  GIVEN("a cache of capacity 0") {
    row_cache cache(0);
    WHEN("rows are put") {
      cache.put("a", 1, rows_named("a"));
      THEN("nothing is kept") {
        CHECK(cache.size() == 0);
        CHECK_FALSE(cache.take("a", 1));
      }
    }
  }
}

SCENARIO("The row cache keeps at most its bytes, and never one stream's outsized rows") {
  GIVEN("a cache of 800 bytes") {
    row_cache cache(100, 800);
    const auto sized = [](std::size_t n) { return row_set{{"c/x", std::string(n - 3, 'v')}}; };
    WHEN("streams of 100 bytes each are put until they pass 800") {
      for (int i = 0; i < 9; ++i) cache.put("s" + std::to_string(i), 1, sized(100));
      THEN("the oldest went, and what is held fits") {
        CHECK(cache.size() == 8);
        CHECK(cache.bytes() == 800);
        CHECK_FALSE(cache.take("s0", 1));
        CHECK(cache.take("s8", 1));
        CHECK(cache.bytes() == 700);
      }
    }
    WHEN("one stream's rows are more than an eighth of the bytes") {
      cache.put("small", 1, sized(100));
      cache.put("big", 1, sized(101));
      THEN("they are not kept, and neither is that stream's older entry; the others stay") {
        CHECK_FALSE(cache.take("big", 1));
        CHECK(cache.take("small", 1));
        cache.put("big", 1, sized(100));
        cache.put("big", 2, sized(101));
        CHECK_FALSE(cache.take("big", 1));
        CHECK(cache.bytes() == 0);
      }
    }
  }
}
