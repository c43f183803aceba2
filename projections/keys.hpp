// Key layout of the `views` column family. Every List is one prefix scan in the order the API
// returns: newest first by createTime (an inverted, fixed-width time), ties by id. Resources are
// regional (SPEC.md 1): every key a caller reaches by account or id carries the region, so a
// request signed for another region finds nothing (ARNs carry their region already).
//   c/<cid>                           Collaboration JSON without caller-relative members
//   cs/<region>/<cid>/<account>       caller fragment: "memberStatus":..,"membershipId":..,..
//   cm/<cid>/<nnnn>                   MemberSummary JSON, creator first then invitation order
//   ac/<region>/<account>/<inv>/<cid> <memberStatus>|CollaborationSummary JSON (INVITED/ACTIVE)
//   m/<region>/<mid>                  <owner>|<cid>|Membership JSON
//   am/<region>/<account>/<inv>/<mid> <status>|MembershipSummary JSON
//   t/<arn>                           tags JSON object of a live taggable resource
//   q/cc/<region>/<account>/<cid>     live collaborations created by <account> (quota)
//   q/ms/<region>/<account>/<mid>     memberships of <account> not COLLABORATION_DELETED (quota)
// Configured table streams:
//   ct/<region>/<ctid>                <owner>|ConfiguredTable JSON
//   act/<region>/<account>/<inv>/<ctid> ConfiguredTableSummary JSON
//   ctr/<ctid>/<TYPE>                 ConfiguredTableAnalysisRule JSON
//   cts/<ctid>                        the table as schemas need it (projections/schema_source)
//   q/ct/<region>/<account>/<ctid>    live configured tables of <account> (quota)
// Associations, in collaboration streams:
//   ta/<mid>/<ctaid>                  ConfiguredTableAssociation JSON
//   tal/<mid>/<inv>/<ctaid>           ConfiguredTableAssociationSummary JSON
//   tar/<mid>/<ctaid>/<TYPE>          ConfiguredTableAssociationAnalysisRule JSON
//   x/ct/<ctid>/<ctaid>               the table is associated (DeleteConfiguredTable's check)
//   sc/<cid>/<lower-case name>        a visible schema's association side (schema_source)
//   scl/<cid>/<inv>/<ctaid>           <lower-case name>: ListSchemas order
// Change requests, in collaboration streams (live collaborations only):
//   cr/<cid>/<crid>                   CollaborationChangeRequest JSON
//   crl/<cid>/<inv>/<crid>            <status>|CollaborationChangeRequestSummary JSON
// Analysis templates, in collaboration streams (validations are computed on read, see
// projections/template_view.hpp; the collaboration rows only while the membership is ACTIVE):
//   at/<mid>/<tid>                    AnalysisTemplate JSON
//   atl/<mid>/<inv>/<tid>             AnalysisTemplateSummary JSON
//   cat/<cid>/<tid>                   CollaborationAnalysisTemplate JSON
//   catl/<cid>/<inv>/<tid>            CollaborationAnalysisTemplateSummary JSON
// Protected queries, in collaboration streams (while the membership record exists):
//   pq/<mid>/<qid>                    ProtectedQuery JSON, under the querier's membership and
//                                     each receiver's (SPEC.md 12 GetProtectedQuery)
//   pql/<mid>/<inv>/<qid>             <status>|ProtectedQuerySummary JSON
//   pqu/<qid>                         <cid>|<mid>|<account>: an unfinished query (the runner's
//                                     work list after a restart)
//   x/qa/<ctaid>/<qid>                <cid>: an unfinished query reads the association's schema
//                                     (DeleteConfiguredTableAnalysisRule's check, SPEC.md Q22)
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace crs::projections::keys {

// Rendering a rebuild builds a key per row, so these append by hand (no printf, one allocation).
inline std::string inverted_time(std::int64_t ms) {
  // In unsigned arithmetic: the same bytes, and no signed overflow for a negative `ms`.
  auto v = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) -
           static_cast<std::uint64_t>(ms);
  std::string out(16, '0');  // "%016llx"
  for (int i = 15; i >= 0; --i, v >>= 4) out[i] = "0123456789abcdef"[v & 0xf];
  return out;
}

inline std::string cat(std::initializer_list<std::string_view> parts) {
  std::size_t size = 0;
  for (auto p : parts) size += p.size();
  std::string out;
  out.reserve(size);
  for (auto p : parts) out.append(p);
  return out;
}

inline std::string collaboration(std::string_view cid) {
  return cat({"c/", cid});
}
inline std::string caller(std::string_view region, std::string_view cid, std::string_view account) {
  return cat({"cs/", region, "/", cid, "/", account});
}
inline std::string members_prefix(std::string_view cid) {
  return cat({"cm/", cid, "/"});
}
inline std::string member(std::string_view cid, std::size_t index) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, index).ptr;
  const auto n = static_cast<std::size_t>(end - digits);
  const std::string_view pad = "0000";  // "%04zu": at least four digits
  return cat({"cm/", cid, "/", pad.substr(0, n < 4 ? 4 - n : 0), std::string_view(digits, n)});
}
inline std::string account_collaborations_prefix(std::string_view region,
                                                 std::string_view account) {
  return cat({"ac/", region, "/", account, "/"});
}
inline std::string account_collaboration(std::string_view region, std::string_view account,
                                         std::int64_t create_ms, std::string_view cid) {
  return cat({"ac/", region, "/", account, "/", inverted_time(create_ms), "/", cid});
}
inline std::string membership(std::string_view region, std::string_view mid) {
  return cat({"m/", region, "/", mid});
}
inline std::string account_memberships_prefix(std::string_view region, std::string_view account) {
  return cat({"am/", region, "/", account, "/"});
}
inline std::string account_membership(std::string_view region, std::string_view account,
                                      std::int64_t create_ms, std::string_view mid) {
  return cat({"am/", region, "/", account, "/", inverted_time(create_ms), "/", mid});
}
inline std::string tags(std::string_view arn) {
  return cat({"t/", arn});
}
inline std::string created_quota_prefix(std::string_view region, std::string_view account) {
  return cat({"q/cc/", region, "/", account, "/"});
}
inline std::string created_quota(std::string_view region, std::string_view account,
                                 std::string_view cid) {
  return cat({"q/cc/", region, "/", account, "/", cid});
}
inline std::string membership_quota_prefix(std::string_view region, std::string_view account) {
  return cat({"q/ms/", region, "/", account, "/"});
}
inline std::string membership_quota(std::string_view region, std::string_view account,
                                    std::string_view mid) {
  return cat({"q/ms/", region, "/", account, "/", mid});
}

inline std::string configured_table(std::string_view region, std::string_view ctid) {
  return cat({"ct/", region, "/", ctid});
}
inline std::string account_tables_prefix(std::string_view region, std::string_view account) {
  return cat({"act/", region, "/", account, "/"});
}
inline std::string account_table(std::string_view region, std::string_view account,
                                 std::int64_t create_ms, std::string_view ctid) {
  return cat({"act/", region, "/", account, "/", inverted_time(create_ms), "/", ctid});
}
inline std::string table_rule(std::string_view ctid, std::string_view type) {
  return cat({"ctr/", ctid, "/", type});
}
inline std::string table_source(std::string_view ctid) {
  return cat({"cts/", ctid});
}
inline std::string table_quota_prefix(std::string_view region, std::string_view account) {
  return cat({"q/ct/", region, "/", account, "/"});
}
inline std::string table_quota(std::string_view region, std::string_view account,
                               std::string_view ctid) {
  return cat({"q/ct/", region, "/", account, "/", ctid});
}
inline std::string association(std::string_view mid, std::string_view ctaid) {
  return cat({"ta/", mid, "/", ctaid});
}
inline std::string membership_associations_prefix(std::string_view mid) {
  return cat({"tal/", mid, "/"});
}
inline std::string membership_association(std::string_view mid, std::int64_t create_ms,
                                          std::string_view ctaid) {
  return cat({"tal/", mid, "/", inverted_time(create_ms), "/", ctaid});
}
inline std::string association_rule(std::string_view mid, std::string_view ctaid,
                                    std::string_view type) {
  return cat({"tar/", mid, "/", ctaid, "/", type});
}
inline std::string table_links_prefix(std::string_view ctid) {
  return cat({"x/ct/", ctid, "/"});
}
inline std::string table_link(std::string_view ctid, std::string_view ctaid) {
  return cat({"x/ct/", ctid, "/", ctaid});
}
// Schema names are unique ignoring case (SPEC.md Q12): keyed by the lower-case name.
inline std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}
inline std::string schema(std::string_view cid, std::string_view name) {
  return cat({"sc/", cid, "/", lower(name)});
}
inline std::string schema_sources_prefix(std::string_view cid) {
  return cat({"sc/", cid, "/"});
}
inline std::string schemas_prefix(std::string_view cid) {
  return cat({"scl/", cid, "/"});
}
inline std::string schema_listing(std::string_view cid, std::int64_t create_ms,
                                  std::string_view ctaid) {
  return cat({"scl/", cid, "/", inverted_time(create_ms), "/", ctaid});
}

inline std::string change_request(std::string_view cid, std::string_view crid) {
  return cat({"cr/", cid, "/", crid});
}
inline std::string change_requests_prefix(std::string_view cid) {
  return cat({"crl/", cid, "/"});
}
inline std::string change_request_listing(std::string_view cid, std::int64_t create_ms,
                                          std::string_view crid) {
  return cat({"crl/", cid, "/", inverted_time(create_ms), "/", crid});
}

inline std::string analysis_template(std::string_view mid, std::string_view tid) {
  return cat({"at/", mid, "/", tid});
}
inline std::string membership_templates_prefix(std::string_view mid) {
  return cat({"atl/", mid, "/"});
}
inline std::string membership_template(std::string_view mid, std::int64_t create_ms,
                                       std::string_view tid) {
  return cat({"atl/", mid, "/", inverted_time(create_ms), "/", tid});
}
inline std::string collaboration_template(std::string_view cid, std::string_view tid) {
  return cat({"cat/", cid, "/", tid});
}
inline std::string collaboration_templates_prefix(std::string_view cid) {
  return cat({"catl/", cid, "/"});
}
inline std::string collaboration_template_listing(std::string_view cid, std::int64_t create_ms,
                                                  std::string_view tid) {
  return cat({"catl/", cid, "/", inverted_time(create_ms), "/", tid});
}

inline std::string protected_query(std::string_view mid, std::string_view qid) {
  return cat({"pq/", mid, "/", qid});
}
inline std::string membership_queries_prefix(std::string_view mid) {
  return cat({"pql/", mid, "/"});
}
inline std::string membership_query(std::string_view mid, std::int64_t create_ms,
                                    std::string_view qid) {
  return cat({"pql/", mid, "/", inverted_time(create_ms), "/", qid});
}
inline constexpr std::string_view unfinished_queries_prefix = "pqu/";
inline std::string unfinished_query(std::string_view qid) {
  return cat({"pqu/", qid});
}
inline std::string association_readers_prefix(std::string_view ctaid) {
  return cat({"x/qa/", ctaid, "/"});
}
inline std::string association_reader(std::string_view ctaid, std::string_view qid) {
  return cat({"x/qa/", ctaid, "/", qid});
}

}  // namespace crs::projections::keys
