// decide for analysis templates (SPEC.md 13): published through an ACTIVE membership, immutable
// but for their description, read by every active member.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "actors/collaboration/decide.hpp"

namespace crs::collaboration {

[[nodiscard]] decision decide_template(const state& s, const create_analysis_template& c,
                                       const decide_context& ctx);
[[nodiscard]] decision decide_template(const state& s, const update_analysis_template& c,
                                       const decide_context& ctx);
[[nodiscard]] decision decide_template(const state& s, const delete_analysis_template& c,
                                       const decide_context& ctx);

// SQL scanning shared by the decider (referenced tables, `:name` parameter references) and the
// read side's differential-privacy heuristics (projections/template_view, SPEC.md 17.4). Not a
// parser: a tokenizer that knows literals, quoted identifiers, comments and parenthesis depth,
// which is all those heuristics need. Clean Rooms SQL with `:name` placeholders is no PostgreSQL,
// so libpg_query would refuse exactly the templates this has to read. Header-only, so the
// read-side library needs no link to the domain library.
namespace sql {

enum class token_kind : std::uint8_t { word, quoted, parameter, symbol, literal };

struct token {
  token_kind kind = token_kind::symbol;
  // word: as written; quoted: the identifier between its quotes; parameter: the name without
  // ':'; symbol: one character; literal: a string or number as written.
  std::string_view text;
  int depth = 0;  // parentheses open around the token ('(' and ')' carry the outer depth)
};

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// ParameterName: [0-9a-zA-Z_]+
inline bool is_parameter_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '_';
}
inline bool is_word_char(char c) {
  return is_parameter_char(c) || c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

inline bool is_word(const token& t, std::string_view upper) {
  return t.kind == token_kind::word && iequals(t.text, upper);
}
inline bool is_symbol(const token& t, char c) {
  return t.kind == token_kind::symbol && t.text.size() == 1 && t.text[0] == c;
}

// Linear in the text; unterminated literals and comments run to the end.
inline std::vector<token> tokenize(std::string_view s) {
  std::vector<token> out;
  int depth = 0;
  const std::size_t n = s.size();
  std::size_t i = 0;
  // The end of a quoted run opened at s[i] by `q` (a doubled `q` inside is an escaped one).
  auto closing = [&](std::size_t from, char q) {
    std::size_t j = from + 1;
    while (j < n) {
      if (s[j] == q) {
        if (j + 1 < n && s[j + 1] == q) {
          j += 2;
          continue;
        }
        return j;
      }
      ++j;
    }
    return n;
  };
  while (i < n) {
    const char c = s[i];
    if (is_space(c)) {
      ++i;
    } else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
      auto e = s.find('\n', i);
      i = e == std::string_view::npos ? n : e + 1;
    } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      auto e = s.find("*/", i + 2);
      i = e == std::string_view::npos ? n : e + 2;
    } else if (c == '\'') {
      const auto j = closing(i, c);
      const auto end = j < n ? j + 1 : n;
      out.push_back({token_kind::literal, s.substr(i, end - i), depth});
      i = end;
    } else if (c == '"' || c == '`') {
      const auto j = closing(i, c);
      out.push_back({token_kind::quoted, s.substr(i + 1, j - i - 1), depth});
      i = j < n ? j + 1 : n;
    } else if (c == ':') {
      if (i + 1 < n && s[i + 1] == ':') {  // a cast, x::int
        out.push_back({token_kind::symbol, s.substr(i, 1), depth});
        out.push_back({token_kind::symbol, s.substr(i + 1, 1), depth});
        i += 2;
        continue;
      }
      std::size_t j = i + 1;
      while (j < n && is_parameter_char(s[j])) ++j;
      if (j > i + 1)
        out.push_back({token_kind::parameter, s.substr(i + 1, j - i - 1), depth});
      else
        out.push_back({token_kind::symbol, s.substr(i, 1), depth});
      i = j;
    } else if (is_digit(c) || (c == '.' && i + 1 < n && is_digit(s[i + 1]))) {
      std::size_t j = i;
      while (j < n && (is_parameter_char(s[j]) || s[j] == '.')) ++j;
      out.push_back({token_kind::literal, s.substr(i, j - i), depth});
      i = j;
    } else if (is_word_char(c)) {
      std::size_t j = i;
      while (j < n && is_word_char(s[j])) ++j;
      out.push_back({token_kind::word, s.substr(i, j - i), depth});
      i = j;
    } else if (c == '(') {
      out.push_back({token_kind::symbol, s.substr(i, 1), depth++});
      ++i;
    } else if (c == ')') {
      if (depth > 0) --depth;
      out.push_back({token_kind::symbol, s.substr(i, 1), depth});
      ++i;
    } else {
      out.push_back({token_kind::symbol, s.substr(i, 1), depth});
      ++i;
    }
  }
  return out;
}

// Words that end a FROM item: never a table name or an alias.
inline bool is_clause_keyword(std::string_view w) {
  for (std::string_view k :
       {"WHERE",   "JOIN",      "INNER",  "LEFT",  "RIGHT",  "FULL",        "CROSS",  "OUTER",
        "NATURAL", "ON",        "USING",  "GROUP", "ORDER",  "HAVING",      "LIMIT",  "OFFSET",
        "UNION",   "INTERSECT", "EXCEPT", "MINUS", "WINDOW", "QUALIFY",     "SELECT", "FROM",
        "LATERAL", "FETCH",     "WITH",   "AS",    "UNNEST", "TABLESAMPLE", "PIVOT",  "UNPIVOT"})
    if (iequals(w, k)) return true;
  return false;
}

// Names defined by WITH: `name [(columns)] AS (`.
inline std::vector<std::string_view> cte_names(const std::vector<token>& t) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].kind != token_kind::word && t[i].kind != token_kind::quoted) continue;
    if (t[i].kind == token_kind::word && is_clause_keyword(t[i].text)) continue;
    std::size_t j = i + 1;
    if (j < t.size() && is_symbol(t[j], '(')) {
      while (j < t.size() && !(is_symbol(t[j], ')') && t[j].depth == t[i].depth)) ++j;
      ++j;
    }
    if (j + 1 < t.size() && is_word(t[j], "AS") && is_symbol(t[j + 1], '('))
      out.push_back(t[i].text);
  }
  return out;
}

// SPEC.md 13 check 5: the identifiers after FROM (and its comma list) and JOIN, in order of first
// appearance, de-duplicated ignoring case; common table expressions and subqueries are no
// tables. A FROM counts only where a SELECT opened its parenthesis level, so EXTRACT(x FROM y)
// and SUBSTRING(s FROM 2) name no table. Dotted names are skipped: schemas are addressed by
// their bare name.
inline std::vector<std::string> referenced_tables(const std::vector<token>& t) {
  const auto ctes = cte_names(t);
  std::vector<std::string> out;
  auto add = [&](std::string_view name) {
    for (auto c : ctes)
      if (iequals(c, name)) return;
    for (const auto& o : out)
      if (iequals(o, name)) return;
    out.emplace_back(name);
  };
  std::vector<char> select_at(1, 0);  // by depth: a SELECT opened this level
  for (std::size_t i = 0; i < t.size(); ++i) {
    const auto& k = t[i];
    const auto level = static_cast<std::size_t>(k.depth);
    if (select_at.size() < level + 2) select_at.resize(level + 2, 0);
    if (is_symbol(k, '(')) {
      select_at[level + 1] = 0;
      continue;
    }
    if (is_word(k, "SELECT")) select_at[level] = 1;
    const bool from = is_word(k, "FROM") && select_at[level];
    if (!from && !is_word(k, "JOIN")) continue;
    std::size_t j = i + 1;
    while (j < t.size()) {
      const auto& name = t[j];
      const bool named = name.kind == token_kind::quoted ||
                         (name.kind == token_kind::word && !is_clause_keyword(name.text));
      if (!named) break;
      if (j + 1 < t.size() && is_symbol(t[j + 1], '.')) {
        while (j + 2 < t.size() && is_symbol(t[j + 1], '.')) j += 2;
      } else {
        add(name.text);
      }
      ++j;
      if (j < t.size() && is_word(t[j], "AS")) ++j;
      if (j < t.size() && (t[j].kind == token_kind::quoted ||
                           (t[j].kind == token_kind::word && !is_clause_keyword(t[j].text))))
        ++j;  // the alias
      if (!from || j >= t.size() || !is_symbol(t[j], ',') || t[j].depth != k.depth) break;
      ++j;
    }
  }
  return out;
}

// The `:name` placeholders, in order of first appearance, each once.
inline std::vector<std::string> parameter_references(const std::vector<token>& t) {
  std::vector<std::string> out;
  for (const auto& k : t) {
    if (k.kind != token_kind::parameter) continue;
    bool seen = false;
    for (const auto& o : out) seen = seen || o == k.text;
    if (!seen) out.emplace_back(k.text);
  }
  return out;
}

}  // namespace sql

}  // namespace crs::collaboration
