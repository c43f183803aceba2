#include "sim/simulator.hpp"

#include <chrono>
#include <cstdio>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include <spdlog/spdlog.h>

#include "actors/activation.hpp"
#include "actors/collaboration/state.hpp"
#include "actors/registry.hpp"
#include "api/dispatcher.hpp"
#include "events/event_store.hpp"
#include "events/memory_store.hpp"
#include "projections/collaboration_rows.hpp"
#include "projections/configured_table_rows.hpp"
#include "projections/verify.hpp"
#include "sim/checkers.hpp"
#include "sim/journal.hpp"
#include "sim/model.hpp"
#include "sim/reads.hpp"
#include "sim/requests.hpp"
#include "sim/workload.hpp"

namespace crs::sim {

const char* fault_name(fault f) {
  switch (f) {
    case fault::crash:
      return "crash";
    case fault::passivate:
      return "passivate";
    case fault::slow_append:
      return "slow-append";
    case fault::failed_append:
      return "failed-append";
    case fault::retry:
      return "retry";
  }
  return "?";
}

namespace {

constexpr const char* collaboration_prefix = "collaboration-";
constexpr std::size_t max_in_flight = 24;        // client calls awaiting an answer
constexpr std::size_t recent_lines = 40;         // history printed with a violation
constexpr std::uint64_t drain_limit = 1000000;   // liveness: steps to answer everything
constexpr std::size_t max_pages = 1000;          // a List that pages on longer is looping
constexpr std::uint64_t whole_check_every = 10;  // periodic checks per one that starts over

// The trace hash: FNV-1a's xor-and-multiply over 8-byte little-endian words instead of bytes,
// with a shift after each multiply so high bytes reach the low bits. A byte at a time was a
// dependent multiply per byte, and answers are hashed whole (a page of ListMemberships is
// kilobytes). Not cryptographic; it only has to change when the run does. Each field ends with its
// length, so fields cannot run into each other.
struct trace_hash {
  std::uint64_t h = 1469598103934665603ull;
  void mix(std::uint64_t w) {
    h = (h ^ w) * 1099511628211ull;
    h ^= h >> 29;
  }
  void add(std::string_view s) {
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) mix(load(s.data() + i, 8));
    mix(load(s.data() + i, s.size() - i));
    mix(s.size());
  }
  void add(std::uint64_t v) { mix(v); }
  static std::uint64_t load(const char* p, std::size_t n) {
    std::uint64_t w = 0;
    for (std::size_t i = 0; i < n; ++i)
      w |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
    return w;
  }
  std::string hex() const {
    char b[17];
    std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(h));
    return b;
  }
};

struct in_flight {
  operation op;
  expectation expected;
  bool exact = true;            // false: a read that races a write to what it shows
  unsigned racing_status = 0;   // what a read that races a write may answer besides 200
  std::string content_problem;  // an exact read's pages against the model (sim/reads.hpp)
  std::vector<page> pages;      // every page of a content read, for the check and the trace
  bool write = false;
  std::string request_id;
  std::string fresh_id;
  std::vector<std::string> keys;  // what it holds busy until answered
};

struct answer {
  std::uint64_t seq;
  std::uint64_t epoch;
  api::http_response response;
};

struct violation_found {};

// Reads answered from the projections on the calling thread, checked for their content.
bool is_content_read(op_kind k) {
  return is_read(k) && k != op_kind::get_collaboration;
}
// What a read that races a write the model has not learned may answer besides 200: the write
// may have taken away the membership it reads through (404) or its sight of the collaboration
// (403). The caller's own lists answer 200 whatever happens (0: nothing else).
unsigned racing_status(op_kind k) {
  switch (k) {
    case op_kind::get_membership:
    case op_kind::list_queries:
    case op_kind::list_tags:
    case op_kind::list_associations:
      return 404;
    case op_kind::list_memberships:
    case op_kind::list_collaborations:
      return 0;
    default:
      return 403;
  }
}
bool is_write(op_kind k) {
  return !is_read(k) && k != op_kind::malformed;
}

std::string error_type(const api::http_response& r) {
  for (const auto& [name, value] : r.headers) {
    if (name.size() != 16) continue;
    std::string lower;
    for (char c : name) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    if (lower == "x-amzn-errortype") return value.substr(0, value.find(':'));
  }
  return {};
}

std::string describe(const expectation& e) {
  return std::to_string(e.status) + (e.error.empty() ? "" : " " + e.error);
}

// One answer in the recent history (printed with a violation): kept as fields and formatted
// only when printed, since all but the last few are dropped unread.
struct answer_note {
  std::uint64_t step = 0;
  std::string request_id;
  op_kind kind{};
  std::string caller, target;
  expectation got, expected;
  std::string text() const {
    return "step " + std::to_string(step) + ": " + request_id + " " + op_name(kind) + " by " +
           caller + " on " + target + " -> " + describe(got) + " (model: " + describe(expected) +
           ")";
  }
};

class simulation {
 public:
  explicit simulation(const sim_options& o)
      : options_(o),
        root_(o.seed),
        schedule_(root_.fork()),
        faults_rng_(root_.fork()),
        ids_(root_.fork()),
        clients_(root_.fork(), account_ids(o.accounts)),
        model_(strict_rule_deletion(o)),
        volume_(events::make_memory_volume()) {
    if (o.store == sim_store::rocksdb) disk_ = events::make_memory_disk();
    if (!o.trace_file.empty()) {
      trace_out_ = std::fopen(o.trace_file.c_str(), "w");
      if (!trace_out_) throw std::runtime_error("cannot write the trace file " + o.trace_file);
    }
  }
  ~simulation() {
    journal_.crash();  // queued completions hold actor handles: drop them before the actors
    if (registry_) registry_->stop();
    if (trace_out_) std::fclose(trace_out_);
  }

  sim_report run() {
    const auto started = std::chrono::steady_clock::now();
    report_.safety_steps = options_.steps - options_.steps / 4;
    try {
      boot();
      for (step_ = 1; step_ <= options_.steps; ++step_) {
        faults_on_ = step_ <= report_.safety_steps;
        one_step();
        take_answers();
        if (options_.check_every && step_ % options_.check_every == 0)
          full_check("periodic", false);
      }
      step_ = options_.steps;
      drain();
      full_check("final", true);
    } catch (const violation_found&) {
    }
    report_.steps = std::min(step_, options_.steps);
    report_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    report_.trace_hash = trace_.hex();
    report_.faults["passivate"] += passivations_ + (registry_ ? registry_->passivations() : 0);
    std::string recent;
    for (const auto& l : recent_)
      recent += "  " + (l.index() == 0 ? std::get<0>(l) : std::get<1>(l).text()) + "\n";
    for (const auto& [outcome, n] : outcomes_)
      report_.outcomes[std::string(op_name(std::get<0>(outcome))) + " " +
                       describe({std::get<1>(outcome), std::get<2>(outcome)})] += n;
    report_.recent = recent;
    return report_;
  }

 private:
  static std::vector<std::string> account_ids(std::size_t n) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i) {
      char b[13];
      std::snprintf(b, sizeof b, "%012llu",
                    static_cast<unsigned long long>(111111111111ull + i * 1000001ull));
      out.emplace_back(b);
    }
    return out;
  }
  bool fault_enabled(fault f) const {
    return faults_on_ && (options_.faults & (1u << static_cast<unsigned>(f)));
  }

  [[noreturn]] void violated(const std::string& what) {
    report_.ok = false;
    report_.violation = what;
    report_.violation_step = step_;
    throw violation_found{};
  }

  void note(std::string line) {
    if (trace_out_) std::fprintf(trace_out_, "%s\n", line.c_str());
    recent_.emplace_back(std::move(line));
    if (recent_.size() > recent_lines) recent_.pop_front();
  }
  void note(answer_note answer) {
    if (trace_out_) return note(answer.text());
    recent_.emplace_back(std::move(answer));
    if (recent_.size() > recent_lines) recent_.pop_front();
  }

  // ---- the simulated process ----

  void boot() {
    events::store_options so;
    so.disk = disk_;
    so.secret_for_new_store = std::string(32, 's');
    auto opened = options_.store == sim_store::rocksdb ? events::event_store::open("/sim/data", so)
                                                       : events::open_memory_store(volume_, so);
    if (!opened) violated("the store did not open: " + opened.error().message);
    store_ = std::move(opened.value());
    journal_.attach(store_.get());
    registry_options ro;
    ro.deterministic = true;
    ro.strict_rule_deletion = strict_rule_deletion(options_);
    ro.snapshot_every = 16;  // short, so activations start from snapshots often
    // Few resident actors: passivation and re-activation happen all the time.
    ro.max_resident =
        (options_.faults & (1u << static_cast<unsigned>(fault::passivate))) ? 3 : 1u << 20;
    registry_ = std::make_unique<registry>(*store_, journal_, ro);
    api::dispatcher_options d;
    // The model predicts "Collaborations created per account" (creates and deletes of one
    // creator are serialized, so the count it sees is exact); "Memberships per account" is set
    // out of reach (see sim/README.md).
    d.quotas.memberships_per_account = 1u << 30;
    api::dispatcher_ports p;
    p.now = [this] { return now_ms_; };
    p.new_id = [this] { return fresh_id_ = random_uuid(ids_); };
    p.new_request_id = [this] { return request_id_; };
    api_ = std::make_unique<api::dispatcher>(*store_, *registry_, d, p);
  }

  void crash() {
    ++report_.faults["crash"];
    note("step " + std::to_string(step_) + ": crash with " + std::to_string(in_flight_.size()) +
         " calls in flight, " + std::to_string(journal_.queued()) + " appends not durable");
    ++epoch_;
    journal_.crash();
    passivations_ += registry_->passivations();
    // The actors go first: commands dropped with them still answer through the dispatcher.
    registry_->stop();
    api_.reset();
    registry_.reset();
    store_->abandon();  // no memtable flush: the restart recovers from the write-ahead log
    store_.reset();
    auto lost = std::move(in_flight_);
    in_flight_.clear();
    busy_.clear();
    answers_.clear();
    boot();
    // Which lost calls took effect: those whose request id reached the log. Apply them to the
    // model in log order (one write per collaboration was in flight, so order is per stream).
    std::map<std::string, std::uint64_t> wanted;
    for (const auto& [seq, f] : lost)
      if (f.write) wanted[f.request_id] = 0;
    // RocksDB recovered its log from the WAL: all of it is read again. The memory store's log is
    // the one read before (an append-only deque, tests/events/store_contract_test.cpp), so only
    // what was appended since the last restart is read; the lost calls were sent after it.
    if (recovers_from_wal()) {
      logged_ids_.clear();
      logged_to_ = 0;
    }
    std::map<std::uint64_t, const in_flight*> durable;
    auto read = store_->read_all(logged_to_ + 1, UINT64_MAX, [&](const events::recorded_event& e) {
      logged_ids_.insert(e.env.request_id);
      logged_to_ = e.env.position;
      auto it = wanted.find(e.env.request_id);
      if (it != wanted.end() && it->second == 0) it->second = e.env.position;
      return true;
    });
    if (!read) violated("the log cannot be read after a restart: " + read.error().message);
    for (const auto& rid : acked_)
      if (!logged_ids_.count(rid)) violated("acknowledged call " + rid + " is lost after a crash");
    for (const auto& [seq, f] : lost) {
      if (!f.write) continue;
      if (auto p = wanted[f.request_id]) durable[p] = &f;
    }
    // Their clients, who never heard back, may send them again (fault `retry`).
    for (const auto& [seq, f] : lost)
      if (f.write && answered_.size() < 64) answered_.push_back(f.op);
    for (const auto& [pos, f] : durable) {
      const auto e = model_.predict(f->op);
      if (e.status >= 300)
        violated(std::string(op_name(f->op.kind)) + " " + f->request_id +
                 " took effect before the crash, but the model expects " + describe(e));
      model_.apply(f->op, f->fresh_id);
    }
    // A store recovered from its WAL is checked whole; the memory store lost nothing it held,
    // so the check goes on from the last one (what that covers: full_check).
    full_check("after restart", recovers_from_wal());
  }

  bool recovers_from_wal() const { return options_.store == sim_store::rocksdb; }

  // ---- one step: the seed picks what happens next ----

  void one_step() {
    now_ms_ += 1 + schedule_.below(20);
    if (stalled_until_ > step_ && !fault_enabled(fault::slow_append)) stalled_until_ = 0;
    if (faults_on_ && fault_enabled(fault::crash) && faults_rng_.chance(1) &&
        faults_rng_.chance(300)) {
      crash();
      return;
    }
    if (fault_enabled(fault::slow_append) && stalled_until_ <= step_ && faults_rng_.chance(2)) {
      stalled_until_ = step_ + 50 + faults_rng_.below(400);
      ++report_.faults["slow-append"];
    }
    const bool can_issue = in_flight_.size() < max_in_flight;
    const bool can_run = registry_->runnable() > 0;
    const bool can_commit = journal_.queued() > 0 && stalled_until_ <= step_;
    const auto roll = schedule_.below(100);
    if (roll < 4 && can_issue && !model_.unfinished_queries().empty()) {
      engine_step();
    } else if (roll < 30 && can_issue) {
      if (fault_enabled(fault::retry) && !answered_.empty() && faults_rng_.chance(60)) {
        ++report_.faults["retry"];
        issue(answered_[faults_rng_.below(answered_.size())]);
      } else {
        issue(clients_.next(model_, [this](const std::string& id) { return busy_.count(id) > 0; }));
      }
    } else if (roll < 80 && can_run) {
      registry_->run_one(schedule_.below(registry_->runnable()));
    } else if (can_commit) {
      const bool fail = fault_enabled(fault::failed_append) && faults_rng_.chance(15);
      if (fail) ++report_.faults["failed-append"];
      journal_.commit(1 + schedule_.below(16), fail,
                      [this](const committed_append& c) { committed(c); });
    } else if (can_run) {
      registry_->run_one(schedule_.below(registry_->runnable()));
    } else if (can_issue) {
      issue(clients_.next(model_, [this](const std::string& id) { return busy_.count(id) > 0; }));
    }
  }

  // What a write serializes on: its collaboration and, for creates and deletes of
  // collaborations, the creator's quota count.
  std::vector<std::string> busy_keys(const operation& op) const {
    if (!is_write(op.kind) || op.kind == op_kind::create_configured_table) return {};
    if (op.kind == op_kind::create_collaboration) return {"creator:" + op.caller};
    if (op.kind == op_kind::create_table_rule || op.kind == op_kind::delete_table_rule)
      return {"table:" + op.table_id};
    std::vector<std::string> keys{op.collaboration_id};
    // Any write on a collaboration may end its unfinished queries (the engine's report, a
    // cancellation, a cascade), and with them what holds up deleting their tables' rules.
    for (auto& t : model_.tables_read_in(op.collaboration_id)) keys.push_back("table:" + t);
    if (op.kind == op_kind::create_association) keys.push_back("table:" + op.table_id);
    if (op.kind == op_kind::start_query) {  // its SQL check reads the table's rule
      auto c = model_.collaborations().find(op.collaboration_id);
      if (c != model_.collaborations().end())
        for (const auto& [id, a] : c->second.associations)
          if (a.name == op.schema) keys.push_back("table:" + a.table_id);
    }
    if (op.kind == op_kind::delete_collaboration) {
      auto it = model_.collaborations().find(op.collaboration_id);
      if (it != model_.collaborations().end()) keys.push_back("creator:" + it->second.creator);
    }
    return keys;
  }

  void issue(operation op) {
    const bool write = is_write(op.kind);
    auto keys = busy_keys(op);
    for (const auto& k : keys)
      if (busy_.count(k)) return;  // one write at a time on each key: this one waits its turn
    const std::uint64_t seq = ++report_.requests;
    in_flight f;
    f.expected = model_.predict(op);
    f.write = write;
    f.exact = !races_a_write(op);
    f.racing_status = racing_status(op.kind);
    f.request_id = "sim-" + std::to_string(options_.seed) + "-" + std::to_string(seq);
    f.op = std::move(op);
    for (const auto& k : keys) ++busy_[k];
    f.keys = std::move(keys);
    if (f.op.kind == op_kind::begin_query || f.op.kind == op_kind::finish_query) {
      report(seq, std::move(f));
      return;
    }
    if (is_content_read(f.op.kind)) {
      read_pages(seq, std::move(f));
      return;
    }
    auto request = render_request(f.op);
    request_id_ = f.request_id;
    fresh_id_.clear();
    auto& slot = in_flight_[seq] = std::move(f);
    const auto epoch = epoch_;
    api_->handle(std::move(request), [this, seq, epoch](api::http_response r) {
      answers_.push_back({seq, epoch, std::move(r)});
    });
    slot.fresh_id = fresh_id_;
  }

  // Whether a read may see a write the model has not learned yet (it learns a write when it is
  // answered): one on the collaboration it shows or, for the caller's own lists
  // (ListMemberships, ListCollaborations), one that may add, remove or change an entry of them.
  bool races_a_write(const operation& op) const {
    if (is_write(op.kind) || op.kind == op_kind::malformed) return false;
    if (op.kind == op_kind::list_schemas) {  // a table's rule shows in its schemas
      if (busy_.count(op.collaboration_id)) return true;
      auto c = model_.collaborations().find(op.collaboration_id);
      if (c != model_.collaborations().end())
        for (const auto& [id, a] : c->second.associations)
          if (busy_.count("table:" + a.table_id)) return true;
      return false;
    }
    if (op.kind != op_kind::list_memberships && op.kind != op_kind::list_collaborations)
      return busy_.count(op.collaboration_id) > 0;
    for (const auto& [seq, f] : in_flight_)
      if (may_change_lists_of(f.op, op.caller)) return true;
    return false;
  }

  // The writes that create, end or change the status of a membership or a member record:
  // by the account, to it, or in a collaboration it is (or may be becoming) a member of.
  bool may_change_lists_of(const operation& w, const std::string& account) const {
    switch (w.kind) {
      case op_kind::create_collaboration:
        for (const auto& m : w.members)
          if (m.account == account) return true;
        return w.caller == account;
      case op_kind::create_membership:
      case op_kind::delete_membership:
      case op_kind::delete_member:
      case op_kind::delete_collaboration:
      case op_kind::create_change_request:  // ADD_MEMBER, committed at once if auto-approved
      case op_kind::update_change_request:
        break;
      default:
        return false;
    }
    if (w.caller == account || w.account == account) return true;
    auto c = model_.collaborations().find(w.collaboration_id);
    if (c == model_.collaborations().end() || c->second.member(account)) return true;
    if (w.kind != op_kind::update_change_request) return false;
    auto r = c->second.change_requests.find(w.change_request_id);
    return r == c->second.change_requests.end() || r->second.account == account;
  }

  // A content read: every page, one after the other within this step (reads are answered from
  // the projections during handle()), then checked against the model while it is the same.
  void read_pages(std::uint64_t seq, in_flight f) {
    std::string token;
    api::http_response last;
    for (std::size_t page = 0;; ++page) {
      if (page == max_pages)
        violated(std::string(op_name(f.op.kind)) + " " + f.request_id +
                 " still had a nextToken after " + std::to_string(max_pages) + " pages");
      request_id_ = f.request_id;
      auto got = std::make_shared<std::optional<api::http_response>>();
      api_->handle(render_request(f.op, token),
                   [got](api::http_response r) { *got = std::move(r); });
      if (!*got)
        violated(std::string(op_name(f.op.kind)) + " " + f.request_id +
                 " was not answered during the call: reads are served from the projections");
      last = std::move(**got);
      if (last.status != 200) break;
      f.pages.push_back(parse_page(last.body));
      token = next_token_of(f.pages.back());
      if (token.empty()) break;
    }
    // Only a read the model expects to succeed: one it expects to fail and that answered 200
    // is the status check's finding (and its pages show what the model does not know).
    if (last.status == 200 && f.exact && f.expected.status == 200) {
      std::size_t items = 0;
      f.content_problem = check_read(model_, f.op, f.pages, &items);
      auto& checked = report_.reads_checked[op_name(f.op.kind)];
      ++checked.reads;
      checked.items += items;
    }
    in_flight_[seq] = std::move(f);
    answers_.push_back({seq, epoch_, std::move(last)});
  }

  // The fake query engine's report goes to the collaboration actor as the real runner's does
  // (app/query_ports.cpp), not through the API; its answer is mapped to the API's statuses.
  void report(std::uint64_t seq, in_flight f) {
    decide_context ctx;
    ctx.caller = f.op.caller;
    ctx.region = "us-east-1";
    ctx.request_id = f.request_id;
    ctx.now = now_ms_;
    ctx.fresh_id = f.fresh_id = random_uuid(ids_);
    collaboration::command cmd = collaboration::begin_query{f.op.query_id};
    if (f.op.kind == op_kind::finish_query) {
      collaboration::finish_query done;
      done.query_id = f.op.query_id;
      done.duration_ms = 1 + static_cast<std::int64_t>(schedule_.below(5000));
      if (f.op.finish_status == "SUCCESS") {
        done.status = query_status::success;
        done.result_location = "s3://simulated/results/" + f.op.query_id + "/result.csv";
        done.result_rows = static_cast<std::int64_t>(schedule_.below(100));
      } else {
        done.status =
            f.op.finish_status == "FAILED" ? query_status::failed : query_status::timed_out;
        done.error_code = "SIMULATED";
        done.error_message = "the simulated engine says so";
      }
      cmd = std::move(done);
    }
    const auto cid = f.op.collaboration_id;
    in_flight_[seq] = std::move(f);
    const auto epoch = epoch_;
    registry_->send(cid, std::move(cmd), std::move(ctx), [this, seq, epoch](command_result r) {
      api::http_response out;
      if (r) {
        out.body = std::move(r.value());
      } else {
        static const std::pair<unsigned, const char*> by_kind[] = {
            {400, "ValidationException"},           {403, "AccessDeniedException"},
            {404, "ResourceNotFoundException"},     {409, "ConflictException"},
            {402, "ServiceQuotaExceededException"}, {500, "InternalServerException"}};
        const auto& [status, name] = by_kind[static_cast<int>(r.error().kind)];
        out.status = status;
        out.headers.emplace_back("x-amzn-ErrorType", name);
        out.body = r.error().message;
      }
      answers_.push_back({seq, epoch, std::move(out)});
    });
  }

  // The fake query engine: picks up, or finishes, one query the model knows is unfinished.
  void engine_step() {
    const auto& open = model_.unfinished_queries();
    if (open.empty()) return;
    auto it = pick(schedule_, open);
    const auto& c = model_.collaborations().at(it->first);
    const auto& q = c.queries.at(it->second);
    operation op;
    op.collaboration_id = c.id;
    op.query_id = q.id;
    auto ms = model_.memberships().find(q.membership_id);
    op.caller = ms == model_.memberships().end() ? c.creator : ms->second.account;
    if (q.status == m_query_status::started) {
      op.kind = op_kind::finish_query;
      const auto roll = schedule_.below(10);
      op.finish_status = roll < 7 ? "SUCCESS" : roll < 9 ? "FAILED" : "TIMED_OUT";
    } else {
      op.kind = op_kind::begin_query;
    }
    issue(std::move(op));
  }

  // Answers are checked after the step that produced them, in the order they came.
  void take_answers() {
    while (!answers_.empty()) {
      auto a = std::move(answers_.front());
      answers_.pop_front();
      if (a.epoch != epoch_) continue;  // the connection died with the process
      auto it = in_flight_.find(a.seq);
      if (it == in_flight_.end()) violated("call " + std::to_string(a.seq) + " answered twice");
      auto f = std::move(it->second);
      in_flight_.erase(it);
      check_answer(a.seq, f, a.response);
    }
  }

  void check_answer(std::uint64_t seq, const in_flight& f, const api::http_response& r) {
    const expectation got{r.status, r.status >= 300 ? error_type(r) : std::string()};
    ++outcomes_[{f.op.kind, got.status, got.error}];
    trace_.add(seq);
    trace_.add(r.status);
    trace_.add(got.error);
    trace_.add(r.body);
    for (const auto& p : f.pages) trace_.add(p.body);
    note(answer_note{step_, f.request_id, f.op.kind, f.op.caller,
                     f.op.collaboration_id + f.op.membership_id, got, f.expected});
    for (const auto& k : f.keys) {
      auto b = busy_.find(k);
      if (b != busy_.end() && --b->second == 0) busy_.erase(b);
    }
    const bool injected = r.status == 500 && journal_.failed_request_ids.count(f.request_id);
    if (!injected) {
      if (r.status >= 500)
        violated(std::string(op_name(f.op.kind)) + " answered " + describe(got) + ": " + r.body);
      if (f.exact && !(got == f.expected))
        violated("the model expected " + describe(f.expected) + " for " + op_name(f.op.kind) + " " +
                 f.request_id + ", the server answered " + describe(got) + ": " + r.body);
      if (!f.exact && r.status != 200 && r.status != f.racing_status)
        violated(std::string(op_name(f.op.kind)) + " answered " + describe(got) + ": " + r.body);
      if (f.exact && !f.content_problem.empty())
        violated(std::string(op_name(f.op.kind)) + " " + f.request_id + " by " + f.op.caller +
                 " disagrees with the model: " + f.content_problem);
    }
    if (r.status < 300 && f.write && !injected) {
      if (!f.expected.writes && committed_ids_.count(f.request_id))
        violated(std::string(op_name(f.op.kind)) + " " + f.request_id +
                 " should change nothing, but appended events");
    }
    if (r.status < 300 && f.write) {
      if (f.expected.writes && !committed_ids_.count(f.request_id))
        violated(std::string(op_name(f.op.kind)) + " " + f.request_id +
                 " was acknowledged before its events were durable");
      if (committed_ids_.count(f.request_id)) acked_.push_back(f.request_id);
      model_.apply(f.op, f.fresh_id);
    }
    if (f.write && answered_.size() < 64)
      answered_.push_back(f.op);
    else if (f.write)
      answered_[schedule_.below(answered_.size())] = f.op;
  }

  // A durable append: the per-append invariants, on the state before and after it.
  void committed(const committed_append& c) {
    const auto& r = *c.request;
    committed_ids_.insert(r.request_id);
    if (!r.events.empty() && c.outcome.first_position != last_position_ + 1)
      violated("global positions are not gap-free: " + std::to_string(c.outcome.first_position) +
               " after " + std::to_string(last_position_));
    last_position_ += r.events.size();
    trace_.add(r.stream);
    trace_.add(c.outcome.new_version);
    trace_.add(r.request_id);
    for (const auto& v : r.views) {
      touched_keys_.insert(v.key);
      trace_.add(v.key);
      trace_.add(v.erase ? std::string_view("-") : std::string_view(v.value));
    }
    report_.events += r.events.size();
    note("step " + std::to_string(step_) + ": durable " + r.stream + " v" +
         std::to_string(c.outcome.new_version) + " (" + std::to_string(r.events.size()) +
         " events, " + r.request_id + ")");
    if (r.stream.rfind(collaboration_prefix, 0) != 0) return;
    auto& shadow = shadow_[r.stream];
    if (shadow.version != r.expected_version)
      violated(r.stream + ": append expected version " + std::to_string(r.expected_version) +
               ", the log holds " + std::to_string(shadow.version));
    const auto before = shadow;
    if (auto e = check_actor(before, r); !e.empty()) violated(r.stream + ": " + e);
    for (const auto& e : r.events) collaboration::apply(shadow, e, r.time);
    if (shadow.version != c.outcome.new_version)
      violated(r.stream + ": stream version " + std::to_string(c.outcome.new_version) + " after " +
               std::to_string(r.events.size()) + " events from " + std::to_string(before.version));
    if (auto e = check_transition(before, shadow); !e.empty()) violated(r.stream + ": " + e);
    if (auto e = check_state(shadow); !e.empty()) violated(r.stream + ": " + e);
  }

  // The whole log against itself, the live projections, the states the appends built, and what
  // activation (snapshot + tail) makes of each stream.
  //
  // A periodic check continues from the last one: it folds only the events appended since, and
  // re-renders, replays against the live state and activates only the streams they went to. It
  // compares with the live views the rows of those streams, before and after, and every key an
  // append wrote since. That is the whole comparison, not a sample: the log is append-only,
  // snapshots and views are written only with appends (the simulator sees each one commit), and
  // nothing in the fault model alters stored bytes, so a stream without new events renders what
  // it rendered, and a key no append wrote holds what it held, when both were found equal. After
  // a restart and at the end (`every_stream`) the check starts over from the first event and
  // compares every stream and every stored row, since recovery rebuilt them all.
  void full_check(const char* when, bool every_stream) {
    const std::string at = std::string(when) + " check: ";
    // Now and then a periodic check starts over too: it reads back everything the incremental
    // ones take on trust (old log entries, rows no append wrote since they were compared).
    if (!every_stream && ++periodic_checks_ % whole_check_every == 0) every_stream = true;
    if (every_stream || !replayer_) {
      replayer_ = std::make_unique<projections::log_replayer>();
      stream_rows_.clear();
      row_owner_.clear();
    }
    projections::verify_report rep;
    std::set<std::string> changed;
    auto folded = replayer_->advance(*store_, rep, every_stream, {}, &changed);
    if (!folded) violated(at + "the log cannot be replayed: " + folded.error().message);
    if (auto heads = replayer_->check_heads(*store_, rep); !heads)
      violated(at + "the heads cannot be read: " + heads.error().message);
    if (rep.problem_count) violated(at + "the log is inconsistent: " + rep.problems.front().what);
    const auto& log = replayer_->log();

    std::set<std::string> keys = std::move(touched_keys_);
    touched_keys_.clear();
    // Every changed stream lets go of its old rows before any renders its new ones, so a key
    // moving from one stream to another is not taken for a key two streams render.
    for (const auto& stream : changed)
      for (const auto& [key, value] : stream_rows_[stream]) {
        row_owner_.erase(key);
        keys.insert(key);
      }
    for (const auto& stream : changed) {
      auto& mine = stream_rows_[stream];
      if (auto c = log.collaborations.find(stream); c != log.collaborations.end())
        mine = projections::rows(c->second);
      else if (auto t = log.configured_tables.find(stream); t != log.configured_tables.end())
        mine = projections::rows(t->second);
      for (const auto& [key, value] : mine) {
        // Keys carry the ids of what they show: two streams rendering one key would leave the
        // live row to whichever wrote last, and a rebuild to the first.
        auto [owner, fresh] = row_owner_.try_emplace(key, stream);
        if (!fresh)
          violated(at + "streams " + owner->second + " and " + stream + " both render " + key);
        keys.insert(key);
      }
    }
    if (every_stream) {
      std::size_t live_rows = 0;
      std::string differs;
      store_->scan_views("", "", [&](std::string_view key, std::string_view value) {
        ++live_rows;
        const auto* want = expected_row(key);
        if (want && *want == value) return true;
        differs = std::string(key);
        return false;
      });
      if (differs.empty() && live_rows != row_owner_.size())
        for (const auto& [key, stream] : row_owner_)
          if (!store_->get_view(key)) {
            differs = key;
            break;
          }
      if (!differs.empty())
        violated(at + "rebuilt projections differ from the live ones at " + differs);
    } else {
      for (const auto& key : keys) {
        const auto* want = expected_row(key);
        const auto live = store_->get_view(key);
        if (want ? !live || *live != *want : live.has_value())
          violated(at + "rebuilt projections differ from the live ones at " + key);
      }
    }
    if (log.collaborations.size() != shadow_.size())
      violated(at + "the log holds " + std::to_string(log.collaborations.size()) +
               " collaborations, " + std::to_string(shadow_.size()) + " were made durable");
    compare_with_model(when);
    for (const auto& [stream, replayed] : log.collaborations) {
      auto sh = shadow_.find(stream);
      if (sh == shadow_.end()) violated(at + "unknown stream " + stream);
      auto& checked = checked_version_[stream];
      if (!every_stream && checked == sh->second.version && replayed.version == checked) continue;
      checked = sh->second.version;
      const auto expected = projections::rows(sh->second);
      if (stream_rows_.at(stream) != expected)
        violated(at + "replaying " + stream + " differs from its live state");
      auto activated =
          activate(*store_, stream.substr(std::string_view(collaboration_prefix).size()));
      if (!activated || projections::rows(activated.value()) != expected)
        violated(at + "activating " + stream + " (snapshot + tail) differs from its live state");
    }
  }

  // The row the log implies at `key`, or null if it implies none.
  const std::string* expected_row(std::string_view key) const {
    auto owner = row_owner_.find(std::string(key));
    if (owner == row_owner_.end()) return nullptr;
    const auto& rows = stream_rows_.at(owner->second);
    auto row = rows.find(owner->first);
    return row == rows.end() ? nullptr : &row->second;
  }

  // The reference model's statuses against the state the durable appends built: catches an
  // evolver that records the right events wrongly, which replay (same evolver) cannot. Only
  // collaborations without a write in flight: the model learns a write when it is answered.
  void compare_with_model(const char* when) {
    static const member_status member_map[] = {member_status::invited, member_status::active,
                                               member_status::left, member_status::removed};
    static const query_status query_map[] = {query_status::submitted,  query_status::started,
                                             query_status::cancelling, query_status::cancelled,
                                             query_status::success,    query_status::failed,
                                             query_status::timed_out};
    static const change_request_status request_map[] = {
        change_request_status::pending, change_request_status::approved,
        change_request_status::denied, change_request_status::cancelled,
        change_request_status::committed};
    for (const auto& [key, c] : model_.collaborations()) {
      const std::string& id = c.id;  // a lambda cannot capture a structured binding (C++17)
      if (busy_.count(id)) continue;
      auto sh = shadow_.find(collaboration_prefix + id);
      auto fail = [&](const std::string& what) {
        violated(std::string(when) + " check: collaboration " + id + ": " + what);
      };
      if (sh == shadow_.end()) fail("the model knows it, the log does not");
      const auto& s = sh->second;
      if (s.deleted != c.deleted) fail("deleted differs from the model");
      if (s.members.size() != c.members.size()) fail("member count differs from the model");
      for (const auto& m : c.members) {
        const auto* live = s.member(m.account);
        if (!live || live->status != member_map[static_cast<int>(m.status)])
          fail("member " + m.account + " is " +
               (live ? std::string(to_string(live->status)) : std::string("absent")) +
               ", the model says otherwise");
      }
      for (const auto& [qid, q] : c.queries) {
        auto live = s.queries.find(qid);
        if (live == s.queries.end() || live->second.status != query_map[static_cast<int>(q.status)])
          fail("query " + qid + " status differs from the model");
      }
      for (const auto& [rid, r] : c.change_requests) {
        auto live = s.change_requests.find(rid);
        if (live == s.change_requests.end() ||
            live->second.status != request_map[static_cast<int>(r.status)])
          fail("change request " + rid + " status differs from the model");
      }
    }
  }

  // Liveness: without faults, every call gets its answer.
  void drain() {
    faults_on_ = false;
    stalled_until_ = 0;
    for (std::uint64_t i = 0; i < drain_limit; ++i) {
      if (registry_->runnable() > 0)
        registry_->run_one(schedule_.below(registry_->runnable()));
      else if (journal_.queued() > 0)
        journal_.commit(journal_.queued(), false,
                        [this](const committed_append& c) { committed(c); });
      else
        break;
      take_answers();
    }
    take_answers();
    if (!in_flight_.empty())
      violated("liveness: " + std::to_string(in_flight_.size()) +
               " calls never answered, the first " + in_flight_.begin()->second.request_id);
  }

  sim_options options_;
  prng root_, schedule_, faults_rng_, ids_;
  workload clients_;
  reference_model model_;
  std::shared_ptr<events::memory_volume> volume_;  // --store memory
  std::shared_ptr<rocksdb::Env> disk_;             // --store rocksdb
  std::unique_ptr<events::event_store> store_;
  sim_journal journal_;
  std::unique_ptr<registry> registry_;
  std::unique_ptr<api::dispatcher> api_;

  std::uint64_t step_ = 0;
  std::uint64_t epoch_ = 0;
  time_ms now_ms_ = 1763683200000;  // 2025-11-21, advanced by the seed
  bool faults_on_ = true;
  std::uint64_t stalled_until_ = 0;
  std::uint64_t passivations_ = 0;
  std::string request_id_, fresh_id_;  // handed to the dispatcher's ports during handle()
  std::map<std::uint64_t, in_flight> in_flight_;
  std::deque<answer> answers_;
  std::map<std::string, std::uint64_t> busy_;           // collaborations with a write in flight
  std::vector<operation> answered_;                     // calls a retry may resend
  std::map<std::string, collaboration::state> shadow_;  // every durable append, applied
  std::unordered_map<std::string, std::uint64_t> checked_version_;  // by the last full check
  // What the periodic check carries from one check to the next (full_check), started over by
  // every restart and the final check: the log folded so far, each stream's rows rendered from
  // it, the stream that renders each key, and the view keys appends wrote since the last check.
  std::unique_ptr<projections::log_replayer> replayer_;
  std::uint64_t periodic_checks_ = 0;
  // Looked up once or more per answer and grow with the run: hashed, not ordered.
  std::unordered_set<std::string> logged_ids_;  // request ids of the events read after restarts
  std::uint64_t logged_to_ = 0;                 // the last position they were read to
  std::map<std::string, projections::row_set> stream_rows_;
  std::unordered_map<std::string, std::string> row_owner_;
  std::set<std::string> touched_keys_;
  std::unordered_set<std::string> committed_ids_;
  std::vector<std::string> acked_;  // in the order they were acknowledged
  std::uint64_t last_position_ = 0;
  trace_hash trace_;
  std::FILE* trace_out_ = nullptr;
  std::deque<std::variant<std::string, answer_note>> recent_;
  std::map<std::tuple<op_kind, unsigned, std::string>, std::uint64_t> outcomes_;  // report_'s
  sim_report report_;
};

}  // namespace

sim_report run_simulation(const sim_options& options) {
  collaboration::planted_bug bug = collaboration::planted_bug::none;
  if (options.bug == "member-left-stays-active")
    bug = collaboration::planted_bug::member_left_stays_active;
  else if (options.bug == "invitee-removal-ignored")
    bug = collaboration::planted_bug::invitee_removal_ignored;
  else if (options.bug == "cancelled-query-succeeds")
    bug = collaboration::planted_bug::cancelled_query_succeeds;
  else if (options.bug == "removed-member-listed-without-membership")
    bug = collaboration::planted_bug::removed_member_listed_without_membership;
  else if (options.bug == "stale-membership-quota-row")
    bug = collaboration::planted_bug::stale_membership_quota_row;
  else if (!options.bug.empty())
    throw std::invalid_argument("unknown planted bug " + options.bug);
  // The run's own failures (injected disk errors, crashes) are findings reported by the run;
  // the server's logs of them would drown everything else. Both are restored however the run
  // ends.
  struct scope {
    spdlog::level::level_enum level = spdlog::get_level();
    explicit scope(collaboration::planted_bug bug) {
      collaboration::plant_bug_for_tests(bug);
      spdlog::set_level(spdlog::level::off);
    }
    ~scope() {
      spdlog::set_level(level);
      collaboration::plant_bug_for_tests(collaboration::planted_bug::none);
    }
  } guard(bug);
  simulation s(options);
  return s.run();
}

std::string command_line(const sim_options& o) {
  std::string s = "cleanroomsd sim --seed " + std::to_string(o.seed) + " --steps " +
                  std::to_string(o.steps) + " --accounts " + std::to_string(o.accounts);
  std::string faults;
  for (int i = 0; i < fault_count; ++i)
    if (o.faults & (1u << i))
      faults += std::string(faults.empty() ? "" : ",") + fault_name(static_cast<fault>(i));
  s += " --faults " + (faults.empty() ? std::string("none") : faults);
  if (o.check_every != 2000) s += " --check-every " + std::to_string(o.check_every);
  if (o.store == sim_store::rocksdb) s += " --store rocksdb";
  if (!o.bug.empty()) s += " --plant-bug " + o.bug;
  return s;
}

}  // namespace crs::sim
