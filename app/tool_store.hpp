// Opening a data directory for a command-line tool, with one clear line when it cannot be.
#pragma once

#include <memory>
#include <string>

#include "events/event_store.hpp"

namespace crs::app {

// Read-only (safe while a server runs) unless `writable`. nullptr after printing why to stderr.
std::unique_ptr<events::event_store> open_for_tool(const std::string& data_dir, bool writable);

}  // namespace crs::app
