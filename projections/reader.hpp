// Typed readers over the views column family. Reads never go through actors: a command is
// acknowledged only after the batch that also wrote its rows is durable (read-your-writes).
// Threading: safe from any thread.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/event_store.hpp"

namespace crs::projections {

struct page {
  std::vector<std::pair<std::string, std::string>> rows;  // key, value
  bool more = false;  // another row passing the filter exists after the last one
};

// Up to `limit` rows under `prefix` after `start_after` that pass `keep` (filters apply before
// paging), plus whether more remain.
page read_page(const events::event_store& store, std::string_view prefix,
               std::string_view start_after, std::size_t limit,
               const std::function<bool(std::string_view value)>& keep = {});

std::size_t count_prefix(const events::event_store& store, std::string_view prefix,
                         std::size_t stop_at);

// The id of an unfinished protected query that reads configured table `ctid` through one of its
// associations (keys.hpp x/ct/ then x/qa/), or "" if none; looks at `max_links` associations.
std::string query_reading_table(const events::event_store& store, std::string_view ctid,
                                std::size_t max_links = 1000);

}  // namespace crs::projections
