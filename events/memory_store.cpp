// The event store in memory (contract: events/event_store.hpp; why and when: memory_store.hpp).
// Each family of the RocksDB store is one container of the volume; the log is a deque so that
// an entry, once written, never moves and readers can decode it after dropping the lock.
#include "events/memory_store.hpp"

#include <algorithm>
#include <atomic>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <shared_mutex>
#include <unordered_map>

#include "events/codec.hpp"

namespace crs::events {

struct memory_volume {
  std::shared_mutex mu;
  bool formatted = false;  // a store was created on it (the RocksDB store's meta "format")
  bool writer_open = false;
  std::string secret;
  std::deque<std::string> log;  // position p at [p - 1]: encode_appended bytes
  // stream -> the log position of each version (version v at [v - 1]); the head is the size.
  std::map<std::string, std::vector<std::uint64_t>, std::less<>> streams;
  std::map<std::string, std::string, std::less<>> views;
  std::map<std::string, std::string, std::less<>> snapshots;
};

std::shared_ptr<memory_volume> make_memory_volume() {
  return std::make_shared<memory_volume>();
}

namespace {

constexpr std::size_t secret_bytes = 32;
// Entries a visitor sees per lock taken (read_all, scan_views).
constexpr std::size_t visit_chunk = 64;

store_error err(store_error::kind k, std::string message) {
  return store_error{k, std::move(message)};
}
store_error closed() {
  return err(store_error::kind::io, "event store is closed");
}
store_error read_only_error() {
  return err(store_error::kind::invalid_argument, "the store is open read-only");
}

class memory_store final : public event_store {
 public:
  memory_store(std::shared_ptr<memory_volume> volume, store_options options)
      : volume_(std::move(volume)), options_(std::move(options)) {}
  ~memory_store() override { close(); }
  using event_store::replace_views;

  std::vector<result<append_outcome>> append_batch(
      const std::vector<const append_request*>& batch) override {
    auto fail_all = [&](const store_error& e) {
      return std::vector<result<append_outcome>>(batch.size(), result<append_outcome>(e));
    };
    std::unique_lock lock(volume_->mu);
    if (closed_) return fail_all(closed());
    if (options_.read_only) return fail_all(read_only_error());
    if (disk_full_.load())
      return fail_all(err(store_error::kind::io, "No space left on device (injected fault)"));
    // Staged first, applied after: everything that can fail or throw happens before the volume
    // changes, so a batch is kept whole or not at all.
    try {
      return stage_and_apply(batch);
    } catch (const std::exception& e) {  // staging changed nothing: the batch fails whole
      return fail_all(err(store_error::kind::io, std::string("append: ") + e.what()));
    }
  }

 private:
  // The value at `key` of one of the volume's families, copied out under the lock.
  std::optional<std::string> copy_of(const std::map<std::string, std::string, std::less<>>& family,
                                     std::string_view key) const {
    std::shared_lock lock(volume_->mu);
    if (closed_) return std::nullopt;
    auto it = family.find(key);
    if (it == family.end()) return std::nullopt;
    return it->second;
  }

  // append_batch's work, under the volume's lock.
  std::vector<result<append_outcome>> stage_and_apply(
      const std::vector<const append_request*>& batch) {
    struct staged_request {
      const append_request* request;
      std::vector<std::string> entries;  // encoded, in version order
    };
    std::vector<result<append_outcome>> out;
    out.reserve(batch.size());
    std::vector<staged_request> staged;
    std::unordered_map<std::string_view, std::uint64_t> heads;  // moved by this batch
    std::uint64_t position = volume_->log.size();
    for (const auto* r : batch) {
      if (!r) {
        out.emplace_back(err(store_error::kind::invalid_argument, "null append request"));
        continue;
      }
      if (r->stream.find('\0') != std::string::npos || (r->stream.empty() && !r->events.empty())) {
        out.emplace_back(err(store_error::kind::invalid_argument, "bad stream id"));
        continue;
      }
      std::uint64_t head = 0;
      if (auto it = heads.find(r->stream); it != heads.end()) {
        head = it->second;
      } else if (auto s = volume_->streams.find(r->stream); s != volume_->streams.end()) {
        head = s->second.size();
      }
      if (head != r->expected_version) {
        out.emplace_back(
            err(store_error::kind::version_conflict, r->stream + ": expected version " +
                                                         std::to_string(r->expected_version) +
                                                         ", head is " + std::to_string(head)));
        continue;
      }
      staged_request s{r, {}};
      s.entries.reserve(r->events.size());
      std::uint64_t version = head;
      for (const auto& payload : r->events)
        s.entries.push_back(encode_appended(*r, ++position, ++version, payload));
      append_outcome o;
      o.first_position = r->events.empty() ? 0 : position - r->events.size() + 1;
      o.new_version = version;
      out.emplace_back(o);
      if (!r->events.empty()) heads[r->stream] = version;
      staged.push_back(std::move(s));
    }
    apply(staged);
    return out;
  }

 public:
  result<std::vector<recorded_event>> read_stream(std::string_view stream,
                                                  std::uint64_t from_version) const override {
    if (stream.find('\0') != std::string_view::npos)
      return err(store_error::kind::invalid_argument, "bad stream id");
    std::shared_lock lock(volume_->mu);
    if (closed_) return closed();
    std::vector<recorded_event> out;
    auto s = volume_->streams.find(stream);
    if (s == volume_->streams.end()) return out;
    const auto& positions = s->second;
    const std::uint64_t first = std::max<std::uint64_t>(from_version, 1);
    if (first <= positions.size()) out.reserve(positions.size() - first + 1);
    for (std::uint64_t v = first; v <= positions.size(); ++v) {
      const std::uint64_t pos = positions[v - 1];
      if (pos == 0 || pos > volume_->log.size())
        return err(store_error::kind::corruption, "log and stream index disagree");
      auto event = decode(volume_->log[pos - 1]);
      if (!event) return event.error();
      if (event->env.position != pos || event->env.version != v || event->env.stream != stream)
        return err(store_error::kind::corruption, "log and stream index disagree");
      out.push_back(std::move(event).value());
    }
    return out;
  }

  result<ok_t> read_all(std::uint64_t from, std::uint64_t to,
                        const std::function<bool(recorded_event&)>& visit) const override {
    from = std::max<std::uint64_t>(from, 1);
    {
      // The log as of this call, as a RocksDB iterator sees it: events a visitor appends, or
      // another thread does meanwhile, are not visited.
      std::shared_lock lock(volume_->mu);
      if (closed_) return closed();
      to = std::min<std::uint64_t>(to, volume_->log.size());
    }
    std::vector<const std::string*> chunk;  // deque entries never move once written
    for (;;) {
      chunk.clear();
      {
        std::shared_lock lock(volume_->mu);
        if (closed_) return closed();
        const std::uint64_t last = to;
        for (std::uint64_t p = from; p <= last && chunk.size() < visit_chunk; ++p)
          chunk.push_back(&volume_->log[p - 1]);
      }
      if (chunk.empty()) return ok_v;
      for (const std::string* bytes : chunk) {
        auto event = decode(*bytes);
        if (!event) return event.error();
        if (event->env.position != from)
          return err(store_error::kind::corruption, "log key and envelope disagree");
        ++from;
        if (!visit(*event)) return ok_v;
      }
    }
  }

  std::uint64_t head_version(std::string_view stream) const override {
    std::shared_lock lock(volume_->mu);
    if (closed_) return 0;
    auto s = volume_->streams.find(stream);
    return s == volume_->streams.end() ? 0 : s->second.size();
  }

  std::uint64_t last_position() const override {
    std::shared_lock lock(volume_->mu);
    return volume_->log.size();
  }

  std::vector<std::string> list_streams() const override {
    std::vector<std::string> out;
    std::shared_lock lock(volume_->mu);
    if (closed_) return out;
    for (const auto& [stream, positions] : volume_->streams) out.push_back(stream);
    return out;
  }

  result<std::vector<std::pair<std::string, std::uint64_t>>> list_heads() const override {
    std::vector<std::pair<std::string, std::uint64_t>> out;
    std::shared_lock lock(volume_->mu);
    if (closed_) return closed();
    for (const auto& [stream, positions] : volume_->streams)
      out.emplace_back(stream, positions.size());
    return out;
  }

  std::optional<std::string> get_view(std::string_view key) const override {
    return copy_of(volume_->views, key);
  }

  void scan_views(std::string_view prefix, std::string_view start_after,
                  const std::function<bool(std::string_view key, std::string_view value)>& visit)
      const override {
    // Rows are copied out a chunk at a time: a row may be erased once the lock is dropped.
    std::vector<std::pair<std::string, std::string>> chunk;
    std::string cursor(start_after);
    bool after = !start_after.empty() && start_after >= prefix;
    if (!after) cursor = std::string(prefix);
    for (;;) {
      chunk.clear();
      {
        std::shared_lock lock(volume_->mu);
        if (closed_) return;
        const auto& views = volume_->views;
        auto it = after ? views.upper_bound(cursor) : views.lower_bound(cursor);
        for (; it != views.end() && chunk.size() < visit_chunk; ++it) {
          if (std::string_view(it->first).substr(0, prefix.size()) != prefix) break;
          chunk.emplace_back(it->first, it->second);
        }
      }
      for (const auto& [key, value] : chunk)
        if (!visit(key, value)) return;
      if (chunk.size() < visit_chunk) return;
      cursor = chunk.back().first;
      after = true;
    }
  }

  result<std::size_t> replace_views(const std::vector<const view_rows*>& parts,
                                    std::size_t /*writers*/) override {
    std::map<std::string, std::string, std::less<>> rows;
    for (const auto* part : parts)
      if (part) rows.insert(part->begin(), part->end());  // an existing key keeps its value
    std::unique_lock lock(volume_->mu);
    if (closed_) return closed();
    if (options_.read_only) return read_only_error();
    volume_->views.swap(rows);
    return volume_->views.size();
  }

  std::optional<std::string> get_snapshot(std::string_view stream) const override {
    return copy_of(volume_->snapshots, stream);
  }

  result<ok_t> checkpoint(const std::string& dest) const override {
    return err(store_error::kind::invalid_argument,
               "a memory store has no files to copy to " + dest);
  }

  void inject_disk_full(bool on) override { disk_full_.store(on); }
  bool disk_full_injected() const override { return disk_full_.load(); }

  std::string secret() const override {
    std::shared_lock lock(volume_->mu);
    return volume_->secret;
  }

  // Nothing is buffered above the volume, so closing and abandoning are the same: the store
  // lets go of the volume and the next open sees every batch.
  void close() override {
    std::unique_lock lock(volume_->mu);
    if (closed_) return;
    closed_ = true;
    if (!options_.read_only) volume_->writer_open = false;
  }
  void abandon() override { close(); }

 private:
  // Applies staged requests. Only an allocation failure can stop it half way, and a volume
  // half written would be a torn batch: noexcept makes that the end of the process instead.
  template <class Staged>
  void apply(std::vector<Staged>& staged) noexcept {
    auto& v = *volume_;
    for (auto& s : staged) {
      const append_request& r = *s.request;
      if (!r.events.empty()) {
        auto& positions = v.streams[r.stream];
        for (auto& entry : s.entries) {
          v.log.push_back(std::move(entry));
          positions.push_back(v.log.size());
        }
      }
      if (r.snapshot) v.snapshots[r.stream] = *r.snapshot;
      for (const auto& w : r.views) {
        if (w.erase) {
          if (auto it = v.views.find(w.key); it != v.views.end()) v.views.erase(it);
        } else {
          v.views.insert_or_assign(w.key, w.value);
        }
      }
    }
  }

  std::shared_ptr<memory_volume> volume_;
  store_options options_;
  bool closed_ = false;  // guarded by volume_->mu
  std::atomic<bool> disk_full_{false};
};

}  // namespace

result<std::unique_ptr<event_store>> open_memory_store(std::shared_ptr<memory_volume> volume,
                                                       const store_options& options) {
  if (!volume) return err(store_error::kind::invalid_argument, "no memory volume");
  std::unique_lock lock(volume->mu);
  if (!volume->formatted) {
    if (options.read_only)
      return err(store_error::kind::not_found, "not a cleanroomsd data directory (no format)");
    if (!options.create_if_missing)
      return err(store_error::kind::io,
                 "open: the volume holds no store (create_if_missing is false)");
    std::string secret;
    if (options.secret_for_new_store) {
      secret = *options.secret_for_new_store;
    } else {
      std::random_device rd("/dev/urandom");
      while (secret.size() < secret_bytes) secret.push_back(static_cast<char>(rd()));
    }
    if (secret.size() != secret_bytes)
      return err(store_error::kind::invalid_argument, "a store secret must be 32 bytes");
    volume->secret = std::move(secret);
    volume->formatted = true;
  }
  if (!options.read_only) {
    if (volume->writer_open)
      return err(store_error::kind::io, "open: the volume is locked by another open store");
    volume->writer_open = true;
  }
  lock.unlock();
  return std::unique_ptr<event_store>(std::make_unique<memory_store>(std::move(volume), options));
}

}  // namespace crs::events
