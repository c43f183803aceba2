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
    {op_kind::create_collaboration, 6},
    {op_kind::create_membership, 20},
    {op_kind::delete_membership, 6},
    {op_kind::delete_member, 5},
    {op_kind::update_collaboration, 4},
    {op_kind::delete_collaboration, 4},
    {op_kind::get_collaboration, 14},
    {op_kind::create_change_request, 12},
    {op_kind::update_change_request, 16},
    {op_kind::malformed, 2},
    {op_kind::create_configured_table, 3},
    {op_kind::create_table_rule, 3},
    {op_kind::delete_table_rule, 1},
    {op_kind::create_association, 8},
    {op_kind::delete_association, 3},
    {op_kind::start_query, 14},
    {op_kind::cancel_query, 6},
    {op_kind::update_membership, 4},
    {op_kind::list_members, 5},
    {op_kind::get_membership, 4},
    {op_kind::list_memberships, 3},
    {op_kind::list_collaborations, 3},
    {op_kind::list_schemas, 3},
    {op_kind::list_associations, 3},
    {op_kind::list_change_requests, 4},
    {op_kind::list_queries, 4},
    {op_kind::tag_resource, 3},
    {op_kind::untag_resource, 2},
    {op_kind::list_tags, 3},
};

// The schema name an association of table `id` gets: unique per table, lower case.
std::string schema_of(const std::string& table_id) {
  return "t" + table_id.substr(0, 8);
}

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

const m_membership* workload::pick_membership(const reference_model& model, operation& op) {
  const auto& ids = model.membership_order();
  if (ids.empty() || rng_.chance(50)) {
    op.membership_id = random_uuid();  // never existed
    op.caller = any_account();
    return nullptr;
  }
  const std::uint64_t window = ids.size() < 32 ? ids.size() : 32;
  op.membership_id = ids[ids.size() - 1 - rng_.below(window)];
  auto it = model.memberships().find(op.membership_id);
  if (it == model.memberships().end()) {
    op.caller = any_account();  // deleted since: 404
    return nullptr;
  }
  op.collaboration_id = it->second.collaboration_id;
  op.caller = it->second.account;
  return &it->second;
}

const m_member* workload::active_member(const m_collaboration& c) {
  std::vector<const m_member*> active;
  for (const auto& m : c.members)
    if (m.status == m_status::active && m.membership_id) active.push_back(&m);
  return active.empty() ? nullptr : active[rng_.below(active.size())];
}

operation workload::table_call(const reference_model& model, op_kind kind, std::string owner) {
  operation op;
  op.kind = kind;
  op.caller = owner.empty() ? any_account() : std::move(owner);
  std::size_t owned = 0;
  std::vector<std::string> without_rule;
  std::size_t index = 0;
  for (const auto& id : model.table_order()) {
    const auto& t = model.tables().at(id);
    owned += t.owner == op.caller;
    // Every fourth table keeps no rule (but by the rare pick of any table below): its schemas
    // list no analysis rule type, and queries on it are refused, all run long.
    if (!t.rule && index % 4 != 3) without_rule.push_back(id);
    ++index;
  }
  if (kind == op_kind::create_table_rule && (!without_rule.empty() || rng_.chance(100))) {
    if (without_rule.empty()) {
      op.table_id = model.table_order().empty()
                        ? random_uuid()
                        : model.table_order()[rng_.below(model.table_order().size())];
    } else {
      op.table_id = without_rule[rng_.below(without_rule.size())];
    }
    auto t = model.tables().find(op.table_id);
    if (t != model.tables().end() && rng_.chance(950)) op.caller = t->second.owner;
    op.providers = accounts_;
    return op;
  }
  if (kind == op_kind::delete_table_rule && !model.table_order().empty()) {
    // Half of them on a table an unfinished query reads (SPEC.md Q22: a conflict), the rest on
    // any table (mostly a 204, or a 404 without a rule).
    std::vector<std::string> read;
    if (rng_.chance(500)) {
      const std::string* last = nullptr;  // the set is ordered by collaboration: each once
      for (const auto& [cid, qid] : model.unfinished_queries()) {
        if (last && *last == cid) continue;
        last = &cid;
        for (auto& t : model.tables_read_in(cid)) read.push_back(std::move(t));
      }
    }
    op.table_id = read.empty() ? model.table_order()[rng_.below(model.table_order().size())]
                               : read[rng_.below(read.size())];
    if (rng_.chance(950)) op.caller = model.tables().at(op.table_id).owner;
    return op;
  }
  op.kind = op_kind::create_configured_table;
  if (owned >= 4) op.kind = op_kind::get_collaboration;  // a few tables per account suffice
  if (op.kind == op_kind::get_collaboration && !model.collaboration_order().empty())
    op.collaboration_id = model.collaboration_order().back();
  return op;
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
  op.query_log = rng_.chance(300);  // queryLogStatus ENABLED
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
  if (kind == op_kind::create_configured_table || kind == op_kind::create_table_rule ||
      kind == op_kind::delete_table_rule)
    return table_call(model, kind);

  operation op;
  op.kind = kind;
  // Half the cancellations and association deletions go where a query is unfinished: picked
  // like the rest, few of them would meet one, and those are the cases with most rules (the
  // query's status transitions; SPEC.md Q22, the association it reads cannot be deleted).
  std::string running;  // that query's id
  if ((kind == op_kind::cancel_query || kind == op_kind::delete_association) &&
      !model.unfinished_queries().empty() && rng_.chance(500)) {
    const auto it = pick(rng_, model.unfinished_queries());
    op.collaboration_id = it->first;
    running = it->second;
  } else {
    op.collaboration_id = pick_collaboration(model);
  }
  if (!is_read(kind) && kind != op_kind::malformed && busy(op.collaboration_id)) {
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
      // Logging as the collaboration allows, now and then ENABLED where it is not (400).
      op.query_log = c.query_log ? rng_.chance(700) : rng_.chance(40);
      break;
    }
    case op_kind::delete_membership:
    case op_kind::update_membership:
    case op_kind::get_membership:
    case op_kind::list_associations:
    case op_kind::list_queries: {
      if (kind == op_kind::list_associations) {
        op.page_size = static_cast<std::uint8_t>(1 + rng_.below(4));
        if (!c.associations.empty() && rng_.chance(700)) {
          // Mostly through a membership that has associations.
          const auto& a = pick(rng_, c.associations)->second;
          if (auto it = model.memberships().find(a.membership_id);
              it != model.memberships().end()) {
            op.membership_id = it->first;
            op.caller = it->second.account;
            op.collaboration_id = it->second.collaboration_id;
            break;
          }
        }
      }
      if (kind == op_kind::list_queries) {
        if (rng_.chance(300))
          op.status_filter =
              status_name(static_cast<m_query_status>(rng_.below(query_status_count)));
        op.page_size = static_cast<std::uint8_t>(1 + rng_.below(rng_.chance(500) ? 4 : 100));
      }
      if (kind == op_kind::list_queries && !c.queries.empty() && rng_.chance(700)) {
        // Mostly through a membership that sees queries: the querier's or a receiver's.
        const auto& q = pick(rng_, c.queries)->second;
        std::vector<std::string> seers{q.membership_id};
        for (const auto& mid : q.receiver_memberships)
          if (!mid.empty()) seers.push_back(mid);
        auto it = model.memberships().find(seers[rng_.below(seers.size())]);
        if (it != model.memberships().end()) {
          op.membership_id = it->first;
          op.caller = it->second.account;
          op.collaboration_id = it->second.collaboration_id;
          break;
        }
      }
      const auto* ms = pick_membership(model, op);
      if (!ms) break;
      if (!is_read(kind) && busy(op.collaboration_id)) {
        op.kind = op_kind::get_collaboration;
        op.caller = member_account();
        return op;
      }
      if (kind == op_kind::update_membership && !rng_.chance(150)) {
        // Mostly what the collaboration allows; now and then ENABLED where it is not (400).
        op.query_log = model.collaborations().at(ms->collaboration_id).query_log ? rng_.chance(600)
                                                                                 : rng_.chance(100);
      }
      break;
    }
    case op_kind::list_members:
      op.caller = member_account();
      op.page_size = static_cast<std::uint8_t>(1 + rng_.below(4));
      break;
    case op_kind::list_schemas:
      op.caller = member_account();
      op.page_size = static_cast<std::uint8_t>(1 + rng_.below(4));
      if (!c.associations.empty() && rng_.chance(700)) {
        // Mostly as the member behind an association, who is ACTIVE while its schema shows.
        const auto& a = pick(rng_, c.associations)->second;
        if (auto ms = model.memberships().find(a.membership_id); ms != model.memberships().end())
          op.caller = ms->second.account;
      }
      break;
    case op_kind::tag_resource:
    case op_kind::untag_resource:
    case op_kind::list_tags: {
      static const char* keys[] = {"team", "env", "cost-center", "owner"};
      const auto target = rng_.below(10);
      if (target < 5) {  // the collaboration, by its creator
        op.arn = collaboration_arn(c.creator, c.id);
      } else if (target < 9) {  // a membership, by its owner
        const auto* ms = pick_membership(model, op);
        op.arn = membership_arn(op.caller, op.membership_id);
        if (ms && kind != op_kind::list_tags && busy(op.collaboration_id)) {
          op.kind = op_kind::get_collaboration;
          op.caller = member_account();
          return op;
        }
      } else {  // a collaboration that never existed
        op.arn = collaboration_arn(c.creator, random_uuid());
      }
      const auto n = 1 + rng_.below(2);
      for (std::uint64_t i = 0; i < n; ++i) {
        const std::string key = keys[rng_.below(4)];
        if (kind == op_kind::tag_resource)
          op.tags[rng_.chance(30) ? "aws:reserved" : key] = "v" + std::to_string(rng_.below(100));
        else if (kind == op_kind::untag_resource)
          op.tag_keys.push_back(key);
      }
      break;
    }
    case op_kind::list_change_requests: {
      op.caller = member_account();
      if (rng_.chance(400)) op.status_filter = status_name(static_cast<m_cr_status>(rng_.below(5)));
      op.page_size = static_cast<std::uint8_t>(1 + rng_.below(4));
      break;
    }
    case op_kind::list_memberships: {
      op.caller = any_account();
      if (rng_.chance(500))
        op.status_filter = status_name(static_cast<m_membership_status>(rng_.below(3)));
      // Mostly long pages (an account holds many memberships late in a run), now and then short.
      op.page_size =
          static_cast<std::uint8_t>(rng_.chance(700) ? 50 + rng_.below(51) : 1 + rng_.below(5));
      break;
    }
    case op_kind::list_collaborations: {
      op.caller = any_account();
      if (rng_.chance(500)) op.status_filter = rng_.chance(500) ? "INVITED" : "ACTIVE";
      op.page_size =
          static_cast<std::uint8_t>(rng_.chance(700) ? 20 + rng_.below(81) : 1 + rng_.below(5));
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
        auto it = pick(rng_, c.change_requests);
        op.change_request_id = it->first;
        // A voter for a vote, the creator for the rest.
        if (!it->second.votes.empty() && rng_.chance(600)) {
          auto v = pick(rng_, it->second.votes);
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
    case op_kind::create_association: {
      const auto* m = active_member(c);
      if (!m) {  // nobody joined: a membership that does not exist
        op.membership_id = random_uuid();
        op.table_id = random_uuid();
        op.schema = schema_of(op.table_id);
        break;
      }
      op.caller = m->account;
      op.membership_id = *m->membership_id;
      std::vector<std::string> mine;
      for (const auto& id : model.table_order())
        if (model.tables().at(id).owner == op.caller) mine.push_back(id);
      if (mine.empty()) return table_call(model, op_kind::create_configured_table, op.caller);
      op.table_id = mine[rng_.below(mine.size())];
      op.schema = schema_of(op.table_id);
      break;
    }
    case op_kind::delete_association: {
      if (!running.empty()) {
        auto read = c.associations.find(c.queries.at(running).association);
        if (read != c.associations.end()) {
          op.membership_id = read->second.membership_id;
          op.association_id = read->first;
          op.caller = model.memberships().at(op.membership_id).account;
          break;
        }
      }
      if (c.associations.empty()) {
        op.membership_id = random_uuid();
        op.association_id = random_uuid();
        break;
      }
      auto it = pick(rng_, c.associations);
      op.membership_id = it->second.membership_id;
      op.association_id = it->first;
      op.caller = model.memberships().at(op.membership_id).account;
      break;
    }
    case op_kind::start_query: {
      const m_member* querier = nullptr;
      for (const auto& m : c.members)
        if (m.can_query) querier = &m;
      if (querier && querier->membership_id && rng_.chance(950)) {
        op.caller = querier->account;
        op.membership_id = *querier->membership_id;
      } else {
        const auto* m = active_member(c);
        op.caller = m ? m->account : any_account();
        op.membership_id = m ? *m->membership_id : random_uuid();
      }
      if (!c.associations.empty() && rng_.chance(950)) {
        auto it = pick(rng_, c.associations);
        // Mostly a table with a rule (a fourth of the tables keep none, and a query on one is
        // refused): queries must run often enough to reach their cancellations and outcomes.
        for (int tries = 0; tries < 4 && rng_.chance(900); ++tries) {
          auto t = model.tables().find(it->second.table_id);
          if (t != model.tables().end() && t->second.rule) break;
          it = pick(rng_, c.associations);
        }
        op.schema = it->second.name;
      } else {
        op.schema = "nosuchtable";
      }
      const auto* me = c.member(op.caller);
      op.with_output = (me && me->can_receive) != rng_.chance(50);
      break;
    }
    case op_kind::cancel_query: {
      if (c.queries.empty()) {
        op.membership_id = random_uuid();
        op.query_id = random_uuid();
        break;
      }
      auto it = running.empty() ? pick(rng_, c.queries) : c.queries.find(running);
      op.membership_id = it->second.membership_id;
      op.query_id = it->first;
      auto ms = model.memberships().find(op.membership_id);
      op.caller = ms == model.memberships().end() ? any_account() : ms->second.account;
      break;
    }
    case op_kind::create_configured_table:
    case op_kind::create_table_rule:
    case op_kind::delete_table_rule:
    case op_kind::begin_query:
    case op_kind::finish_query:
    case op_kind::create_collaboration:
      break;
  }
  if (wrong_caller) op.caller = any_account();
  const bool collaboration_addressed =
      kind == op_kind::get_collaboration || kind == op_kind::update_collaboration ||
      kind == op_kind::delete_collaboration || kind == op_kind::delete_member ||
      kind == op_kind::create_membership || kind == op_kind::create_change_request ||
      kind == op_kind::update_change_request || kind == op_kind::list_members ||
      kind == op_kind::list_change_requests;
  if (collaboration_addressed && rng_.chance(15))
    op.collaboration_id = random_uuid();  // a collaboration that never existed
  return op;
}

}  // namespace crs::sim
