// The registry with a real (unsynced) store and journal, for the host tests: one call sends a
// command and waits for its answer.
#pragma once

#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>

#include "actors/given_when_then.hpp"
#include "actors/registry.hpp"
#include "events/journal.hpp"
#include "events/temp_dir.hpp"

namespace crs::testing {

// The i-th collaboration id of a test: a UUID-shaped id ending in i.
inline std::string nth_cid(int i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "0b8a5f4e-1c2d-4e3f-8a9b-%012d", i);
  return buf;
}

// Collects one answer of the bus.
struct waiter {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<command_result> answer;
  reply_fn fn() {
    return [this](command_result r) {
      std::lock_guard<std::mutex> lock(mu);
      answer.emplace(std::move(r));
      cv.notify_one();
    };
  }
  command_result wait() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return answer.has_value(); });
    return std::move(*answer);
  }
};

struct registry_fixture {
  test::temp_dir dir;
  std::unique_ptr<events::event_store> store;
  std::unique_ptr<events::journal> journal;
  std::unique_ptr<registry> reg;
  scenario clock;  // only for its contexts

  explicit registry_fixture(registry_options opts = {}) {
    events::store_options so;
    so.sync = false;  // durability is not under test here
    auto opened = events::event_store::open(dir.sub("db"), so);
    REQUIRE(opened.ok());
    store = std::move(opened.value());
    journal = std::make_unique<events::journal>(*store);
    reg = std::make_unique<registry>(*store, *journal, std::move(opts));
  }
  ~registry_fixture() {
    reg->stop();
    journal->stop();
  }
  template <class Command>
  command_result send(const std::string& id, Command c, decide_context ctx) {
    waiter w;
    reg->send(id, std::move(c), std::move(ctx), w.fn());
    return w.wait();
  }
};

}  // namespace crs::testing
