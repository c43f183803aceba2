// Enums as the AWS model's strings: one array of names per enum, indexed by the enum's ordinal.
// Used by values.cpp, table_values.cpp and template_values.cpp.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace crs {

// nullopt for anything that is not exactly one of `names`.
template <class E, std::size_t N>
std::optional<E> parse_in(const std::array<std::string_view, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

}  // namespace crs
