// The journal's writer loop. Group commit falls out of the queue: while one batch is being
// fsync'd, new submissions pile up, and the next turn takes all of them in one WriteBatch.
#include "events/journal.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <type_traits>

namespace crs::events {
namespace {

// Rough bytes a request adds to a WriteBatch: enough to bound a batch, not to predict it.
// Every event is small and bounded except a tag change, whose size is its tags.
std::size_t approx_bytes(const append_request& r) {
  constexpr std::size_t per_event = 256;
  std::size_t n = 64 + r.stream.size() + r.account.size() + r.request_id.size();
  for (const auto& e : r.events) {
    n += per_event + r.stream.size();
    if (const auto* tags = std::get_if<tags_changed>(&e)) {
      n += tags->resource_arn.size();
      for (const auto& [k, v] : tags->set) n += k.size() + v.size() + 16;
      for (const auto& k : tags->removed) n += k.size() + 8;
    }
  }
  for (const auto& v : r.views) n += v.key.size() + v.value.size() + 16;
  return n;
}

struct pending {
  append_request request;
  journal::completion done;
  std::size_t bytes = 0;
};

// A completion that throws must not kill the writer: the other requests still need theirs.
void complete(const journal::completion& done, result<append_outcome> r) {
  if (!done) return;
  try {
    done(std::move(r));
  } catch (...) {
  }
}

}  // namespace

struct journal::impl {
  event_store& store;
  journal_options options;

  mutable std::mutex mu;
  std::condition_variable wake;
  std::deque<pending> queue;  // guarded by mu
  bool stopping = false;      // guarded by mu
  journal_stats stats;        // guarded by mu

  std::mutex join_mu;  // serialises concurrent stop() calls around join
  std::thread writer;

  impl(event_store& s, journal_options o) : store(s), options(o) {}

  void run();
  std::vector<pending> take();
};

// Called with mu held.
std::vector<pending> journal::impl::take() {
  std::vector<pending> batch;
  std::size_t bytes = 0;
  std::size_t max_requests = std::max<std::size_t>(options.max_batch_requests, 1);
  // A single request larger than max_batch_bytes still goes, alone.
  while (!queue.empty() && batch.size() < max_requests &&
         (batch.empty() || bytes + queue.front().bytes <= options.max_batch_bytes)) {
    bytes += queue.front().bytes;
    batch.push_back(std::move(queue.front()));
    queue.pop_front();
  }
  return batch;
}

void journal::impl::run() {
  for (;;) {
    std::vector<pending> batch;
    {
      std::unique_lock<std::mutex> lock(mu);
      wake.wait(lock, [&] { return stopping || !queue.empty(); });
      if (queue.empty()) return;  // stopping, and everything is written
      batch = take();
    }

    std::vector<result<append_outcome>> results;
    try {
      std::vector<const append_request*> requests;
      requests.reserve(batch.size());
      for (const auto& p : batch) requests.push_back(&p.request);
      results = store.append_batch(requests);
    } catch (const std::exception& e) {  // an escaping exception would kill the process
      results.clear();
    }

    {
      std::lock_guard<std::mutex> lock(mu);
      ++stats.batches;
      stats.requests += batch.size();
      stats.largest_batch = std::max<std::uint64_t>(stats.largest_batch, batch.size());
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      auto r = i < results.size()
                   ? std::move(results[i])
                   : result<append_outcome>(store_error{store_error::kind::io, "append failed"});
      complete(batch[i].done, std::move(r));
    }
  }
}

journal::journal(event_store& store, journal_options options)
    : impl_(std::make_unique<impl>(store, options)) {
  impl_->writer = std::thread([p = impl_.get()] { p->run(); });
}

journal::~journal() {
  stop();
}

void journal::submit(append_request request, completion done) {
  pending p{std::move(request), std::move(done), 0};
  p.bytes = approx_bytes(p.request);
  const char* refused = nullptr;
  try {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stopping) {
      refused = "journal is stopped";
    } else if (impl_->queue.size() >= impl_->options.max_queue) {
      refused = "journal queue is full";
    } else {
      impl_->queue.push_back(std::move(p));  // strong guarantee: p intact if this throws
    }
    if (refused) ++impl_->stats.rejected;
  } catch (const std::exception&) {
    refused = "journal could not queue the request";
  }
  if (refused) {
    complete(p.done, store_error{store_error::kind::io, refused});
    return;
  }
  impl_->wake.notify_one();
}

void journal::stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  // From a completion (the writer thread itself) we cannot join; the destructor will.
  if (std::this_thread::get_id() == impl_->writer.get_id()) return;
  std::lock_guard<std::mutex> lock(impl_->join_mu);
  if (impl_->writer.joinable()) impl_->writer.join();
}

journal_stats journal::stats() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->stats;
}

}  // namespace crs::events
