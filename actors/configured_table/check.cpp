#include "actors/configured_table/check.hpp"
#include "events/overloaded.hpp"

namespace crs::configured_table {
std::optional<std::string> why_not_applicable(const state& s, const events::event_payload& e) {
  using R = std::optional<std::string>;
  auto live = [&]() -> R {
    if (!s.live()) return "no live configured table";
    return std::nullopt;
  };
  return std::visit(
      overloaded{
          [&](const events::configured_table_created&) -> R {
            if (s.created) return "the configured table was already created";
            return std::nullopt;
          },
          [&](const events::configured_table_updated&) -> R { return live(); },
          [&](const events::configured_table_deleted&) -> R { return live(); },
          [&](const events::analysis_rule_created&) -> R {
            if (auto why = live()) return why;
            if (s.rule) return "the table already has an analysis rule";
            return std::nullopt;
          },
          [&](const events::analysis_rule_updated& x) -> R {
            if (auto why = live()) return why;
            if (!s.rule || s.rule->policy.index() != x.policy.index())
              return "the table has no analysis rule of type " +
                     std::string(to_string(type_of(x.policy)));
            return std::nullopt;
          },
          [&](const events::analysis_rule_deleted& x) -> R {
            if (auto why = live()) return why;
            if (!s.rule || type_of(s.rule->policy) != x.type)
              return "the table has no analysis rule of type " + std::string(to_string(x.type));
            return std::nullopt;
          },
          [&](const events::tags_changed& x) -> R {
            if (!s.tags.count(x.resource_arn)) return "resource " + x.resource_arn + " is not live";
            return std::nullopt;
          },
          [&](const auto&) -> R { return "a collaboration event in a configured table stream"; },
      },
      e);
}

}  // namespace crs::configured_table
