// Configured table associations and their association-level analysis rules (SPEC.md 10, 21).
// Membership-addressed: an unknown or foreign membership is 404 MEMBERSHIP, then an association
// that is not this membership's is 404 CONFIGURED_TABLE_ASSOCIATION (SPEC.md 3.3). Creating one
// spans two aggregates, so it runs the registry's association protocol (command_bus::associate).
#include <boost/json/parse.hpp>

#include "api/operations/access.hpp"
#include "api/operations/call.hpp"
#include "api/operations/table_shapes.hpp"
#include "projections/collaboration_rows.hpp"
#include "projections/keys.hpp"
#include "projections/reader.hpp"

namespace crs::api {
namespace {

namespace keys = projections::keys;

constexpr string_rule text_rule{0, 255, pattern::text};
constexpr string_rule alias_rule{1, 128, pattern::alias};
constexpr string_rule role_rule{32, 512, pattern::role_arn};
constexpr const char* rule_type_values = "AGGREGATION, LIST, CUSTOM";

void association_not_found(call& c, const std::string& id) {
  c.fail(not_found("Configured table association " + id + " does not exist", id,
                   "CONFIGURED_TABLE_ASSOCIATION"));
}

// Labels {membershipIdentifier}/{configuredTableAssociationIdentifier}[/{analysisRuleType}].
std::optional<analysis_rule_type> labels_ok(call& c, validator& v, bool with_type) {
  v.check(c.labels.at(0), "membershipIdentifier", uuid_rule);
  v.check(c.labels.at(1), "configuredTableAssociationIdentifier", uuid_rule);
  if (!with_type) return std::nullopt;
  auto type = parse_analysis_rule_type(c.labels.at(2));
  if (!type)
    v.add("analysisRuleType",
          validator::enum_message(c.labels[2], "analysisRuleType", rule_type_values));
  return type;
}

// The membership, after checking the association belongs to it; answers the 404s itself.
std::optional<caller_membership> association_of_caller(call& c) {
  auto ms = membership_of_caller(c, c.labels[0]);
  if (!ms) {
    membership_not_found(c, c.labels[0]);
    return std::nullopt;
  }
  if (!c.svc.store.get_view(keys::association(c.labels[0], c.labels[1]))) {
    association_not_found(c, c.labels[1]);
    return std::nullopt;
  }
  return ms;
}

}  // namespace

void create_configured_table_association(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "membershipIdentifier", uuid_rule);
  const auto& b = c.body;
  collaboration::create_association cmd;
  auto name = v.str(b, "name", "name", alias_rule, true);
  cmd.description = v.str(b, "description", "description", text_rule, false);
  auto table = v.str(b, "configuredTableIdentifier", "configuredTableIdentifier", uuid_rule, true);
  auto role = v.str(b, "roleArn", "roleArn", role_rule, true);
  auto tags = v.tags(b, "tags", "tags", false);
  if (!v.ok() || !label_ok) return c.fail(v.to_error());
  cmd.membership_id = c.labels[0];
  cmd.configured_table_id = *table;
  cmd.name = std::move(*name);
  cmd.role_arn = std::move(*role);
  if (tags) cmd.tags = std::move(*tags);

  auto ms = membership_of_caller(c, cmd.membership_id);
  if (!ms) return membership_not_found(c, cmd.membership_id);
  if (!ms->active())
    return c.fail(access_denied("Membership " + cmd.membership_id +
                                " is not ACTIVE; only an ACTIVE membership can associate tables"));
  // An unknown or foreign table never wakes an actor (its actor re-checks under the hold).
  auto table_row = c.svc.store.get_view(keys::configured_table(c.region, cmd.configured_table_id));
  if (!table_row || table_row->compare(0, c.caller.size() + 1, c.caller + "|") != 0)
    return c.fail(not_found("Configured table " + cmd.configured_table_id + " does not exist",
                            cmd.configured_table_id, "CONFIGURED_TABLE"));
  auto ctx = c.context();
  const auto table_id = cmd.configured_table_id;
  c.svc.bus.associate(table_id, ms->collaboration_id, std::move(cmd), std::move(ctx), c.replier());
}

void get_configured_table_association(call& c) {
  validator v;
  labels_ok(c, v, false);
  if (!v.ok()) return c.fail(v.to_error());
  if (!membership_of_caller(c, c.labels[0])) return membership_not_found(c, c.labels[0]);
  auto row = c.svc.store.get_view(keys::association(c.labels[0], c.labels[1]));
  if (!row) return association_not_found(c, c.labels[1]);
  c.ok("{\"configuredTableAssociation\":" + *row + "}");
}

void update_configured_table_association(call& c) {
  validator v;
  labels_ok(c, v, false);
  collaboration::update_association cmd;
  cmd.description = v.str(c.body, "description", "description", text_rule, false);
  cmd.role_arn = v.str(c.body, "roleArn", "roleArn", role_rule, false);
  if (!v.ok()) return c.fail(v.to_error());
  auto ms = association_of_caller(c);
  if (!ms) return;
  cmd.membership_id = c.labels[0];
  cmd.association_id = c.labels[1];
  c.send(ms->collaboration_id, std::move(cmd), c.context());
}

void delete_configured_table_association(call& c) {
  validator v;
  labels_ok(c, v, false);
  if (!v.ok()) return c.fail(v.to_error());
  auto ms = association_of_caller(c);
  if (!ms) return;
  c.send(ms->collaboration_id, collaboration::delete_association{c.labels[0], c.labels[1]},
         c.context());
}

void list_configured_table_associations(call& c) {
  validator v;
  const bool label_ok = v.check(c.labels.at(0), "membershipIdentifier", uuid_rule);
  auto args = read_page_args(c, v, c.labels[0]);
  if (!v.ok() || !label_ok || !args) return c.fail(v.to_error());
  if (!membership_of_caller(c, c.labels[0])) return membership_not_found(c, c.labels[0]);
  auto page = projections::read_page(c.svc.store, keys::membership_associations_prefix(c.labels[0]),
                                     args->cursor, args->limit);
  std::vector<std::string> items;
  for (const auto& [key, value] : page.rows) items.push_back(value);
  c.ok(list_body(c, "configuredTableAssociationSummaries", items,
                 page.rows.empty() ? "" : page.rows.back().first, page.more, c.labels[0]));
}

void create_configured_table_association_analysis_rule(call& c) {
  validator v;
  labels_ok(c, v, false);
  auto type = v.enumeration(c.body, "analysisRuleType", "analysisRuleType",
                            &parse_analysis_rule_type, rule_type_values, true);
  auto policy =
      shapes::association_policy(v, c.body, "analysisRulePolicy", "analysisRulePolicy", true);
  if (!v.ok()) return c.fail(v.to_error());
  auto ms = association_of_caller(c);
  if (!ms) return;
  c.send(ms->collaboration_id,
         collaboration::create_association_rule{c.labels[0], c.labels[1], *type, policy->first,
                                                std::move(policy->second)},
         c.context());
}

void get_configured_table_association_analysis_rule(call& c) {
  validator v;
  auto type = labels_ok(c, v, true);
  if (!v.ok()) return c.fail(v.to_error());
  if (!association_of_caller(c)) return;
  auto row =
      c.svc.store.get_view(keys::association_rule(c.labels[0], c.labels[1], to_string(*type)));
  if (!row)
    return c.fail(not_found(
        "Configured table association " + c.labels[1] + " has no " + c.labels[2] + " analysis rule",
        c.labels[1], "CONFIGURED_TABLE_ASSOCIATION"));
  c.ok("{\"analysisRule\":" + *row + "}");
}

void update_configured_table_association_analysis_rule(call& c) {
  validator v;
  auto type = labels_ok(c, v, true);
  auto policy =
      shapes::association_policy(v, c.body, "analysisRulePolicy", "analysisRulePolicy", true);
  if (!v.ok()) return c.fail(v.to_error());
  auto ms = association_of_caller(c);
  if (!ms) return;
  c.send(ms->collaboration_id,
         collaboration::update_association_rule{c.labels[0], c.labels[1], *type, policy->first,
                                                std::move(policy->second)},
         c.context());
}

void delete_configured_table_association_analysis_rule(call& c) {
  validator v;
  auto type = labels_ok(c, v, true);
  if (!v.ok()) return c.fail(v.to_error());
  auto ms = association_of_caller(c);
  if (!ms) return;
  c.send(ms->collaboration_id,
         collaboration::delete_association_rule{c.labels[0], c.labels[1], *type}, c.context());
}

}  // namespace crs::api
