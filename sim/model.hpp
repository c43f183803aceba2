// The reference model: a second, deliberately plain description of SPEC.md's rules for the
// operations the workload issues (sections 6, 7, 14, 16, 19). It predicts the outcome of every
// call (accepted, or which exception) before the simulator looks at the answer, and learns the
// effect of each accepted call. It never reads the system's state: when the two disagree, one
// of them is wrong, and the simulator stops with the step and the seed.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/operation.hpp"

namespace crs::sim {

enum class m_status : std::uint8_t { invited, active, left, removed };
enum class m_membership_status : std::uint8_t { active, removed, collaboration_deleted };
enum class m_cr_status : std::uint8_t { pending, approved, denied, cancelled, committed };
enum class m_vote : std::uint8_t { pending, approved, denied };

// The API's names of these statuses (SPEC.md 16), for reads and their filters.
const char* status_name(m_status s);
const char* status_name(m_membership_status s);
const char* status_name(m_cr_status s);
const char* status_name(m_vote v);

struct m_member {
  std::string account;
  m_status status = m_status::invited;
  bool can_query = false;
  bool can_receive = false;
  std::optional<bool> pays_queries;  // as the creator wrote it
  std::optional<std::string> membership_id;
};

struct m_change_request {
  std::string id;
  std::string account;
  bool add = false;      // ADD_MEMBER; otherwise GRANT (receive) or REVOKE (!receive)
  bool receive = false;  // the abilities asked: [CAN_RECEIVE_RESULTS] or []
  m_cr_status status = m_cr_status::pending;
  std::map<std::string, m_vote> votes;
  std::size_t created = 0;  // its place among the collaboration's requests, oldest first
};

enum class m_query_status : std::uint8_t {
  submitted,
  started,
  cancelling,
  cancelled,
  success,
  failed,
  timed_out
};

const char* status_name(m_query_status s);
inline constexpr int query_status_count = 7;

struct m_query {
  std::string id;
  std::string membership_id;
  m_query_status status = m_query_status::submitted;
  std::size_t created = 0;  // its place among the collaboration's queries, oldest first
  // Who the results go to, fixed at start: the querier when it can receive them, else every
  // ACTIVE member that can; their memberships then ("" for none) also see the query.
  std::vector<std::string> receivers, receiver_memberships;
  std::string association;  // whose schema its SQL reads: not deleted while it is unfinished
  bool unfinished() const {
    return status == m_query_status::submitted || status == m_query_status::started ||
           status == m_query_status::cancelling;
  }
};

struct m_association {
  std::string id;
  std::string membership_id;
  std::string table_id;
  std::string name;
  // Its place among the collaboration's associations, oldest first (they are created one at a
  // time per collaboration, so this is the order of their createTime).
  std::size_t created = 0;
};

struct m_table {
  std::string id;
  std::string owner;
  bool rule = false;
};

struct m_collaboration {
  std::string id;
  std::string creator;
  bool deleted = false;
  bool query_log = false;         // queryLogStatus ENABLED
  std::vector<m_member> members;  // the creator first
  std::set<std::string> auto_approved;
  std::map<std::string, m_change_request> change_requests;
  std::map<std::string, m_association> associations;
  std::size_t associations_created = 0;  // ever, for m_association::created
  std::map<std::string, m_query> queries;

  const m_member* member(const std::string& account) const;
  m_member* member(const std::string& account);
  bool visible_to(const std::string& account) const;
  // SPEC.md 19.1/19.2: the account that pays for queries, if any.
  std::optional<std::string> query_payer() const;
};

struct m_membership {
  std::string id;
  std::string collaboration_id;
  std::string account;
  m_membership_status status = m_membership_status::active;
  bool query_log = false;  // queryLogStatus ENABLED
};

class reference_model {
 public:
  // The server's registry_options::strict_rule_deletion: whether a query reading a table holds
  // up the deletion of its analysis rule (SPEC.md 9, Q22).
  explicit reference_model(bool strict_rule_deletion = false)
      : strict_rule_deletion_(strict_rule_deletion) {}
  [[nodiscard]] expectation predict(const operation& op) const;
  // The call was accepted; `fresh_id` is the id the server minted for it (if it creates).
  void apply(const operation& op, const std::string& fresh_id);

  const std::map<std::string, m_collaboration>& collaborations() const { return collabs_; }
  const std::map<std::string, m_membership>& memberships() const { return memberships_; }
  // The ids of one account's memberships (ListMemberships' check reads only the caller's).
  const std::set<std::string>& memberships_of(const std::string& account) const;
  // Ids in the order they were created, so the workload can pick one in O(1).
  const std::vector<std::string>& collaboration_order() const { return collab_order_; }
  const std::vector<std::string>& membership_order() const { return membership_order_; }
  const std::map<std::string, m_table>& tables() const { return tables_; }
  const std::vector<std::string>& table_order() const { return table_order_; }
  // The configured tables the unfinished queries of a collaboration read (SPEC.md Q22).
  std::vector<std::string> tables_read_in(const std::string& collaboration_id) const;
  bool read_by_unfinished_query(const std::string& table_id) const;
  // Queries the fake engine still has to pick up or finish: (collaboration, query).
  const std::set<std::pair<std::string, std::string>>& unfinished_queries() const {
    return unfinished_;
  }
  // Tags of every taggable resource that exists (a live collaboration, a membership), by ARN.
  const std::map<std::string, std::map<std::string, std::string>>& tags() const { return tags_; }
  // Live (not deleted) collaborations an account created.
  std::size_t created_by(const std::string& account) const;
  std::size_t members_quota = 5;          // "Members invited per collaboration"
  std::size_t collaborations_quota = 10;  // "Collaborations created per account"

 private:
  expectation create_collaboration(const operation& op) const;
  expectation create_membership(const operation& op) const;
  expectation delete_membership(const operation& op) const;
  expectation update_membership(const operation& op) const;
  expectation tagging(const operation& op) const;
  expectation delete_member(const operation& op) const;
  expectation create_change_request(const operation& op) const;
  expectation update_change_request(const operation& op) const;
  expectation create_association(const operation& op) const;
  expectation start_query(const operation& op) const;
  expectation query_report(const operation& op) const;
  // The caller's own membership `id` (SPEC.md 3.3: a foreign one is as unknown), or null.
  const m_membership* owned(const std::string& id, const std::string& caller) const;
  bool schema_visible(const m_collaboration& c, const std::string& name) const;
  void set_status(m_collaboration& c, m_query& q, m_query_status s);
  void cancel_unfinished(m_collaboration& c, const std::string& membership_id);
  const m_collaboration* find(const std::string& id) const;
  void apply_commit(m_collaboration& c, const m_change_request& r);
  // A voter went (left or was removed): its pending votes stop counting (SPEC.md 16.4).
  void reevaluate(m_collaboration& c, const std::string& gone);

  std::map<std::string, m_collaboration> collabs_;
  std::map<std::string, m_membership> memberships_;
  std::map<std::string, std::set<std::string>> memberships_by_account_;  // memberships_, indexed
  std::map<std::string, std::size_t> created_;  // live collaborations by creator
  std::vector<std::string> collab_order_;
  std::vector<std::string> membership_order_;
  std::map<std::string, m_table> tables_;
  bool strict_rule_deletion_ = false;
  std::vector<std::string> table_order_;
  std::set<std::pair<std::string, std::string>> unfinished_;
  std::map<std::string, std::map<std::string, std::string>> tags_;
};

// The ARNs the simulated region gives a collaboration and a membership (SPEC.md 4.2).
std::string collaboration_arn(const std::string& creator, const std::string& id);
std::string membership_arn(const std::string& account, const std::string& id);

}  // namespace crs::sim
