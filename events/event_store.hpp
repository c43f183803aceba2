// The event store on RocksDB. Column families:
//   log       big-endian u64 global position -> encoded envelope+payload (events/codec.hpp)
//   streams   stream id + '\0' + big-endian u64 version -> big-endian u64 global position
//   heads     stream id -> big-endian u64 version
//   views     projection rows (keys chosen by projections/), written in the append's batch
//   snapshots stream id -> snapshot bytes (issue 6)
//   meta      "format" -> format version, "secret" -> per-store random key material
// Threading: append_batch must be called from one thread at a time (the journal); reads are
// safe from any thread at any time.
//
// Two implementations share this interface: the RocksDB store (event_store::open, the server's
// and the tools') and the memory store (events/memory_store.hpp, the simulator's default), which
// keeps the same families in ordinary containers and the same encoded bytes in its log. Both
// pass tests/events/store_contract_tests.cpp, and the simulator's trace hash is the same on
// either, so a run on the memory store stands for a run on RocksDB.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/envelope.hpp"
#include "events/result.hpp"

namespace rocksdb {
class Env;
}

namespace crs::events {

// A disk that lives in memory (RocksDB's MemEnv): the simulator's store. Closing and opening a
// store again on the same disk recovers it from its write-ahead log, as after a restart.
[[nodiscard]] std::shared_ptr<rocksdb::Env> make_memory_disk();

struct store_options {
  bool sync = true;  // synced WAL: an acknowledged append survives power loss
  bool create_if_missing = true;
  // Opens without taking the lock, so tools can read while a server runs: a consistent view as
  // of the open. Every write fails with invalid_argument. A directory that is not an existing
  // store fails to open.
  bool read_only = false;
  // Null: the real file system. Otherwise the disk `dir` lives on (make_memory_disk()); the
  // store holds a reference, so the disk outlives it.
  std::shared_ptr<rocksdb::Env> disk;
  // Null: random bytes from /dev/urandom on creation. The simulator passes fixed bytes, so
  // nothing it derives from the secret depends on the machine.
  std::optional<std::string> secret_for_new_store;
};

// Outcome of one append_request inside a batch.
struct append_outcome {
  std::uint64_t first_position = 0;  // 0 when the request carried no events
  std::uint64_t new_version = 0;     // the stream head after the append
};

class event_store {
 public:
  // The RocksDB store in `dir`.
  [[nodiscard]] static result<std::unique_ptr<event_store>> open(const std::string& dir,
                                                                 const store_options& options);
  virtual ~event_store() = default;
  event_store(const event_store&) = delete;
  event_store& operator=(const event_store&) = delete;

  // Appends every request in `batch` whose expected_version matches the stream head (heads of
  // earlier requests in the same batch count), in one synced WriteBatch. A request whose
  // expected version does not match fails alone with kind::version_conflict; the others still
  // go in. If the write itself fails every request fails with that error and nothing is kept.
  [[nodiscard]] virtual std::vector<result<append_outcome>> append_batch(
      const std::vector<const append_request*>& batch) = 0;

  // Events of one stream with version >= from_version, in version order.
  [[nodiscard]] virtual result<std::vector<recorded_event>> read_stream(
      std::string_view stream, std::uint64_t from_version = 1) const = 0;
  // Every event with position in [from, to], in position order; the visitor returns false to stop.
  // The event is the visitor's to move from (read_all_ahead hands it to another thread).
  [[nodiscard]] virtual result<ok_t> read_all(
      std::uint64_t from, std::uint64_t to,
      const std::function<bool(recorded_event&)>& visit) const = 0;
  [[nodiscard]] virtual std::uint64_t head_version(std::string_view stream) const = 0;  // 0: none
  [[nodiscard]] virtual std::uint64_t last_position() const = 0;  // 0 = empty log
  // Every stream id, in byte order.
  [[nodiscard]] virtual std::vector<std::string> list_streams() const = 0;
  // Every stream id with its head version (0 if the stored head does not decode), in byte
  // order: one scan, where head_version per stream is a lookup each.
  [[nodiscard]] virtual result<std::vector<std::pair<std::string, std::uint64_t>>> list_heads()
      const = 0;

  // Projection rows.
  [[nodiscard]] virtual std::optional<std::string> get_view(std::string_view key) const = 0;
  // Rows whose key starts with `prefix` and sorts after `start_after` (empty = from the start),
  // in key order; the visitor returns false to stop.
  virtual void scan_views(
      std::string_view prefix, std::string_view start_after,
      const std::function<bool(std::string_view key, std::string_view value)>& visit) const = 0;
  // Replaces every row of the views family with the union of `parts` (a key in several parts
  // keeps the first part's value), atomically and durably (rebuild; server stopped). Writes
  // `<data dir>/views-rebuild-*.sst` as scratch, on up to `writers` threads (0: one per core).
  // The result is the number of rows written.
  using view_rows = std::map<std::string, std::string>;
  [[nodiscard]] virtual result<std::size_t> replace_views(
      const std::vector<const view_rows*>& parts, std::size_t writers = 0) = 0;
  [[nodiscard]] result<std::size_t> replace_views(const view_rows& rows);

  // The latest snapshot of a stream, as stored (snapshots/ decodes and validates it).
  [[nodiscard]] virtual std::optional<std::string> get_snapshot(std::string_view stream) const = 0;

  // A consistent, openable copy of the whole store in `dest` (which must not exist), made with
  // RocksDB Checkpoint while the store stays in use: hard links where possible.
  [[nodiscard]] virtual result<ok_t> checkpoint(const std::string& dest) const = 0;

  // Fault injection for crash and fault tests: while on, every append fails with an io error
  // as a full disk would, before RocksDB is touched; reads are unaffected. Thread-safe.
  virtual void inject_disk_full(bool on) = 0;
  [[nodiscard]] virtual bool disk_full_injected() const = 0;

  // Random bytes created once per store (pagination token keys and the like).
  [[nodiscard]] virtual std::string secret() const = 0;

  // Flushes memtables and closes cleanly. Also done by the destructor.
  virtual void close() = 0;
  // Closes as a killed process would leave it: no memtable flush, so the next open recovers
  // from the write-ahead log (the simulator's crash).
  virtual void abandon() = 0;

 protected:
  event_store() = default;
};

}  // namespace crs::events
