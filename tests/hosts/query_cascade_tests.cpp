// The API's cascades reach the query runner: DeleteCollaboration and DeleteMember interrupt the
// queries they cancel (dispatcher port cancel_queries_of) once the deletion is durable, and never
// when it is refused. DeleteMembership interrupts nothing: running queries block it (SPEC.md 7).
// Through the real dispatcher, registry, journal and store.
#include <future>

#include <boost/json/parse.hpp>
#include <mutex>

#include "actors/given_when_then.hpp"
#include "actors/registry.hpp"
#include "api/dispatcher.hpp"
#include "events/journal.hpp"
#include "events/temp_dir.hpp"

using namespace crs;
using namespace crs::testing;

namespace {

struct fixture {
  test::temp_dir dir;
  std::unique_ptr<events::event_store> store;
  std::unique_ptr<events::journal> journal;
  std::unique_ptr<registry> reg;
  std::unique_ptr<api::dispatcher> dispatcher;
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> cancels;  // (cid, account)
  int ids = 0;

  fixture() {
    events::store_options so;
    so.sync = false;
    auto opened = events::event_store::open(dir.sub("db"), so);
    REQUIRE(opened.ok());
    store = std::move(opened.value());
    journal = std::make_unique<events::journal>(*store);
    reg = std::make_unique<registry>(*store, *journal, registry_options{});
    api::dispatcher_ports ports;
    ports.now = [] { return time_ms{1'700'000'000'000}; };
    ports.new_id = [this] {
      char buf[40];
      std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", ++ids);
      return std::string(buf);
    };
    ports.cancel_queries_of = [this](const std::string& cid, const account_id& account) {
      std::lock_guard lock(mu);
      cancels.emplace_back(cid, account);
    };
    dispatcher = std::make_unique<api::dispatcher>(*store, *reg, api::dispatcher_options{}, ports);
  }
  ~fixture() {
    reg->stop();
    journal->stop();
  }
  api::http_response call(const std::string& account, std::string method, std::string target,
                          std::string body = {}) {
    api::http_request r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.body = std::move(body);
    r.headers = {
        {"authorization", "AWS4-HMAC-SHA256 Credential=" + account +
                              "/20240101/us-east-1/cleanrooms/aws4_request, SignedHeaders=host, "
                              "Signature=" +
                              std::string(64, '0')},
        {"content-type", "application/json"}};
    std::promise<api::http_response> p;
    auto f = p.get_future();
    dispatcher->handle(std::move(r), [&p](api::http_response res) { p.set_value(std::move(res)); });
    return f.get();
  }
  std::vector<std::pair<std::string, std::string>> cancelled() {
    std::lock_guard lock(mu);
    return cancels;
  }
};

// A collaboration of creator + querier + provider, all joined; returns cid and the memberships.
struct joined_ids {
  std::string cid, creator_mid, querier_mid;
};
joined_ids setup(fixture& f) {
  auto created = f.call(
      creator, "POST", "/collaborations",
      R"({"name":"c","description":"d","creatorDisplayName":"C",
      "creatorMemberAbilities":[],"queryLogStatus":"DISABLED","members":[
      {"accountId":")" +
          querier + R"(","displayName":"Q","memberAbilities":["CAN_QUERY","CAN_RECEIVE_RESULTS"]},
      {"accountId":")" +
          provider + R"(","displayName":"P","memberAbilities":[]}]})");
  REQUIRE(created.status == 200);
  auto id_in = [](const std::string& body, const char* member) {
    return std::string(boost::json::parse(body).at(member).as_object().at("id").as_string());
  };
  joined_ids out;
  out.cid = id_in(created.body, "collaboration");
  auto join = [&](const std::string& who) {
    auto r =
        f.call(who, "POST", "/memberships",
               R"({"collaborationIdentifier":")" + out.cid + R"(","queryLogStatus":"DISABLED"})");
    REQUIRE(r.status == 200);
    return id_in(r.body, "membership");
  };
  out.creator_mid = join(creator);
  out.querier_mid = join(querier);
  join(provider);
  return out;
}

}  // namespace

SCENARIO("Cascades interrupt the runner's queries only once the deletion is durable") {
  GIVEN("a collaboration whose members joined") {
    fixture f;
    const auto ids = setup(f);
    WHEN("a member who is not the creator tries to delete the collaboration or a member") {
      CHECK(f.call(querier, "DELETE", "/collaborations/" + ids.cid).status >= 400);
      CHECK(
          f.call(querier, "DELETE", "/collaborations/" + ids.cid + "/member/" + provider).status >=
          400);
      THEN("nothing is interrupted") {
        CHECK(f.cancelled().empty());
      }
    }
    WHEN("the creator removes the querier") {
      REQUIRE(
          f.call(creator, "DELETE", "/collaborations/" + ids.cid + "/member/" + querier).status ==
          204);
      THEN("the querier's queries there are interrupted") {
        CHECK(f.cancelled() ==
              std::vector<std::pair<std::string, std::string>>{{ids.cid, querier}});
      }
    }
    WHEN("the querier leaves") {
      REQUIRE(f.call(querier, "DELETE", "/memberships/" + ids.querier_mid).status == 204);
      THEN("nothing is interrupted: a running query would have refused the leave") {
        CHECK(f.cancelled().empty());
      }
    }
    WHEN("the creator deletes the collaboration") {
      REQUIRE(f.call(creator, "DELETE", "/collaborations/" + ids.cid).status == 204);
      THEN("every query of the collaboration is interrupted") {
        CHECK(f.cancelled() == std::vector<std::pair<std::string, std::string>>{{ids.cid, ""}});
      }
    }
  }
}
