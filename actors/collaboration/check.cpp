#include "actors/collaboration/check.hpp"

namespace crs::collaboration {
namespace {

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace

std::optional<std::string> why_not_applicable(const state& s, const events::event_payload& e) {
  using R = std::optional<std::string>;
  const bool live = s.created && !s.deleted;
  auto membership = [&](const std::string& id) -> R {
    if (!s.membership(id)) return "membership " + id + " does not exist";
    return std::nullopt;
  };
  return std::visit(
      overloaded{
          [&](const events::collaboration_created&) -> R {
            if (s.created) return "the collaboration was already created";
            return std::nullopt;
          },
          [&](const events::member_invited& x) -> R {
            if (!live) return "no live collaboration to invite into";
            if (s.member(x.member.account))
              return "account " + x.member.account + " is already a member";
            return std::nullopt;
          },
          [&](const events::payment_assigned& x) -> R {
            if (!live) return "no live collaboration";
            if (!s.member(x.account)) return "payer " + x.account + " is not a member";
            return std::nullopt;
          },
          [&](const events::membership_created& x) -> R {
            if (!live) return "no live collaboration to join";
            const auto* m = s.member(x.account);
            if (!m || m->status != member_status::invited)
              return "account " + x.account + " is not an invited member";
            if (s.membership(x.membership_id)) return "membership id reused";
            return std::nullopt;
          },
          [&](const events::membership_updated& x) -> R { return membership(x.membership_id); },
          [&](const events::membership_status_changed& x) -> R {
            if (auto why = membership(x.membership_id)) return why;
            if (s.membership(x.membership_id)->status != membership_status::active)
              return "membership " + x.membership_id + " is no longer ACTIVE";
            return std::nullopt;
          },
          [&](const events::membership_deleted& x) -> R { return membership(x.membership_id); },
          [&](const events::member_left& x) -> R {
            const auto* m = s.member(x.account);
            if (!live || !m || m->status != member_status::active)
              return "account " + x.account + " is not an ACTIVE member of a live collaboration";
            return std::nullopt;
          },
          [&](const events::member_removed& x) -> R {
            const auto* m = s.member(x.account);
            if (!live || !m ||
                (m->status != member_status::invited && m->status != member_status::active))
              return "account " + x.account + " is not an INVITED or ACTIVE member";
            return std::nullopt;
          },
          [&](const events::collaboration_updated&) -> R {
            if (!live) return "no live collaboration to update";
            return std::nullopt;
          },
          [&](const events::collaboration_deleted&) -> R {
            if (!live) return "no live collaboration to delete";
            return std::nullopt;
          },
          [&](const events::tags_changed& x) -> R {
            if (!s.tags.count(x.resource_arn)) return "resource " + x.resource_arn + " is not live";
            return std::nullopt;
          },
      },
      e);
}

}  // namespace crs::collaboration
