// Snapshots of the collaboration aggregate: the whole collaboration::state at one stream version,
// so activation replays only the events after it. Pure: no RocksDB, no CAF, no I/O.
//
// Bytes: a 16-byte header, then a FlatBuffer (schema/collaboration_snapshot.fbs):
//   "CRSS" | u32 format version | u32 payload length | u32 CRC-32 of the payload   (little-endian)
// A snapshot is a cache of what the log already says, never the truth: decoding trusts nothing
// and any doubt (unknown format, bad checksum, failed verification, out-of-range enum, duplicate
// keys) rejects the whole snapshot, so the caller replays the stream from the start instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "actors/collaboration/state.hpp"
#include "events/result.hpp"

namespace crs::snapshots {

// Bump when readers of the old format must not trust the new bytes (or the other way round):
// old snapshots are then ignored and replaced as new events arrive.
//
// 2: the state gained `associations`. A format-1 snapshot would decode exactly as "no
// associations", yet it is refused anyway, for two reasons: (1) the other way round, a format-1
// reader (an older build) would accept format-2 bytes and silently drop their associations, since
// FlatBuffers skips fields it does not know; the bump makes it replay instead, and fail loudly on
// the association events it cannot decode; (2) builds between the association events and this
// encoder wrote format-1 snapshots of states that had associations, without them. The cost is
// one full replay per collaboration after the upgrade: a snapshot is only a cache.
//
// 3: the state gained `templates` and `change_requests`. The same two reasons: a format-2 reader
// would accept format-3 bytes and silently drop the templates and change requests (so the bump
// makes it replay, and fail loudly on the template and change request events it cannot decode),
// and builds between those events and this encoder wrote format-2 snapshots of states that had
// templates or change requests, without them. Again one full replay per collaboration.
//
// 4: the state gained `queries` (the protected queries, finished ones included). The same two
// reasons once more: a format-3 reader would accept format-4 bytes and silently drop the queries
// (a running query it no longer knows would stop counting against the concurrency quota and
// could never be cancelled or completed; a finished one would vanish from the read models), so
// the bump makes it replay instead, and fail loudly on the query events it cannot decode; and
// builds between the query events and this encoder wrote format-3 snapshots of states that had
// queries, without them. Again one full replay per collaboration.
//
// 5: each query gained `associations`, the associations whose schemas it reads, which hold up
// their deletion while it runs (SPEC.md Q22). Older builds refuse format 5 by its header (their
// payload reader would have skipped the field harmlessly); this one must not take a format-4
// snapshot's queries as reading nothing when their QueryStarted events say otherwise, so it
// refuses format 4 and replays instead. Again one full replay per collaboration.
inline constexpr std::uint32_t collaboration_format = 5;
inline constexpr std::size_t header_bytes = 16;

[[nodiscard]] std::string encode_snapshot(const collaboration::state& s);

// The state, or nullopt for anything that is not exactly a snapshot this build wrote.
[[nodiscard]] std::optional<collaboration::state> decode_snapshot(std::string_view bytes);
// The same, with the reason of a rejection (kind::corruption) for the caller's log line.
[[nodiscard]] result<collaboration::state> try_decode_snapshot(std::string_view bytes);

// CRC-32 (IEEE 802.3, reflected, as zlib's crc32) of `bytes`.
[[nodiscard]] std::uint32_t crc32(std::string_view bytes);

}  // namespace crs::snapshots
