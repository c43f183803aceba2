// FlatBuffers encoding of envelopes + payloads (schema: events/schema/events.fbs).
// Pure: no RocksDB, no I/O. Decoding verifies the buffer first and never trusts it.
#pragma once

#include <string>
#include <string_view>

#include "events/envelope.hpp"
#include "events/result.hpp"

namespace crs::events {

std::string encode(const envelope& env, const event_payload& payload);
result<recorded_event> decode(std::string_view bytes);

}  // namespace crs::events
