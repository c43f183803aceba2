#include "events/view_files.hpp"

#include "events/run_parallel.hpp"

#include <rocksdb/sst_file_writer.h>

#include <algorithm>
#include <string_view>

namespace crs::events::detail {
namespace {

using events::run_parallel;

constexpr std::string_view file_prefix = "views-rebuild-";
constexpr std::size_t max_writers = 8;  // a limit: one file and one thread each

// Up to `writers` - 1 keys that cut the rows into runs of about equal size, taken from the
// largest part (the parts are renderings of disjoint sets of streams, so sizes are what
// matters); strictly ascending and above "", the start of the first run.
std::vector<std::string> cut_keys(const std::vector<const view_rows*>& parts, std::size_t writers) {
  const view_rows* largest = nullptr;
  for (const auto* p : parts)
    if (!largest || p->size() > largest->size()) largest = p;
  std::vector<std::string> cuts;
  if (!largest || writers < 2 || largest->size() < writers) return cuts;
  const std::size_t step = largest->size() / writers;
  auto it = largest->begin();
  for (std::size_t i = 1; i < writers; ++i) {
    std::advance(it, static_cast<std::ptrdiff_t>(step));
    if (it->first.empty() || (!cuts.empty() && it->first <= cuts.back())) continue;
    cuts.push_back(it->first);
  }
  return cuts;
}

struct run {
  std::string lo;                 // inclusive
  std::optional<std::string> hi;  // exclusive; nullopt: no bound
};

// One file: the rows of every part inside the run, merged in key order, and the run's share of
// the tombstone. `written` is false when the run has nothing to write.
rocksdb::Status write_run(const rocksdb::Options& options, rocksdb::ColumnFamilyHandle* family,
                          const std::string& path, const std::vector<const view_rows*>& parts,
                          const run& r, const std::optional<std::string>& clear_end, bool& written,
                          std::size_t& rows) {
  written = false;
  rows = 0;
  struct cursor {
    view_rows::const_iterator at, end;
  };
  std::vector<cursor> cursors;
  bool any_row = false;
  for (const auto* p : parts) {
    cursor c{p->lower_bound(r.lo), r.hi ? p->lower_bound(*r.hi) : p->end()};
    any_row = any_row || c.at != c.end;
    cursors.push_back(c);
  }
  std::optional<std::string> clear_to;  // the tombstone's end inside this run
  if (clear_end && r.lo < *clear_end) clear_to = r.hi ? std::min(*r.hi, *clear_end) : *clear_end;
  if (!any_row && !clear_to) return rocksdb::Status::OK();

  // Keeps the file's pages cached: the first read after a rebuild would otherwise go to disk.
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(options), options, family,
                                /*invalidate_page_cache=*/false);
  auto s = writer.Open(path);
  if (s.ok() && clear_to) s = writer.DeleteRange(r.lo, *clear_to);
  while (s.ok()) {
    // The least key among the cursors; on a tie the first part's row.
    cursor* least = nullptr;
    for (auto& c : cursors)
      if (c.at != c.end && (!least || c.at->first < least->at->first)) least = &c;
    if (!least) break;
    const std::string& key = least->at->first;
    s = writer.Put(key, least->at->second);
    ++rows;
    for (auto& c : cursors)
      if (&c != least && c.at != c.end && c.at->first == key) ++c.at;
    ++least->at;
  }
  if (s.ok()) s = writer.Finish();  // syncs the file
  written = s.ok();
  return s;
}

}  // namespace

rocksdb::Status write_view_files(const rocksdb::Options& options,
                                 rocksdb::ColumnFamilyHandle* family, const std::string& dir,
                                 const std::vector<const view_rows*>& parts,
                                 const std::optional<std::string>& clear_end, std::size_t writers,
                                 std::vector<std::string>& paths, std::size_t& rows) {
  paths.clear();
  rows = 0;
  auto cuts = cut_keys(parts, std::clamp<std::size_t>(writers, 1, max_writers));
  std::vector<run> runs;
  runs.push_back(run{"", std::nullopt});
  for (auto& k : cuts) {
    runs.back().hi = k;
    runs.push_back(run{std::move(k), std::nullopt});
  }
  const std::size_t n = runs.size();
  std::vector<std::string> files(n);
  std::vector<rocksdb::Status> status(n);
  std::vector<char> written(n, 0);
  std::vector<std::size_t> counts(n, 0);
  auto write = [&](std::size_t i) {
    try {
      bool w = false;
      status[i] = write_run(options, family, files[i], parts, runs[i], clear_end, w, counts[i]);
      written[i] = w;
    } catch (const std::exception& e) {
      status[i] = rocksdb::Status::IOError("writing view rows", e.what());
    }
  };
  for (std::size_t i = 0; i < n; ++i)
    files[i] = dir + "/" + std::string(file_prefix) + std::to_string(i) + ".sst";
  run_parallel(n, write);
  for (const auto& s : status)
    if (!s.ok()) return s;
  for (std::size_t i = 0; i < n; ++i) {
    if (written[i]) paths.push_back(files[i]);
    rows += counts[i];
  }
  return rocksdb::Status::OK();
}

void remove_view_files(rocksdb::Env& env, const std::string& dir) {
  std::vector<std::string> names;
  if (!env.GetChildren(dir, &names).ok()) return;
  for (const auto& name : names)
    if (std::string_view(name).substr(0, file_prefix.size()) == file_prefix)
      (void)env.DeleteFile(dir + "/" + name);
}

}  // namespace crs::events::detail
