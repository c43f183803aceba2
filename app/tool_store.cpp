#include "app/tool_store.hpp"

#include <filesystem>
#include <iostream>

namespace crs::app {

std::unique_ptr<events::event_store> open_for_tool(const std::string& data_dir, bool writable) {
  std::error_code ec;
  if (!std::filesystem::is_directory(data_dir, ec)) {
    std::cerr << "cleanroomsd: no data directory at " << data_dir << "\n";
    return nullptr;
  }
  if (!std::filesystem::exists(std::filesystem::path(data_dir) / "CURRENT", ec)) {
    std::cerr << "cleanroomsd: " << data_dir << " is not a cleanroomsd data directory\n";
    return nullptr;
  }
  events::store_options options;
  options.read_only = !writable;
  options.create_if_missing = false;
  auto store = events::event_store::open(data_dir, options);
  if (!store) {
    const auto& m = store.error().message;
    if (writable && m.find("lock") != std::string::npos)
      std::cerr << "cleanroomsd: " << data_dir
                << " is in use by a running server; stop it first\n";
    else
      std::cerr << "cleanroomsd: cannot open " << data_dir << ": " << m << "\n";
    return nullptr;
  }
  return std::move(store.value());
}

}  // namespace crs::app
