#include "query/runner.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

namespace crs::query {
namespace {

using clock = std::chrono::steady_clock;

// Key prefix segments: "a/b/" -> {"a","b"}; empty and "." segments dropped; ".." refused.
std::optional<std::vector<std::string>> prefix_segments(const std::string& prefix) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= prefix.size()) {
    auto end = prefix.find('/', start);
    if (end == std::string::npos) end = prefix.size();
    auto seg = prefix.substr(start, end - start);
    if (seg == "..") return std::nullopt;
    if (!seg.empty() && seg != ".") out.push_back(std::move(seg));
    start = end + 1;
  }
  return out;
}

collaboration::finish_query failure(const std::string& qid, std::string code, std::string message) {
  collaboration::finish_query f;
  f.query_id = qid;
  f.status = query_status::failed;
  f.error_code = std::move(code);
  f.error_message = std::move(message);
  return f;
}

}  // namespace

struct runner::impl {
  runner_options options;
  runner_ports ports;
  std::unique_ptr<engine> eng;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<job> queue;
  // Queued and running queries, by id: whose they are and their cancellation flag.
  struct entry {
    std::string collaboration_id;
    account_id account;
    std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
  };
  std::map<std::string, entry> flags;
  bool stopping = false;
  std::vector<std::thread> workers;

  void work() {
    for (;;) {
      job j;
      std::shared_ptr<std::atomic<bool>> flag;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return stopping || !queue.empty(); });
        if (stopping) return;
        j = std::move(queue.front());
        queue.pop_front();
        flag = flags[j.query_id].cancel;
      }
      run(j, *flag);
      std::lock_guard lock(mu);
      flags.erase(j.query_id);
    }
  }

  void run(const job& j, const std::atomic<bool>& cancel) {
    // Picked up: SUBMITTED -> STARTED. Anything but STARTED afterwards (cancelled, finished,
    // gone) means there is nothing to run.
    auto begun = ports.record(j, collaboration::begin_query{j.query_id});
    if (!begun || begun.value() != query_status::started) return;
    const auto t0 = clock::now();
    collaboration::finish_query report;
    std::optional<std::filesystem::path> written;
    auto plan = ports.plan(j);
    if (!plan) {
      report = failure(j.query_id, plan.error().code, plan.error().message);
    } else if (auto place = place_of(options.results_dir, plan.value(), j.query_id); !place) {
      report = failure(j.query_id, code_execution_error,
                       "The result keyPrefix may not contain '..' segments");
    } else {
      const auto outcome =
          eng->run(plan.value().checked, plan.value().tables, place->file, options.limits, cancel);
      if (outcome.what != run_outcome::kind::success) {
        std::error_code ec;  // the query's own folder, if the engine left it empty
        std::filesystem::remove(place->file.parent_path(), ec);
      }
      if (outcome.what == run_outcome::kind::cancelled) {
        std::lock_guard lock(mu);
        if (stopping) return;  // interrupted by shutdown: unreported, run again after restart
      }
      report.query_id = j.query_id;
      switch (outcome.what) {
        case run_outcome::kind::success:
          report.status = query_status::success;
          report.result_location = place->location;
          report.result_rows = outcome.rows;
          written = place->file;
          break;
        case run_outcome::kind::cancelled:
          report.status = query_status::cancelled;
          break;
        case run_outcome::kind::timed_out:
          report.status = query_status::timed_out;
          report.error_code = outcome.error_code;
          report.error_message = outcome.error_message;
          break;
        case run_outcome::kind::failed:
          report = failure(j.query_id, outcome.error_code, outcome.error_message);
          break;
      }
    }
    report.duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - t0).count();
    auto done = ports.record(j, report);
    // Cancelled or deleted meanwhile: the result of a query that did not succeed is removed.
    // Without an answer the outcome is unknown, and a result that may be recorded is kept.
    const bool lost = done ? done.value() != query_status::success : done.error().refused;
    if (written && lost) {
      std::error_code ec;
      std::filesystem::remove(*written, ec);
      std::filesystem::remove(written->parent_path(), ec);
    }
  }
};

runner::runner(runner_options options, runner_ports ports, std::unique_ptr<engine> engine)
    : impl_(new impl{std::move(options), std::move(ports), std::move(engine)}) {
  const auto n = impl_->options.workers == 0 ? 1 : impl_->options.workers;
  for (std::size_t i = 0; i < n; ++i) impl_->workers.emplace_back([this] { impl_->work(); });
}

runner::~runner() {
  stop();
}

bool runner::submit(job j) {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping || impl_->queue.size() >= impl_->options.max_queued) return false;
    // Taken once: a restart's resubmission may meet the API's own submission.
    if (!impl_->flags.emplace(j.query_id, impl::entry{j.collaboration_id, j.account}).second)
      return true;
    impl_->queue.push_back(std::move(j));
  }
  impl_->cv.notify_one();
  return true;
}

void runner::cancel(const std::string& query_id) {
  std::lock_guard lock(impl_->mu);
  if (auto it = impl_->flags.find(query_id); it != impl_->flags.end())
    it->second.cancel->store(true);
}

void runner::cancel_of(const std::string& collaboration_id, const account_id& account) {
  std::lock_guard lock(impl_->mu);
  for (auto& [id, e] : impl_->flags)
    if (e.collaboration_id == collaboration_id && (account.empty() || e.account == account))
      e.cancel->store(true);
}

void runner::stop() {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping && impl_->workers.empty()) return;
    impl_->stopping = true;
    for (auto& [id, e] : impl_->flags) e.cancel->store(true);
  }
  impl_->cv.notify_all();
  for (auto& t : impl_->workers)
    if (t.joinable()) t.join();
  impl_->workers.clear();
}

std::optional<runner::result_place> runner::place_of(const std::filesystem::path& dir,
                                                     const job_plan& plan,
                                                     const std::string& query_id) {
  result_place out;
  if (!plan.bucket) {
    // Member outputs have no S3 location; "_members" is no valid bucket name, so it never
    // meets an S3 output's folder.
    out.file = dir / "_members" / query_id / "result.csv";
    return out;
  }
  auto segments = prefix_segments(plan.key_prefix.value_or(""));
  if (!segments) return std::nullopt;
  auto file = dir / *plan.bucket;
  std::string location = "s3://" + *plan.bucket + "/";
  for (const auto& s : *segments) {
    file /= s;
    location += s + "/";
  }
  out.file = file / query_id / "result.csv";
  out.location = location + query_id + "/result.csv";
  return out;
}

}  // namespace crs::query
