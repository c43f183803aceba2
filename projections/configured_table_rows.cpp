#include "projections/configured_table_rows.hpp"

#include "projections/keys.hpp"
#include "projections/render.hpp"
#include "projections/table_render.hpp"

namespace crs::projections {

row_set rows(const configured_table::state& s) {
  row_set out;
  if (!s.live()) return out;
  const auto& id = s.info.configured_table_id;
  const auto& region = s.info.region;
  const auto& owner = s.info.owner;
  out[keys::configured_table(region, id)] = owner + "|" + configured_table_json(s);
  out[keys::account_table(region, owner, s.create_time, id)] = configured_table_summary_json(s);
  out[keys::table_source(id)] = table_source_json(s);
  out[keys::table_quota(region, owner, id)] = "";
  if (s.rule) out[keys::table_rule(id, to_string(type_of(s.rule->policy)))] = table_rule_json(s);
  for (const auto& [arn, tags] : s.tags) out[keys::tags(arn)] = tags_json(tags);
  return out;
}

std::string response_for(const configured_table::state& s, const configured_table::command& c,
                         const decide_context&) {
  using namespace configured_table;
  return std::visit(
      [&](const auto& cmd) -> std::string {
        using T = std::decay_t<decltype(cmd)>;
        if constexpr (std::is_same_v<T, create_configured_table> ||
                      std::is_same_v<T, update_configured_table>)
          return s.live() ? "{\"configuredTable\":" + configured_table_json(s) + "}" : "{}";
        else if constexpr (std::is_same_v<T, create_analysis_rule> ||
                           std::is_same_v<T, update_analysis_rule>)
          return s.rule ? "{\"analysisRule\":" + table_rule_json(s) + "}" : "{}";
        else if constexpr (std::is_same_v<T, tag_resource> || std::is_same_v<T, untag_resource>)
          return "{}";
        else
          return "";  // deletes: 204; check_association: no body
      },
      c);
}

}  // namespace crs::projections
