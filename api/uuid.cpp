#include "api/uuid.hpp"

#include <array>
#include <cstdint>
#include <random>

namespace crs::api {

namespace {

std::mt19937_64& thread_generator() {
  // A full-state seed: std::random_device words fed through seed_seq, once per thread, so
  // concurrent threads never share (or lock) a generator.
  thread_local std::mt19937_64 gen = [] {
    std::random_device rd;
    std::array<std::uint32_t, 8> words{};
    for (auto& w : words) w = rd();
    std::seed_seq seq(words.begin(), words.end());
    return std::mt19937_64(seq);
  }();
  return gen;
}

}  // namespace

std::string random_uuid_v4() {
  auto& gen = thread_generator();
  std::array<std::uint8_t, 16> b{};
  for (int i = 0; i < 2; ++i) {
    std::uint64_t r = gen();
    for (int j = 0; j < 8; ++j) b[i * 8 + j] = static_cast<std::uint8_t>(r >> (8 * j));
  }
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(hex[b[i] >> 4]);
    out.push_back(hex[b[i] & 0x0f]);
  }
  return out;
}

}  // namespace crs::api
