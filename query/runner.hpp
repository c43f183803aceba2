// The query runner: executes accepted protected queries on worker threads, off the actor
// threads, and reports each step to the collaboration actor, which records it as an event
// (SPEC.md 16.3): picked up (QueryRunning), then finished (QueryCompleted) with the duration
// and the result location or the error. The runner never decides a status itself; if the
// decider refuses a report (the query was cancelled or the collaboration deleted meanwhile),
// the runner drops the job and removes any result it wrote.
// Restart: unfinished queries are submitted again (serve reads the projections' work list); a
// STARTED query then runs again from the start, a CANCELLING one is completed as CANCELLED.
// No CAF here: the actors are reached through the `record` port.
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/collaboration/commands.hpp"
#include "events/result.hpp"
#include "query/engine/engine.hpp"
#include "query/plan.hpp"

namespace crs::query {

struct job {
  std::string collaboration_id;
  std::string membership_id;
  std::string query_id;
  account_id account;      // the querier: the events' acting account
  std::string request_id;  // StartProtectedQuery's, or "restart" for recovered queries
};

// What a job needs once picked up, read then (rules and data may have changed since start).
struct job_plan {
  checked_query checked;
  std::vector<table_data> tables;
  // The S3 output standing in for the result location; none: the results go to members.
  std::optional<std::string> bucket;
  std::optional<std::string> key_prefix;
};

// Why a report has no answer: the decider refused it (the query was cancelled or finished
// meanwhile), or no answer came in time (then what was recorded is unknown).
struct report_error {
  bool refused = false;
  std::string message;
};

struct runner_ports {
  // Sends a report to the collaboration actor and waits until it is durable: the query's
  // status afterwards, or why there is none.
  std::function<result<query_status, report_error>(const job&, collaboration::command)> record;
  std::function<result<job_plan, violation>(const job&)> plan;
};

struct runner_options {
  std::size_t workers = 2;
  std::filesystem::path results_dir;  // stands in for S3: <dir>/<bucket>/<prefix>/<id>/result.csv
  run_limits limits;
  std::size_t max_queued = 100000;
};

class runner {
 public:
  runner(runner_options options, runner_ports ports, std::unique_ptr<engine> engine);
  ~runner();  // stop()
  runner(const runner&) = delete;
  runner& operator=(const runner&) = delete;

  // Thread-safe and non-blocking (called from reply callbacks). A query already queued or
  // running is not taken twice. False when the queue is full: the query stays SUBMITTED until
  // the next start submits it again.
  bool submit(job j);
  // The querier's cancellation was recorded: interrupts the query if it is running.
  void cancel(const std::string& query_id);
  // A cascade cancelled the queries of a collaboration (every querier when `account` is empty):
  // interrupts those still queued or running.
  void cancel_of(const std::string& collaboration_id, const account_id& account);
  // Interrupts running queries without reporting them (they stay unfinished and run again
  // after a restart) and joins the workers. Idempotent.
  void stop();

  // The file of a query's result and the location reported for it (pure; for tests too).
  // nullopt when the key prefix could leave the results directory.
  struct result_place {
    std::filesystem::path file;
    std::optional<std::string> location;  // s3://bucket/prefix/id/result.csv for S3 outputs
  };
  [[nodiscard]] static std::optional<result_place> place_of(const std::filesystem::path& dir,
                                                            const job_plan& plan,
                                                            const std::string& query_id);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace crs::query
