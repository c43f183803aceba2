// CAF hosts of the collaboration aggregate. Each collaboration is one event-based actor: the
// single writer of its stream. It decides on its state, hands the events (and the projection
// rows they change) to the journal, and stashes further commands until that batch is durable,
// so no CAF worker ever blocks on an fsync.
#include "actors/registry.hpp"

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <mutex>

#include <spdlog/spdlog.h>
#include <caf/all.hpp>

#include "actors/activation.hpp"
#include "actors/collaboration/decide.hpp"
#include "projections/collaboration_rows.hpp"
#include "projections/responses.hpp"
#include "snapshots/collaboration_snapshot.hpp"

namespace crs {
namespace hosts {

// A command waiting for its answer. If it is dropped unanswered (the actor stopped, the
// system shut down) the destructor still answers, so no HTTP request hangs.
struct pending {
  collaboration::command command;
  decide_context context;
  reply_fn reply_to;
  bool answered = false;

  pending() = default;
  pending(const pending&) = delete;  // a copy would answer twice
  pending& operator=(const pending&) = delete;
  void reply(command_result r) {
    if (answered) return;
    answered = true;
    reply_to(std::move(r));
  }
  ~pending() {
    if (!answered && reply_to) reply_to(internal_error("The command was not processed"));
  }
};

struct command_msg {
  std::shared_ptr<pending> p;
};

struct append_done_msg {
  std::shared_ptr<result<events::append_outcome>> outcome;
};

}  // namespace hosts
}  // namespace crs

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crs::hosts::command_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crs::hosts::append_done_msg)

namespace crs {
namespace hosts {

struct collaboration_host {
  std::string id;
  collaboration::state state;
  bool busy = false;
  std::shared_ptr<pending> in_flight;
  collaboration::state next;  // the state once the in-flight batch is durable
  std::deque<std::shared_ptr<pending>> stash;
};

using host_actor = caf::stateful_actor<collaboration_host>;

struct services {
  events::event_store* store;
  events::journal* journal;
  std::function<void(const std::string&)> forget;  // drops the registry's handle
  std::uint64_t snapshot_every = 0;                // registry_options::snapshot_every
};

// Snapshot + tail (actors/activation.hpp); an unusable snapshot is logged there and ignored.
[[nodiscard]] result<collaboration::state> load(const events::event_store& store,
                                                const std::string& id) {
  activation_stats stats;
  auto s = activate(store, id, &stats);
  if (s)
    spdlog::debug("collaboration {}: activated at version {} ({} from a snapshot, {} replayed)", id,
                  s->version, stats.snapshot_version, stats.events_replayed);
  return s;
}

void process(host_actor* self, services svc, std::shared_ptr<pending> p);

void drain(host_actor* self, services svc) {
  auto& st = self->state;
  while (!st.busy && !st.stash.empty()) {
    auto p = std::move(st.stash.front());
    st.stash.pop_front();
    process(self, svc, std::move(p));
  }
}

void process(host_actor* self, services svc, std::shared_ptr<pending> p) {
  auto& st = self->state;
  auto decision = collaboration::decide(st.state, p->command, p->context);
  if (!decision) {
    p->reply(decision.error());
    return;
  }
  auto& evs = decision.value();
  if (evs.empty()) {  // accepted, nothing changed
    p->reply(projections::response_for(st.state, p->command, p->context));
    return;
  }
  collaboration::state next = st.state;
  for (const auto& e : evs) collaboration::apply(next, e, p->context.now);

  events::append_request req;
  req.stream = collaboration::stream_id(st.id);
  req.expected_version = st.state.version;
  req.time = p->context.now;
  req.account = p->context.caller;
  req.request_id = p->context.request_id;
  req.events = std::move(evs);
  req.views = projections::diff(projections::rows(st.state), projections::rows(next));
  // In the same batch as the events it covers, so a snapshot is never ahead of a durable log.
  if (snapshot_due(st.state.version, next.version, svc.snapshot_every))
    req.snapshot = snapshots::encode_snapshot(next);

  st.busy = true;
  st.in_flight = std::move(p);
  st.next = std::move(next);
  caf::actor me = caf::actor_cast<caf::actor>(self);
  svc.journal->submit(std::move(req), [me](result<events::append_outcome> r) {
    caf::anon_send(me,
                   append_done_msg{std::make_shared<result<events::append_outcome>>(std::move(r))});
  });
}

caf::behavior collaboration_actor(host_actor* self, std::string id, services svc) {
  self->state.id = id;
  if (auto s = load(*svc.store, id)) {
    self->state.state = std::move(s.value());
  } else {
    spdlog::error("collaboration {}: cannot load its stream: {}", id, s.error().message);
    self->quit(caf::exit_reason::user_shutdown);
    return {};
  }
  return {
      [=](command_msg& m) {
        if (self->state.busy) {
          self->state.stash.push_back(std::move(m.p));
          return;
        }
        process(self, svc, std::move(m.p));
        drain(self, svc);
        // A rejected CreateCollaboration leaves a stream that never came to exist: retire the
        // actor so failed creates cannot pile up resident actors. Nothing else can address a
        // fresh id, so no command races with the retirement.
        const auto& st = self->state;
        if (!st.state.created && !st.busy && st.stash.empty()) {
          svc.forget(st.id);
          self->quit(caf::exit_reason::normal);
        }
      },
      [=](append_done_msg& m) {
        auto& st = self->state;
        auto p = std::move(st.in_flight);
        st.busy = false;
        if (m.outcome->ok()) {
          st.state = std::move(st.next);
          p->reply(projections::response_for(st.state, p->command, p->context));
        } else {
          const auto& err = m.outcome->error();
          spdlog::error("collaboration {}: append failed: {}", st.id, err.message);
          // Nothing of a failed batch is kept; a version conflict means our view of the stream
          // is stale, so reload it from the log before deciding again.
          if (err.code == store_error::kind::version_conflict) {
            if (auto s = load(*svc.store, st.id)) st.state = std::move(s.value());
          }
          p->reply(internal_error("The write could not be made durable: " + err.message));
        }
        st.next = {};
        drain(self, svc);
      },
  };
}

}  // namespace hosts

struct registry::impl {
  caf::actor_system_config config;
  std::unique_ptr<caf::actor_system> system;
  hosts::services svc;
  mutable std::mutex mu;
  std::map<std::string, caf::actor> actors;
  std::atomic<bool> stopped{false};
};

registry::registry(events::event_store& store, events::journal& journal, registry_options options)
    : impl_(std::make_unique<impl>()) {
  impl_->config.set("scheduler.max-threads", options.worker_threads);
  impl_->system = std::make_unique<caf::actor_system>(impl_->config);
  impl_->svc = hosts::services{&store, &journal,
                               [this](const std::string& id) {
                                 std::lock_guard<std::mutex> lock(impl_->mu);
                                 impl_->actors.erase(id);
                               },
                               options.snapshot_every};
}

registry::~registry() {
  stop();
}

void registry::send(const std::string& collaboration_id, collaboration::command command,
                    decide_context context, reply_fn reply) {
  if (impl_->stopped) {
    reply(internal_error("The server is shutting down"));
    return;
  }
  caf::actor target;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    auto& slot = impl_->actors[collaboration_id];
    if (!slot)
      slot = impl_->system->spawn(hosts::collaboration_actor, collaboration_id, impl_->svc);
    target = slot;
  }
  auto p = std::make_shared<hosts::pending>();
  p->command = std::move(command);
  p->context = std::move(context);
  p->reply_to = std::move(reply);
  caf::anon_send(target, hosts::command_msg{std::move(p)});
}

std::size_t registry::resident() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->actors.size();
}

void registry::stop() {
  if (impl_->stopped.exchange(true)) return;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    for (auto& [id, a] : impl_->actors) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    impl_->actors.clear();
  }
  impl_->system.reset();  // waits for every actor to finish
}

}  // namespace crs
