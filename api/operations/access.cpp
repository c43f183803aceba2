#include "api/operations/access.hpp"

#include <boost/json/parse.hpp>

#include "projections/collaboration_rows.hpp"
#include "projections/keys.hpp"

namespace crs::api {

namespace keys = projections::keys;

std::optional<std::string> visible_fragment(const call& c, const std::string& cid) {
  auto frag = c.svc.store.get_view(keys::caller(c.region, cid, c.caller));
  if (!frag) return std::nullopt;
  if (frag->rfind("\"memberStatus\":\"INVITED\"", 0) != 0 &&
      frag->rfind("\"memberStatus\":\"ACTIVE\"", 0) != 0)
    return std::nullopt;
  return frag;
}

bool active_in(const call& c, const std::string& cid) {
  auto frag = c.svc.store.get_view(keys::caller(c.region, cid, c.caller));
  return frag && frag->rfind("\"memberStatus\":\"ACTIVE\"", 0) == 0;
}

bool caller_membership::active() const {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(json, ec);
  if (ec || !parsed.is_object()) return false;
  const auto* status = parsed.as_object().if_contains("status");
  return status && status->is_string() && status->as_string() == "ACTIVE";
}

std::optional<caller_membership> membership_of_caller(const call& c, const std::string& mid) {
  auto row = c.svc.store.get_view(keys::membership(c.region, mid));
  projections::membership_row m;
  if (!row || !projections::parse_membership_row(*row, m) || m.owner != c.caller)
    return std::nullopt;
  return caller_membership{std::string(m.collaboration_id), std::string(m.json)};
}

void membership_not_found(const call& c, const std::string& mid) {
  c.fail(not_found("Membership " + mid + " does not exist", mid, "MEMBERSHIP"));
}

std::optional<std::string> collaboration_template_row(const events::event_store& store,
                                                      const std::string& cid,
                                                      const std::string& arn) {
  const auto slash = arn.rfind('/');
  if (slash == std::string::npos) return std::nullopt;
  const auto tid = arn.substr(slash + 1);
  auto row = store.get_view(keys::collaboration_template(cid, tid));
  const std::string head = "{\"id\":\"" + tid + "\",\"arn\":\"" + arn + "\",";
  if (!row || row->rfind(head, 0) != 0) return std::nullopt;
  return row;
}

}  // namespace crs::api
