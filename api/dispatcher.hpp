// The request pipeline (DESIGN.md "API conventions"): route, authenticate, validate the whole
// shape, then read from projections or hand a command to the owning aggregate.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "actors/command_bus.hpp"
#include "actors/context.hpp"
#include "api/http.hpp"
#include "api/pagination.hpp"
#include "events/event_store.hpp"

namespace crs::api {

struct dispatcher_options {
  std::string default_account = "000000000000";  // callers whose access key is not 12 digits
  std::string default_region = "us-east-1";      // requests without a credential scope
  limits quotas;
};

// The host's ports: the only sources of time and fresh ids.
struct dispatcher_ports {
  std::function<time_ms()> now;
  std::function<std::string()> new_id;
};

class dispatcher final : public request_handler {
 public:
  dispatcher(events::event_store& store, command_bus& bus, dispatcher_options options,
             dispatcher_ports ports);
  ~dispatcher() override;
  void handle(http_request&& request, respond_fn respond) override;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace crs::api
