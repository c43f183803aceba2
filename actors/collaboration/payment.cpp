#include "actors/collaboration/payment.hpp"

#include <algorithm>

namespace crs::collaboration {

bool holds(const member_spec& m, member_ability a) {
  return std::find(m.abilities.begin(), m.abilities.end(), a) != m.abilities.end();
}

bool accepts_implicitly(const member_spec& m, payment_dimension d) {
  switch (d) {
    case payment_dimension::query_compute:
      return holds(m, member_ability::can_query);
    case payment_dimension::job_compute:
      return holds(m, member_ability::can_run_job);
    default:
      return m.ml_abilities && !m.ml_abilities->empty();
  }
}

member_ability default_payer_ability(payment_dimension d) {
  return d == payment_dimension::job_compute ? member_ability::can_run_job
                                             : member_ability::can_query;
}

payer_resolution resolve_payers(const std::vector<member_spec>& members) {
  payer_resolution out;
  const bool uses_ml = std::any_of(members.begin(), members.end(), [](const member_spec& m) {
    return m.ml_abilities && !m.ml_abilities->empty();
  });
  for (int d = 0; d < payment_dimension_count; ++d) {
    const auto dim = static_cast<payment_dimension>(d);
    const bool ml_dim =
        dim != payment_dimension::query_compute && dim != payment_dimension::job_compute;
    std::vector<std::size_t> explicit_true;
    for (std::size_t i = 0; i < members.size(); ++i) {
      const auto& p = members[i].payment;
      if (p && p->dims[d] == true) explicit_true.push_back(i);
    }
    if (explicit_true.size() > 1) {
      out.error = "Only one member can be responsible for " + std::string(to_string(dim)) +
                  " costs; " + std::to_string(explicit_true.size()) + " members set isResponsible";
      return out;
    }
    if (explicit_true.size() == 1) {
      out.payer[d] = explicit_true.front();
      continue;
    }
    if (ml_dim && !uses_ml) continue;
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (!holds(members[i], default_payer_ability(dim))) continue;
      const auto& p = members[i].payment;
      if (p && p->dims[d] == false) {
        out.error = "Member " + members[i].account + " holds " +
                    std::string(to_string(default_payer_ability(dim))) +
                    " and is the default payer of " + std::string(to_string(dim)) +
                    " costs; isResponsible cannot be false unless another member is responsible";
        return out;
      }
      out.payer[d] = i;
      break;
    }
  }
  return out;
}

}  // namespace crs::collaboration
