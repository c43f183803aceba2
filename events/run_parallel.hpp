// A few jobs at once on short-lived threads: the offline tools' way to use both cores (rebuild
// renders and writes on them). Not for the server's paths, which run on CAF and the journal.
#pragma once

#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace crs::events {

// Runs job(0) .. job(n - 1) and returns when all are done: job 0 on the calling thread, every
// other on a thread of its own, or on the calling thread when no thread can be had. A job must
// not throw (catch inside and report through its own slot).
template <class Job>
void run_parallel(std::size_t n, const Job& job) {
  std::vector<std::thread> threads;
  threads.reserve(n);  // emplace_back must not reallocate past a started thread
  for (std::size_t i = 1; i < n; ++i) {
    try {
      threads.emplace_back(job, i);
    } catch (const std::exception&) {  // no thread to be had (system_error, bad_alloc)
      job(i);
    }
  }
  if (n > 0) job(0);
  for (auto& t : threads) t.join();
}

}  // namespace crs::events
