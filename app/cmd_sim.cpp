// `cleanroomsd sim`: the deterministic simulation of member lifecycles (sim/). Prints the seed,
// the steps, the answers per operation and status, the faults injected, the speed and the trace
// hash; on a violation the step, the invariant, the recent history and the command line that
// reproduces it. Exit status: 0 every check held, 1 a violation, 2 a usage error.
#include <cstdio>
#include <map>
#include <sstream>

#include "app/commands.hpp"
#include "sim/simulator.hpp"

namespace crs::app {
namespace {

struct sim_flags {
  sim::sim_options options;
  std::string faults = "all";
  std::uint64_t seeds = 1;  // --seeds N: seed, seed+1, ... (a soak)
};

// "all", "none" or a comma-separated list of fault names.
bool parse_faults(const std::string& text, unsigned& out, std::string& bad) {
  if (text == "all") {
    out = (1u << sim::fault_count) - 1;
    return true;
  }
  out = 0;
  if (text == "none") return true;
  std::stringstream in(text);
  std::string name;
  while (std::getline(in, name, ',')) {
    bool known = false;
    for (int i = 0; i < sim::fault_count; ++i)
      if (name == sim::fault_name(static_cast<sim::fault>(i))) {
        out |= 1u << i;
        known = true;
      }
    if (!known) {
      bad = name;
      return false;
    }
  }
  return true;
}

void print(const sim::sim_options& o, const sim::sim_report& r) {
  std::printf("seed: %llu\n", static_cast<unsigned long long>(o.seed));
  std::printf("steps: %llu (safety phase with faults: %llu, then liveness without)\n",
              static_cast<unsigned long long>(r.steps),
              static_cast<unsigned long long>(r.safety_steps));
  std::printf("rule deletion: %s\n", sim::strict_rule_deletion(o)
                                         ? "strict (refused while a query reads the table)"
                                         : "default (never held up by queries)");
  std::printf("calls: %llu, events: %llu\n", static_cast<unsigned long long>(r.requests),
              static_cast<unsigned long long>(r.events));
  std::printf("reads checked against the model (answers, items):");
  for (const auto& [what, n] : r.reads_checked)
    std::printf(" %s %llu, %llu;", what.c_str(), static_cast<unsigned long long>(n.reads),
                static_cast<unsigned long long>(n.items));
  std::printf("\n");
  std::printf("answers by operation and status:\n");
  for (const auto& [what, n] : r.outcomes)
    std::printf("  %-48s %llu\n", what.c_str(), static_cast<unsigned long long>(n));
  std::printf("faults injected:");
  if (r.faults.empty()) std::printf(" none");
  for (const auto& [what, n] : r.faults)
    std::printf(" %s %llu;", what.c_str(), static_cast<unsigned long long>(n));
  std::printf("\n");
  std::printf("time: %.2f s, %.0f steps/s\n", r.seconds,
              r.seconds > 0 ? static_cast<double>(r.steps) / r.seconds : 0.0);
  std::printf("trace hash: %s\n", r.trace_hash.c_str());
  if (!r.ok) {
    std::printf("VIOLATION at step %llu: %s\n", static_cast<unsigned long long>(r.violation_step),
                r.violation.c_str());
    std::printf("last events and answers:\n%s", r.recent.c_str());
    std::printf("reproduce with: %s\n", sim::command_line(o).c_str());
  }
  std::fflush(stdout);
}

}  // namespace

void add_sim(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<sim_flags>();
  auto* cmd = app.add_subcommand(
      "sim",
      "Deterministic simulation of member lifecycles: seeded clients, faults and invariant "
      "checks against the real deciders, actors and store (in memory). Same seed, same trace "
      "hash.");
  cmd->add_option("--seed", flags->options.seed, "seed of every decision of the run")
      ->capture_default_str();
  cmd->add_option("--steps", flags->options.steps, "steps to run (the last quarter without faults)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100000000}))
      ->capture_default_str();
  cmd->add_option("--accounts", flags->options.accounts, "client accounts")
      ->check(CLI::Range(2, 50))
      ->capture_default_str();
  cmd->add_option("--faults", flags->faults,
                  "all, none, or a list of: crash, passivate, slow-append, failed-append, retry")
      ->capture_default_str();
  cmd->add_option("--trace", flags->options.trace_file,
                  "write every durable append and answer here");
  cmd->add_option("--check-every", flags->options.check_every,
                  "replay the whole log and compare projections every N steps (0: only at the end "
                  "and after restarts)")
      ->capture_default_str();
  cmd->add_option("--store", flags->options.store,
                  "the disk: memory (the event log in memory, fast) or rocksdb (the server's "
                  "RocksDB store on an in-memory Env); a seed gives the same trace hash on both")
      ->transform(CLI::CheckedTransformer(std::map<std::string, sim::sim_store>{
          {"memory", sim::sim_store::memory}, {"rocksdb", sim::sim_store::rocksdb}}))
      ->capture_default_str();
  cmd->add_option("--seeds", flags->seeds, "run this many seeds from --seed on (a soak)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1000000}))
      ->capture_default_str();
  cmd->add_option("--plant-bug", flags->options.bug,
                  "test-only: make the evolver (or a projection) wrong on purpose "
                  "(member-left-stays-active, "
                  "invitee-removal-ignored, cancelled-query-succeeds, "
                  "removed-member-listed-without-membership, stale-membership-quota-row) to see "
                  "the checkers catch it")
      ->check(CLI::IsMember({"member-left-stays-active", "invitee-removal-ignored",
                             "cancelled-query-succeeds", "removed-member-listed-without-membership",
                             "stale-membership-quota-row"}));
  cmd->callback([flags, &exit_code] {
    std::string bad;
    if (!parse_faults(flags->faults, flags->options.faults, bad)) {
      std::fprintf(stderr,
                   "sim: unknown fault '%s' (crash, passivate, slow-append, "
                   "failed-append, retry, all, none)\n",
                   bad.c_str());
      exit_code = 2;
      return;
    }
    exit_code = 0;
    auto options = flags->options;
    for (std::uint64_t i = 0; i < flags->seeds; ++i) {
      options.seed = flags->options.seed + i;
      sim::sim_report report;
      try {
        report = sim::run_simulation(options);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "sim: %s\n", e.what());
        exit_code = 2;
        return;
      }
      print(options, report);
      if (!report.ok) {
        exit_code = 1;
        break;
      }
    }
  });
}

}  // namespace crs::app
