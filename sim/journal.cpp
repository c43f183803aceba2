#include "sim/journal.hpp"

#include <vector>

namespace crs::sim {

void sim_journal::submit(events::append_request request, completion done) {
  if (down_) {
    done(store_error{store_error::kind::io, "the simulated process is down"});
    return;
  }
  queue_.push_back({std::move(request), std::move(done)});
}

std::size_t sim_journal::commit(std::size_t max, bool fail,
                                const std::function<void(const committed_append&)>& seen) {
  if (down_ || queue_.empty() || max == 0) return 0;
  std::vector<pending> taken;
  while (!queue_.empty() && taken.size() < max) {
    taken.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  ++batches;
  if (fail) {
    for (auto& p : taken) {
      ++failed_requests;
      failed_request_ids.insert(p.request.request_id);
      p.done(store_error{store_error::kind::io, "injected: the disk refused the write"});
    }
    return taken.size();
  }
  std::vector<const events::append_request*> batch;
  batch.reserve(taken.size());
  for (const auto& p : taken) batch.push_back(&p.request);
  auto outcomes = store_->append_batch(batch);
  for (std::size_t i = 0; i < taken.size(); ++i) {
    if (outcomes[i] && seen) seen({&taken[i].request, outcomes[i].value()});
    taken[i].done(std::move(outcomes[i]));
  }
  return taken.size();
}

void sim_journal::crash() {
  lost_requests += queue_.size();
  queue_.clear();  // completions destroyed unrun: nobody hears of these writes
  store_ = nullptr;
  down_ = true;
}

}  // namespace crs::sim
