// FlatBuffers encoding of envelopes + payloads (schema: events/schema/events.fbs).
// Pure: no RocksDB, no I/O. Decoding verifies the buffer first and never trusts it.
#pragma once

#include <string>
#include <string_view>

#include "events/envelope.hpp"
#include "events/result.hpp"

namespace crs::events {

std::string encode(const envelope& env, const event_payload& payload);
// The log entry of `payload`, one of `request`'s events, at `position` and stream `version`:
// what every store writes, so their logs hold the same bytes.
std::string encode_appended(const append_request& request, std::uint64_t position,
                            std::uint64_t version, const event_payload& payload);
result<recorded_event> decode(std::string_view bytes);

}  // namespace crs::events
