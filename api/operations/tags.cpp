// Tags (SPEC.md section 15). Only the account in the ARN may see or change a resource's tags;
// these operations model only ResourceNotFound and Validation, so every refusal is a 404.
#include "api/operations/call.hpp"
#include "projections/collaboration_rows.hpp"
#include "projections/keys.hpp"

namespace crs::api {
namespace {

namespace keys = projections::keys;

// The model pattern, but not its 100-char maximum (SPEC.md 2.2, Q25).
constexpr string_rule arn_rule{1, 2048, pattern::cleanrooms_arn};

struct arn_parts {
  std::string region;
  std::string account;
  std::string kind;  // "collaboration", "membership", ...
  std::string id;    // the first id after the kind
};

arn_parts split_arn(const std::string& arn) {
  // arn:aws:cleanrooms:<region>:<account>:<kind>/<id>[/...]
  arn_parts out;
  // The pattern check has already guaranteed the five colons this walks over.
  std::size_t pos = 0;
  for (int i = 0; i < 3; ++i) pos = arn.find(':', pos) + 1;
  const auto region_end = arn.find(':', pos);
  out.region = arn.substr(pos, region_end - pos);
  pos = region_end + 1;
  const auto colon = arn.find(':', pos);
  out.account = arn.substr(pos, colon - pos);
  const auto resource = arn.substr(colon + 1);
  const auto slash = resource.find('/');
  out.kind = resource.substr(0, slash);
  if (slash != std::string::npos) {
    const auto rest = resource.substr(slash + 1);
    out.id = rest.substr(0, rest.find('/'));
  }
  return out;
}

std::string resource_type(const std::string& arn, const std::string& kind) {
  if (arn.find("/configuredtableassociation/") != std::string::npos)
    return "CONFIGURED_TABLE_ASSOCIATION";
  if (kind == "membership") return "MEMBERSHIP";
  if (kind == "configuredtable") return "CONFIGURED_TABLE";
  if (kind == "configuredtableassociation") return "CONFIGURED_TABLE_ASSOCIATION";
  return "COLLABORATION";
}

// The stream that owns the ARN's resource, if the caller owns a live one: a configured table's
// own, or the collaboration of a collaboration, membership or association.
struct owner_stream {
  bool configured_table = false;
  std::string id;
};

std::optional<owner_stream> owning_stream(call& c, const std::string& arn) {
  const auto parts = split_arn(arn);
  auto fail = [&] {
    c.fail(not_found("Resource " + arn + " does not exist", arn, resource_type(arn, parts.kind)));
    return std::nullopt;
  };
  if (parts.account != c.caller || parts.region != c.region ||
      !c.svc.store.get_view(keys::tags(arn)))
    return fail();
  if (parts.kind == "collaboration") return owner_stream{false, parts.id};
  if (parts.kind == "configuredtable") return owner_stream{true, parts.id};
  if (parts.kind == "membership") {
    auto row = c.svc.store.get_view(keys::membership(parts.region, parts.id));
    projections::membership_row m;
    if (row && projections::parse_membership_row(*row, m))
      return owner_stream{false, std::string(m.collaboration_id)};
  }
  return fail();
}

}  // namespace

void tag_resource(call& c) {
  validator v;
  const bool arn_ok = v.check(c.labels.at(0), "resourceArn", arn_rule);
  auto tags = v.tags(c.body, "tags", "tags", true);
  if (!v.ok() || !arn_ok || !tags) return c.fail(v.to_error());
  auto owner = owning_stream(c, c.labels[0]);
  if (!owner) return;
  if (owner->configured_table)
    return c.send(owner->id, configured_table::tag_resource{c.labels[0], std::move(*tags)},
                  c.context());
  c.send(owner->id, collaboration::tag_resource{c.labels[0], std::move(*tags)}, c.context());
}

void untag_resource(call& c) {
  validator v;
  const bool arn_ok = v.check(c.labels.at(0), "resourceArn", arn_rule);
  std::vector<std::string> tag_keys;
  for (auto [it, end] = c.query.equal_range("tagKeys"); it != end; ++it) {
    if (v.check(it->second, "tagKeys." + std::to_string(tag_keys.size()), string_rule{1, 128}))
      tag_keys.push_back(it->second);
  }
  if (c.query.count("tagKeys") == 0)
    v.add("tagKeys",
          "Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
  if (!v.ok() || !arn_ok) return c.fail(v.to_error());
  auto owner = owning_stream(c, c.labels[0]);
  if (!owner) return;
  if (owner->configured_table)
    return c.send(owner->id, configured_table::untag_resource{c.labels[0], std::move(tag_keys)},
                  c.context());
  c.send(owner->id, collaboration::untag_resource{c.labels[0], std::move(tag_keys)}, c.context());
}

void list_tags_for_resource(call& c) {
  validator v;
  if (!v.check(c.labels.at(0), "resourceArn", arn_rule)) return c.fail(v.to_error());
  const auto& arn = c.labels[0];
  const auto parts = split_arn(arn);
  auto row = parts.account == c.caller && parts.region == c.region
                 ? c.svc.store.get_view(keys::tags(arn))
                 : std::nullopt;
  if (!row)
    return c.fail(
        not_found("Resource " + arn + " does not exist", arn, resource_type(arn, parts.kind)));
  c.ok("{\"tags\":" + *row + "}");
}

}  // namespace crs::api
