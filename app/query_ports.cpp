#include "app/query_ports.hpp"

#include <chrono>
#include <future>

#include <spdlog/spdlog.h>
#include <boost/json/parse.hpp>

#include "api/operations/query_plan.hpp"
#include "projections/keys.hpp"

namespace crs::app {
namespace {

// A report's answer is {"protectedQuery": {..., "status": ...}}.
std::optional<query_status> status_of(const std::string& body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto* q = v.as_object().if_contains("protectedQuery");
  if (!q || !q->is_object()) return std::nullopt;
  const auto* st = q->as_object().if_contains("status");
  if (!st || !st->is_string()) return std::nullopt;
  return parse_query_status(std::string_view(st->as_string()));
}

}  // namespace

query::runner_ports query_runner_ports(command_bus& bus, const events::event_store& store,
                                       std::shared_ptr<const catalog::local_catalog> cat,
                                       std::function<time_ms()> now,
                                       std::function<std::string()> new_id) {
  query::runner_ports ports;
  ports.record = [&bus, now, new_id](
                     const query::job& j,
                     collaboration::command c) -> result<query_status, query::report_error> {
    decide_context ctx;
    ctx.caller = j.account;
    ctx.request_id = j.request_id;
    ctx.now = now();
    ctx.fresh_id = new_id();
    auto answer = std::make_shared<std::promise<command_result>>();
    auto future = answer->get_future();
    bus.send(j.collaboration_id, std::move(c), std::move(ctx),
             [answer](command_result r) { answer->set_value(std::move(r)); });
    // A report is a small append; if the actors do not answer within this, the server is
    // stopping or wedged, and the query is left to the next start.
    if (future.wait_for(std::chrono::seconds(120)) != std::future_status::ready)
      return query::report_error{false, "the collaboration actor did not answer"};
    auto r = future.get();
    // A rejected report is the decider's refusal, except an internal failure (e.g. the
    // append failed), after which nothing is known to be recorded.
    if (!r) return query::report_error{r.error().kind != error_kind::internal, r.error().message};
    auto st = status_of(r.value());
    if (!st) return query::report_error{false, "unreadable answer: " + r.value()};
    return *st;
  };
  ports.plan = [&store, cat](const query::job& j) { return api::plan_job(store, *cat, j); };
  return ports;
}

std::size_t resubmit_unfinished(const events::event_store& store, query::runner& runner) {
  std::size_t n = 0;
  const std::string prefix(projections::keys::unfinished_queries_prefix);
  store.scan_views(prefix, {}, [&](std::string_view key, std::string_view value) {
    query::job j;
    j.query_id = std::string(key.substr(prefix.size()));
    const auto a = value.find('|');
    const auto b = a == std::string_view::npos ? a : value.find('|', a + 1);
    if (b == std::string_view::npos) {
      spdlog::warn("query {}: unreadable work-list row", j.query_id);
      return true;
    }
    j.collaboration_id = std::string(value.substr(0, a));
    j.membership_id = std::string(value.substr(a + 1, b - a - 1));
    j.account = std::string(value.substr(b + 1));
    j.request_id = "restart";
    if (runner.submit(std::move(j))) ++n;
    return true;
  });
  return n;
}

}  // namespace crs::app
