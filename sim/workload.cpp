#include "sim/workload.hpp"

#include <cstdio>

namespace crs::sim {
namespace {

// Relative weights of the calls (out of their sum).
struct weighted {
  op_kind kind;
  std::uint64_t weight;
};
constexpr weighted mix[] = {
    {op_kind::create_collaboration, 6},   {op_kind::create_membership, 20},
    {op_kind::delete_membership, 6},      {op_kind::delete_member, 5},
    {op_kind::update_collaboration, 4},   {op_kind::delete_collaboration, 4},
    {op_kind::get_collaboration, 14},     {op_kind::create_change_request, 12},
    {op_kind::update_change_request, 16}, {op_kind::malformed, 2},
};

}  // namespace

std::string random_uuid(prng& rng) {
  const std::uint64_t a = rng.next(), b = rng.next();
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffull));
  return buf;
}

std::string workload::pick_collaboration(const reference_model& model) {
  const auto& ids = model.collaboration_order();
  if (ids.empty()) return {};
  const std::uint64_t window = ids.size() < 24 ? ids.size() : 24;
  std::string id;
  // Mostly a live one of the newest: deleted ones answer 403 to everything.
  for (int attempt = 0; attempt < 4; ++attempt) {
    id = rng_.chance(900) ? ids[ids.size() - 1 - rng_.below(window)] : ids[rng_.below(ids.size())];
    if (!model.collaborations().at(id).deleted || rng_.chance(100)) break;
  }
  return id;
}

operation workload::create_collaboration() {
  operation op;
  op.kind = op_kind::create_collaboration;
  op.caller = any_account();
  op.members.push_back({op.caller, false, rng_.chance(500), std::nullopt});
  const std::uint64_t invitees = rng_.below(accounts_.size() < 7 ? accounts_.size() : 7);
  // Mostly distinct other accounts; now and then the caller itself or a repeat (invalid).
  std::vector<std::string> others;
  for (const auto& a : accounts_)
    if (a != op.caller) others.push_back(a);
  for (std::uint64_t i = 0; i < invitees; ++i) {
    member_plan m;
    if (!others.empty() && rng_.chance(970)) {
      const auto k = rng_.below(others.size());
      m.account = others[k];
      others.erase(others.begin() + static_cast<long>(k));
    } else {
      m.account = any_account();
    }
    m.can_receive = rng_.chance(400);
    op.members.push_back(std::move(m));
  }
  // Usually one querier, sometimes none, rarely two (invalid).
  const auto querier = rng_.below(op.members.size());
  if (rng_.chance(850)) op.members[querier].can_query = true;
  if (rng_.chance(30)) op.members[rng_.below(op.members.size())].can_query = true;
  // Payment: mostly the default (the querier pays); sometimes an explicit payer, an explicit
  // false for the querier, or (rarely) two payers.
  const auto roll = rng_.below(100);
  if (roll < 20)
    op.members[rng_.below(op.members.size())].pays_queries = true;
  else if (roll < 25)
    op.members[querier].pays_queries = false;
  else if (roll < 27)
    for (int i = 0; i < 2; ++i) op.members[rng_.below(op.members.size())].pays_queries = true;
  static const char* types[] = {"ADD_MEMBER", "GRANT_RECEIVE_RESULTS_ABILITY",
                                "REVOKE_RECEIVE_RESULTS_ABILITY"};
  for (const char* t : types)
    if (rng_.chance(300)) op.auto_approved.emplace_back(t);
  return op;
}

operation workload::next(const reference_model& model,
                         const std::function<bool(const std::string&)>& busy) {
  std::uint64_t total = 0;
  for (const auto& w : mix) total += w.weight;
  auto roll = rng_.below(total);
  op_kind kind = op_kind::get_collaboration;
  for (const auto& w : mix) {
    if (roll < w.weight) {
      kind = w.kind;
      break;
    }
    roll -= w.weight;
  }
  if (kind == op_kind::create_collaboration || model.collaboration_order().empty())
    return create_collaboration();

  operation op;
  op.kind = kind;
  op.collaboration_id = pick_collaboration(model);
  if (kind != op_kind::get_collaboration && kind != op_kind::malformed &&
      busy(op.collaboration_id)) {
    op.kind = op_kind::get_collaboration;  // one writer per collaboration: read instead
    kind = op.kind;
  }
  const auto& c = model.collaborations().at(op.collaboration_id);
  const bool wrong_caller = rng_.chance(120);
  auto member_account = [&]() -> std::string {
    return c.members[rng_.below(c.members.size())].account;
  };
  op.caller = c.creator;
  switch (kind) {
    case op_kind::get_collaboration:
      op.caller = member_account();
      break;
    case op_kind::create_membership: {
      op.caller = member_account();
      // Mostly what the rules ask (the payer says so), sometimes absent or wrong.
      const auto payer = c.query_payer();
      const auto roll2 = rng_.below(100);
      if (roll2 < 60 && payer == op.caller)
        op.accepts_payment = true;
      else if (roll2 < 75)
        op.accepts_payment = rng_.chance(500);
      break;
    }
    case op_kind::delete_membership: {
      const auto& ids = model.membership_order();
      if (ids.empty() || rng_.chance(50)) {
        op.membership_id = random_uuid();  // never existed
        op.caller = any_account();
        break;
      }
      const std::uint64_t window = ids.size() < 32 ? ids.size() : 32;
      op.membership_id = ids[ids.size() - 1 - rng_.below(window)];
      auto it = model.memberships().find(op.membership_id);
      if (it == model.memberships().end()) {
        op.caller = any_account();  // deleted since: 404
        break;
      }
      op.collaboration_id = it->second.collaboration_id;
      if (busy(op.collaboration_id)) {
        op.kind = op_kind::get_collaboration;
        op.caller = member_account();
        return op;
      }
      op.caller = it->second.account;
      break;
    }
    case op_kind::delete_member:
      op.account = rng_.chance(900) ? member_account() : any_account();
      break;
    case op_kind::update_collaboration:
      op.name = "renamed " + std::to_string(rng_.below(1000));
      break;
    case op_kind::delete_collaboration:
      break;
    case op_kind::create_change_request:
      op.account = rng_.chance(500) ? member_account() : any_account();
      op.receive = rng_.chance(500);
      op.with_display_name = rng_.chance(950);
      break;
    case op_kind::update_change_request: {
      if (c.change_requests.empty() || rng_.chance(30)) {
        op.change_request_id = random_uuid();
      } else {
        auto it = c.change_requests.begin();
        std::advance(it, static_cast<long>(rng_.below(c.change_requests.size())));
        op.change_request_id = it->first;
        // A voter for a vote, the creator for the rest.
        if (!it->second.votes.empty() && rng_.chance(600)) {
          auto v = it->second.votes.begin();
          std::advance(v, static_cast<long>(rng_.below(it->second.votes.size())));
          op.caller = v->first;
        }
      }
      const auto a = rng_.below(100);
      op.action = a < 40   ? cr_action::approve
                  : a < 50 ? cr_action::deny
                  : a < 60 ? cr_action::cancel
                           : cr_action::commit;
      if (op.caller != c.creator &&
          (op.action == cr_action::cancel || op.action == cr_action::commit))
        op.action = rng_.chance(800) ? cr_action::approve : cr_action::deny;
      break;
    }
    case op_kind::malformed:
      op.caller = any_account();
      op.malformation = static_cast<std::uint8_t>(rng_.below(4));
      op.change_request_id = random_uuid();
      break;
    case op_kind::create_collaboration:
      break;
  }
  if (wrong_caller) op.caller = any_account();
  if (kind != op_kind::delete_membership && rng_.chance(15))
    op.collaboration_id = random_uuid();  // a collaboration that never existed
  return op;
}

}  // namespace crs::sim
