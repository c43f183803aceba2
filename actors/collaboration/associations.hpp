// decide for configured table associations and their association-level analysis rules
// (SPEC.md 10 and 21): the checks that span the collaboration, run by its single writer. The
// configured table's own checks (exists, belongs to the caller) ran in its actor first.
#pragma once

#include "actors/collaboration/decide.hpp"

namespace crs::collaboration {

[[nodiscard]] decision decide_association(const state& s, const create_association& c,
                                          const decide_context& ctx);
[[nodiscard]] decision decide_association(const state& s, const update_association& c,
                                          const decide_context& ctx);
[[nodiscard]] decision decide_association(const state& s, const delete_association& c,
                                          const decide_context& ctx);
[[nodiscard]] decision decide_association(const state& s, const create_association_rule& c,
                                          const decide_context& ctx);
[[nodiscard]] decision decide_association(const state& s, const update_association_rule& c,
                                          const decide_context& ctx);
[[nodiscard]] decision decide_association(const state& s, const delete_association_rule& c,
                                          const decide_context& ctx);

// The association `id` of the caller's membership `membership_id`, or the 404 to answer
// (membership first, then association: SPEC.md 3.3).
struct association_lookup {
  const membership_record* membership = nullptr;
  const association_record* association = nullptr;
  std::optional<domain_error> error;
};
[[nodiscard]] association_lookup find_association(const state& s, const std::string& membership_id,
                                                  const std::string& association_id,
                                                  const decide_context& ctx);

}  // namespace crs::collaboration
