// A checked result: a value or an error, never both. Exceptions stay at process boundaries.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace crs {

// Failures of the storage and codec layers (not domain errors: those are actors/domain_error.hpp).
struct store_error {
  enum class kind { io, corruption, version_conflict, not_found, invalid_argument };
  kind code = kind::io;
  std::string message;
};

template <class T, class E = store_error>
class [[nodiscard]] result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  result(E error) : v_(std::in_place_index<1>, std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const E& error() const { return std::get<1>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, E> v_;
};

// For operations whose success carries no value.
struct ok_t {};
inline constexpr ok_t ok_v{};

}  // namespace crs
