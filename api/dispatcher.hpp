// The request pipeline (DESIGN.md "API conventions"): route, authenticate, validate the whole
// shape, then read from projections or hand a command to the owning aggregate.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "actors/command_bus.hpp"
#include "actors/context.hpp"
#include "api/credentials.hpp"
#include "api/http.hpp"
#include "api/pagination.hpp"
#include "catalog/catalog.hpp"
#include "events/event_store.hpp"
#include "events/result.hpp"

namespace crs::api {

// Operator endpoints under /admin/, outside the AWS API. Each request must carry the token
// (header x-cleanroomsd-admin-token), which `serve` writes to a 0600 file in the data dir: who
// can read the data dir may administer the server, nobody else.
struct admin_hooks {
  std::string token;  // empty: /admin/ is disabled
  // Makes a consistent copy of the store at `dest`; returns the last position it holds.
  std::function<result<std::uint64_t>(const std::string& dest)> backup;
  // Turns the injected disk-full fault on or off (crash and fault tests).
  std::function<void(bool on)> disk_full;
};

struct dispatcher_options {
  std::string default_account = "000000000000";  // callers whose access key is not 12 digits
  std::string default_region = "us-east-1";      // requests without a credential scope
  limits quotas;
  admin_hooks admin;
  // The local data catalog (catalog/); none: every table reference is missing from it.
  std::shared_ptr<const catalog::local_catalog> catalog;
  bool strict_catalog = false;  // --strict-catalog (decided in the configured table actor)
  // --auth sigv4: every request must be signed by one of these identities (ports.now is the
  // clock of the signature's time window). Null: open mode, the access key id names the account.
  std::shared_ptr<const credential_store> credentials;
};

// The host's ports: the only sources of time and fresh ids.
struct dispatcher_ports {
  std::function<time_ms()> now;
  std::function<std::string()> new_id;
  // The x-amzn-RequestId of each request (recorded in its events). Unset: a random UUID.
  std::function<std::string()> new_request_id;
  // The query runner (query/runner.hpp): a query was accepted (collaboration, membership,
  // querier, query id, request id), or its cancellation was recorded. Unset: queries stay
  // SUBMITTED (tests of the API alone).
  std::function<void(const std::string& cid, const std::string& mid, const account_id& account,
                     const std::string& qid, const std::string& request_id)>
      run_query;
  std::function<void(const std::string& qid)> cancel_query;
  // A cascade cancelled the queries of a collaboration (account empty) or of one of its members:
  // the runner interrupts those still running.
  std::function<void(const std::string& cid, const account_id& account)> cancel_queries_of;
};

class dispatcher final : public request_handler {
 public:
  dispatcher(events::event_store& store, command_bus& bus, dispatcher_options options,
             dispatcher_ports ports);
  ~dispatcher() override;
  void handle(http_request&& request, respond_fn respond) override;

 private:
  http_response admin(const http_request& request, std::string_view path,
                      const std::string& request_id);
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace crs::api
