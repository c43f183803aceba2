// The deadline and the cancel flag of one run, asked between loaded rows and, through
// SQLite's progress handler, every few hundred virtual machine steps. It remembers which of
// the two stopped the run so the outcome can say timed_out or cancelled.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "query/engine/engine.hpp"

namespace crs::query {

class run_watch {
 public:
  enum class reason { none, timeout, cancel };

  run_watch(std::chrono::milliseconds timeout, const std::atomic<bool>& cancel)
      : timeout_(timeout), deadline_(std::chrono::steady_clock::now() + timeout), cancel_(cancel) {}

  // True once the run must stop; the first reason found sticks.
  [[nodiscard]] bool should_stop() {
    if (stopped_ != reason::none) return true;
    if (cancel_.load(std::memory_order_relaxed))
      stopped_ = reason::cancel;
    else if (std::chrono::steady_clock::now() >= deadline_)
      stopped_ = reason::timeout;
    return stopped_ != reason::none;
  }

  [[nodiscard]] reason stopped() const { return stopped_; }

  // The outcome of a run should_stop() ended. Only meaningful when stopped() != none.
  [[nodiscard]] run_outcome outcome() const {
    run_outcome out;
    if (stopped_ == reason::cancel) {
      out.what = run_outcome::kind::cancelled;
      out.error_message = "the query was cancelled";
    } else {
      out.what = run_outcome::kind::timed_out;
      out.error_code = code_timed_out;
      out.error_message =
          "the query ran longer than its " + std::to_string(timeout_.count()) + " ms limit";
    }
    return out;
  }

  // For sqlite3_progress_handler: non-zero interrupts the statement being stepped.
  static int progress(void* self) { return static_cast<run_watch*>(self)->should_stop() ? 1 : 0; }

 private:
  std::chrono::milliseconds timeout_;
  std::chrono::steady_clock::time_point deadline_;
  const std::atomic<bool>& cancel_;
  reason stopped_ = reason::none;
};

// A failed outcome with a code from plan.hpp.
[[nodiscard]] inline run_outcome failed(const char* code, std::string message) {
  run_outcome out;
  out.what = run_outcome::kind::failed;
  out.error_code = code;
  out.error_message = std::move(message);
  return out;
}

}  // namespace crs::query
