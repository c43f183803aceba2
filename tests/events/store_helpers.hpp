// Small builders shared by the store, journal and verify suites.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <rocksdb/db.h>

#include "events/envelope.hpp"
#include "events/event_store.hpp"

namespace crs::test {

inline events::append_request request(std::string stream, std::uint64_t expected,
                                      std::vector<events::event_payload> events,
                                      std::vector<events::view_write> views = {}) {
  events::append_request r;
  r.stream = std::move(stream);
  r.expected_version = expected;
  r.time = 1767225600000;
  r.account = "111122223333";
  r.request_id = "req-" + r.stream + "-" + std::to_string(expected);
  r.events = std::move(events);
  r.views = std::move(views);
  return r;
}

inline events::event_payload left(std::string account) {
  return events::member_left{std::move(account)};
}

inline std::vector<result<events::append_outcome>> append(
    events::event_store& store, const std::vector<events::append_request>& requests) {
  std::vector<const events::append_request*> batch;
  for (const auto& r : requests) batch.push_back(&r);
  return store.append_batch(batch);
}

inline std::unique_ptr<events::event_store> open_store(const std::string& dir, bool sync = false) {
  events::store_options o;
  o.sync = sync;  // tests trade durability for speed except where durability is the point
  auto s = events::event_store::open(dir, o);
  if (!s.ok()) return nullptr;
  return std::move(s).value();
}

// Opens the closed store at `dir` with plain RocksDB and lets `change` damage one column family
// ("log", "views", ...). False if the store or the family cannot be opened.
inline bool damage_family(
    const std::string& dir, const std::string& family,
    const std::function<void(rocksdb::DB&, rocksdb::ColumnFamilyHandle&)>& change) {
  std::vector<std::string> names;
  if (!rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names).ok()) return false;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& n : names) families.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(rocksdb::DBOptions(), dir, families, &handles, &raw).ok()) return false;
  bool found = false;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == family) {
      change(*raw, *handles[i]);
      found = true;
    }
  for (auto* h : handles) (void)raw->DestroyColumnFamilyHandle(h);
  delete raw;
  return found;
}

inline bool damage_log(
    const std::string& dir,
    const std::function<void(rocksdb::DB&, rocksdb::ColumnFamilyHandle&)>& change) {
  return damage_family(dir, "log", change);
}

}  // namespace crs::test
