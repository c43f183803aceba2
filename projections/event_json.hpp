// Recorded events as text, for the tools that read the log (`cleanroomsd events`, `replay`):
// one JSON object per event with its whole payload, and a one-line human form. Pure: no store,
// no clock. Also the two time formats the tools speak: ISO-8601 UTC out, ISO-8601 or epoch
// seconds in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "events/envelope.hpp"

namespace crs::projections {

// The payload as a JSON object: every field, absent optionals omitted (never null), enums as the
// API's strings, member names as in the API where the API has one (accountId, membershipId...).
[[nodiscard]] std::string payload_json(const events::event_payload& p);

// {"position","stream","version","type","time","account","requestId","payload"}; `time` is epoch
// seconds with millisecond precision, as the API renders timestamps.
[[nodiscard]] std::string event_json(const events::recorded_event& e);

// The key fields of a payload as `name=value` words, e.g. `account=222222222222
// abilities=CAN_QUERY`. Free text (names, descriptions) is JSON-quoted so it stays on one line.
[[nodiscard]] std::string payload_summary(const events::event_payload& p);

// "<position> <ISO time> <stream> v<version> <Type> by=<account> req=<request id> <summary>"
[[nodiscard]] std::string event_line(const events::recorded_event& e);

// Epoch milliseconds as "2026-11-21T10:32:00.123Z".
[[nodiscard]] std::string format_iso8601(time_ms t);

// Epoch milliseconds from "2026-11-21T10:32:00Z", "2026-11-21T10:32Z", "2026-11-21T10:32:00.5Z",
// "2026-11-21" (midnight), with "Z", "+02:00"/"+0200" or no zone (UTC), 'T' or ' ' between date
// and time; or from epoch seconds ("1795257120", "1795257120.123", as the API renders them).
// Fractions beyond milliseconds are truncated. nullopt for anything else.
[[nodiscard]] std::optional<time_ms> parse_time(std::string_view s);

}  // namespace crs::projections
