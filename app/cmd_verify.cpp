// `cleanroomsd verify` and `cleanroomsd rebuild-projections`: the log checked against itself and
// against the live read models, and the read models rebuilt from the log.
#include <chrono>
#include <iostream>

#include "app/commands.hpp"
#include "app/log_args.hpp"
#include "app/progress.hpp"
#include "projections/verify.hpp"

namespace crs::app {
namespace {

std::string clip(const std::optional<std::string>& s) {
  if (!s) return "(absent)";
  constexpr std::size_t max = 240;
  return s->size() <= max ? *s
                          : s->substr(0, max) + "... (" + std::to_string(s->size()) + " bytes)";
}

void print(const projections::verify_report& r) {
  for (const auto& p : r.problems) {
    std::cout << "log: ";
    if (p.position) std::cout << "position " << p.position << " ";
    if (!p.stream.empty()) std::cout << "[" << p.stream << "] ";
    std::cout << p.what << "\n";
  }
  if (r.problem_count > r.problems.size())
    std::cout << "log: ... and " << r.problem_count - r.problems.size() << " more\n";
  for (const auto& m : r.mismatches) {
    const char* what = !m.live      ? "missing from the live views"
                       : !m.rebuilt ? "in the live views but not produced by the log"
                                    : "differs";
    std::cout << "row " << m.key << ": " << what << "\n";
    std::cout << "  live:    " << clip(m.live) << "\n";
    std::cout << "  rebuilt: " << clip(m.rebuilt) << "\n";
  }
  if (r.mismatch_count > r.mismatches.size())
    std::cout << "rows: ... and " << r.mismatch_count - r.mismatches.size() << " more\n";
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The whole log folded with a progress line; nullopt (after saying why) when it cannot be read.
std::optional<projections::replayed_log> replay(const events::event_store& store, const char* label,
                                                projections::verify_report& report) {
  progress bar(label, store.last_position());
  auto log = projections::replay_log(store, report,
                                     [&](std::uint64_t done, std::uint64_t) { bar.update(done); });
  bar.finish();
  if (!log) {
    std::cerr << "cleanroomsd " << label << ": reading the log failed: " << log.error().message
              << "\n";
    return std::nullopt;
  }
  return std::move(log.value());
}

int verify(const std::string& data_dir) {
  auto opened = open_log(data_dir);
  if (!opened) return report("verify", opened.error());
  auto& store = opened.value();
  const auto t0 = std::chrono::steady_clock::now();
  projections::verify_report report;
  auto log = replay(*store, "verify", report);
  if (!log) return 1;
  projections::compare_views(*store, projections::rebuild_rows(*log), report);
  print(report);
  std::cout << "verify: " << report.events << " events in " << report.streams << " streams, "
            << report.rows << " live rows checked in " << seconds_since(t0)
            << " s: " << (report.ok() ? "OK" : "FAILED") << " (" << report.problem_count
            << " log problems, " << report.mismatch_count << " row mismatches)\n";
  return report.ok() ? 0 : 1;
}

int rebuild(const std::string& data_dir, bool force) {
  auto opened = open_store(data_dir, true);
  if (!opened) return report("rebuild-projections", opened.error());
  auto& store = opened.value();
  const auto t0 = std::chrono::steady_clock::now();
  projections::verify_report report;
  auto log = replay(*store, "rebuild-projections", report);
  if (!log) return 1;
  if (report.problem_count && !force) {
    print(report);
    std::cerr << "cleanroomsd: the log itself has problems; not rebuilding (--force to rebuild "
                 "from what decodes)\n";
    return 1;
  }
  const double replayed = seconds_since(t0);
  // The parts go to the store unmerged: it merges them while writing its table files.
  const auto parts = projections::render_rows(*log);
  const double rendered = seconds_since(t0);
  std::vector<const projections::row_set*> rows;
  for (const auto& p : parts) rows.push_back(&p);
  auto written = store->replace_views(rows);
  if (!written) {
    std::cerr << "cleanroomsd: writing the views failed: " << written.error().message << "\n";
    return 1;
  }
  const double s = seconds_since(t0);
  std::cout << "rebuild-projections: replay " << replayed << " s, render " << rendered - replayed
            << " s, write " << s - rendered << " s\n";
  std::cout << "rebuild-projections: " << written.value() << " rows from " << report.events
            << " events in " << s << " s ("
            << static_cast<long long>(report.events / (s > 0 ? s : 1)) << " events/s)\n";
  return 0;
}

}  // namespace

void add_verify(CLI::App& app, int& exit_code) {
  auto dir = std::make_shared<std::string>();
  auto* v = app.add_subcommand(
      "verify",
      "Check the log (gap-free positions and versions, decodable, applicable events) and that "
      "the live read models equal those rebuilt from it; reads only, safe while serving");
  v->add_option("--data-dir", *dir, "Directory of the RocksDB event store")->required();
  v->callback([dir, &exit_code] { exit_code = verify(*dir); });

  auto rdir = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  auto* r = app.add_subcommand("rebuild-projections",
                               "Replace the read models with those rebuilt from the log (the "
                               "server must be stopped)");
  r->add_option("--data-dir", *rdir, "Directory of the RocksDB event store")->required();
  r->add_flag("--force", *force, "Rebuild even when the log has problems");
  r->callback([rdir, force, &exit_code] { exit_code = rebuild(*rdir, *force); });
}

}  // namespace crs::app
