#pragma once

#include <string_view>
#include <vector>

#include "api/operations/call.hpp"

namespace crs::api {

struct route_entry {
  std::string_view method;
  std::string_view path;
  std::string_view operation;
  handler_fn handler;
};

const std::vector<route_entry>& route_table();

}  // namespace crs::api
