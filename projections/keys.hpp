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
#pragma once

#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>

namespace crs::projections::keys {

inline std::string inverted_time(std::int64_t ms) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(std::numeric_limits<std::int64_t>::max() - ms));
  return buf;
}

inline std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
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
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04zu", index);
  return cat({"cm/", cid, "/", buf});
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

}  // namespace crs::projections::keys
