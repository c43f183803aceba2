#include "events/read_ahead.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace crs::events {
namespace {

// The events of one stripe of positions, or the failure that ended it.
struct slice {
  std::vector<recorded_event> events;
  std::optional<store_error> failed;
};

// The hand-over between one reader thread and the visitor: a bounded queue of slices.
class channel {
 public:
  explicit channel(std::size_t depth) : depth_(std::max<std::size_t>(depth, 1)) {}

  // Reader side. False once the visitor has stopped: the reader should stop too.
  bool push(slice&& s) {
    std::unique_lock lock(mu_);
    room_.wait(lock, [&] { return stopped_ || ready_.size() < depth_; });
    if (stopped_) return false;
    ready_.push_back(std::move(s));
    more_.notify_one();
    return true;
  }
  void reader_done() {
    std::lock_guard lock(mu_);
    done_ = true;
    more_.notify_one();
  }

  // Visitor side. False only if the reader ended without the slice (it could not allocate).
  bool pop(slice& out) {
    std::unique_lock lock(mu_);
    more_.wait(lock, [&] { return !ready_.empty() || done_; });
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

 private:
  std::mutex mu_;
  std::condition_variable more_, room_;
  const std::size_t depth_;
  std::deque<slice> ready_;
  bool done_ = false;
  bool stopped_ = false;
};

// Stripe j holds positions [first + j * width, first + (j + 1) * width), cut off at `last`, the
// log's last position when the read began.
struct stripes {
  std::uint64_t first, last, width, count;
  std::uint64_t lo(std::uint64_t j) const { return first + j * width; }
  std::uint64_t hi(std::uint64_t j) const { return std::min(last, lo(j) + width - 1); }
};

// One reader thread. Destruction stops and joins it, however the visitor's loop ends (a throw
// included).
struct reader {
  channel ch;
  std::thread thread;
  explicit reader(std::size_t depth) : ch(depth) {}
  ~reader() {
    ch.stop();
    if (thread.joinable()) thread.join();
  }
};

// Reader k of n reads stripes k, k + n, k + 2n, ... in order, each into one slice.
void read_stripes(const event_store& store, const stripes& s, std::uint64_t k, std::uint64_t n,
                  channel& ch) {
  try {
    for (std::uint64_t j = k; j < s.count; j += n) {
      slice out;
      out.events.reserve(s.hi(j) - s.lo(j) + 1);
      auto r = store.read_all(s.lo(j), s.hi(j), [&](recorded_event& e) {
        out.events.push_back(std::move(e));
        return true;
      });
      if (!r.ok()) out.failed = r.error();
      const bool last = out.failed.has_value();
      if (!ch.push(std::move(out)) || last) break;
    }
  } catch (const std::exception& e) {  // bad_alloc: an error, not std::terminate
    try {
      slice out;
      out.failed = store_error{store_error::kind::io, std::string("read_all_ahead: ") + e.what()};
      (void)ch.push(std::move(out));
    } catch (...) {  // no memory even for that: pop() sees reader_done and reports it
    }
  }
  ch.reader_done();
}

}  // namespace

result<ok_t> read_all_ahead(const event_store& store, std::uint64_t from, std::uint64_t to,
                            const std::function<bool(recorded_event&)>& visit,
                            const read_ahead_options& options) {
  from = std::max<std::uint64_t>(from, 1);
  if (to < from) return ok_v;
  const std::uint64_t width = std::max<std::size_t>(options.batch, 1);
  const std::uint64_t held = std::min(to, store.last_position());
  if (held < from) return store.read_all(from, to, visit);  // nothing to read ahead of
  const stripes s{from, held, width, (held - from) / width + 1};
  const std::uint64_t n = std::clamp<std::uint64_t>(options.readers, 1, s.count);
  std::vector<std::unique_ptr<reader>> readers;
  try {
    for (std::uint64_t k = 0; k < n; ++k) {
      readers.push_back(std::make_unique<reader>(options.depth));
      auto& r = *readers.back();
      r.thread = std::thread(read_stripes, std::cref(store), std::cref(s), k, n, std::ref(r.ch));
    }
  } catch (const std::exception&) {  // no thread (or memory) to be had: read on this one
    readers.clear();                 // stops and joins those that started
    return store.read_all(from, to, visit);
  }
  // Stripes are taken in order, round-robin over the readers, so the visitor sees read_all's
  // order; a failure ends the read after every event before it, as read_all's would.
  slice got;
  for (std::uint64_t j = 0; j < s.count; ++j) {
    if (!readers[j % n]->ch.pop(got))
      return store_error{store_error::kind::io, "read_all_ahead: a reader ended early"};
    for (auto& e : got.events)
      if (!visit(e)) return ok_v;  // every reader is stopped by its destructor
    if (got.failed) return *got.failed;
  }
  // Events appended since the read began are read here, without read-ahead: memory stays bounded
  // however fast the log grows.
  if (held < to) return store.read_all(held + 1, to, visit);
  return ok_v;
}

}  // namespace crs::events
