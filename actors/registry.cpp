// CAF hosts of the aggregates. Each collaboration and each configured table is one event-based
// actor: the single writer of its stream. It decides on its state, hands the events (and the
// projection rows they change) to the journal, and stashes further commands until that batch is
// durable, so no CAF worker ever blocks on an fsync. One host template serves both aggregates;
// what differs between them is in the two traits structs.
#include "actors/registry.hpp"

#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <mutex>

#include <spdlog/spdlog.h>
#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>

#include "actors/activation.hpp"
#include "actors/collaboration/decide.hpp"
#include "actors/configured_table/decide.hpp"
#include "projections/collaboration_rows.hpp"
#include "projections/configured_table_rows.hpp"
#include "projections/keys.hpp"
#include "projections/reader.hpp"
#include "projections/responses.hpp"
#include "projections/row_cache.hpp"
#include "snapshots/collaboration_snapshot.hpp"

namespace crs {
namespace hosts {

// A command waiting for its answer. If it is dropped unanswered (the actor stopped, the
// system shut down) the destructor still answers, so no HTTP request hangs.
template <class Command>
struct pending {
  Command command;
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

template <class Command>
struct command_msg {
  std::shared_ptr<pending<Command>> p;
};

struct append_done_msg {
  std::shared_ptr<result<events::append_outcome>> outcome;
};

// The association protocol's release of a held configured table.
struct release_msg {};

// The registry asks a least recently used actor to go (registry_options::max_resident).
struct passivate_msg {};

using collaboration_msg = command_msg<collaboration::command>;
using table_msg = command_msg<configured_table::command>;

}  // namespace hosts
}  // namespace crs

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crs::hosts::collaboration_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crs::hosts::table_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crs::hosts::append_done_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crs::hosts::release_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crs::hosts::passivate_msg)

namespace crs {
namespace hosts {

struct services {
  events::event_store* store;
  events::append_port* journal;
  // Drops the registry's handle of the actor hosting `stream` if that handle is still `self`
  // and nothing waits in its mailbox; true when the actor may quit (see aggregate_actor).
  // `force`: drop the handle even with messages waiting (the actor cannot serve them anyway).
  std::function<bool(const std::string& stream, caf::local_actor* self, bool force)> retire;
  std::uint64_t snapshot_every = 0;  // registry_options::snapshot_every
  std::atomic<std::uint64_t>* passivations = nullptr;
  std::function<configured_table::catalog_facts(const table_reference&)> catalog;
  projections::row_cache* rows = nullptr;  // registry_options::row_cache_entries
  bool strict_rule_deletion = false;       // registry_options::strict_rule_deletion
};

// The core rows a collaboration write started from and the ones it made: once the write is
// settled the second go back to the row cache if it is durable, the first if it failed.
struct row_memo {
  projections::row_set before, after;
  bool kept = false;  // this write took part in the cache
};

// ---- what differs between the aggregates ----

struct collaboration_traits {
  using state = collaboration::state;
  using command = collaboration::command;
  static constexpr const char* kind = "collaboration";

  [[nodiscard]] static result<state> load(const services& svc, const std::string& id) {
    activation_stats stats;
    auto s = activate(*svc.store, id, &stats);
    if (s)
      spdlog::debug("collaboration {}: activated at version {} ({} from a snapshot, {} replayed)",
                    id, s->version, stats.snapshot_version, stats.events_replayed);
    return s;
  }
  static collaboration::decision decide(const services&, const state& s, const command& c,
                                        const decide_context& ctx) {
    return collaboration::decide(s, c, ctx);
  }
  static void apply(state& s, const events::event_payload& e, time_ms t) {
    collaboration::apply(s, e, t);
  }
  static std::string stream(const std::string& id) { return collaboration::stream_id(id); }
  static std::vector<events::view_write> changed_rows(const services& svc,
                                                      const std::string& stream,
                                                      const state& before, const state& after,
                                                      row_memo& memo) {
    memo = {};
    if (!svc.rows) return projections::changed_rows(before, after);
    memo.kept = true;
    if (auto cached = svc.rows->take(stream, before.version))
      memo.before = std::move(*cached);
    else
      memo.before = projections::core_rows(before);
    return projections::changed_rows(memo.before, before, after, memo.after);
  }
  // `now`: the state the actor holds once the append is settled (after it if durable).
  static void settled(const services& svc, const std::string& stream, const state& now,
                      bool durable, row_memo& memo) {
    // A stream that never came to exist (a refused create) is retired, not cached.
    if (memo.kept && now.created)
      svc.rows->put(stream, now.version, std::move(durable ? memo.after : memo.before));
    memo = {};
  }
  static std::optional<std::string> snapshot(const services& svc, const state& before,
                                             const state& after) {
    // In the same batch as the events it covers, so a snapshot is never ahead of a durable log.
    if (!snapshot_due(before.version, after.version, svc.snapshot_every)) return std::nullopt;
    return snapshots::encode_snapshot(after);
  }
  static std::string respond(const state& s, const command& c, const decide_context& ctx) {
    return projections::response_for(s, c, ctx);
  }
};

struct table_traits {
  using state = configured_table::state;
  using command = configured_table::command;
  static constexpr const char* kind = "configured table";

  [[nodiscard]] static result<state> load(const services& svc, const std::string& id) {
    return activate_configured_table(*svc.store, id);
  }
  // The ports the decider must not touch itself: the catalog, and the projection rows that say
  // whether the table is associated anywhere and whether an unfinished query reads it (both
  // written with the collaborations' own events).
  static configured_table::decision decide(const services& svc, const state& s, const command& c,
                                           decide_context ctx) {
    configured_table::catalog_facts facts;
    if (auto ref = configured_table::reference_to_check(s, c); ref && svc.catalog)
      facts = svc.catalog(*ref);
    if (std::holds_alternative<configured_table::delete_configured_table>(c))
      ctx.table_associations =
          projections::count_prefix(*svc.store, projections::keys::table_links_prefix(s.id), 1000);
    if (svc.strict_rule_deletion &&
        std::holds_alternative<configured_table::delete_analysis_rule>(c))
      ctx.table_read_by_query = projections::query_reading_table(*svc.store, s.id);
    return configured_table::decide(s, c, ctx, facts);
  }
  static void apply(state& s, const events::event_payload& e, time_ms t) {
    configured_table::apply(s, e, t);
  }
  static std::string stream(const std::string& id) { return configured_table::stream_id(id); }
  static std::vector<events::view_write> changed_rows(const services&, const std::string&,
                                                      const state& before, const state& after,
                                                      row_memo&) {
    return projections::diff(projections::rows(before), projections::rows(after));
  }
  static void settled(const services&, const std::string&, const state&, bool, row_memo&) {}
  static std::optional<std::string> snapshot(const services&, const state&, const state&) {
    return std::nullopt;  // short streams: activation replays them whole
  }
  static std::string respond(const state& s, const command& c, const decide_context& ctx) {
    return projections::response_for(s, c, ctx);
  }
};

// ---- the host ----

template <class Traits>
struct aggregate_host {
  using pending_ptr = std::shared_ptr<pending<typename Traits::command>>;
  std::string id;
  typename Traits::state state;
  bool busy = false;
  pending_ptr in_flight;
  typename Traits::state next;  // the state once the in-flight batch is durable
  row_memo rows;                // the in-flight batch's rows, for the row cache
  std::deque<pending_ptr> stash;
  // Association protocol: checks granted and not yet released. A held table is not deleted.
  std::size_t holds = 0;
  bool passivate_requested = false;  // asked to go; goes as soon as it is idle
};

template <class Traits>
using host_actor = caf::stateful_actor<aggregate_host<Traits>>;

template <class Traits>
void process(host_actor<Traits>* self, const services& svc,
             typename aggregate_host<Traits>::pending_ptr p) {
  auto& st = self->state;
  if constexpr (std::is_same_v<Traits, table_traits>) {
    if (st.holds > 0 &&
        std::holds_alternative<configured_table::delete_configured_table>(p->command)) {
      p->reply(conflict("Configured table " + st.id +
                            " is being associated with a collaboration; retry once that is done",
                        st.id, "CONFIGURED_TABLE", "SUBRESOURCES_EXIST"));
      return;
    }
  }
  auto decision = Traits::decide(svc, st.state, p->command, p->context);
  if (!decision) {
    p->reply(decision.error());
    return;
  }
  if constexpr (std::is_same_v<Traits, table_traits>) {
    if (std::holds_alternative<configured_table::check_association>(p->command)) ++st.holds;
  }
  auto& evs = decision.value();
  if (evs.empty()) {  // accepted, nothing changed
    p->reply(Traits::respond(st.state, p->command, p->context));
    return;
  }
  typename Traits::state next = st.state;
  for (const auto& e : evs) Traits::apply(next, e, p->context.now);

  events::append_request req;
  req.stream = Traits::stream(st.id);
  req.expected_version = st.state.version;
  req.time = p->context.now;
  req.account = p->context.caller;
  req.request_id = p->context.request_id;
  req.events = std::move(evs);
  req.views = Traits::changed_rows(svc, req.stream, st.state, next, st.rows);
  req.snapshot = Traits::snapshot(svc, st.state, next);

  st.busy = true;
  st.in_flight = std::move(p);
  st.next = std::move(next);
  caf::actor me = caf::actor_cast<caf::actor>(self);
  svc.journal->submit(std::move(req), [me](result<events::append_outcome> r) {
    caf::anon_send(me,
                   append_done_msg{std::make_shared<result<events::append_outcome>>(std::move(r))});
  });
}

template <class Traits>
void drain(host_actor<Traits>* self, const services& svc) {
  auto& st = self->state;
  while (!st.busy && !st.stash.empty()) {
    auto p = std::move(st.stash.front());
    st.stash.pop_front();
    process<Traits>(self, svc, std::move(p));
  }
}

// Quits if asked to and idle. retire() refuses while a message waits in the mailbox (a command
// that raced the request), and that command clears the request.
template <class Traits>
void maybe_passivate(host_actor<Traits>* self, const services& svc) {
  const auto& st = self->state;
  if (!st.passivate_requested || st.busy || !st.stash.empty() || st.holds > 0) return;
  if (!svc.retire(Traits::stream(st.id), self, false)) return;
  if (svc.passivations) svc.passivations->fetch_add(1, std::memory_order_relaxed);
  self->quit(caf::exit_reason::normal);
}

template <class Traits>
caf::behavior aggregate_actor(host_actor<Traits>* self, std::string id, services svc) {
  self->state.id = id;
  if (auto s = Traits::load(svc, id)) {
    self->state.state = std::move(s.value());
  } else {
    spdlog::error("{} {}: cannot load its stream: {}", Traits::kind, id, s.error().message);
    // Its slot goes with it, so the next command tries a fresh load instead of a dead actor.
    (void)svc.retire(Traits::stream(id), self, true);
    self->quit(caf::exit_reason::user_shutdown);
    return {};
  }
  return {
      [=](command_msg<typename Traits::command>& m) {
        self->state.passivate_requested = false;  // in use again
        if (self->state.busy) {
          self->state.stash.push_back(std::move(m.p));
          return;
        }
        process<Traits>(self, svc, std::move(m.p));
        drain<Traits>(self, svc);
        // A rejected create leaves a stream that never came to exist: retire the actor so
        // failed creates (and lookups of unknown ids) cannot pile up resident actors. The
        // registry enqueues under the same lock retire() takes, so a command is either already
        // in the mailbox (no retirement) or goes to a fresh actor that reads the log.
        const auto& st = self->state;
        if (!st.state.created && !st.busy && st.stash.empty() && st.holds == 0 &&
            svc.retire(Traits::stream(st.id), self, false))
          self->quit(caf::exit_reason::normal);
      },
      [=](release_msg&) {
        if (self->state.holds > 0) --self->state.holds;
        maybe_passivate<Traits>(self, svc);
      },
      [=](passivate_msg&) {
        self->state.passivate_requested = true;
        maybe_passivate<Traits>(self, svc);
      },
      [=](append_done_msg& m) {
        auto& st = self->state;
        auto p = std::move(st.in_flight);
        st.busy = false;
        const bool durable = m.outcome->ok();
        if (durable) st.state = std::move(st.next);
        Traits::settled(svc, Traits::stream(st.id), st.state, durable, st.rows);
        if (durable) {
          p->reply(Traits::respond(st.state, p->command, p->context));
        } else {
          const auto& err = m.outcome->error();
          spdlog::error("{} {}: append failed: {}", Traits::kind, st.id, err.message);
          // Nothing of a failed batch is kept; a version conflict means our view of the stream
          // is stale, so reload it from the log before deciding again.
          if (err.code == store_error::kind::version_conflict) {
            if (auto s = Traits::load(svc, st.id)) st.state = std::move(s.value());
          }
          p->reply(internal_error("The write could not be made durable: " + err.message));
        }
        st.next = {};
        drain<Traits>(self, svc);
        maybe_passivate<Traits>(self, svc);
      },
  };
}

}  // namespace hosts

struct registry::impl {
  // Before the actor system, so it outlives every actor that may still put rows into it.
  std::unique_ptr<projections::row_cache> rows;  // registry_options::row_cache_entries
  caf::actor_system_config config;
  std::unique_ptr<caf::actor_system> system;
  hosts::services svc;
  mutable std::mutex mu;
  struct slot {
    caf::actor actor;
    std::list<std::string>::iterator recent;  // its place in `lru`
    bool asked = false;                       // passivate_msg sent since its last use
  };
  // Keyed by stream id, so a collaboration and a table never share a slot.
  std::map<std::string, slot> actors;
  std::list<std::string> lru;  // stream ids, most recently used first
  std::size_t max_resident = 10000;
  std::atomic<std::uint64_t> passivations{0};
  std::atomic<bool> stopped{false};
  caf::scheduler::test_coordinator* sched = nullptr;  // registry_options::deterministic

  // Under `mu`. Asks the least recently used actors beyond max_resident to go; looks at a
  // bounded number of them per call, so one enqueue never walks the whole list.
  void trim() {
    if (actors.size() <= max_resident) return;
    std::size_t want = actors.size() - max_resident;
    std::size_t looked = 0;
    for (auto it = lru.rbegin(); it != lru.rend() && want > 0 && looked < 64; ++it, ++looked) {
      auto& s = actors.at(*it);
      if (s.asked) continue;
      s.asked = true;
      caf::anon_send(s.actor, hosts::passivate_msg{});
      --want;
    }
  }

  // Enqueues `msg` to the actor hosting `id`, spawning it on first use. Under `mu`, so that
  // retire() (same lock) never drops an actor a message is on its way to, and stop() (same lock)
  // never misses an actor spawned while it runs. False once stopped.
  template <class Traits, class Message>
  bool enqueue(const std::string& id, Message&& msg) {
    std::lock_guard<std::mutex> lock(mu);
    if (stopped) return false;
    const auto stream = Traits::stream(id);
    auto [it, fresh] = actors.try_emplace(stream);
    auto& s = it->second;
    if (fresh) {
      s.actor = system->spawn(hosts::aggregate_actor<Traits>, id, svc);
      lru.push_front(stream);
      s.recent = lru.begin();
    } else {
      lru.splice(lru.begin(), lru, s.recent);
      s.asked = false;
    }
    caf::anon_send(s.actor, std::forward<Message>(msg));
    trim();
    return true;
  }

  template <class Traits>
  void send(const std::string& id, typename Traits::command command, decide_context context,
            reply_fn reply) {
    auto p = std::make_shared<hosts::pending<typename Traits::command>>();
    p->command = std::move(command);
    p->context = std::move(context);
    p->reply_to = std::move(reply);
    // When stopped, `p` dies here unanswered and its destructor answers with an internal error.
    (void)enqueue<Traits>(id, hosts::command_msg<typename Traits::command>{std::move(p)});
  }
};

registry::registry(events::event_store& store, events::append_port& journal,
                   registry_options options)
    : impl_(std::make_unique<impl>()) {
  impl_->config.set("scheduler.max-threads", options.worker_threads);
  if (options.deterministic) impl_->config.set("scheduler.policy", caf::atom("testing"));
  impl_->system = std::make_unique<caf::actor_system>(impl_->config);
  if (options.deterministic)
    impl_->sched = &dynamic_cast<caf::scheduler::test_coordinator&>(impl_->system->scheduler());
  impl_->svc = hosts::services{
      &store,
      &journal,
      [this](const std::string& stream, caf::local_actor* self, bool force) {
        std::lock_guard<std::mutex> lock(impl_->mu);
        auto it = impl_->actors.find(stream);
        // Only its own slot, and only with nothing left to process.
        if (it == impl_->actors.end() || it->second.actor.address() != self->address())
          return true;  // not registered (any more): quitting is safe
        auto* scheduled = static_cast<caf::scheduled_actor*>(self);
        if (!force && !scheduled->mailbox().empty()) return false;
        impl_->lru.erase(it->second.recent);
        impl_->actors.erase(it);
        return true;
      },
      options.snapshot_every,
      &impl_->passivations,
      std::move(options.catalog)};
  if (options.row_cache_entries > 0) {
    impl_->rows = std::make_unique<projections::row_cache>(options.row_cache_entries,
                                                           options.row_cache_bytes);
    impl_->svc.rows = impl_->rows.get();
  }
  impl_->svc.strict_rule_deletion = options.strict_rule_deletion;
  impl_->max_resident = std::max<std::size_t>(options.max_resident, 1);
}

registry::~registry() {
  stop();
}

void registry::send(const std::string& collaboration_id, collaboration::command command,
                    decide_context context, reply_fn reply) {
  impl_->send<hosts::collaboration_traits>(collaboration_id, std::move(command), std::move(context),
                                           std::move(reply));
}

void registry::send(const std::string& configured_table_id, configured_table::command command,
                    decide_context context, reply_fn reply) {
  impl_->send<hosts::table_traits>(configured_table_id, std::move(command), std::move(context),
                                   std::move(reply));
}

void registry::associate(const std::string& configured_table_id,
                         const std::string& collaboration_id,
                         collaboration::create_association create, decide_context context,
                         reply_fn reply) {
  auto* self = impl_.get();
  auto check_ctx = context;
  self->send<hosts::table_traits>(
      configured_table_id, configured_table::check_association{}, std::move(check_ctx),
      [self, configured_table_id, collaboration_id, create = std::move(create),
       context = std::move(context), reply = std::move(reply)](command_result checked) mutable {
        if (!checked) return reply(std::move(checked));
        // The table is held from here until the collaboration has answered.
        self->send<hosts::collaboration_traits>(
            collaboration_id, std::move(create), std::move(context),
            [self, configured_table_id, reply = std::move(reply)](command_result r) {
              (void)self->enqueue<hosts::table_traits>(configured_table_id, hosts::release_msg{});
              reply(std::move(r));
            });
      });
}

std::size_t registry::resident() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->actors.size();
}

std::uint64_t registry::passivations() const {
  return impl_->passivations.load(std::memory_order_relaxed);
}

std::size_t registry::runnable() const {
  return impl_->sched ? impl_->sched->jobs.size() : 0;
}

bool registry::run_one(std::size_t index) {
  auto* sched = impl_->sched;
  if (!sched || index >= sched->jobs.size()) return false;
  auto first = sched->jobs.begin();
  std::rotate(first, first + static_cast<std::ptrdiff_t>(index),
              first + static_cast<std::ptrdiff_t>(index) + 1);
  sched->run_once();  // one message of that actor
  return true;
}

void registry::stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stopped.exchange(true)) return;
    for (auto& [id, s] : impl_->actors)
      caf::anon_send_exit(s.actor, caf::exit_reason::user_shutdown);
    impl_->actors.clear();
    impl_->lru.clear();
  }
  // Nobody else runs the test_coordinator's actors: let them take their exit now, or the
  // actor system would wait for them forever.
  if (impl_->sched)
    while (impl_->sched->try_run_once()) {
    }
  impl_->sched = nullptr;  // it dies with the actor system
  impl_->system.reset();   // waits for every actor to finish
}

}  // namespace crs
