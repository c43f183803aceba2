#include "app/progress.hpp"

#include <unistd.h>
#include <cstdio>

namespace crs::app {
namespace {

constexpr auto redraw_every = std::chrono::milliseconds(250);

}  // namespace

progress::progress(std::string label, std::uint64_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(::isatty(STDERR_FILENO) == 1),
      start_(clock::now()),
      last_draw_(start_) {}

progress::~progress() {
  finish();
}

void progress::update(std::uint64_t done) {
  done_ = done;
  if (!enabled_ || finished_) return;
  const auto now = clock::now();
  if (now - last_draw_ < redraw_every) return;  // also keeps runs under 250 ms silent
  draw(now);
}

void progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (!drawn_) return;
  draw(clock::now());
  std::fputc('\n', stderr);
  std::fflush(stderr);
}

void progress::draw(clock::time_point now) {
  last_draw_ = now;
  drawn_ = true;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0;
  const double percent = total_ ? 100.0 * static_cast<double>(done_) / total_ : 100.0;
  char eta[32] = "?";
  if (rate > 0 && done_ <= total_)
    std::snprintf(eta, sizeof eta, "%.0f", static_cast<double>(total_ - done_) / rate);
  // Trailing spaces wipe what a longer previous line left behind.
  std::fprintf(stderr, "\r%s: position %llu/%llu (%.0f%%), %.0f events/s, ETA %ss    ",
               label_.c_str(), static_cast<unsigned long long>(done_),
               static_cast<unsigned long long>(total_), percent, rate, eta);
  std::fflush(stderr);
}

}  // namespace crs::app
