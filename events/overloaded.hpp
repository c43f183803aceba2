// The usual visitor of lambdas for std::visit over the event and command variants.
#pragma once

namespace crs {

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace crs
