// The query runner against the real collaboration decider (decide + apply on an in-memory state
// standing in for the actor) and a scripted engine: each report becomes the event SPEC.md 16.3
// names; cancellation, shutdown and restart leave no query hanging and no stray result.
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include <catch2/catch.hpp>

#include "actors/collaboration/decide.hpp"
#include "given_when_then.hpp"
#include "query/runner.hpp"
#include "temp_dir.hpp"

using namespace crs;
namespace co = crs::collaboration;

namespace {

using crs::testing::querier;

// The collaboration actor, in miniature: the decider tests' scenario (creator, querier and
// provider joined), its decisions serialized because the runner reports from its threads.
struct fake_actor {
  std::mutex mu;
  crs::testing::three_joined joined = crs::testing::joined();
  co::state& state = joined.s.state;

  decide_context ctx(const std::string& caller) {
    std::lock_guard lock(mu);
    return joined.s.as(caller);
  }
  result<query_status, query::report_error> apply(const co::command& c, const decide_context& x,
                                                  const std::string& query_id) {
    std::lock_guard lock(mu);
    auto d = co::decide(state, c, x);
    if (!d) return query::report_error{true, d.error().message};
    for (const auto& e : d.value()) co::apply(state, e, x.now);
    return state.queries.at(query_id).status;
  }
  query_status status(const std::string& id) {
    std::lock_guard lock(mu);
    return state.queries.at(id).status;
  }
  co::query_record record(const std::string& id) {
    std::lock_guard lock(mu);
    return state.queries.at(id);
  }
};

std::string start(fake_actor& a, const std::string& mid) {
  co::start_query s;
  s.membership_id = mid;
  s.sql.query_string = "SELECT 1";
  query_output out;
  out.locations.emplace_back(query_s3_output{result_format::csv, "bucket", "p/", {}});
  s.output = out;
  auto x = a.ctx(querier);
  REQUIRE(a.apply(s, x, x.fresh_id).ok());
  return x.fresh_id;
}

// An engine whose runs are scripted: succeed at once writing one row, fail, or block until
// cancelled.
struct scripted_engine : query::engine {
  enum class mode { succeed, fail, block } how = mode::succeed;
  std::mutex mu;
  std::condition_variable cv;
  int running = 0;
  int finished = 0;
  query::run_outcome run(const query::checked_query&, const std::vector<query::table_data>&,
                         const std::filesystem::path& file, const query::run_limits&,
                         const std::atomic<bool>& cancel) override {
    query::run_outcome out;
    if (how == mode::fail) {
      out.error_code = query::code_execution_error;
      out.error_message = "no such column: x";
      return out;
    }
    if (how == mode::block) {
      {
        std::lock_guard lock(mu);
        ++running;
      }
      cv.notify_all();
      while (!cancel.load()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
      out.what = query::run_outcome::kind::cancelled;
      std::lock_guard lock(mu);
      ++finished;
      return out;
    }
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << "x\n1\n";
    out.what = query::run_outcome::kind::success;
    out.rows = 1;
    return out;
  }
  void wait_running(int n) {
    std::unique_lock lock(mu);
    REQUIRE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return running >= n; }));
  }
};

struct rig {
  crs::test::temp_dir tmp;
  fake_actor actor;
  std::string mid = actor.joined.querier_mid;
  scripted_engine* engine = nullptr;
  std::optional<std::string> key_prefix = std::string("p/");
  bool lose_finish_answer = false;

  std::unique_ptr<query::runner> make() {
    auto e = std::make_unique<scripted_engine>();
    engine = e.get();
    query::runner_ports ports;
    ports.record = [this](const query::job& j,
                          co::command c) -> result<query_status, query::report_error> {
      const bool finish = std::holds_alternative<co::finish_query>(c);
      auto r = actor.apply(c, actor.ctx(j.account), j.query_id);
      // The report lands, but its answer is lost (an actor answering after the port's wait).
      if (finish && lose_finish_answer) return query::report_error{false, "no answer in time"};
      return r;
    };
    ports.plan = [this](const query::job&) -> result<query::job_plan, query::violation> {
      query::job_plan p;
      p.checked.sql = "SELECT 1";
      p.checked.output_columns = 1;
      p.bucket = "bucket";
      p.key_prefix = key_prefix;
      return p;
    };
    query::runner_options o;
    o.workers = 2;
    o.results_dir = tmp.path();
    return std::make_unique<query::runner>(o, ports, std::move(e));
  }
  query::job job_of(const std::string& qid) { return {"cid", mid, qid, querier, "req"}; }
  // Waits until the query reaches `st` (10 s at most).
  void wait_for(const std::string& qid, query_status st) {
    for (int i = 0; i < 5000 && actor.status(qid) != st; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    REQUIRE(actor.status(qid) == st);
  }
  std::filesystem::path file_of(const std::string& qid) {
    return std::filesystem::path(tmp.path()) / "bucket" / "p" / qid / "result.csv";
  }
};

}  // namespace

SCENARIO("The runner records STARTED then the engine's outcome") {
  GIVEN("a submitted query") {
    rig r;
    const auto qid = start(r.actor, r.mid);
    WHEN("the engine succeeds") {
      auto run = r.make();
      REQUIRE(run->submit(r.job_of(qid)));
      r.wait_for(qid, query_status::success);
      THEN("the result's place is reported and the file is there") {
        const auto q = r.actor.record(qid);
        CHECK(q.result_location == "s3://bucket/p/" + qid + "/result.csv");
        CHECK(q.result_rows == 1);
        CHECK(std::filesystem::exists(r.file_of(qid)));
      }
    }
    WHEN("the engine succeeds but the answer to the runner's report is lost") {
      r.lose_finish_answer = true;
      auto run = r.make();
      REQUIRE(run->submit(r.job_of(qid)));
      r.wait_for(qid, query_status::success);
      run->stop();
      THEN("the result the log may hold is kept") {
        CHECK(std::filesystem::exists(r.file_of(qid)));
      }
    }
    WHEN("the engine fails") {
      auto run = r.make();
      r.engine->how = scripted_engine::mode::fail;
      REQUIRE(run->submit(r.job_of(qid)));
      r.wait_for(qid, query_status::failed);
      THEN("the error code and message are recorded") {
        const auto q = r.actor.record(qid);
        CHECK(q.error_code == std::optional<std::string>("EXECUTION_ERROR"));
        CHECK(q.error_message == std::optional<std::string>("no such column: x"));
      }
    }
    WHEN("the key prefix tries to leave the results directory") {
      r.key_prefix = "a/../../etc/";
      auto run = r.make();
      REQUIRE(run->submit(r.job_of(qid)));
      r.wait_for(qid, query_status::failed);
      THEN("the query fails without writing anything") {
        CHECK_THAT(*r.actor.record(qid).error_message, Catch::Contains(".."));
        CHECK(std::filesystem::is_empty(r.tmp.path()));
      }
    }
  }
}

SCENARIO("Cancelling, stopping and restarting leave no query hanging") {
  GIVEN("a query the engine runs until it is interrupted") {
    rig r;
    const auto qid = start(r.actor, r.mid);
    auto run = r.make();
    r.engine->how = scripted_engine::mode::block;
    REQUIRE(run->submit(r.job_of(qid)));
    r.engine->wait_running(1);
    REQUIRE(r.actor.status(qid) == query_status::started);
    WHEN("the querier cancels it") {
      REQUIRE(r.actor.apply(co::cancel_query{r.mid, qid}, r.actor.ctx(querier), qid).ok());
      CHECK(r.actor.status(qid) == query_status::cancelling);
      run->cancel(qid);
      r.wait_for(qid, query_status::cancelled);
      THEN("it ends CANCELLED") {
        CHECK_FALSE(r.actor.record(qid).result_location);
      }
    }
    WHEN("the same query is submitted again (a restart's resubmission meeting the API's)") {
      REQUIRE(run->submit(r.job_of(qid)));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      THEN("it is not run twice") {
        std::lock_guard lock(r.engine->mu);
        CHECK(r.engine->running == 1);
      }
    }
    WHEN("a cascade cancels the collaboration's queries") {
      REQUIRE(
          r.actor.apply(co::delete_collaboration{}, r.actor.ctx(crs::testing::creator), qid).ok());
      CHECK(r.actor.status(qid) == query_status::cancelled);
      run->cancel_of("other-collaboration", {});
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      {
        std::lock_guard lock(r.engine->mu);
        CHECK(r.engine->running == 1);  // still running: not this collaboration's cascade
      }
      run->cancel_of("cid", {});
      THEN("the running query is interrupted and stays CANCELLED") {
        run->stop();  // joins: the worker was interrupted and its report refused
        CHECK(r.actor.status(qid) == query_status::cancelled);
        CHECK(r.engine->finished == 1);
      }
    }
    WHEN("the server stops while it runs, then starts again") {
      run->stop();
      THEN("nothing is reported at the stop; the next runner runs it to the end") {
        CHECK(r.actor.status(qid) == query_status::started);
        auto again = r.make();  // succeeds at once
        REQUIRE(again->submit(r.job_of(qid)));
        r.wait_for(qid, query_status::success);
        CHECK(std::filesystem::exists(r.file_of(qid)));
      }
    }
  }
  GIVEN("a query cancelled before any worker picked it up") {
    rig r;
    const auto qid = start(r.actor, r.mid);
    REQUIRE(r.actor.apply(co::cancel_query{r.mid, qid}, r.actor.ctx(querier), qid).ok());
    WHEN("the runner gets it") {
      auto run = r.make();
      REQUIRE(run->submit(r.job_of(qid)));
      run->stop();  // joins after the job (picked up at once) was refused
      THEN("it stays CANCELLED and no result is written") {
        CHECK(r.actor.status(qid) == query_status::cancelled);
        CHECK(std::filesystem::is_empty(r.tmp.path()));
      }
    }
  }
}

TEST_CASE("Result places: S3 outputs under bucket and prefix, member outputs apart") {
  query::job_plan p;
  p.bucket = "b";
  p.key_prefix = "x//./y/";
  auto place = query::runner::place_of("/r", p, "q1");
  REQUIRE(place);
  CHECK(place->file == std::filesystem::path("/r/b/x/y/q1/result.csv"));
  CHECK(place->location == "s3://b/x/y/q1/result.csv");
  p.key_prefix.reset();
  CHECK(query::runner::place_of("/r", p, "q1")->location == "s3://b/q1/result.csv");
  p.key_prefix = "../escape";
  CHECK_FALSE(query::runner::place_of("/r", p, "q1"));
  query::job_plan members;
  auto m = query::runner::place_of("/r", members, "q2");
  CHECK(m->file == std::filesystem::path("/r/_members/q2/result.csv"));
  CHECK_FALSE(m->location);
}
