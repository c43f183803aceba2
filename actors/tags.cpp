#include "actors/tags.hpp"

#include <algorithm>

namespace crs {

tag_decision decide_tagging(const std::string& arn, const tag_map& current, const tag_map& add,
                            std::size_t limit) {
  tag_map merged = current;
  for (const auto& [k, v] : add) merged[k] = v;
  if (merged.size() > limit)
    return domain_error{error_kind::validation,
                        "A resource can have at most " + std::to_string(limit) + " tags",
                        "FIELD_VALIDATION_FAILED",
                        {},
                        {},
                        {},
                        0};
  if (add.empty()) return std::vector<events::event_payload>{};
  return std::vector<events::event_payload>{events::tags_changed{arn, add, {}}};
}

std::vector<events::event_payload> decide_untagging(const std::string& arn, const tag_map& current,
                                                    const std::vector<std::string>& keys) {
  std::vector<std::string> present;
  for (const auto& k : keys)
    if (current.count(k) && std::find(present.begin(), present.end(), k) == present.end())
      present.push_back(k);
  if (present.empty()) return {};
  return {events::tags_changed{arn, {}, std::move(present)}};
}

}  // namespace crs
