// What every operation handler receives, and the helpers they share.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "actors/command_bus.hpp"
#include "api/dispatcher.hpp"
#include "api/errors.hpp"
#include "api/operations/quota_gate.hpp"
#include "api/validate.hpp"
#include "projections/schema_view.hpp"

namespace crs::api {

struct services {
  events::event_store& store;
  command_bus& bus;
  token_codec tokens;
  dispatcher_options options;
  dispatcher_ports ports;
  quota_gate quotas;
  std::shared_ptr<const catalog::local_catalog> catalog;
  std::optional<projections::schema_view> schemas;  // set once services are in place
};

struct call {
  services& svc;
  const http_request& request;
  std::string request_id;
  account_id caller;
  std::string region;
  std::string operation;            // model name, e.g. "ListCollaborations"
  std::vector<std::string> labels;  // decoded path labels in template order
  std::multimap<std::string, std::string> query;
  boost::json::object body;  // {} for operations without a body
  respond_fn respond;

  void ok(std::string json_body) const;  // 200 (or 204 when empty and the op is a Delete)
  void fail(const aws_error& e) const;
  void fail(const domain_error& e) const;
  // The first value of a query parameter.
  std::optional<std::string> query_value(const std::string& name) const;
  decide_context context() const;
  // Sends a command to the collaboration's actor and answers when it is durable; `after` runs
  // once the answer is known (durable or rejected).
  void send(const std::string& collaboration_id, collaboration::command command, decide_context ctx,
            std::function<void()> after = {}) const;
  void send(const std::string& configured_table_id, configured_table::command command,
            decide_context ctx, std::function<void()> after = {}) const;
  // As send(); `on_durable` runs only when the command was accepted and its events are durable,
  // just before the answer is sent.
  void send_then(const std::string& collaboration_id, collaboration::command command,
                 decide_context ctx, std::function<void()> on_durable) const;
  // The answer callback of send(): the body (200, or 204 when empty) or the modeled error.
  reply_fn replier(std::function<void()> after = {}) const;
};

aws_error to_aws(const domain_error& e);

// Pagination: validated maxResults (default 100) and the decoded cursor of nextToken.
struct page_args {
  std::size_t limit = 100;
  std::string cursor;
};
std::optional<page_args> read_page_args(const call& c, validator& v, const std::string& filter);
// Renders `{"<list>":[rows...],"nextToken":...}` from json row values.
std::string list_body(const call& c, std::string_view list_member,
                      const std::vector<std::string>& items, const std::string& last_key, bool more,
                      const std::string& filter);

// Answers a List over "<status>|json" rows under `prefix`, keeping rows whose status equals
// `status_filter` (all when empty) before paging.
// `token_filter` binds nextToken to the listing (default: the status filter).
void list_by_status(const call& c, const page_args& args, const std::string& prefix,
                    const std::string& status_filter, std::string_view list_member,
                    const std::optional<std::string>& token_filter = std::nullopt);

using handler_fn = void (*)(call&);

// Handlers, one per operation (api/operations/*.cpp).
void create_collaboration(call& c);
void get_collaboration(call& c);
void update_collaboration(call& c);
void delete_collaboration(call& c);
void list_collaborations(call& c);
void list_members(call& c);
void delete_member(call& c);
void create_membership(call& c);
void get_membership(call& c);
void update_membership(call& c);
void delete_membership(call& c);
void list_memberships(call& c);
void tag_resource(call& c);
void untag_resource(call& c);
void list_tags_for_resource(call& c);
// Configured tables and their analysis rules (configured_tables.cpp).
void create_configured_table(call& c);
void get_configured_table(call& c);
void update_configured_table(call& c);
void delete_configured_table(call& c);
void list_configured_tables(call& c);
void create_configured_table_analysis_rule(call& c);
void get_configured_table_analysis_rule(call& c);
void update_configured_table_analysis_rule(call& c);
void delete_configured_table_analysis_rule(call& c);
// Associations and association-level analysis rules (associations.cpp).
void create_configured_table_association(call& c);
void get_configured_table_association(call& c);
void update_configured_table_association(call& c);
void delete_configured_table_association(call& c);
void list_configured_table_associations(call& c);
void create_configured_table_association_analysis_rule(call& c);
void get_configured_table_association_analysis_rule(call& c);
void update_configured_table_association_analysis_rule(call& c);
void delete_configured_table_association_analysis_rule(call& c);
// Schemas (schemas.cpp).
void get_schema(call& c);
void list_schemas(call& c);
void batch_get_schema(call& c);
void get_schema_analysis_rule(call& c);
void batch_get_schema_analysis_rule(call& c);
// Analysis templates (templates.cpp).
void create_analysis_template(call& c);
void get_analysis_template(call& c);
void update_analysis_template(call& c);
void delete_analysis_template(call& c);
void list_analysis_templates(call& c);
void get_collaboration_analysis_template(call& c);
void list_collaboration_analysis_templates(call& c);
void batch_get_collaboration_analysis_template(call& c);
// Collaboration change requests (change_requests.cpp).
void create_collaboration_change_request(call& c);
void get_collaboration_change_request(call& c);
void list_collaboration_change_requests(call& c);
void update_collaboration_change_request(call& c);
// Protected queries (queries.cpp).
void start_protected_query(call& c);
void get_protected_query(call& c);
void list_protected_queries(call& c);
void update_protected_query(call& c);
void not_supported(call& c);

}  // namespace crs::api
