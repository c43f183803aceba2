#include "events/read_ahead.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace crs::events {
namespace {

// The hand-over between the reader thread and the visitor: a bounded queue of batches.
class channel {
 public:
  explicit channel(std::size_t depth) : depth_(std::max<std::size_t>(depth, 1)) {}

  // Reader side. False once the visitor has stopped: the reader should stop too.
  bool push(std::vector<recorded_event>&& batch) {
    std::unique_lock lock(mu_);
    room_.wait(lock, [&] { return stopped_ || ready_.size() < depth_; });
    if (stopped_) return false;
    ready_.push_back(std::move(batch));
    more_.notify_one();
    return true;
  }
  void finish(result<ok_t> r) {
    std::lock_guard lock(mu_);
    outcome_ = std::move(r);
    more_.notify_one();
  }

  // Visitor side. False when the reader has finished and everything it read was taken.
  bool pop(std::vector<recorded_event>& out) {
    std::unique_lock lock(mu_);
    more_.wait(lock, [&] { return !ready_.empty() || outcome_.has_value(); });
    if (ready_.empty()) return false;
    out = std::move(ready_.front());
    ready_.pop_front();
    room_.notify_one();
    return true;
  }
  void stop() {
    std::lock_guard lock(mu_);
    stopped_ = true;
    room_.notify_one();
  }
  result<ok_t> outcome() {
    std::lock_guard lock(mu_);
    return outcome_ ? std::move(*outcome_) : result<ok_t>(ok_v);
  }

 private:
  std::mutex mu_;
  std::condition_variable more_, room_;
  const std::size_t depth_;
  std::deque<std::vector<recorded_event>> ready_;
  std::optional<result<ok_t>> outcome_;
  bool stopped_ = false;
};

// Stops and joins the reader however the visitor's loop ends (a throw included).
struct joined_reader {
  channel& ch;
  std::thread thread;
  ~joined_reader() {
    ch.stop();
    if (thread.joinable()) thread.join();
  }
};

}  // namespace

result<ok_t> read_all_ahead(const event_store& store, std::uint64_t from, std::uint64_t to,
                            const std::function<bool(recorded_event&)>& visit,
                            const read_ahead_options& options) {
  const std::size_t batch_size = std::max<std::size_t>(options.batch, 1);
  channel ch(options.depth);
  auto read = [&] {
    try {
      std::vector<recorded_event> batch;
      batch.reserve(batch_size);
      bool open = true;
      auto r = store.read_all(from, to, [&](recorded_event& e) {
        batch.push_back(std::move(e));
        if (batch.size() < batch_size) return true;
        open = ch.push(std::move(batch));
        batch = {};
        batch.reserve(batch_size);
        return open;
      });
      if (open && !batch.empty()) ch.push(std::move(batch));
      ch.finish(std::move(r));
    } catch (const std::exception& e) {  // bad_alloc: an error, not std::terminate
      ch.finish(store_error{store_error::kind::io, std::string("read_all_ahead: ") + e.what()});
    }
  };
  joined_reader reader{ch, std::thread(read)};
  std::vector<recorded_event> batch;
  while (ch.pop(batch)) {
    for (auto& e : batch)
      if (!visit(e)) return ok_v;  // the reader is stopped by joined_reader
  }
  reader.thread.join();
  return ch.outcome();
}

}  // namespace crs::events
