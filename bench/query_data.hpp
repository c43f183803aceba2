// The benchmark tables of protected queries: purchases(user_id, segment, amount, email) with N
// rows over N/4 users and 20 segments, and customers(user_id, region) with one row per user.
// Deterministic, so every run measures the same work.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace crs::bench {

inline void write_purchases(const std::filesystem::path& file, long rows) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::trunc);
  out << "user_id,segment,amount,email\n";
  unsigned long x = 12345;
  for (long i = 0; i < rows; ++i) {
    x = x * 6364136223846793005UL + 1442695040888963407UL;
    const long user = static_cast<long>((x >> 33) % static_cast<unsigned long>(rows / 4 + 1));
    out << user << ",s" << (user % 20) << "," << ((x >> 20) % 10000) / 100.0 << ",u" << user
        << "@example.com\n";
  }
}

inline void write_customers(const std::filesystem::path& file, long users) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::trunc);
  out << "user_id,region\n";
  for (long u = 0; u <= users; ++u) out << u << "," << (u % 3 == 0 ? "eu" : "us") << "\n";
}

}  // namespace crs::bench
