// libpg_query's parse tree as a boost::json::value, and helpers to read its nodes. A node is
// an object with one member named after the node type: {"ColumnRef": {"fields": [...], ...}};
// the helpers hand out the inner object (the "body"). libpg_query leaves out members that
// hold their default (false, 0, empty), so every reader tolerates absence.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "events/result.hpp"

namespace crs::query::sql {

namespace json = boost::json;

struct parse_failure {
  enum class kind { syntax, too_deep, internal } what = kind::syntax;
  std::string message;
  int cursor = 0;  // 1-based byte position of the error; 0 when unknown
};

// Parses `sql` (no NUL bytes) with libpg_query. The parser runs on a thread of its own with a
// stack sized to the text: libpg_query serializes its tree recursively, and a long operator
// chain (`1+1+...+1`) needs megabytes of stack that a caller's thread may not have.
[[nodiscard]] result<json::value, parse_failure> parse_sql(std::string_view sql);

// The type and body of a node, or nullopt when `v` is not a node.
struct node_view {
  std::string_view type;
  const json::object* body = nullptr;
};
[[nodiscard]] std::optional<node_view> as_node(const json::value& v);
[[nodiscard]] std::optional<node_view> as_node(const json::value* v);

[[nodiscard]] const json::value* member(const json::object& o, std::string_view key);
[[nodiscard]] const json::array* list_member(const json::object& o, std::string_view key);
[[nodiscard]] const json::object* object_member(const json::object& o, std::string_view key);
[[nodiscard]] std::string_view string_member(const json::object& o, std::string_view key);
[[nodiscard]] bool bool_member(const json::object& o, std::string_view key);
[[nodiscard]] std::int64_t int_member(const json::object& o, std::string_view key);
// The node's `location` (byte offset into the text), -1 when absent.
[[nodiscard]] int location_of(const json::object& body);

// {"String": {"sval": "x"}} -> "x".
[[nodiscard]] std::optional<std::string_view> string_node(const json::value& v);

// The value of an integer A_Const (`ival`, or a `fval` of digits), nullopt otherwise.
[[nodiscard]] std::optional<std::int64_t> integer_constant(const json::object& a_const);

// The function's name, lower case, when it is unqualified or a SQL-syntax form PostgreSQL
// qualifies itself (EXTRACT, SUBSTRING, TRIM -> pg_catalog.x); nullopt for `schema.f(...)`.
[[nodiscard]] std::optional<std::string> function_name(const json::object& func_call);

}  // namespace crs::query::sql
