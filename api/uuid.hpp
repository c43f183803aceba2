// Random identifiers for request ids (and anything else that needs a fresh UUID outside the
// deterministic core: actors get their ids from the IdSource port, never from here).
#pragma once

#include <string>

namespace crs::api {

// A random RFC 4122 version-4 UUID, lower-case ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx").
// Thread-safe: each thread owns a generator seeded from std::random_device.
std::string random_uuid_v4();

}  // namespace crs::api
