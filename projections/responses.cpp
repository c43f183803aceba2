#include "projections/responses.hpp"

#include "projections/change_request_rows.hpp"
#include "projections/query_rows.hpp"
#include "projections/render.hpp"
#include "projections/table_render.hpp"
#include "projections/template_rows.hpp"

namespace crs::projections {
namespace {

std::string wrap(std::string_view member, const std::string& json) {
  std::string out = "{\"";
  out.append(member).append("\":").append(json).append("}");
  return out;
}

std::string collaboration_response(const collaboration::state& s, const decide_context& ctx) {
  const auto* m = s.member(ctx.caller);
  return m ? wrap("collaboration", collaboration_for(s, *m)) : "{}";
}

std::string membership_response(const collaboration::state& s, const std::string& id) {
  const auto* m = s.membership(id);
  return m ? wrap("membership", membership_json(s, *m)) : "{}";
}

std::string association_response(const collaboration::state& s, const std::string& id) {
  const auto* a = s.association(id);
  return a ? wrap("configuredTableAssociation", association_json(*a)) : "{}";
}

std::string association_rule_response(const collaboration::state& s, const std::string& id,
                                      analysis_rule_type type) {
  const auto* a = s.association(id);
  if (!a || !a->rules.count(type)) return "{}";
  return wrap("analysisRule", association_rule_json(*a, type, a->rules.at(type)));
}

}  // namespace

std::string response_for(const collaboration::state& s, const collaboration::command& c,
                         const decide_context& ctx) {
  using namespace collaboration;
  return std::visit(
      [&](const auto& cmd) -> std::string {
        using T = std::decay_t<decltype(cmd)>;
        if constexpr (std::is_same_v<T, create_collaboration> ||
                      std::is_same_v<T, update_collaboration>)
          return collaboration_response(s, ctx);
        else if constexpr (std::is_same_v<T, create_membership>)
          return membership_response(s, ctx.fresh_id);
        else if constexpr (std::is_same_v<T, update_membership>)
          return membership_response(s, cmd.membership_id);
        else if constexpr (std::is_same_v<T, tag_resource> || std::is_same_v<T, untag_resource>)
          return "{}";
        else if constexpr (std::is_same_v<T, create_analysis_template> ||
                           std::is_same_v<T, update_analysis_template> ||
                           std::is_same_v<T, delete_analysis_template>)
          return template_response(s, c, ctx);
        else if constexpr (std::is_same_v<T, create_change_request> ||
                           std::is_same_v<T, update_change_request>)
          return change_request_response(s, c, ctx);
        else if constexpr (std::is_same_v<T, start_query> || std::is_same_v<T, cancel_query> ||
                           std::is_same_v<T, begin_query> || std::is_same_v<T, finish_query>)
          return query_response(s, c, ctx);
        else if constexpr (std::is_same_v<T, create_association>)
          return association_response(s, ctx.fresh_id);
        else if constexpr (std::is_same_v<T, update_association>)
          return association_response(s, cmd.association_id);
        else if constexpr (std::is_same_v<T, create_association_rule> ||
                           std::is_same_v<T, update_association_rule>)
          return association_rule_response(s, cmd.association_id, cmd.type);
        else
          return "";  // deletes: 204
      },
      c);
}

}  // namespace crs::projections
