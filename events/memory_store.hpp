// The event store kept in memory: the simulator's default store (issue 7 asks for "an in-memory
// event log"). It keeps the families of events/event_store.hpp in ordinary containers and its
// log holds the very bytes the RocksDB store writes (encode_appended), so activation, replay
// and rebuild decode what they would decode from disk. It is not a cache in front of RocksDB
// and nothing of it reaches a file.
//
// Durability is the volume's: a batch is kept once append_batch returns, as with a synced WAL.
// The simulator models the unsynced window above the store (sim/journal.hpp: appends wait in
// memory until the seed commits them, and a crash drops them), so a store that loses nothing
// it acknowledged is the right disk beneath it. A store opened again on the same volume, after
// close() or abandon(), sees every batch; a second writable store on one volume is refused
// while the first is open, as RocksDB's LOCK file refuses it.
//
// Threading: every call takes the volume's lock (shared for reads); visitors of read_all and
// scan_views run without it, on entries copied or pinned under it, so a visitor may call the
// store, appends included. Where it differs from RocksDB, which reads from a snapshot: read_all
// stops at the log's end as of the call, but scan_views goes on reading the live rows a page of
// 64 at a time, so rows written meanwhile may show; and a read-only store sees later appends of
// the writer on its volume. The simulator runs on one thread, where neither can happen.
// Limits: none beyond memory; the simulator's runs are bounded by their step count.
#pragma once

#include <memory>

#include "events/event_store.hpp"

namespace crs::events {

// The memory a store lives in: what survives a simulated crash. Shared by the stores opened on
// it one after another.
struct memory_volume;
[[nodiscard]] std::shared_ptr<memory_volume> make_memory_volume();

// Opens the store on `volume`. Honoured options: create_if_missing, read_only and
// secret_for_new_store, with the RocksDB store's errors; `sync` and `disk` mean nothing here.
[[nodiscard]] result<std::unique_ptr<event_store>> open_memory_store(
    std::shared_ptr<memory_volume> volume, const store_options& options);

}  // namespace crs::events
