#include "projections/responses.hpp"

#include "projections/render.hpp"

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
        else
          return "";  // deletes: 204
      },
      c);
}

}  // namespace crs::projections
