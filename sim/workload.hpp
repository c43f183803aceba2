// The simulated clients: K accounts issuing a weighted random mix of calls over many
// collaborations, chosen from what the reference model knows exists, plus calls from the wrong
// account, to ids that never existed, and malformed requests. Integer randomness only.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/model.hpp"
#include "sim/operation.hpp"
#include "sim/random.hpp"

namespace crs::sim {

// A lower-case version 4 UUID drawn from `rng`.
std::string random_uuid(prng& rng);

class workload {
 public:
  workload(prng rng, std::vector<std::string> accounts)
      : rng_(rng), accounts_(std::move(accounts)) {}
  // `busy(collaboration id)`: a write to it is in flight, so no other write is sent to it (one
  // writer per collaboration keeps each prediction exact; see sim/README.md).
  [[nodiscard]] operation next(const reference_model& model,
                               const std::function<bool(const std::string&)>& busy);
  const std::vector<std::string>& accounts() const { return accounts_; }
  std::string random_uuid() { return sim::random_uuid(rng_); }

 private:
  const std::string& any_account() { return accounts_[rng_.below(accounts_.size())]; }
  // A recent collaboration (most activity is on the newest ones), or "" if none.
  std::string pick_collaboration(const reference_model& model);
  operation create_collaboration();
  // A configured table or its rule (`owner`: the table's account, else anyone).
  operation table_call(const reference_model& model, op_kind kind, std::string owner = {});
  const m_member* active_member(const m_collaboration& c);  // one with a membership, or null
  // A recent membership (its owner the caller, its collaboration op's), or an id that does not
  // exist now (null; the caller then any account).
  const m_membership* pick_membership(const reference_model& model, operation& op);

  prng rng_;
  std::vector<std::string> accounts_;
};

}  // namespace crs::sim
