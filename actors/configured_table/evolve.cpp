// evolve: the only way a configured table's state changes. Pure: every input is in the event.
#include "actors/configured_table/state.hpp"
#include "events/overloaded.hpp"

namespace crs::configured_table {
bool state::owned_by(std::string_view account, std::string_view region) const {
  return live() && info.owner == account && info.region == region;
}

std::string stream_id(std::string_view configured_table_id) {
  return "configured-table-" + std::string(configured_table_id);
}

std::string make_configured_table_arn(std::string_view region, std::string_view account,
                                      std::string_view id) {
  std::string arn = "arn:aws:cleanrooms:";
  arn.append(region).append(":").append(account).append(":configuredtable/").append(id);
  return arn;
}

std::string configured_table_arn(const state& s) {
  return make_configured_table_arn(s.info.region, s.info.owner, s.info.configured_table_id);
}

void apply(state& s, const events::event_payload& event, time_ms at) {
  std::visit(overloaded{
                 [&](const events::configured_table_created& e) {
                   s.created = true;
                   s.info = e;
                   s.create_time = s.update_time = at;
                   s.tags[configured_table_arn(s)];  // taggable from now on
                 },
                 [&](const events::configured_table_updated& e) {
                   if (e.name) s.info.name = *e.name;
                   if (e.description) s.info.description = e.description;
                   if (e.reference) s.info.reference = *e.reference;
                   if (e.allowed_columns) s.info.allowed_columns = *e.allowed_columns;
                   if (e.method) s.info.method = *e.method;
                   if (e.selected_methods) {
                     if (e.selected_methods->empty())
                       s.info.selected_methods.reset();
                     else
                       s.info.selected_methods = e.selected_methods;
                   }
                   s.update_time = at;
                 },
                 [&](const events::configured_table_deleted&) {
                   s.deleted = true;
                   s.rule.reset();
                   s.tags.clear();
                 },
                 [&](const events::analysis_rule_created& e) {
                   s.rule = rule_record{e.policy, at, at};
                   s.update_time = at;
                 },
                 [&](const events::analysis_rule_updated& e) {
                   if (!s.rule) return;
                   s.rule->policy = e.policy;
                   s.rule->update_time = at;
                 },
                 [&](const events::analysis_rule_deleted&) {
                   s.rule.reset();
                   s.update_time = at;
                 },
                 [&](const events::tags_changed& e) {
                   auto& tags = s.tags[e.resource_arn];
                   for (const auto& [k, v] : e.set) tags[k] = v;
                   for (const auto& k : e.removed) tags.erase(k);
                 },
                 // Collaboration events never reach this stream (check.cpp refuses them).
                 [&](const auto&) {},
             },
             event);
  ++s.version;
}

state evolve(state s, const events::event_payload& e, time_ms at) {
  apply(s, e, at);
  return s;
}

}  // namespace crs::configured_table
