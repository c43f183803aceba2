// The deterministic simulator (issue 7; DESIGN.md "Determinism rules" 5). One seed drives the
// clients, the interleaving of actor messages (CAF's test_coordinator, one message per step),
// when the journal makes a group of appends durable, and the faults. The system under test is
// the server's own code (dispatcher, registry, actors, deciders, evolvers, projections, event
// store on an in-memory disk); only the ports are swapped: clock, id source, request ids,
// randomness and the journal's durability.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace crs::sim {

enum class fault : std::uint8_t {
  crash,          // the process dies: actors dropped, unsynced appends lost, restart from the log
  passivate,      // few resident actors: they passivate and re-activate from snapshot + tail
  slow_append,    // the disk stalls: appends wait, then go in large groups
  failed_append,  // the disk refuses a batch: its commands answer 500, nothing is kept
  retry,          // clients resend calls already answered, or lost in a crash, in any order
};
inline constexpr int fault_count = 5;
const char* fault_name(fault f);

// The disk beneath the journal. Both run the same code above the event_store interface and
// give the same trace hash for a seed; the memory store is the fast default, RocksDB on its
// in-memory Env the check that the real store behaves the same.
enum class sim_store : std::uint8_t { memory, rocksdb };

struct sim_options {
  std::uint64_t seed = 1;
  std::uint64_t steps = 100000;
  std::size_t accounts = 6;
  unsigned faults = (1u << fault_count) - 1;  // bit per fault
  std::string trace_file;                     // every event and reply, one line each
  std::uint64_t check_every = 2000;           // full replay + projection comparison every N steps
  sim_store store = sim_store::memory;
  std::string bug;  // test-only: a planted evolver bug (collaboration::planted_bug) by name
};

struct sim_report {
  bool ok = true;
  std::uint64_t steps = 0;
  std::uint64_t safety_steps = 0;
  std::uint64_t requests = 0;
  std::uint64_t events = 0;
  struct read_check {
    std::uint64_t reads = 0;  // answers compared with the model
    std::uint64_t items = 0;  // the members, memberships, queries, requests or tags they held
  };
  std::map<std::string, read_check> reads_checked;  // by operation
  std::map<std::string, std::uint64_t> outcomes;    // "CreateMembership 409" -> count
  std::map<std::string, std::uint64_t> faults;      // injected, by name
  double seconds = 0;
  std::string trace_hash;  // hex
  // On a violation: where, what, and the recent history.
  std::uint64_t violation_step = 0;
  std::string violation;
  std::string recent;
};

[[nodiscard]] sim_report run_simulation(const sim_options& options);

// Server settings the seed chooses, so one command line still reproduces a run and the seeds
// between them cover both: odd seeds run with registry_options::strict_rule_deletion.
[[nodiscard]] inline bool strict_rule_deletion(const sim_options& o) {
  return o.seed % 2 == 1;
}

// The command line that reproduces `options`.
std::string command_line(const sim_options& options);

}  // namespace crs::sim
