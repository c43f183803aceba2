#include "query/sql/parse_tree.hpp"

#include "query/sql/lexer.hpp"

#include <pg_query.h>
#include <pthread.h>

#include <cctype>
#include <charconv>

namespace crs::query::sql {

namespace {

// JSON nesting allowed when reading libpg_query's output: about four JSON levels per tree
// level, so well above the 200 tree levels the rule check accepts (it reports deeper trees
// itself) and far below what would strain the recursive destruction of a json::value.
constexpr std::size_t max_json_depth = 2000;

// Stack of the parser thread: a fixed part plus a share per byte of text (measured: a chain of
// 45 000 additions needs between 4 and 8 MiB). Only the pages it touches are committed.
constexpr std::size_t parser_stack_base = 32u << 20;
constexpr std::size_t parser_stack_per_byte = 512;

struct parse_job {
  const std::string* text = nullptr;
  std::string tree;
  std::optional<parse_failure> failure;
};

void* run_parse(void* arg) {
  auto* job = static_cast<parse_job*>(arg);
  PgQueryParseResult r = pg_query_parse(job->text->c_str());
  if (r.error) {
    job->failure =
        parse_failure{parse_failure::kind::syntax,
                      r.error->message ? r.error->message : "syntax error", r.error->cursorpos};
  } else if (r.parse_tree) {
    job->tree = r.parse_tree;
  }
  pg_query_free_parse_result(r);
  return nullptr;
}

}  // namespace

result<json::value, parse_failure> parse_sql(std::string_view sql) {
  const std::string text(sql);
  parse_job job;
  job.text = &text;

  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0)
    return parse_failure{parse_failure::kind::internal, "cannot start the SQL parser", 0};
  pthread_attr_setstacksize(&attr, parser_stack_base + parser_stack_per_byte * text.size());
  pthread_t thread;
  const int started = pthread_create(&thread, &attr, run_parse, &job);
  pthread_attr_destroy(&attr);
  if (started != 0)
    return parse_failure{parse_failure::kind::internal, "cannot start the SQL parser", 0};
  pthread_join(thread, nullptr);  // libpg_query frees its thread's memory when the thread ends

  if (job.failure) return *job.failure;
  json::parse_options options;
  options.max_depth = max_json_depth;
  boost::system::error_code ec;
  json::value tree = json::parse(job.tree, ec, {}, options);
  if (ec == json::error::too_deep)
    return parse_failure{parse_failure::kind::too_deep, "the query is nested too deeply", 0};
  if (ec)
    return parse_failure{parse_failure::kind::internal,
                         "cannot read the SQL parser's output: " + ec.message(), 0};
  return tree;
}

std::optional<node_view> as_node(const json::value& v) {
  const json::object* o = v.if_object();
  if (!o || o->size() != 1) return std::nullopt;
  const auto& m = *o->begin();
  const json::object* body = m.value().if_object();
  if (!body) return std::nullopt;
  return node_view{m.key(), body};
}

std::optional<node_view> as_node(const json::value* v) {
  if (!v) return std::nullopt;
  return as_node(*v);
}

const json::value* member(const json::object& o, std::string_view key) {
  return o.if_contains(key);
}

const json::array* list_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}

const json::object* object_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

std::string_view string_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_string()) return {};
  const json::string& s = v->get_string();
  return {s.data(), s.size()};
}

bool bool_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

std::int64_t int_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  return 0;
}

int location_of(const json::object& body) {
  const json::value* v = body.if_contains("location");
  if (!v || !v->is_int64()) return -1;
  return static_cast<int>(v->get_int64());
}

std::optional<std::string_view> string_node(const json::value& v) {
  const auto n = as_node(v);
  if (!n || n->type != "String") return std::nullopt;
  return string_member(*n->body, "sval");
}

std::optional<std::int64_t> integer_constant(const json::object& a_const) {
  if (const json::object* ival = object_member(a_const, "ival")) return int_member(*ival, "ival");
  if (const json::object* fval = object_member(a_const, "fval")) {
    const std::string_view s = string_member(*fval, "fval");
    std::int64_t v = 0;
    const char* first = s.data();
    const char* last = s.data() + s.size();
    const bool negative = !s.empty() && s[0] == '-';
    if (negative) ++first;
    const auto [p, ec] = std::from_chars(first, last, v);
    if (ec != std::errc() || p != last || first == last) return std::nullopt;
    return negative ? -v : v;
  }
  return std::nullopt;
}

std::optional<std::string> function_name(const json::object& func_call) {
  const json::array* names = list_member(func_call, "funcname");
  if (!names || names->empty()) return std::nullopt;
  if (names->size() == 2) {
    const auto schema = string_node((*names)[0]);
    if (!schema || *schema != "pg_catalog" ||
        string_member(func_call, "funcformat") != "COERCE_SQL_SYNTAX")
      return std::nullopt;
  } else if (names->size() != 1) {
    return std::nullopt;
  }
  const auto name = string_node(names->back());
  if (!name) return std::nullopt;
  return ascii_lower(*name);
}

}  // namespace crs::query::sql
