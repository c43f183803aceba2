// The event store on RocksDB (layout and threading rules: events/event_store.hpp).
// Reads go straight to RocksDB, which is safe from any thread. The single writer keeps two
// pieces of state in memory, last_position and a cache of stream heads, and publishes them only
// after a successful Write so a failed batch leaves no trace.
#include "events/event_store.hpp"

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <chrono>
#include <limits>
#include <random>
#include <thread>
#include <unordered_map>

#include "events/codec.hpp"
#include "events/store_keys.hpp"
#include "events/view_files.hpp"

namespace crs::events {
namespace {

// Column families in the order they are opened; the index is the handle's slot.
enum cf : std::size_t { cf_default, cf_log, cf_streams, cf_heads, cf_views, cf_snapshots, cf_meta };
constexpr const char* cf_names[] = {"default", "log",       "streams", "heads",
                                    "views",   "snapshots", "meta"};
constexpr std::size_t cf_count = sizeof(cf_names) / sizeof(cf_names[0]);

constexpr std::string_view store_format = "1";
constexpr std::size_t secret_bytes = 32;
constexpr std::size_t block_cache_bytes = 64u << 20;
constexpr int bloom_bits_per_key = 10;

store_error err(store_error::kind k, std::string message) {
  return store_error{k, std::move(message)};
}

store_error from_status(const rocksdb::Status& s, std::string_view what) {
  auto k = s.IsCorruption() ? store_error::kind::corruption : store_error::kind::io;
  return err(k, std::string(what) + ": " + s.ToString());
}

store_error closed() {
  return err(store_error::kind::io, "event store is closed");
}

rocksdb::Slice slice(std::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}
std::string_view view(const rocksdb::Slice& s) {
  return std::string_view(s.data(), s.size());
}

bool lz4_supported() {
  static const bool yes = [] {
    for (auto c : rocksdb::GetSupportedCompressions())
      if (c == rocksdb::kLZ4Compression) return true;
    return false;
  }();
  return yes;
}

// Small values, mostly point reads on heads and views: one shared block cache for every family,
// bloom filters where Get is the common read (a log or stream read is a scan).
rocksdb::ColumnFamilyOptions family_options(const std::shared_ptr<rocksdb::Cache>& cache,
                                            bool bloom) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  if (bloom) table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(bloom_bits_per_key));
  rocksdb::ColumnFamilyOptions o;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // LZ4 rather than the default Snappy: about the same ratio on these rows and events, and
  // faster to decompress, which a replay, a rebuild and every activation pay per block. (Files
  // written before keep their Snappy blocks; a RocksDB built without LZ4 keeps Snappy.)
  if (lz4_supported()) o.compression = rocksdb::kLZ4Compression;
  o.level_compaction_dynamic_level_bytes = true;
  return o;
}

std::string random_secret() {
  std::random_device rd("/dev/urandom");
  std::string s(secret_bytes, '\0');
  for (std::size_t i = 0; i < secret_bytes; i += 4) {
    auto v = rd();
    for (std::size_t j = 0; j < 4 && i + j < secret_bytes; ++j)
      s[i + j] = static_cast<char>(v >> (8 * j));
  }
  return s;
}

}  // namespace

std::shared_ptr<rocksdb::Env> make_memory_disk() {
  return std::shared_ptr<rocksdb::Env>(rocksdb::NewMemEnv(rocksdb::Env::Default()));
}

namespace {

// What one open RocksDB store keeps.
struct rocks_impl {
  store_options options;
  std::string dir;
  std::shared_ptr<rocksdb::Cache> cache;
  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // cf order, then unknown families
  std::string secret;
  std::atomic<std::uint64_t> last_position{0};
  std::atomic<bool> disk_full{false};  // injected fault
  // After a failed Write RocksDB refuses writes (a background error) until resumed; the next
  // append resumes first, so the server recovers by itself once the cause (space) is gone.
  bool needs_resume = false;
  // Writer-only: heads read or written by append_batch. Filled lazily from `heads`.
  std::unordered_map<std::string, std::uint64_t> head_cache;

  ~rocks_impl() { close(); }
  rocksdb::ColumnFamilyHandle* h(cf c) const { return handles[c]; }

  result<ok_t> recover();
  result<std::uint64_t> current_head(const std::string& stream,
                                     const std::unordered_map<std::string, std::uint64_t>& staged);
  result<append_outcome> stage(const append_request* r, rocksdb::WriteBatch& wb,
                               std::unordered_map<std::string, std::uint64_t>& staged,
                               std::uint64_t& position);
  void close(bool flush = true);
};

// The RocksDB implementation of the interface; everything it keeps is in rocks_impl.
class rocksdb_store final : public event_store {
 public:
  explicit rocksdb_store(std::unique_ptr<rocks_impl> p) : impl_(std::move(p)) {}
  ~rocksdb_store() override { close(); }
  using event_store::replace_views;

  std::vector<result<append_outcome>> append_batch(
      const std::vector<const append_request*>& batch) override;
  result<std::vector<recorded_event>> read_stream(std::string_view stream,
                                                  std::uint64_t from_version) const override;
  result<ok_t> read_all(std::uint64_t from, std::uint64_t to,
                        const std::function<bool(recorded_event&)>& visit) const override;
  std::uint64_t head_version(std::string_view stream) const override;
  std::uint64_t last_position() const override;
  std::vector<std::string> list_streams() const override;
  result<std::vector<std::pair<std::string, std::uint64_t>>> list_heads() const override;
  std::optional<std::string> get_view(std::string_view key) const override;
  void scan_views(std::string_view prefix, std::string_view start_after,
                  const std::function<bool(std::string_view key, std::string_view value)>& visit)
      const override;
  result<std::size_t> replace_views(const std::vector<const view_rows*>& parts,
                                    std::size_t writers) override;
  std::optional<std::string> get_snapshot(std::string_view stream) const override;
  result<ok_t> checkpoint(const std::string& dest) const override;
  void inject_disk_full(bool on) override;
  bool disk_full_injected() const override;
  std::string secret() const override;
  void close() override;
  void abandon() override;

 private:
  std::unique_ptr<rocks_impl> impl_;
};

}  // namespace

result<std::unique_ptr<event_store>> event_store::open(const std::string& dir,
                                                       const store_options& options) {
  try {
    auto p = std::make_unique<rocks_impl>();
    p->options = options;
    p->dir = dir;
    p->cache = rocksdb::NewLRUCache(block_cache_bytes);

    rocksdb::DBOptions db_options;
    db_options.create_if_missing = options.create_if_missing;
    db_options.create_missing_column_families = options.create_if_missing;
    db_options.max_background_jobs = 2;  // the machine has two cores
    db_options.keep_log_file_num = 4;
    if (options.disk) db_options.env = options.disk.get();

    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (std::size_t i = 0; i < cf_count; ++i) {
      bool bloom = i == cf_heads || i == cf_views || i == cf_snapshots || i == cf_meta;
      families.emplace_back(cf_names[i], family_options(p->cache, bloom));
    }
    // RocksDB refuses to open a DB without naming all its families: keep a newer version's
    // extra families open (untouched) rather than failing.
    std::vector<std::string> existing;
    if (rocksdb::DB::ListColumnFamilies(db_options, dir, &existing).ok()) {
      for (const auto& name : existing) {
        bool known = false;
        for (const char* n : cf_names) known = known || name == n;
        if (!known) families.emplace_back(name, family_options(p->cache, false));
      }
    }

    if (options.read_only) {
      db_options.create_if_missing = false;
      db_options.create_missing_column_families = false;
      // A reader beside a live server: open every table file at once, so files the server's
      // compactions delete afterwards stay readable through our descriptors (a fixed view).
      db_options.max_open_files = -1;
    }
    rocksdb::Status s;
    for (int attempt = 0;; ++attempt) {
      s = options.read_only
              ? rocksdb::DB::OpenForReadOnly(db_options, dir, families, &p->handles, &p->db)
              : rocksdb::DB::Open(db_options, dir, families, &p->handles, &p->db);
      // The server may delete a table file between our reading its MANIFEST and opening the
      // file (found by the crash harness); a fresh attempt sees the new MANIFEST.
      const bool vanished =
          !s.ok() && options.read_only && s.ToString().find("No such file") != std::string::npos;
      if (!vanished || attempt == 20) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(25 * (attempt + 1)));
    }
    if (!s.ok()) return from_status(s, "open " + dir);
    auto recovered = p->recover();
    if (!recovered) return recovered.error();
    return std::unique_ptr<event_store>(std::make_unique<rocksdb_store>(std::move(p)));
  } catch (const std::exception& e) {
    return err(store_error::kind::io, std::string("open ") + dir + ": " + e.what());
  }
}

result<ok_t> rocks_impl::recover() {
  auto fail = [this](store_error e) -> result<ok_t> {
    close();
    return e;
  };
  std::string format;
  auto s = db->Get(rocksdb::ReadOptions(), h(cf_meta), "format", &format);
  if (s.IsNotFound() && options.read_only) {
    return fail(err(store_error::kind::not_found, "not a cleanroomsd data directory (no format)"));
  } else if (s.IsNotFound()) {
    // A new store: format and secret are written together, so either both exist or neither.
    secret = options.secret_for_new_store ? *options.secret_for_new_store : random_secret();
    if (secret.size() != secret_bytes)
      return fail(err(store_error::kind::invalid_argument, "a store secret must be 32 bytes"));
    rocksdb::WriteBatch wb;
    wb.Put(h(cf_meta), "format", slice(store_format));
    wb.Put(h(cf_meta), "secret", secret);
    rocksdb::WriteOptions wo;
    wo.sync = true;
    s = db->Write(wo, &wb);
    if (!s.ok()) return fail(from_status(s, "write meta"));
  } else if (!s.ok()) {
    return fail(from_status(s, "read meta format"));
  } else {
    if (format != store_format)
      return fail(err(store_error::kind::corruption, "unsupported store format " + format));
    s = db->Get(rocksdb::ReadOptions(), h(cf_meta), "secret", &secret);
    if (!s.ok() || secret.size() != secret_bytes)
      return fail(err(store_error::kind::corruption, "store secret missing or damaged"));
  }

  // The log's greatest key is the last position (positions are gap-free and never deleted).
  std::optional<store_error> problem;
  {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), h(cf_log)));
    it->SeekToLast();
    if (it->Valid()) {
      auto pos = keys::read_u64(view(it->key()));
      if (pos)
        last_position = *pos;
      else
        problem = err(store_error::kind::corruption, "bad log key");
    } else if (!it->status().ok()) {
      problem = from_status(it->status(), "scan log");
    }
  }  // the iterator must be gone before fail() closes the DB
  if (problem) return fail(*problem);
  return ok_v;
}

void rocks_impl::close(bool flush) {
  if (!db) return;
  rocksdb::FlushOptions fo;
  fo.wait = true;
  if (flush && !options.read_only)
    (void)db->Flush(fo, handles);  // best effort: the WAL holds it all
  for (auto* handle : handles) (void)db->DestroyColumnFamilyHandle(handle);
  handles.clear();
  (void)db->Close();
  delete db;
  db = nullptr;
  head_cache.clear();
}

void rocksdb_store::close() {
  impl_->close();
}

void rocksdb_store::abandon() {
  impl_->close(false);
}

// ------------------------------------------------------------------------ append

result<std::uint64_t> rocks_impl::current_head(
    const std::string& stream, const std::unordered_map<std::string, std::uint64_t>& staged) {
  if (auto it = staged.find(stream); it != staged.end()) return it->second;
  if (auto it = head_cache.find(stream); it != head_cache.end()) return it->second;
  std::string value;
  auto s = db->Get(rocksdb::ReadOptions(), h(cf_heads), stream, &value);
  if (s.IsNotFound()) return std::uint64_t{0};
  if (!s.ok()) return from_status(s, "read head of " + stream);
  auto v = keys::read_u64(value);
  if (!v) return err(store_error::kind::corruption, "bad head of " + stream);
  head_cache.emplace(stream, *v);
  return *v;
}

result<append_outcome> rocks_impl::stage(const append_request* r, rocksdb::WriteBatch& wb,
                                         std::unordered_map<std::string, std::uint64_t>& staged,
                                         std::uint64_t& position) {
  if (!r) return err(store_error::kind::invalid_argument, "null append request");
  if (r->stream.find('\0') != std::string::npos || (r->stream.empty() && !r->events.empty()))
    return err(store_error::kind::invalid_argument, "bad stream id");
  auto head = current_head(r->stream, staged);
  if (!head) return head.error();
  if (*head != r->expected_version)
    return err(store_error::kind::version_conflict, r->stream + ": expected version " +
                                                        std::to_string(r->expected_version) +
                                                        ", head is " + std::to_string(*head));

  wb.SetSavePoint();
  std::uint64_t pos = position;
  std::uint64_t version = *head;
  rocksdb::Status s;
  for (const auto& payload : r->events) {
    ++pos;
    ++version;
    if (s.ok()) s = wb.Put(h(cf_log), keys::u64(pos), encode_appended(*r, pos, version, payload));
    if (s.ok()) s = wb.Put(h(cf_streams), keys::stream_version(r->stream, version), keys::u64(pos));
  }
  if (s.ok() && !r->events.empty()) s = wb.Put(h(cf_heads), r->stream, keys::u64(version));
  if (s.ok() && r->snapshot) s = wb.Put(h(cf_snapshots), r->stream, *r->snapshot);
  for (const auto& v : r->views) {
    if (!s.ok()) break;
    s = v.erase ? wb.Delete(h(cf_views), v.key) : wb.Put(h(cf_views), v.key, v.value);
  }
  if (!s.ok()) {
    (void)wb.RollbackToSavePoint();
    return from_status(s, "stage " + r->stream);
  }
  (void)wb.PopSavePoint();

  append_outcome out;
  out.first_position = r->events.empty() ? 0 : position + 1;
  out.new_version = version;
  position = pos;
  if (!r->events.empty()) staged[r->stream] = version;
  return out;
}

std::vector<result<append_outcome>> rocksdb_store::append_batch(
    const std::vector<const append_request*>& batch) {
  auto fail_all = [&](const store_error& e) {
    return std::vector<result<append_outcome>>(batch.size(), result<append_outcome>(e));
  };
  rocks_impl& m = *impl_;
  if (!m.db) return fail_all(closed());
  if (m.options.read_only)
    return fail_all(err(store_error::kind::invalid_argument, "the store is open read-only"));
  if (m.disk_full.load())
    return fail_all(err(store_error::kind::io, "No space left on device (injected fault)"));
  if (m.needs_resume) {
    auto resumed = m.db->Resume();
    if (!resumed.ok()) return fail_all(from_status(resumed, "resume after a failed write"));
    m.needs_resume = false;
  }
  try {
    std::vector<result<append_outcome>> out;
    out.reserve(batch.size());
    rocksdb::WriteBatch wb;
    std::unordered_map<std::string, std::uint64_t> staged;  // heads moved by this batch
    std::uint64_t position = m.last_position.load();
    for (const auto* r : batch) out.push_back(m.stage(r, wb, staged, position));
    if (wb.Count() == 0) return out;

    rocksdb::WriteOptions wo;
    wo.sync = m.options.sync;
    auto s = m.db->Write(wo, &wb);
    if (!s.ok()) {
      m.needs_resume = true;
      return fail_all(from_status(s, "append"));
    }

    // Published only now, so a failed write never moved them. Nothing below may throw
    // past this point without resetting the cache, which reloads from the DB on demand.
    m.last_position.store(position);
    try {
      for (auto& [stream, version] : staged) m.head_cache[stream] = version;
    } catch (...) {
      m.head_cache.clear();
    }
    return out;
  } catch (const std::exception& e) {
    return fail_all(err(store_error::kind::io, std::string("append: ") + e.what()));
  }
}

// ------------------------------------------------------------------------ reads

result<std::vector<recorded_event>> rocksdb_store::read_stream(std::string_view stream,
                                                               std::uint64_t from_version) const {
  const rocks_impl& m = *impl_;
  if (!m.db) return closed();
  if (stream.find('\0') != std::string_view::npos)
    return err(store_error::kind::invalid_argument, "bad stream id");
  try {
    // One snapshot for the index scan and the log lookups it drives.
    rocksdb::ManagedSnapshot snapshot(m.db);
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot.snapshot();
    std::string upper = keys::stream_upper_bound(stream);
    rocksdb::Slice upper_slice(upper);
    ro.iterate_upper_bound = &upper_slice;

    std::vector<recorded_event> out;
    std::uint64_t expected = std::max<std::uint64_t>(from_version, 1);
    std::unique_ptr<rocksdb::Iterator> it(m.db->NewIterator(ro, m.h(cf_streams)));
    // The index gives the log positions; the log entries are fetched with one MultiGet per chunk
    // (positions rise with versions, so the keys are sorted) rather than a Get per event: a cold
    // activation of a long stream was ten times a plain scan of the same entries.
    constexpr std::size_t chunk = 256;
    rocksdb::ReadOptions get_ro;  // the same snapshot, without the index scan's upper bound
    get_ro.snapshot = ro.snapshot;
    std::vector<std::string> positions;
    positions.reserve(chunk);
    std::vector<rocksdb::Slice> slices;
    std::vector<rocksdb::PinnableSlice> values;
    std::vector<rocksdb::Status> statuses;
    std::uint64_t first_version = expected;
    auto fetch = [&]() -> std::optional<store_error> {
      const std::size_t n = positions.size();
      slices.resize(n);
      if (values.size() < n) values.resize(n);  // short streams allocate only what they read
      statuses.resize(n);
      for (std::size_t i = 0; i < n; ++i) slices[i] = positions[i];
      // sorted_input stays false: a damaged index could list positions out of order, and RocksDB
      // checks the order only in debug builds. Sorting 256 keys costs nothing next to reading them.
      m.db->MultiGet(get_ro, m.h(cf_log), n, slices.data(), values.data(), statuses.data(), false);
      for (std::size_t i = 0; i < n; ++i) {
        if (!statuses[i].ok()) return from_status(statuses[i], "read log");
        auto event = decode(view(values[i]));
        values[i].Reset();
        if (!event) return event.error();
        if (event->env.position != *keys::read_u64(positions[i]) ||
            event->env.version != first_version + i || event->env.stream != stream)
          return err(store_error::kind::corruption, "log and stream index disagree");
        out.push_back(std::move(event).value());
      }
      positions.clear();
      first_version += n;
      return std::nullopt;
    };
    for (it->Seek(keys::stream_version(stream, expected)); it->Valid(); it->Next()) {
      auto version = keys::read_stream_version(view(it->key()), stream);
      auto pos = keys::read_u64(view(it->value()));
      if (!version || !pos || *version != expected)
        return err(store_error::kind::corruption, "bad stream index for " + std::string(stream));
      positions.push_back(keys::u64(*pos));
      ++expected;
      if (positions.size() == chunk)
        if (auto failed = fetch()) return *failed;
    }
    if (!positions.empty())
      if (auto failed = fetch()) return *failed;
    if (!it->status().ok()) return from_status(it->status(), "scan stream");
    return out;
  } catch (const std::exception& e) {
    return err(store_error::kind::io, std::string("read_stream: ") + e.what());
  }
}

result<ok_t> rocksdb_store::read_all(std::uint64_t from, std::uint64_t to,
                                     const std::function<bool(recorded_event&)>& visit) const {
  const rocks_impl& m = *impl_;
  if (!m.db) return closed();
  from = std::max<std::uint64_t>(from, 1);
  if (to < from) return ok_v;
  rocksdb::ReadOptions ro;
  // A scan of the log (tools, replay, rebuild) would otherwise push its every block through the
  // block cache, evicting what point reads keep there and paying the insertions.
  ro.fill_cache = false;
  std::string upper;
  rocksdb::Slice upper_slice;
  if (to != std::numeric_limits<std::uint64_t>::max()) {
    upper = keys::u64(to + 1);
    upper_slice = rocksdb::Slice(upper);
    ro.iterate_upper_bound = &upper_slice;
  }
  std::unique_ptr<rocksdb::Iterator> it(m.db->NewIterator(ro, m.h(cf_log)));
  for (it->Seek(keys::u64(from)); it->Valid(); it->Next()) {
    auto pos = keys::read_u64(view(it->key()));
    auto event = decode(view(it->value()));
    if (!event) return event.error();
    if (!pos || event->env.position != *pos)
      return err(store_error::kind::corruption, "log key and envelope disagree");
    if (!visit(*event)) break;
  }
  if (!it->status().ok()) return from_status(it->status(), "scan log");
  return ok_v;
}

std::uint64_t rocksdb_store::head_version(std::string_view stream) const {
  const rocks_impl& m = *impl_;
  if (!m.db) return 0;
  rocksdb::PinnableSlice value;
  auto s = m.db->Get(rocksdb::ReadOptions(), m.h(cf_heads), slice(stream), &value);
  if (!s.ok()) return 0;
  return keys::read_u64(view(value)).value_or(0);
}

std::uint64_t rocksdb_store::last_position() const {
  return impl_->last_position.load();
}

std::vector<std::string> rocksdb_store::list_streams() const {
  const rocks_impl& m = *impl_;
  std::vector<std::string> out;
  if (!m.db) return out;
  std::unique_ptr<rocksdb::Iterator> it(m.db->NewIterator(rocksdb::ReadOptions(), m.h(cf_heads)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) out.emplace_back(it->key().ToString());
  return out;
}

result<std::vector<std::pair<std::string, std::uint64_t>>> rocksdb_store::list_heads() const {
  const rocks_impl& m = *impl_;
  if (!m.db) return closed();
  std::vector<std::pair<std::string, std::uint64_t>> out;
  std::unique_ptr<rocksdb::Iterator> it(m.db->NewIterator(rocksdb::ReadOptions(), m.h(cf_heads)));
  for (it->SeekToFirst(); it->Valid(); it->Next())
    out.emplace_back(it->key().ToString(), keys::read_u64(view(it->value())).value_or(0));
  if (!it->status().ok()) return from_status(it->status(), "scan heads");
  return out;
}

std::string rocksdb_store::secret() const {
  return impl_->secret;
}

// ------------------------------------------------------------------------ views

std::optional<std::string> rocksdb_store::get_view(std::string_view key) const {
  const rocks_impl& m = *impl_;
  if (!m.db) return std::nullopt;
  std::string value;
  auto s = m.db->Get(rocksdb::ReadOptions(), m.h(cf_views), slice(key), &value);
  if (!s.ok()) return std::nullopt;
  return value;
}

void rocksdb_store::scan_views(
    std::string_view prefix, std::string_view start_after,
    const std::function<bool(std::string_view key, std::string_view value)>& visit) const {
  const rocks_impl& m = *impl_;
  if (!m.db) return;
  rocksdb::ReadOptions ro;
  auto upper = keys::prefix_upper_bound(prefix);  // nullopt: the prefix is all 0xff bytes
  rocksdb::Slice upper_slice;
  if (upper) {
    upper_slice = rocksdb::Slice(*upper);
    ro.iterate_upper_bound = &upper_slice;
  }
  std::unique_ptr<rocksdb::Iterator> it(m.db->NewIterator(ro, m.h(cf_views)));
  bool after = !start_after.empty() && start_after >= prefix;
  it->Seek(slice(after ? start_after : prefix));
  if (after && it->Valid() && view(it->key()) == start_after) it->Next();
  for (; it->Valid(); it->Next()) {
    auto key = view(it->key());
    if (key.substr(0, prefix.size()) != prefix) break;
    if (!visit(key, view(it->value()))) break;
  }
}

result<std::size_t> rocksdb_store::replace_views(const std::vector<const view_rows*>& parts,
                                                 std::size_t writers) {
  rocks_impl& m = *impl_;
  if (!m.db) return closed();
  if (m.options.read_only)
    return err(store_error::kind::invalid_argument, "the store is open read-only");
  // The rows go into table files that are ingested: RocksDB installs the files of one ingestion
  // in one MANIFEST edit, so a crash leaves the old rows or the new ones, never a mix, and the
  // rows skip the WAL, the memtable and a later flush (most of a rebuild's write time when they
  // went through a WriteBatch). Range tombstones in the files clear the old rows: an ingested
  // file's entries share one sequence number and a tombstone only deletes older entries, so a
  // file's tombstone spares its own rows (view_files.hpp says why it spares the other files').
  try {
    std::optional<std::string> end;  // just past the greatest stored key
    {
      std::unique_ptr<rocksdb::Iterator> it(
          m.db->NewIterator(rocksdb::ReadOptions(), m.h(cf_views)));
      it->SeekToLast();
      if (!it->status().ok()) return from_status(it->status(), "scan views");
      if (it->Valid()) {
        end = it->key().ToString();
        end->push_back('\0');
      }
    }
    rocksdb::Options o = m.db->GetOptions(m.h(cf_views));  // the family's format, the store's disk
    rocksdb::Env& env = o.env ? *o.env : *rocksdb::Env::Default();
    detail::remove_view_files(env, m.dir);  // left by a rebuild that crashed before ingesting
    if (writers == 0) writers = std::thread::hardware_concurrency();
    std::vector<std::string> files;
    std::size_t rows = 0;
    auto s = detail::write_view_files(o, m.h(cf_views), m.dir, parts, end, writers, files, rows);
    if (s.ok() && !files.empty()) {
      rocksdb::IngestExternalFileOptions io;
      io.move_files = true;  // hard links: the files are in the store's directory already
      s = m.db->IngestExternalFile(m.h(cf_views), files, io);
    }
    detail::remove_view_files(env, m.dir);  // moved on success; on failure, not wanted
    if (!s.ok()) return from_status(s, "replace views");
    return rows;
  } catch (const std::exception& e) {
    try {
      if (auto* env = m.db->GetEnv()) detail::remove_view_files(*env, m.dir);
    } catch (...) {  // the next replace removes them
    }
    return err(store_error::kind::io, std::string("replace_views: ") + e.what());
  }
}

result<std::size_t> event_store::replace_views(const view_rows& rows) {
  return replace_views(std::vector<const view_rows*>{&rows});
}

std::optional<std::string> rocksdb_store::get_snapshot(std::string_view stream) const {
  const rocks_impl& m = *impl_;
  if (!m.db) return std::nullopt;
  std::string value;
  auto s = m.db->Get(rocksdb::ReadOptions(), m.h(cf_snapshots), slice(stream), &value);
  if (!s.ok()) return std::nullopt;
  return value;
}

result<ok_t> rocksdb_store::checkpoint(const std::string& dest) const {
  const rocks_impl& m = *impl_;
  if (!m.db) return closed();
  rocksdb::Checkpoint* raw = nullptr;
  auto s = rocksdb::Checkpoint::Create(m.db, &raw);
  if (!s.ok()) return from_status(s, "checkpoint");
  std::unique_ptr<rocksdb::Checkpoint> cp(raw);
  // The WAL is flushed into the copy, so everything acknowledged before this call is in it.
  s = cp->CreateCheckpoint(dest, 0);
  if (!s.ok()) return from_status(s, "checkpoint to " + dest);
  return ok_v;
}

void rocksdb_store::inject_disk_full(bool on) {
  impl_->disk_full.store(on);
}

bool rocksdb_store::disk_full_injected() const {
  return impl_->disk_full.load();
}

}  // namespace crs::events
