#include "api/dispatcher.hpp"

#include <exception>

#include <boost/json/serialize.hpp>

#include <spdlog/spdlog.h>

#include "api/router.hpp"
#include "api/routes.hpp"
#include "api/sigv4.hpp"
#include "api/sigv4_verify.hpp"
#include "api/uuid.hpp"
#include "projections/collaboration_rows.hpp"
#include "projections/reader.hpp"

namespace crs::api {
// --- call ------------------------------------------------------------------------------------

void call::ok(std::string json_body) const {
  const unsigned status = json_body.empty() ? 204 : 200;
  respond(render_json(status, std::move(json_body), request_id));
}

void call::fail(const aws_error& e) const {
  respond(render(e, request_id));
}
void call::fail(const domain_error& e) const {
  fail(to_aws(e));
}

std::optional<std::string> call::query_value(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

decide_context call::context() const {
  decide_context ctx;
  ctx.caller = caller;
  ctx.region = region;
  ctx.request_id = request_id;
  ctx.now = svc.ports.now();
  ctx.fresh_id = svc.ports.new_id();
  ctx.quotas = svc.options.quotas;
  return ctx;
}

reply_fn call::replier(std::function<void()> after) const {
  return [respond = respond, rid = request_id, after = std::move(after)](command_result r) {
    if (after) after();
    if (r.ok()) {
      auto& body = r.value();
      const unsigned status = body.empty() ? 204 : 200;
      respond(render_json(status, std::move(body), rid));
    } else {
      respond(render(to_aws(r.error()), rid));
    }
  };
}

void call::send(const std::string& collaboration_id, collaboration::command command,
                decide_context ctx, std::function<void()> after) const {
  svc.bus.send(collaboration_id, std::move(command), std::move(ctx), replier(std::move(after)));
}

void call::send(const std::string& configured_table_id, configured_table::command command,
                decide_context ctx, std::function<void()> after) const {
  svc.bus.send(configured_table_id, std::move(command), std::move(ctx), replier(std::move(after)));
}

void call::send_then(const std::string& collaboration_id, collaboration::command command,
                     decide_context ctx, std::function<void()> on_durable) const {
  svc.bus.send(collaboration_id, std::move(command), std::move(ctx),
               [answer = replier(), on_durable = std::move(on_durable)](command_result r) {
                 // Before the answer, so a client that sees it knows the effect is under way.
                 if (r.ok() && on_durable) on_durable();
                 answer(std::move(r));
               });
}

aws_error to_aws(const domain_error& e) {
  switch (e.kind) {
    case error_kind::validation:
      return validation_error(e.message, e.reason);
    case error_kind::access_denied:
      return access_denied(e.message);
    case error_kind::not_found:
      return not_found(e.message, e.resource_id, e.resource_type);
    case error_kind::conflict:
      return conflict(e.message, e.resource_id, e.resource_type, e.reason);
    case error_kind::quota_exceeded:
      return quota_exceeded(e.message, e.quota_name, e.quota_value);
    case error_kind::internal:
      break;
  }
  return internal_error(e.message);
}

// Whom a pagination token is issued to: the account in its region (resources are regional, so a
// token from one region would silently page nothing in another).
std::string token_holder(const call& c) {
  return c.caller + "@" + c.region;
}

std::optional<page_args> read_page_args(const call& c, validator& v, const std::string& filter) {
  page_args out;
  if (auto raw = c.query_value("maxResults")) {
    auto n = v.query_int(*raw, "maxResults", 1, 100);
    if (!n) return std::nullopt;
    out.limit = static_cast<std::size_t>(*n);
  }
  if (auto token = c.query_value("nextToken"); token && !token->empty()) {
    auto cursor = token->size() <= 10240
                      ? c.svc.tokens.decode(*token, c.operation, token_holder(c), filter)
                      : std::nullopt;
    if (!cursor) {
      v.add("nextToken", "The pagination token is invalid or was not issued for this request");
      return std::nullopt;
    }
    out.cursor = std::move(*cursor);
  }
  return out;
}

std::string list_body(const call& c, std::string_view list_member,
                      const std::vector<std::string>& items, const std::string& last_key, bool more,
                      const std::string& filter) {
  std::string out = "{\"";
  out.append(list_member).append("\":[");
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += items[i];
  }
  out += ']';
  if (more && !last_key.empty()) {
    out += ",\"nextToken\":\"";
    out += c.svc.tokens.encode(c.operation, token_holder(c), filter,
                               last_key);  // base64url: no escaping
    out += '"';
  }
  out += '}';
  return out;
}

void list_by_status(const call& c, const page_args& args, const std::string& prefix,
                    const std::string& status_filter, std::string_view list_member,
                    const std::optional<std::string>& token_filter) {
  auto page = projections::read_page(c.svc.store, prefix, args.cursor, args.limit,
                                     [&](std::string_view value) {
                                       std::string_view status, json;
                                       return projections::split_status_row(value, status, json) &&
                                              (status_filter.empty() || status == status_filter);
                                     });
  std::vector<std::string> items;
  for (const auto& [key, value] : page.rows) {
    std::string_view status, json;
    if (projections::split_status_row(value, status, json)) items.emplace_back(json);
  }
  c.ok(list_body(c, list_member, items, page.rows.empty() ? "" : page.rows.back().first, page.more,
                 token_filter.value_or(status_filter)));
}

void not_supported(call& c) {
  c.fail(access_denied("Operation " + c.operation + " is not supported by this emulator yet"));
}

// --- dispatcher ------------------------------------------------------------------------------

struct dispatcher::impl {
  services svc;
  router routes;
};

dispatcher::dispatcher(events::event_store& store, command_bus& bus, dispatcher_options options,
                       dispatcher_ports ports)
    : impl_(new impl{
          services{store,
                   bus,
                   token_codec(store.secret()),
                   options,
                   std::move(ports),
                   {},
                   options.catalog ? options.catalog : std::make_shared<catalog::local_catalog>(""),
                   {}},
          router{}}) {
  impl_->svc.schemas.emplace(store, *impl_->svc.catalog);
  const auto& table = route_table();
  for (std::size_t i = 0; i < table.size(); ++i)
    impl_->routes.add(table[i].method, table[i].path, static_cast<int>(i));
}

dispatcher::~dispatcher() = default;

http_response dispatcher::admin(const http_request& request, std::string_view path,
                                const std::string& request_id) {
  const auto& hooks = impl_->svc.options.admin;
  const auto token = request.header("x-cleanroomsd-admin-token");
  // Constant-time compare: the token is the only thing guarding these endpoints.
  bool allowed = !hooks.token.empty() && token.size() == hooks.token.size();
  unsigned char diff = 0;
  for (std::size_t i = 0; allowed && i < token.size(); ++i)
    diff |= static_cast<unsigned char>(token[i] ^ hooks.token[i]);
  if (!allowed || diff != 0)
    return render(access_denied("Admin endpoints need the token from the data directory"),
                  request_id);
  if (request.method == "POST" && path == "/admin/faults" && hooks.disk_full) {
    std::string why;
    auto body = parse_body(request.body, why);
    const boost::json::value* on = body ? body->if_contains("diskFull") : nullptr;
    if (!on || !on->is_bool())
      return render(
          validation_error(std::vector<field_error>{{"diskFull", "Member must be a boolean"}}),
          request_id);
    hooks.disk_full(on->as_bool());
    spdlog::warn("fault injection: disk full {}", on->as_bool() ? "ON" : "off");
    return render_json(
        200, std::string("{\"diskFull\":") + (on->as_bool() ? "true" : "false") + "}", request_id);
  }
  if (request.method != "POST" || path != "/admin/backup" || !hooks.backup)
    return render(
        unknown_operation("No admin operation " + request.method + " " + std::string(path)),
        request_id);
  std::string why;
  auto body = parse_body(request.body, why);
  const boost::json::value* to = body ? body->if_contains("to") : nullptr;
  if (!to || !to->is_string() || to->as_string().empty())
    return render(validation_error(
                      std::vector<field_error>{{"to", "Member must be the destination directory"}}),
                  request_id);
  const std::string dest(to->as_string());
  auto done = hooks.backup(dest);
  if (!done) {
    spdlog::error("backup to {} failed: {}", dest, done.error().message);
    return render(validation_error("Backup to " + dest + " failed: " + done.error().message,
                                   "INVALID_CONFIGURATION"),
                  request_id);
  }
  spdlog::info("backup to {} done at position {}", dest, done.value());
  return render_json(200,
                     "{\"to\":" + boost::json::serialize(boost::json::value(dest)) +
                         ",\"position\":" + std::to_string(done.value()) + "}",
                     request_id);
}

namespace {

// Who is calling, in which region; or the 403 that refuses the request.
std::optional<aws_error> authenticate(const dispatcher_options& options,
                                      const dispatcher_ports& ports, const http_request& request,
                                      std::string& caller, std::string& region) {
  if (options.credentials) {
    auto verified = verify_sigv4(request, *options.credentials, ports.now());
    if (!verified) {
      using k = auth_failure::kind;
      const auto& f = verified.error();
      const char* type = f.code == k::missing_token         ? "MissingAuthenticationTokenException"
                         : f.code == k::incomplete          ? "IncompleteSignatureException"
                         : f.code == k::unrecognized_client ? "UnrecognizedClientException"
                                                            : "InvalidSignatureException";
      return aws_error{403, type, f.message, {}};
    }
    caller = verified->who->account_id;
    region = std::move(verified->region);
    return std::nullopt;
  }
  // Open mode. No Authorization header: the default account. A header that is there but not a
  // SigV4 Authorization is refused rather than silently run as somebody else.
  if (const auto header = request.header("authorization"); !header.empty()) {
    auto auth = parse_authorization(header);
    if (!auth)
      return aws_error{403,
                       "IncompleteSignatureException",
                       "The Authorization header is not a well-formed AWS Signature Version 4 "
                       "header (AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/cleanrooms/"
                       "aws4_request, SignedHeaders=..., Signature=<64 hex>)",
                       {}};
    if (is_account_id(auth->access_key_id)) caller = auth->access_key_id;
    if (is_region_name(auth->region)) region = auth->region;
  }
  return std::nullopt;
}

}  // namespace

void dispatcher::handle(http_request&& request, respond_fn respond) {
  const std::string request_id =
      impl_->svc.ports.new_request_id ? impl_->svc.ports.new_request_id() : random_uuid_v4();
  auto [path, raw_query] = split_target(request.target);
  if (request.method == "GET" && path == "/health") {
    respond(render_json(200, "{\"status\":\"ok\"}", request_id));
    return;
  }
  if (path.substr(0, 7) == "/admin/") {
    respond(admin(request, path, request_id));
    return;
  }
  // Authenticate before routing, so an unsigned caller learns nothing about the API's shape.
  std::string caller = impl_->svc.options.default_account;
  std::string region = impl_->svc.options.default_region;
  if (auto refused = authenticate(impl_->svc.options, impl_->svc.ports, request, caller, region)) {
    spdlog::info("{} {} refused: {} ({})", request.method, std::string(path), refused->type,
                 refused->message.substr(0, refused->message.find('\n')));
    respond(render(*refused, request_id));
    return;
  }

  auto match = impl_->routes.match(request.method, path);
  if (!match) {
    respond(render(
        unknown_operation("No operation matches " + request.method + " " + std::string(path)),
        request_id));
    return;
  }
  const auto& entry = route_table().at(static_cast<std::size_t>(match->operation));
  if (!match->bad_label.empty()) {
    respond(render(validation_error(std::vector<field_error>{
                       {match->bad_label, "Member is not valid percent-encoding"}}),
                   request_id));
    return;
  }

  auto query = parse_query(raw_query);
  if (!query) {
    respond(render(validation_error("The query string is not valid percent-encoding",
                                    "FIELD_VALIDATION_FAILED"),
                   request_id));
    return;
  }
  boost::json::object body;
  if (request.method == "POST" || request.method == "PATCH") {
    std::string why;
    auto parsed = parse_body(request.body, why);
    if (!parsed) {
      respond(render(
          validation_error("The request body is not valid: " + why, "FIELD_VALIDATION_FAILED"),
          request_id));
      return;
    }
    body = std::move(*parsed);
  }

  call c{impl_->svc,
         request,
         request_id,
         std::move(caller),
         std::move(region),
         std::string(entry.operation),
         std::move(match->labels),
         std::move(*query),
         std::move(body),
         respond};
  try {
    entry.handler(c);
  } catch (const std::exception& e) {
    spdlog::error("{} {} failed: {}", entry.operation, request_id, e.what());
    respond(render(internal_error("Internal error"), request_id));
  }
}

}  // namespace crs::api
