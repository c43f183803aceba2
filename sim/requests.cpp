#include "sim/requests.hpp"

#include <cctype>
#include <string>

namespace crs::sim {
namespace {

std::string abilities(bool query, bool receive) {
  std::string s = "[";
  if (query) s += "\"CAN_QUERY\"";
  if (receive) s += std::string(query ? "," : "") + "\"CAN_RECEIVE_RESULTS\"";
  return s + "]";
}

std::string payment(bool responsible) {
  return std::string("{\"queryCompute\":{\"isResponsible\":") + (responsible ? "true" : "false") +
         "}}";
}

std::string create_collaboration_body(const operation& op) {
  const auto& creator = op.members.front();
  std::string b = "{\"name\":\"simulated\",\"description\":\"a simulated collaboration\",";
  b += "\"creatorDisplayName\":\"creator\",\"creatorMemberAbilities\":" +
       abilities(creator.can_query, creator.can_receive) + ",";
  if (creator.pays_queries)
    b += "\"creatorPaymentConfiguration\":" + payment(*creator.pays_queries) + ",";
  b += std::string("\"queryLogStatus\":\"") + (op.query_log == true ? "ENABLED" : "DISABLED") +
       "\",\"members\":[";
  for (std::size_t i = 1; i < op.members.size(); ++i) {
    const auto& m = op.members[i];
    if (i > 1) b += ",";
    b += "{\"accountId\":\"" + m.account + "\",\"displayName\":\"member " + std::to_string(i) +
         "\",\"memberAbilities\":" + abilities(m.can_query, m.can_receive);
    if (m.pays_queries) b += ",\"paymentConfiguration\":" + payment(*m.pays_queries);
    b += "}";
  }
  b += "]";
  if (!op.auto_approved.empty()) {
    b += ",\"autoApprovedChangeRequestTypes\":[";
    for (std::size_t i = 0; i < op.auto_approved.size(); ++i)
      b += (i ? ",\"" : "\"") + op.auto_approved[i] + "\"";
    b += "]";
  }
  return b + "}";
}

// Everything but the unreserved characters percent-encoded, as the SDKs send labels and query
// values (page tokens are base64 with '+', '/' and '='; ARNs carry ':' and '/').
std::string percent_encoded(std::string_view value) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : value) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += hex[ch >> 4];
      out += hex[ch & 15];
    }
  }
  return out;
}

// A List's query string: the optional filter, maxResults and the page token.
std::string list_query(const operation& op, std::string_view filter_name,
                       std::string_view next_token) {
  std::string q;
  auto add = [&q](std::string_view name, std::string_view value) {
    q += q.empty() ? '?' : '&';
    q += name;
    q += '=';
    q += percent_encoded(value);
  };
  if (!filter_name.empty() && !op.status_filter.empty()) add(filter_name, op.status_filter);
  if (op.page_size) add("maxResults", std::to_string(op.page_size));
  if (!next_token.empty()) add("nextToken", next_token);
  return q;
}

api::http_request request(std::string method, std::string target, std::string body = {}) {
  api::http_request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  return r;
}

api::http_request malformed(const operation& op) {
  switch (op.malformation % 4) {
    case 0:  // CreateCollaboration without its required name
      return request("POST", "/collaborations",
                     "{\"description\":\"d\",\"creatorDisplayName\":\"c\",\"members\":[],"
                     "\"creatorMemberAbilities\":[],\"queryLogStatus\":\"DISABLED\"}");
    case 1:  // a collaboration identifier that is no UUID
      return request("GET", "/collaborations/not-a-collaboration");
    case 2:  // an enum value the model does not have
      return request("POST", "/memberships",
                     "{\"collaborationIdentifier\":\"" + op.collaboration_id +
                         "\",\"queryLogStatus\":\"SOMETIMES\"}");
    default:  // a change request action that does not exist
      return request(
          "PATCH",
          "/collaborations/" + op.collaboration_id + "/changeRequests/" + op.change_request_id,
          "{\"action\":\"MERGE\"}");
  }
}

}  // namespace

api::http_request render_request(const operation& op, std::string_view next_token) {
  api::http_request r;
  const std::string collab = "/collaborations/" + op.collaboration_id;
  switch (op.kind) {
    case op_kind::create_collaboration:
      r = request("POST", "/collaborations", create_collaboration_body(op));
      break;
    case op_kind::get_collaboration:
      r = request("GET", collab);
      break;
    case op_kind::update_collaboration:
      r = request("PATCH", collab, "{\"name\":\"" + op.name + "\"}");
      break;
    case op_kind::delete_collaboration:
      r = request("DELETE", collab);
      break;
    case op_kind::delete_member:
      r = request("DELETE", collab + "/member/" + op.account);
      break;
    case op_kind::create_membership: {
      std::string b = "{\"collaborationIdentifier\":\"" + op.collaboration_id +
                      "\",\"queryLogStatus\":\"" + (op.query_log == true ? "ENABLED" : "DISABLED") +
                      "\"";
      if (op.accepts_payment) b += ",\"paymentConfiguration\":" + payment(*op.accepts_payment);
      r = request("POST", "/memberships", b + "}");
      break;
    }
    case op_kind::delete_membership:
      r = request("DELETE", "/memberships/" + op.membership_id);
      break;
    case op_kind::create_change_request: {
      std::string m = "{\"accountId\":\"" + op.account +
                      "\",\"memberAbilities\":" + abilities(false, op.receive);
      if (op.with_display_name) m += ",\"displayName\":\"added\"";
      m += "}";
      r = request("POST", collab + "/changeRequests",
                  "{\"changes\":[{\"specificationType\":\"MEMBER\",\"specification\":{\"member\":" +
                      m + "}}]}");
      break;
    }
    case op_kind::update_change_request:
      r = request("PATCH", collab + "/changeRequests/" + op.change_request_id,
                  std::string("{\"action\":\"") + action_name(op.action) + "\"}");
      break;
    case op_kind::malformed:
      r = malformed(op);
      break;
    case op_kind::create_configured_table:
      r = request("POST", "/configuredTables",
                  "{\"name\":\"simulated\",\"tableReference\":{\"glue\":{\"databaseName\":"
                  "\"sim\",\"tableName\":\"visits\"}},\"allowedColumns\":[\"user_id\","
                  "\"segment\"],\"analysisMethod\":\"DIRECT_QUERY\"}");
      break;
    case op_kind::create_table_rule: {
      std::string providers;
      for (const auto& p : op.providers) providers += (providers.empty() ? "\"" : ",\"") + p + "\"";
      r = request("POST", "/configuredTables/" + op.table_id + "/analysisRule",
                  "{\"analysisRuleType\":\"CUSTOM\",\"analysisRulePolicy\":{\"v1\":{\"custom\":"
                  "{\"allowedAnalyses\":[\"ANY_QUERY\"],\"allowedAnalysisProviders\":[" +
                      providers + "]}}}}");
      break;
    }
    case op_kind::delete_table_rule:
      r = request("DELETE", "/configuredTables/" + op.table_id + "/analysisRule/CUSTOM", "");
      break;
    case op_kind::create_association:
      r = request("POST", "/memberships/" + op.membership_id + "/configuredTableAssociations",
                  "{\"name\":\"" + op.schema + "\",\"configuredTableIdentifier\":\"" + op.table_id +
                      "\",\"roleArn\":\"arn:aws:iam::111111111111:role/simulated\"}");
      break;
    case op_kind::delete_association:
      r = request("DELETE", "/memberships/" + op.membership_id + "/configuredTableAssociations/" +
                                op.association_id);
      break;
    case op_kind::start_query: {
      std::string b =
          "{\"type\":\"SQL\",\"sqlParameters\":{\"queryString\":\"SELECT "
          "segment, COUNT(DISTINCT user_id) FROM " +
          op.schema + " GROUP BY segment\"}";
      if (op.with_output)
        b += ",\"resultConfiguration\":{\"outputConfiguration\":{\"s3\":{\"resultFormat\":"
             "\"CSV\",\"bucket\":\"simulated\",\"keyPrefix\":\"results\"}}}";
      r = request("POST", "/memberships/" + op.membership_id + "/protectedQueries", b + "}");
      break;
    }
    case op_kind::cancel_query:
      r = request("PATCH", "/memberships/" + op.membership_id + "/protectedQueries/" + op.query_id,
                  "{\"targetStatus\":\"CANCELLED\"}");
      break;
    case op_kind::update_membership:
      r = request("PATCH", "/memberships/" + op.membership_id,
                  op.query_log ? std::string("{\"queryLogStatus\":\"") +
                                     (*op.query_log ? "ENABLED" : "DISABLED") + "\"}"
                               : std::string("{}"));
      break;
    case op_kind::list_members:
      r = request("GET", collab + "/members" + list_query(op, {}, next_token));
      break;
    case op_kind::get_membership:
      r = request("GET", "/memberships/" + op.membership_id);
      break;
    case op_kind::list_memberships:
      r = request("GET", "/memberships" + list_query(op, "status", next_token));
      break;
    case op_kind::list_associations:
      r = request("GET", "/memberships/" + op.membership_id + "/configuredTableAssociations" +
                             list_query(op, {}, next_token));
      break;
    case op_kind::list_schemas:
      r = request("GET", collab + "/schemas" + list_query(op, {}, next_token));
      break;
    case op_kind::list_collaborations:
      r = request("GET", "/collaborations" + list_query(op, "memberStatus", next_token));
      break;
    case op_kind::list_queries:
      r = request("GET", "/memberships/" + op.membership_id + "/protectedQueries" +
                             list_query(op, "status", next_token));
      break;
    case op_kind::tag_resource: {
      std::string b = "{\"tags\":{";
      for (const auto& [k, v] : op.tags)
        b += (b.size() > 9 ? ",\"" : "\"") + k + "\":\"" + v + "\"";
      r = request("POST", "/tags/" + percent_encoded(op.arn), b + "}}");
      break;
    }
    case op_kind::untag_resource: {
      std::string q;
      for (const auto& k : op.tag_keys)
        q += (q.empty() ? "?tagKeys=" : "&tagKeys=") + percent_encoded(k);
      r = request("DELETE", "/tags/" + percent_encoded(op.arn) + q);
      break;
    }
    case op_kind::list_tags:
      r = request("GET", "/tags/" + percent_encoded(op.arn));
      break;
    case op_kind::list_change_requests:
      r = request("GET", collab + "/changeRequests" + list_query(op, "status", next_token));
      break;
    case op_kind::begin_query:
    case op_kind::finish_query:
      break;  // reports go to the actor, not through the API (sim/simulator.cpp)
  }
  r.headers.emplace_back("host", "cleanrooms.us-east-1.amazonaws.com");
  r.headers.emplace_back("content-type", "application/json");
  r.headers.emplace_back("x-amz-date", "20261121T000000Z");
  r.headers.emplace_back("authorization", "AWS4-HMAC-SHA256 Credential=" + op.caller +
                                              "/20261121/us-east-1/cleanrooms/aws4_request, "
                                              "SignedHeaders=host;x-amz-date, Signature=" +
                                              std::string(64, '0'));
  return r;
}

}  // namespace crs::sim
