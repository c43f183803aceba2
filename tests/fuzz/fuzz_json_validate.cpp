// One operation's input validation, through its real handler (api/operations/*.cpp): the first
// byte picks the operation (among the route table's implemented ones), the rest is the request. The
// handlers validate inline, so instead of a copy of their checks this calls them with services
// whose store is empty (a scratch RocksDB directory, never written) and whose command bus runs
// nothing: every input stops at a validation error, at a 403/404 for the unknown resource, or at
// the bus. No actors, no server.
//
// Input after the first byte: either the body alone (canonical valid path labels, no query), or
// a first line "/<label>/<label>?<query>" (raw, percent-encoded; missing labels canonical)
// followed by the body. As in the dispatcher, only POST and PATCH read a body. A seed file's first
// byte is its operation's index: a route added later shifts them (they then seed another
// operation until regenerated; harmless).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/parse.hpp>

#include "api/operations/call.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "api/validate.hpp"
#include "events/event_store.hpp"

namespace {

using namespace crs;

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

// Runs nothing: every command is answered as refused, synchronously, like a decider would.
class null_bus final : public command_bus {
 public:
  void send(const std::string&, collaboration::command, decide_context, reply_fn reply) override {
    refuse(reply);
  }
  void send(const std::string&, configured_table::command, decide_context,
            reply_fn reply) override {
    refuse(reply);
  }
  void associate(const std::string&, const std::string&, collaboration::create_association,
                 decide_context, reply_fn reply) override {
    refuse(reply);
  }

 private:
  static void refuse(const reply_fn& reply) {
    reply(command_result(conflict("not executed by the fuzzer", "fuzz", "COLLABORATION", "")));
  }
};

// The scratch store and the services around it, for the whole run (removed at exit).
struct harness {
  std::filesystem::path dir;
  std::unique_ptr<events::event_store> store;
  null_bus bus;
  std::unique_ptr<api::services> svc;
  // The routes with a real handler, in route-table order: the first input byte picks one. The
  // rest answer AccessDenied whatever the input (api::not_supported).
  std::vector<const api::route_entry*> operations;

  harness() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "crs-fuzz-store-XXXXXX").string();
    require(::mkdtemp(pattern.data()) != nullptr, "mkdtemp failed");
    dir = pattern;
    events::store_options options;
    options.sync = false;
    auto opened = events::event_store::open((dir / "store").string(), options);
    require(opened.ok(), "cannot open the scratch store");
    store = std::move(opened.value());
    api::dispatcher_ports ports;
    ports.now = [] { return time_ms{1795257120000}; };
    ports.new_id = [] { return std::string("f0220000-0000-4000-8000-000000000000"); };
    auto catalog = std::make_shared<catalog::local_catalog>(dir / "catalog");
    svc.reset(new api::services{*store,
                                bus,
                                api::token_codec("fuzz-secret"),
                                api::dispatcher_options{},
                                std::move(ports),
                                {},
                                catalog,
                                {}});
    svc->schemas.emplace(*store, *svc->catalog);
    for (const auto& entry : api::route_table())
      if (entry.handler != &api::not_supported) operations.push_back(&entry);
  }
  ~harness() {
    svc.reset();
    store.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

harness& the_harness() {
  static harness h;
  return h;
}

// A valid value for each path label of the model, so the body is what gets fuzzed.
std::string canonical_label(std::string_view name) {
  if (name == "accountId") return "111111111111";
  if (name == "analysisRuleType" || name == "type") return "AGGREGATION";
  if (name == "name") return "orders";
  if (name == "resourceArn+" || name == "resourceArn")
    return "arn:aws:cleanrooms:us-east-1:111111111111:collaboration/"
           "c0ffee00-0000-4000-8000-000000000001";
  if (name == "analysisTemplateArn")
    return "arn:aws:cleanrooms:us-east-1:111111111111:membership/"
           "c0ffee00-0000-4000-8000-000000000002/analysistemplate/"
           "c0ffee00-0000-4000-8000-000000000003";
  return "c0ffee00-0000-4000-8000-000000000001";  // every *Identifier
}

std::vector<std::string> label_names(std::string_view path_template) {
  std::vector<std::string> out;
  for (auto open = path_template.find('{'); open != std::string_view::npos;
       open = path_template.find('{', open + 1))
    out.emplace_back(path_template.substr(open + 1, path_template.find('}', open) - open - 1));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto& h = the_harness();
  const auto& entry = *h.operations[data[0] % h.operations.size()];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);

  // Path labels and query from the optional first line.
  std::vector<std::string> given;
  std::string_view raw_query;
  if (!rest.empty() && rest.front() == '/') {
    const auto eol = rest.find('\n');
    std::string_view head = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    const auto q = head.find('?');
    if (q != std::string_view::npos) {
      raw_query = head.substr(q + 1);
      head = head.substr(0, q);
    }
    while (!head.empty()) {
      head.remove_prefix(1);  // the '/'
      const auto slash = head.find('/');
      auto label = api::percent_decode(head.substr(0, slash));
      if (!label) return 0;  // the dispatcher answers a label's bad escape before any handler
      given.push_back(std::move(*label));
      head = slash == std::string_view::npos ? std::string_view() : head.substr(slash);
    }
  }
  const auto names = label_names(entry.path);
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < names.size(); ++i)
    labels.push_back(i < given.size() ? given[i] : canonical_label(names[i]));

  auto query = api::parse_query(raw_query);
  if (!query) return 0;  // the dispatcher answers 400 before any handler
  api::http_request request;
  request.method = std::string(entry.method);
  request.target = std::string(entry.path);
  request.body = std::string(rest);
  boost::json::object body;
  if (entry.method == "POST" || entry.method == "PATCH") {
    std::string why;
    auto parsed = api::parse_body(request.body, why);
    if (!parsed) {
      require(!why.empty(), "parse_body refused a body without saying why");
      return 0;
    }
    body = std::move(*parsed);
  }

  std::vector<api::http_response> answers;
  api::call c{*h.svc,
              request,
              "00000000-0000-4000-8000-00000000f022",
              "111111111111",
              "us-east-1",
              std::string(entry.operation),
              std::move(labels),
              std::move(*query),
              std::move(body),
              [&answers](api::http_response r) { answers.push_back(std::move(r)); }};
  entry.handler(c);  // an exception escaping here would be a 500 in the server: a finding

  // Every request is answered exactly once (the bus answers synchronously), never with a 500,
  // and with a JSON body (error messages quote client input: it must be escaped).
  require(answers.size() == 1, "the handler did not answer exactly once");
  const auto& answer = answers.front();
  require(answer.status >= 200 && answer.status < 500, "the handler answered 5xx");
  if (answer.status != 204) {
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(answer.body, ec);
    require(!ec && parsed.is_object(), "the answer is not a JSON object");
  }
  return 0;
}
