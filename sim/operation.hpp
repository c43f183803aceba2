// What a simulated client asks: one Clean Rooms API call, as the workload chose it. The
// simulator renders it as an HTTP request (sim/requests.cpp) and the reference model predicts
// its outcome (sim/model.cpp) from the same fields.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace crs::sim {

enum class op_kind : std::uint8_t {
  create_collaboration,
  get_collaboration,
  update_collaboration,
  delete_collaboration,
  delete_member,
  create_membership,
  delete_membership,
  create_change_request,
  update_change_request,
  malformed,  // a request that fails shape validation whoever sends it
  create_configured_table,
  create_table_rule,  // CUSTOM, ANY_QUERY, every simulated account a provider
  delete_table_rule,  // DeleteConfiguredTableAnalysisRule CUSTOM
  create_association,
  delete_association,
  start_query,
  cancel_query,
  begin_query,   // the fake query engine picked the query up (a report, not an API call)
  finish_query,  // the fake query engine finished it
  update_membership,
  // Reads whose content the simulator checks against the model (sim/reads.cpp), every page
  // followed within one step.
  list_members,
  get_membership,
  list_memberships,
  list_change_requests,
  list_queries,  // ListProtectedQueries
  tag_resource,
  untag_resource,
  list_tags,            // ListTagsForResource
  list_collaborations,  // the caller's INVITED and ACTIVE collaborations
  list_schemas,         // a collaboration's schemas, for its ACTIVE members
  list_associations,    // ListConfiguredTableAssociations of a membership
};
const char* op_name(op_kind k);
// Reads answered from the projections: they change nothing, so they never wait for a writer.
inline bool is_read(op_kind k) {
  return k == op_kind::get_collaboration || k == op_kind::list_members ||
         k == op_kind::get_membership || k == op_kind::list_memberships ||
         k == op_kind::list_change_requests || k == op_kind::list_queries ||
         k == op_kind::list_tags || k == op_kind::list_collaborations ||
         k == op_kind::list_schemas || k == op_kind::list_associations;
}

// A member of a CreateCollaboration as the workload planned it.
struct member_plan {
  std::string account;
  bool can_query = false;
  bool can_receive = false;
  std::optional<bool> pays_queries;  // paymentConfiguration.queryCompute.isResponsible, if sent
};

enum class cr_action : std::uint8_t { approve, deny, cancel, commit };
const char* action_name(cr_action a);

struct operation {
  op_kind kind = op_kind::get_collaboration;
  std::string caller;  // the account whose credentials sign the request
  std::string collaboration_id;
  std::string membership_id;
  std::string account;  // DeleteMember's target, a change request's member
  std::string change_request_id;
  std::string name;  // UpdateCollaboration
  // CreateCollaboration: the creator first, then the invitees.
  std::vector<member_plan> members;
  std::vector<std::string> auto_approved;  // ADD_MEMBER, GRANT_..., REVOKE_...
  // CreateMembership: paymentConfiguration.queryCompute.isResponsible, if sent.
  std::optional<bool> accepts_payment;
  // CreateCollaboration and CreateMembership: queryLogStatus ENABLED (else DISABLED);
  // UpdateMembership: queryLogStatus if sent.
  std::optional<bool> query_log;
  std::uint8_t page_size = 0;  // a List's maxResults (0: not sent)
  std::string status_filter;  // a List's status filter (ListCollaborations: memberStatus; "": none)
  // CreateCollaborationChangeRequest: the member change.
  bool receive = false;
  bool with_display_name = true;
  cr_action action = cr_action::approve;
  std::uint8_t malformation = 0;            // which shape error (malformed)
  std::string table_id;                     // configured table (rule, association)
  std::string association_id;               // DeleteConfiguredTableAssociation
  std::string schema;                       // association name (create) or the table a query reads
  std::string query_id;                     // cancel, engine reports
  bool with_output = false;                 // StartProtectedQuery sends an s3 resultConfiguration
  std::string finish_status = "SUCCESS";    // finish_query: SUCCESS, FAILED or TIMED_OUT
  std::vector<std::string> providers;       // create_table_rule
  std::string arn;                          // TagResource, UntagResource, ListTagsForResource
  std::map<std::string, std::string> tags;  // TagResource
  std::vector<std::string> tag_keys;        // UntagResource
};

// What the reference model expects of a call: the HTTP status and, for an error, the modeled
// exception's name.
struct expectation {
  unsigned status = 200;
  std::string error;   // "" on success
  bool writes = true;  // accepted with events (false: accepted as a no-op)
  bool operator==(const expectation& o) const { return status == o.status && error == o.error; }
};

}  // namespace crs::sim
