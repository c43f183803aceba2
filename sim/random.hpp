// The simulator's only source of randomness: SplitMix64, integers only. No std:: distributions,
// whose results differ between standard libraries; the same seed gives the same run anywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>

namespace crs::sim {

class prng {
 public:
  explicit prng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) by rejection (no modulo bias); 0 when n is 0.
  std::uint64_t below(std::uint64_t n) {
    if (n == 0) return 0;
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    for (;;) {
      const std::uint64_t x = next();
      if (x < limit) return x % n;
    }
  }
  // True with probability per_mille / 1000.
  bool chance(std::uint64_t per_mille) { return below(1000) < per_mille; }
  // A child source for an independent stream of decisions (the workload, the faults, ...), so
  // adding a draw in one does not shift every decision of the others.
  prng fork() { return prng(next()); }

 private:
  std::uint64_t state_;
};

// A uniformly chosen element of a non-empty container (maps included: O(size) for them).
template <class Container>
auto pick(prng& rng, const Container& c) {
  auto it = std::begin(c);
  std::advance(it, static_cast<std::ptrdiff_t>(rng.below(std::size(c))));
  return it;
}

}  // namespace crs::sim
