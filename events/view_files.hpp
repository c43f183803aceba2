// Table files that replace the views family in one ingestion (event_store::replace_views).
// Internal to the store: it holds the RocksDB handles.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace crs::events::detail {

using view_rows = std::map<std::string, std::string>;

// Writes the union of `parts` (a key in several parts keeps the first part's value) as up to
// `writers` table files `<dir>/views-rebuild-<i>.sst`, written in parallel. The files cut the
// key space into disjoint ranges; when `clear_end` is set, each file also carries a range
// tombstone over its own range below `clear_end`, so together they delete every stored row
// below it and, whatever sequence numbers ingestion gives them, no file deletes another's rows.
// `paths` receives the files written (a range with nothing in it has none), in key order;
// `rows` the number of rows in them.
// `options` are the family's, so the files have its format and live on the store's disk.
[[nodiscard]] rocksdb::Status write_view_files(
    const rocksdb::Options& options, rocksdb::ColumnFamilyHandle* family, const std::string& dir,
    const std::vector<const view_rows*>& parts, const std::optional<std::string>& clear_end,
    std::size_t writers, std::vector<std::string>& paths, std::size_t& rows);

// Removes every `<dir>/views-rebuild-*` file (scratch a crashed rebuild may leave).
void remove_view_files(rocksdb::Env& env, const std::string& dir);

}  // namespace crs::events::detail
