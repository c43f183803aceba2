// The API shapes of the collaboration aggregate, rendered from its state (SPEC.md Appendix A).
// Absent optional members are omitted, never null; timestamps are epoch seconds.
#pragma once

#include <string>
#include <string_view>

#include "actors/collaboration/state.hpp"

namespace crs::projections {

// Collaboration without the caller-relative members (memberStatus, membershipId/Arn).
std::string collaboration_json(const collaboration::state& s);
// The caller-relative members as a JSON fragment without braces.
std::string caller_fragment(const collaboration::state& s, const collaboration::member_record& m);
// Collaboration as `m`'s account sees it: collaboration_json with caller_fragment spliced in.
std::string collaboration_for(const collaboration::state& s, const collaboration::member_record& m);
std::string member_summary_json(const collaboration::state& s,
                                const collaboration::member_record& m);
std::string membership_json(const collaboration::state& s,
                            const collaboration::membership_record& m);
std::string tags_json(const tag_map& tags);

// The same texts in pieces, for rendering all rows of a collaboration (collaboration_rows.cpp),
// where a piece shared by several rows is rendered once.
// A collaboration summary's own members, without braces: the same for every member.
std::string collaboration_summary_head(const collaboration::state& s);
// {head,caller}: the collaboration summary `m` sees, from its head and m's caller_fragment.
std::string collaboration_summary_json(std::string_view head, std::string_view caller);
struct membership_texts {
  std::string full;     // membership_json
  std::string summary;  // the MembershipSummary shape: the common members and the payment
};
membership_texts membership_both(const collaboration::state& s,
                                 const collaboration::membership_record& m);

// Splices a fragment ("a":1,"b":2) into a rendered object before its closing brace.
std::string splice(std::string_view object_json, std::string_view fragment);

}  // namespace crs::projections
