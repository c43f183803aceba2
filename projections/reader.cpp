#include "projections/reader.hpp"

#include "projections/keys.hpp"

namespace crs::projections {

page read_page(const events::event_store& store, std::string_view prefix,
               std::string_view start_after, std::size_t limit,
               const std::function<bool(std::string_view value)>& keep) {
  page out;
  store.scan_views(prefix, start_after, [&](std::string_view key, std::string_view value) {
    if (keep && !keep(value)) return true;
    if (out.rows.size() == limit) {
      out.more = true;
      return false;
    }
    out.rows.emplace_back(std::string(key), std::string(value));
    return true;
  });
  return out;
}

std::size_t count_prefix(const events::event_store& store, std::string_view prefix,
                         std::size_t stop_at) {
  std::size_t n = 0;
  store.scan_views(prefix, {}, [&](std::string_view, std::string_view) { return ++n < stop_at; });
  return n;
}

std::string query_reading_table(const events::event_store& store, std::string_view ctid,
                                std::size_t max_links) {
  const auto links = keys::table_links_prefix(ctid);
  std::vector<std::string> associations;
  store.scan_views(links, {}, [&](std::string_view key, std::string_view) {
    associations.emplace_back(key.substr(links.size()));
    return associations.size() < max_links;
  });
  std::string found;
  for (const auto& aid : associations) {
    const auto readers = keys::association_readers_prefix(aid);
    store.scan_views(readers, {}, [&](std::string_view key, std::string_view) {
      found = std::string(key.substr(readers.size()));
      return false;
    });
    if (!found.empty()) break;
  }
  return found;
}

}  // namespace crs::projections
