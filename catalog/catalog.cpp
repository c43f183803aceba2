#include "catalog/catalog.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "catalog/csv_scan.hpp"
#include "catalog/sidecar.hpp"

namespace crs::catalog {

namespace {

namespace fs = std::filesystem;

// Where a reference's table lives, and the names its problems are told by.
struct table_files {
  fs::path csv;
  fs::path sidecar;
  std::string csv_name;      // "orders.csv"
  std::string sidecar_name;  // "orders.schema.json"
};

// A name from a request becomes a path component, so it must not be able to leave DIR.
bool is_safe_component(std::string_view s) {
  static constexpr std::string_view forbidden("/\\\0", 3);
  return !s.empty() && s != "." && s != ".." && s.find_first_of(forbidden) == s.npos;
}

std::optional<table_files> files_for(const fs::path& dir, const table_reference& ref) {
  std::vector<const std::string*> folders;
  const std::string* table = nullptr;
  if (const auto* g = std::get_if<glue_table_reference>(&ref)) {
    folders = {&g->database_name};
    table = &g->table_name;
  } else if (const auto* a = std::get_if<athena_table_reference>(&ref)) {
    folders = {&a->database_name};
    table = &a->table_name;
  } else {
    const auto& s = std::get<snowflake_table_reference>(ref);
    folders = {&s.database_name, &s.schema_name};
    table = &s.table_name;
  }
  if (!is_safe_component(*table)) return std::nullopt;
  fs::path base = dir;
  for (const std::string* folder : folders) {
    if (!is_safe_component(*folder)) return std::nullopt;
    base /= *folder;
  }
  return table_files{base / (*table + ".csv"), base / (*table + ".schema.json"), *table + ".csv",
                     *table + ".schema.json"};
}

// What stat says of a file. Two equal probes of a regular file mean it was not rewritten in
// between: a write moves the mtime (and usually the size), a replacing rename the inode. A
// tool that restores an old mtime on same-sized new content goes unnoticed, deliberately:
// the mtime is the file's own claim of when its content last changed.
struct file_probe {
  enum class kind { absent, regular, other, error } what = kind::absent;
  int error = 0;  // errno, when what == error
  std::uintmax_t size = 0;
  std::int64_t mtime_ns = 0;
  std::uintmax_t device = 0;
  std::uintmax_t inode = 0;
  friend bool operator==(const file_probe& a, const file_probe& b) {
    return a.what == b.what && a.error == b.error && a.size == b.size && a.mtime_ns == b.mtime_ns &&
           a.device == b.device && a.inode == b.inode;
  }
  friend bool operator!=(const file_probe& a, const file_probe& b) { return !(a == b); }
};

std::int64_t nanoseconds(const timespec& t) {
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

file_probe probe(const fs::path& p) {
  struct stat st {};
  file_probe out;
  if (::stat(p.c_str(), &st) != 0) {
    const int e = errno;
    // A name too long for the file system names no file either.
    if (e == ENOENT || e == ENOTDIR || e == ENAMETOOLONG) return out;
    out.what = file_probe::kind::error;
    out.error = e;
    return out;
  }
  out.what = S_ISREG(st.st_mode) ? file_probe::kind::regular : file_probe::kind::other;
  out.size = static_cast<std::uintmax_t>(st.st_size);
  out.mtime_ns = nanoseconds(st.st_mtim);
  out.device = static_cast<std::uintmax_t>(st.st_dev);
  out.inode = static_cast<std::uintmax_t>(st.st_ino);
  return out;
}

struct stamp {
  file_probe csv;
  file_probe sidecar;
  friend bool operator==(const stamp& a, const stamp& b) {
    return a.csv == b.csv && a.sidecar == b.sidecar;
  }
};

struct parsed_table {
  lookup_result result;
  bool typed_by_sidecar = false;  // a snowflake reference's tableSchema does not apply
  bool transient = false;         // an I/O failure: worth trying again, so never cached
};

parsed_table broken(std::string problem, bool transient = false) {
  parsed_table out;
  out.result.what = lookup_result::status::broken;
  out.result.problem = std::move(problem);
  out.transient = transient;
  return out;
}

std::string cannot_read(const std::string& name, int error) {
  return name + ": cannot read (" + std::strerror(error) + ")";
}

// The sidecar's text, at most max_bytes of it; nullopt (problem set) when it cannot be had.
std::optional<std::string> read_sidecar(const table_files& files, std::uintmax_t size,
                                        const catalog_limits& limits, parsed_table& problem) {
  if (size > limits.max_sidecar_bytes) {
    problem = broken(files.sidecar_name + ": larger than " +
                     std::to_string(limits.max_sidecar_bytes) + " bytes");
    return std::nullopt;
  }
  std::ifstream in(files.sidecar, std::ios::binary);
  if (!in) {
    problem = broken(cannot_read(files.sidecar_name, errno), true);
    return std::nullopt;
  }
  // One byte more than stat said, so a file that grew since is not silently cut short.
  std::string text(static_cast<std::size_t>(size) + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) {
    problem = broken(cannot_read(files.sidecar_name, errno), true);
    return std::nullopt;
  }
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > limits.max_sidecar_bytes) {
    problem = broken(files.sidecar_name + ": larger than " +
                     std::to_string(limits.max_sidecar_bytes) + " bytes");
    return std::nullopt;
  }
  return text;
}

parsed_table read_table(const table_files& files, const stamp& seen, const catalog_limits& limits) {
  std::ifstream csv(files.csv, std::ios::binary);
  if (!csv) return broken(cannot_read(files.csv_name, errno), true);
  csv_scan_result scan = scan_csv(csv, files.csv_name, limits);
  if (!scan.columns) return broken(std::move(scan.problem), scan.io_error);

  parsed_table out;
  out.result.what = lookup_result::status::found;
  out.result.found.data_file = files.csv;
  if (seen.sidecar.what == file_probe::kind::regular) {
    parsed_table problem;
    const auto text = read_sidecar(files, seen.sidecar.size, limits, problem);
    if (!text) return problem;
    sidecar_result sidecar =
        parse_sidecar(*text, scan.columns->names, files.sidecar_name, files.csv_name);
    if (!sidecar.columns) return broken(std::move(sidecar.problem));
    out.result.found.columns = std::move(sidecar.columns->columns);
    out.result.found.partition_keys = std::move(sidecar.columns->partition_keys);
    out.typed_by_sidecar = true;
    return out;
  }
  for (std::size_t i = 0; i < scan.columns->names.size(); ++i)
    out.result.found.columns.push_back(
        {std::move(scan.columns->names[i]), std::move(scan.columns->inferred[i])});
  return out;
}

// A snowflake reference carries its own tableSchema: without a sidecar its types win over
// inferred ones, matched by lower-cased name.
lookup_result with_reference_types(const parsed_table& parsed, const table_reference& ref) {
  lookup_result out = parsed.result;
  const auto* snowflake = std::get_if<snowflake_table_reference>(&ref);
  if (!snowflake || parsed.typed_by_sidecar || out.what != lookup_result::status::found) return out;
  std::map<std::string, const std::string*> types;  // the first entry of a name wins
  for (const auto& c : snowflake->table_schema)
    if (!c.type.empty()) types.emplace(to_lower(c.name), &c.type);
  for (auto& c : out.found.columns)
    if (const auto it = types.find(c.name); it != types.end()) c.type = *it->second;
  return out;
}

}  // namespace

struct local_catalog::impl {
  struct entry {
    stamp seen;
    std::shared_ptr<const parsed_table> parsed;
    std::uint64_t last_used = 0;
  };

  fs::path dir;       // as given
  fs::path absolute;  // tables' paths and cache keys, immune to a change of directory
  catalog_limits limits;
  std::mutex mutex;                              // guards everything below
  std::unordered_map<std::string, entry> cache;  // key: the CSV's absolute path
  std::uint64_t uses = 0;

  std::shared_ptr<const parsed_table> cached(const std::string& key, const stamp& now) {
    std::lock_guard lock(mutex);
    const auto it = cache.find(key);
    if (it == cache.end() || !(it->second.seen == now)) return nullptr;
    it->second.last_used = ++uses;
    return it->second.parsed;
  }

  void remember(const std::string& key, const stamp& seen,
                std::shared_ptr<const parsed_table> parsed) {
    if (limits.max_cached_tables == 0) return;
    std::lock_guard lock(mutex);
    if (!cache.count(key) && cache.size() >= limits.max_cached_tables) {
      // A linear scan, bounded by the limit, only when the cache is full.
      auto oldest = cache.begin();
      for (auto it = cache.begin(); it != cache.end(); ++it)
        if (it->second.last_used < oldest->second.last_used) oldest = it;
      cache.erase(oldest);
    }
    cache[key] = entry{seen, std::move(parsed), ++uses};
  }

  lookup_result lookup(const table_reference& ref) {
    const auto files = files_for(absolute, ref);
    if (!files) return {};
    stamp now{probe(files->csv), probe(files->sidecar)};
    switch (now.csv.what) {
      case file_probe::kind::absent:
        return {};
      case file_probe::kind::error:
        return broken(cannot_read(files->csv_name, now.csv.error)).result;
      case file_probe::kind::other:
        return broken(files->csv_name + ": not a regular file").result;
      case file_probe::kind::regular:
        break;
    }
    if (now.sidecar.what == file_probe::kind::error)
      return broken(cannot_read(files->sidecar_name, now.sidecar.error)).result;
    if (now.sidecar.what == file_probe::kind::other)
      return broken(files->sidecar_name + ": not a regular file").result;

    const std::string key = files->csv.string();
    auto parsed = cached(key, now);
    if (!parsed) {
      parsed = std::make_shared<const parsed_table>(read_table(*files, now, limits));
      // Cache only what was read from files that stood still while being read.
      const stamp after{probe(files->csv), probe(files->sidecar)};
      if (!parsed->transient && after == now) remember(key, now, parsed);
    }
    return with_reference_types(*parsed, ref);
  }
};

std::vector<std::string> table::all_names() const {
  std::vector<std::string> out;
  out.reserve(columns.size() + partition_keys.size());
  for (const auto& c : columns) out.push_back(c.name);
  for (const auto& c : partition_keys) out.push_back(c.name);
  return out;
}

local_catalog::local_catalog(std::filesystem::path dir, catalog_limits limits)
    : impl_(std::make_unique<impl>()) {
  impl_->dir = std::move(dir);
  std::error_code ec;
  impl_->absolute = fs::absolute(impl_->dir, ec);
  if (ec) impl_->absolute = impl_->dir;
  impl_->limits = limits;
}

local_catalog::~local_catalog() = default;

const std::filesystem::path& local_catalog::dir() const {
  return impl_->dir;
}

lookup_result local_catalog::lookup(const table_reference& ref) const {
  // The contract is a value, never an exception: out of memory or a library surprise while
  // reading one table makes that table unusable, not the request.
  try {
    return impl_->lookup(ref);
  } catch (const std::exception& e) {
    lookup_result out;
    out.what = lookup_result::status::broken;
    out.problem = std::string("the catalog could not read this table: ") + e.what();
    return out;
  } catch (...) {
    lookup_result out;
    out.what = lookup_result::status::broken;
    out.problem = "the catalog could not read this table";
    return out;
  }
}

}  // namespace crs::catalog
