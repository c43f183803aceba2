// check_query: the common checks (size, one SELECT, tables and their rules) and the rewrite of
// the executable SQL; the rule types' own checks are in check_{aggregation,list,custom}.cpp.
#include "query/sql/check.hpp"

#include <algorithm>

#include "query/sql/lexer.hpp"
#include "query/sql/parse_tree.hpp"
#include "query/sql/rules.hpp"
#include "query/sql/scope.hpp"

namespace crs::query {

namespace {

using namespace crs::query::sql;

violation unsupported(std::string message) {
  return {code_unsupported, std::move(message)};
}

bool valid_utf8(std::string_view s) {
  static constexpr std::uint32_t smallest[] = {0, 0x80, 0x800, 0x10000};
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t more = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      more = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      more = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      more = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (s.size() - i <= more) return false;
    for (std::size_t k = 1; k <= more; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < smallest[more] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += more + 1;
  }
  return true;
}

// "SelectStmt" -> "SELECT", "InsertStmt" -> "INSERT", for messages.
std::string statement_kind(std::string_view type) {
  std::string out(type.substr(0, type.size() > 4 && type.substr(type.size() - 4) == "Stmt"
                                     ? type.size() - 4
                                     : type.size()));
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

// Table-level rules (SPEC.md 12 step 8, 17.5): a query reads at least one and at most
// max_tables schemas, each with an analysis rule, not for DIRECT_JOB, all of one rule type.
result<analysis_rule_type, violation> table_rules(const bound_query& q, const query_facts& facts) {
  if (q.schemas.empty()) return rule_violation("The query reads no table of the collaboration");
  if (q.schemas.size() > facts.max_tables)
    return violation{code_query_too_large,
                     "A query may read at most " + std::to_string(facts.max_tables) +
                         " tables; this one reads " + std::to_string(q.schemas.size())};
  for (const std::size_t i : q.schemas)
    if (!facts.schemas[i].policy)
      return rule_violation("Table '" + facts.schemas[i].name +
                            "' has no analysis rule and cannot be queried");
  for (const std::size_t i : q.schemas)
    if (facts.schemas[i].method == analysis_method::direct_job)
      return rule_violation("Table '" + facts.schemas[i].name +
                            "' is configured for DIRECT_JOB analysis and cannot be queried "
                            "with SQL");
  const schema_fact& first = facts.schemas[q.schemas[0]];
  const analysis_rule_type type = type_of(*first.policy);
  for (const std::size_t i : q.schemas) {
    const schema_fact& s = facts.schemas[i];
    if (type_of(*s.policy) != type)
      return rule_violation("Tables of one query must share one analysis rule type: '" +
                            first.name + "' is " + std::string(to_string(type)) + ", '" + s.name +
                            "' is " + std::string(to_string(type_of(*s.policy))));
  }
  return type;
}

// The value of a LIMIT/OFFSET expression; nullopt for LIMIT ALL / NULL.
result<std::optional<std::int64_t>, violation> limit_value(const json::value& v, const char* clause,
                                                           std::string_view sql) {
  const auto n = as_node(v);
  if (n && n->type == "A_Const") {
    if (bool_member(*n->body, "isnull")) return std::optional<std::int64_t>();
    if (const auto value = integer_constant(*n->body)) {
      // libpg_query 15-4.0 writes a negative int constant as `"ival": {}` (as if 0), so the
      // sign is read from the text at the constant's location.
      const int at = location_of(*n->body);
      const bool minus = at >= 0 && static_cast<std::size_t>(at) < sql.size() && sql[at] == '-';
      if (*value < 0 || minus) return unsupported(std::string(clause) + " must not be negative");
      return std::optional<std::int64_t>(*value);
    }
  }
  return unsupported(std::string(clause) + " must be an integer constant");
}

// The aggregation rewrite: hidden columns after the select list, LIMIT/OFFSET lifted out.
class rewriter {
 public:
  // The statement is [begin, end) of `sql` as libpg_query delimits it; the executable SQL
  // spans its first to its last token, comments and `;` around it left out.
  rewriter(std::string_view sql, std::size_t begin, std::size_t end, const lexed& tokens)
      : sql_(sql) {
    for (const token& t : tokens.tokens)
      if (t.begin >= begin && t.end <= end) tokens_.push_back(t);
    while (!tokens_.empty() && is_punct(tokens_.back(), sql_, ';')) tokens_.pop_back();
    begin_ = tokens_.empty() ? begin : tokens_.front().begin;
    end_ = tokens_.empty() ? end : tokens_.back().end;
  }

  result<ok_t, violation> aggregation(const bound_query& q,
                                      const std::vector<hidden_column>& hidden,
                                      checked_query& out) {
    const json::object& stmt = *q.top->stmt;
    // Insert before the top-level FROM keyword: the last FROM before the first table (a FROM
    // inside the select list, as in `a IS DISTINCT FROM b`, comes earlier).
    int first_table = -1;
    for (const auto& e : q.top->entries) {
      const int at = location_of(*e->node);
      if (at >= 0 && (first_table < 0 || at < first_table)) first_table = at;
    }
    std::optional<std::size_t> from;
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      if (first_table >= 0 && tokens_[i].begin >= static_cast<std::size_t>(first_table)) break;
      if (is_word(tokens_[i], sql_, "from")) from = i;
    }
    if (!from || *from == 0) return unsupported("cannot find the FROM clause of the query");
    const std::size_t insert_at = tokens_[*from - 1].end;
    std::string columns;
    for (const hidden_column& h : hidden) {
      columns += ", COUNT(DISTINCT " + quote(h.table) + "." + quote(h.column) + ")";
      out.minimums.push_back(h.minimum);
    }

    std::size_t cut_begin = end_, cut_end = end_;
    const json::value* count = member(stmt, "limitCount");
    const json::value* offset = member(stmt, "limitOffset");
    if (count || offset) {
      if (count) {
        auto v = limit_value(*count, "LIMIT", sql_);
        if (!v) return v.error();
        out.limit = *v;
      }
      if (offset) {
        auto v = limit_value(*offset, "OFFSET", sql_);
        if (!v) return v.error();
        out.offset = v->value_or(0);
      }
      auto cut = limit_clause(*from);
      if (!cut) return cut.error();
      std::tie(cut_begin, cut_end) = *cut;
      for (const json::value* v : {count, offset})
        if (v) {
          const int at = location_of(*as_node(*v)->body);
          if (at >= 0 &&
              (static_cast<std::size_t>(at) < cut_begin || static_cast<std::size_t>(at) >= cut_end))
            return unsupported("cannot find the LIMIT clause of the query");
        }
    }
    out.sql = std::string(sql_.substr(begin_, insert_at - begin_)) + columns +
              std::string(sql_.substr(insert_at, cut_begin - insert_at)) +
              std::string(sql_.substr(cut_end, end_ - cut_end));
    return ok_v;
  }

  std::string statement() const { return std::string(sql_.substr(begin_, end_ - begin_)); }

 private:
  static std::string quote(std::string_view name) {
    std::string out = "\"";
    for (const char c : name) {
      if (c == '"') out += '"';
      out += c;
    }
    return out + "\"";
  }

  // The LIMIT/OFFSET/FETCH clause: from its first keyword at parenthesis depth 0 (they are
  // reserved words, so only the clause can put one there) to the statement's last token.
  result<std::pair<std::size_t, std::size_t>, violation> limit_clause(std::size_t after) const {
    int depth = 0;
    for (std::size_t i = after; i < tokens_.size(); ++i) {
      const token& t = tokens_[i];
      if (is_punct(t, sql_, '(')) ++depth;
      if (is_punct(t, sql_, ')')) --depth;
      if (depth == 0 &&
          (is_word(t, sql_, "limit") || is_word(t, sql_, "offset") || is_word(t, sql_, "fetch"))) {
        return std::make_pair(t.begin, end_);
      }
    }
    return unsupported("cannot find the LIMIT clause of the query");
  }

  std::string_view sql_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::vector<token> tokens_;
};

}  // namespace

result<checked_query, violation> check_query(std::string_view sql, const query_facts& facts) {
  if (sql.size() > facts.max_text_bytes)
    return violation{code_query_too_large, "The query text is " + std::to_string(sql.size()) +
                                               " bytes; the limit is " +
                                               std::to_string(facts.max_text_bytes) + " bytes"};
  if (sql.find('\0') != std::string_view::npos)
    return violation{code_parse_error, "The query text contains a NUL byte"};
  if (!valid_utf8(sql)) return violation{code_parse_error, "The query text is not valid UTF-8"};

  auto tree = parse_sql(sql);
  if (!tree) {
    const parse_failure& f = tree.error();
    if (f.what == parse_failure::kind::too_deep)
      return unsupported("The query is nested too deeply (more than " +
                         std::to_string(max_tree_depth) + " levels)");
    std::string message = f.message;
    if (f.cursor > 0) message += " (at position " + std::to_string(f.cursor) + ")";
    return violation{code_parse_error, std::move(message)};
  }
  const json::object* root = tree->if_object();
  const json::array* stmts = root ? list_member(*root, "stmts") : nullptr;
  if (!stmts || stmts->empty()) return violation{code_parse_error, "The query is empty"};
  if (stmts->size() > 1)
    return unsupported("The query must be exactly one statement; it has " +
                       std::to_string(stmts->size()));
  const json::object* raw = (*stmts)[0].if_object();
  const auto stmt = raw ? as_node(member(*raw, "stmt")) : std::nullopt;
  if (!stmt) return unsupported("unexpected SQL parse tree");
  if (stmt->type != "SelectStmt")
    return unsupported("Only SELECT statements can run; this is " + statement_kind(stmt->type));
  const std::size_t begin = static_cast<std::size_t>(int_member(*raw, "stmt_location"));
  const std::size_t len = static_cast<std::size_t>(int_member(*raw, "stmt_len"));
  const std::size_t end = len ? std::min(sql.size(), begin + len) : sql.size();

  const lexed tokens = lex(sql);
  if (tokens.dialect_problem)
    return unsupported("The query uses " + *tokens.dialect_problem +
                       ", which the engine would read differently");

  auto bound = bind(*stmt->body, facts);
  if (!bound) return bound.error();
  const bound_query& q = *bound;
  auto type = table_rules(q, facts);
  if (!type) return type.error();
  if (q.column_error) return *q.column_error;

  checked_query out;
  for (const std::size_t i : q.schemas) out.tables.push_back(facts.schemas[i].name);
  out.output_columns = q.outputs.size();
  rewriter rewrite(sql, begin, end, tokens);
  switch (*type) {
    case analysis_rule_type::aggregation: {
      auto hidden = check_aggregation(q, facts);
      if (!hidden) return hidden.error();
      if (auto r = rewrite.aggregation(q, *hidden, out); !r) return r.error();
      return out;
    }
    case analysis_rule_type::list: {
      if (auto r = check_list(q, facts); !r) return r.error();
      break;
    }
    case analysis_rule_type::custom: {
      if (auto r = check_custom(q, facts); !r) return r.error();
      break;
    }
  }
  out.sql = rewrite.statement();
  return out;
}

}  // namespace crs::query
