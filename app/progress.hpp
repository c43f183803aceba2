// A progress line for long scans of the log (events, replay, verify, rebuild-projections):
//   progress p("verify", total);  p.update(done);  ...  p.finish();
// When stderr is a terminal it redraws "\r<label>: position N/M (P%), X events/s, ETA Ys" at most
// four times a second and ends the line on finish(); otherwise it prints nothing, so logs and
// pipes stay clean. Not thread-safe: one scanning thread calls it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace crs::app {

class progress {
 public:
  progress(std::string label, std::uint64_t total);
  ~progress();  // finishes the line if finish() was not called
  progress(const progress&) = delete;
  progress& operator=(const progress&) = delete;

  // `done` of `total` are behind us (a position or a count, whichever the caller scans by).
  void update(std::uint64_t done);
  // Draws the last state and ends the line (only if something was drawn). Idempotent.
  void finish();

 private:
  using clock = std::chrono::steady_clock;
  void draw(clock::time_point now);

  std::string label_;
  std::uint64_t total_ = 0;
  std::uint64_t done_ = 0;
  bool enabled_ = false;
  bool drawn_ = false;
  bool finished_ = false;
  clock::time_point start_;
  clock::time_point last_draw_;
};

}  // namespace crs::app
